//! `digest` decides whether keys remain by the size of the whole store, not by what follows the range: the last range of a big store never says it reaches the end.
//! Caught: `last` is None when no key is left
//! Caught: the digest says it covers

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let versions: BTreeMap<_, _> = store
        .entries()
        .iter()
        .filter(|(key, _)| after.is_none_or(|a| key.as_str() > a))
        .take(max_keys)
        .map(|(key, entry)| (key.clone(), (entry.version, entry.origin)))
        .collect();
    let more = store.entries().len() > max_keys;
    Digest {
        first: after.map(|a| format!("{a}\u{0}")),
        last: if more {
            versions.keys().next_back().cloned()
        } else {
            None
        },
        versions,
    }
}
