//! Compares the versions as `u32`: above 2^32 counters wrap, so the answer sends stale writes and leaves out newer ones.
//! Caught: a pull answer
//! Caught: the puller holds it

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => (theirs.0 as u32, theirs.1) < (entry.version as u32, entry.origin),
        })
        .cloned()
        .collect()
}
