//! `compare` sends every entry whose version differs from the digest's, older ones too: the peer throws the stale data away, but it travelled.
//! Caught: stale data, which A throws away
//! Caught: is newer than

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        let ours = (entry.version, entry.origin);
        if digest.versions.get(key) != Some(&ours) {
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
