//! `compare` asks only for the keys it lacks altogether, not for those the peer holds newer: an update to a key both hold never travels back.
//! Caught: B did not ask for
//! Caught: B stays behind

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

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
    for key in digest.versions.keys() {
        if store.get(key).is_none() {
            difference.we_lack.push(key.clone());
        }
    }
    difference
}
