//! `compare` compares the version counters and not the origins: of two writes with the same counter, neither side sends or asks, and they stay different.
//! Caught: the same counter, so the higher origin breaks the tie
//! Caught: still differ after one exchange

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        match digest.versions.get(key) {
            Some((version, _)) if *version >= entry.version => {}
            _ => difference.they_lack.push((key.clone(), entry.clone())),
        }
    }
    for (key, (version, _)) in &digest.versions {
        match store.get(key) {
            Some(entry) if entry.version >= *version => {}
            _ => difference.we_lack.push(key.clone()),
        }
    }
    difference
}
