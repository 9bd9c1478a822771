//! `compare` asks for every key the digest lists, whatever version it holds: each exchange pulls the peer's whole range back.
//! Caught: and ask for
//! Caught: which it already holds at the same version

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
    difference.we_lack = digest.versions.keys().cloned().collect();
    difference
}
