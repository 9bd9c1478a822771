//! Compares `(origin, version)` pairs: a newer write from a lower id is kept back from a puller holding an older write from a higher id.
//! Caught: holds it older

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(&(version, origin)) => (origin, version) < (entry.origin, entry.version),
        })
        .cloned()
        .collect()
}
