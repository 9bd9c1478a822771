//! `digest` takes a full range to mean more keys follow: when exactly `max_keys` keys remain, it sets `last` though the store has run out, and the walk over the ranges takes an extra, empty exchange.
//! Caught: `last` is None when no key is left
//! Caught: the digest says it covers

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut versions = BTreeMap::new();
    for (key, entry) in store.entries() {
        if versions.len() == max_keys {
            break;
        }
        if after.is_none_or(|a| key.as_str() > a) {
            versions.insert(key.clone(), (entry.version, entry.origin));
        }
    }
    let full = versions.len() == max_keys;
    Digest {
        first: after.map(|a| format!("{a}\u{0}")),
        last: if full {
            versions.keys().next_back().cloned()
        } else {
            None
        },
        versions,
    }
}
