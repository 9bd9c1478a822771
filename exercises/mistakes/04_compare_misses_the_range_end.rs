//! `compare` tests the range itself with `key < last`: the range's last key is never compared, so a newer write there never travels.
//! Caught: is the range's last key: `digest.covers` includes it
//! Caught: B did not send

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

fn in_range(digest: &Digest, key: &str) -> bool {
    let after_first = match &digest.first {
        Some(first) => key >= first.as_str(),
        None => true,
    };
    let before_last = match &digest.last {
        Some(last) => key < last.as_str(),
        None => true,
    };
    after_first && before_last
}

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !in_range(digest, key) {
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
