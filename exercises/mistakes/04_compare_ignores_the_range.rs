//! `compare` ignores the digest's range: every ranged exchange ships every key outside the range, as if the peer lacked them all.
//! Caught: lies outside the digest's range
//! Caught: the cost ranges exist to avoid

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        let ours = (entry.version, entry.origin);
        match digest.versions.get(key) {
            Some(theirs) if *theirs >= ours => {}
            _ => difference.they_lack.push((key.clone(), entry.clone())),
        }
    }
    for (key, theirs) in &digest.versions {
        match store.get(key) {
            Some(entry) if (entry.version, entry.origin) >= *theirs => {}
            _ => difference.we_lack.push(key.clone()),
        }
    }
    difference
}
