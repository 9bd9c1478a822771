//! `compare` returns early when the digest lists no key, taking an empty digest for "nothing to compare": a node with an empty store (new, or wiped) never gets anything.
//! Caught: A's digest covers
//! Caught: A stays behind

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    if digest.versions.is_empty() {
        return difference;
    }
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
