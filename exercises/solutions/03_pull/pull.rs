//! Exercise 03 — pull and push-pull: a solution.

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => *theirs < (entry.version, entry.origin),
        })
        .cloned()
        .collect()
}
