//! Stops at the first entry the puller lacks (`find` for `filter`): one update per pull, the others wait for later rounds.
//! Caught: a missed update

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .find(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => *theirs < (entry.version, entry.origin),
        })
        .cloned()
        .into_iter()
        .collect()
}
