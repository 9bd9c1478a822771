//! `compare` has the comparison the wrong way round: it sends the entries the peer holds newer and asks for those it holds older.
//! Caught: still differ after one exchange
//! Caught: stale data, which A throws away

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        let ours = (entry.version, entry.origin);
        if digest.versions.get(key).is_none_or(|theirs| *theirs > ours) {
            difference.they_lack.push((key.clone(), entry.clone()));
        }
    }
    for (key, theirs) in &digest.versions {
        let ours = store.get(key).map(|e| (e.version, e.origin));
        if ours.is_none_or(|ours| ours > *theirs) {
            difference.we_lack.push(key.clone());
        }
    }
    difference
}
