//! `digest` says its range starts at `after` itself instead of just after it: the peer compares `after` again, a key the previous range covered.
//! Caught: `first` is `after` followed by '\0'
//! Caught: the digest says it covers

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
    let more = keys.next().is_some();
    Digest {
        first: after.map(str::to_owned),
        last: if more {
            versions.keys().next_back().cloned()
        } else {
            None
        },
        versions,
    }
}
