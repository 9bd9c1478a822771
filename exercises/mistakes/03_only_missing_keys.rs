//! Sends only the keys the puller lacks altogether and ignores the versions: a puller holding an older write never gets the newer one.
//! Caught: a missed update
//! Caught: holds it older

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, _)| !have.versions.contains_key(key))
        .cloned()
        .collect()
}
