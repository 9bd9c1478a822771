//! `digest` ends its range at the first key it did not take: the range claims a key the digest does not list, so the peer thinks this node lacks it.
//! Caught: the digest says it covers
//! Caught: the last key listed

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut keys = store
        .entries()
        .iter()
        .skip_while(|(key, _)| after.is_some_and(|a| key.as_str() <= a));
    let mut versions = BTreeMap::new();
    for (key, entry) in keys.by_ref().take(max_keys) {
        versions.insert(key.clone(), (entry.version, entry.origin));
    }
    Digest {
        first: after.map(|a| format!("{a}\u{0}")),
        last: keys.next().map(|(key, _)| key.clone()),
        versions,
    }
}
