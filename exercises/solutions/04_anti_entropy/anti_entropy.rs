//! Exercise 04 — anti-entropy with digests and deltas: a solution.

use gossip_node::core::digest::{Difference, Digest};
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
        first: after.map(|a| format!("{a}\u{0}")),
        last: if more {
            versions.keys().next_back().cloned()
        } else {
            None
        },
        versions,
    }
}

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        let ours = (entry.version, entry.origin);
        if digest.versions.get(key).is_none_or(|theirs| *theirs < ours) {
            difference.they_lack.push((key.clone(), entry.clone()));
        }
    }
    for (key, theirs) in &digest.versions {
        let ours = store.get(key).map(|e| (e.version, e.origin));
        if ours.is_none_or(|ours| ours < *theirs) {
            difference.we_lack.push(key.clone());
        }
    }
    difference
}
