//! Compares the counters only: a puller that holds a concurrent write with the same counter and a lower origin never gets the winning one.
//! Caught: holds it older
//! Caught: same counter

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(&(version, _)) => version < entry.version,
        })
        .cloned()
        .collect()
}
