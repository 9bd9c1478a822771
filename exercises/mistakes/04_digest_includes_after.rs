//! `digest` skips the keys before `after` but not `after` itself (`<` for `<=`): each range repeats the last key of the one before.
//! Caught: the previous range already covered it
//! Caught: the digest lists

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut keys = store
        .entries()
        .iter()
        .skip_while(|(key, _)| after.is_some_and(|a| key.as_str() < a));
    let mut versions = BTreeMap::new();
    for (key, entry) in keys.by_ref().take(max_keys) {
        versions.insert(key.clone(), (entry.version, entry.origin));
    }
    let more = keys.next().is_some();
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
