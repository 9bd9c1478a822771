//! `digest` sets `last` to the last key it took even when the store has no more keys: the range never reaches the end, and keys the peer holds beyond it are never compared.
//! Caught: `last` is None when no key is left
//! Caught: the digest says it covers

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut versions = BTreeMap::new();
    for (key, entry) in store
        .entries()
        .iter()
        .filter(|(key, _)| after.is_none_or(|a| key.as_str() > a))
        .take(max_keys)
    {
        versions.insert(key.clone(), (entry.version, entry.origin));
    }
    Digest {
        first: after.map(|a| format!("{a}\u{0}")),
        last: versions.keys().next_back().cloned(),
        versions,
    }
}
