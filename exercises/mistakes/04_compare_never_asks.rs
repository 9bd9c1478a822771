//! `compare` sends what the peer lacks but never asks for what it lacks itself: repair goes one way only.
//! Caught: still differ after one exchange
//! Caught: B did not ask for

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        let ours = (entry.version, entry.origin);
        let lacks = match digest.versions.get(key) {
            Some(theirs) => *theirs < ours,
            None => true,
        };
        if lacks {
            difference.they_lack.push((key.clone(), entry.clone()));
        }
    }
    difference
}
