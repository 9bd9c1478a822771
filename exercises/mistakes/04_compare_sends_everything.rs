//! `compare` puts every entry of the store in `they_lack`, whatever the digest says: each exchange ships the whole store.
//! Caught: would still send
//! Caught: stale data, which A throws away

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        difference.they_lack.push((key.clone(), entry.clone()));
    }
    for (key, theirs) in &digest.versions {
        let newer = store
            .get(key)
            .is_none_or(|e| (e.version, e.origin) < *theirs);
        if newer {
            difference.we_lack.push(key.clone());
        }
    }
    difference
}
