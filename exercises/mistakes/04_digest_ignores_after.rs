//! `digest` always starts from the first key and ignores `after`: every exchange compares the same first range, and the keys after it are never compared.
//! Caught: A digest that ignores `after` compares the same first keys every time
//! Caught: the digest lists

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut keys = store.entries().iter();
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
