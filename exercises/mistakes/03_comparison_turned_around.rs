//! Turns the comparison around: sends the entries the puller holds newer (stale data it will drop) and keeps back those it holds older.
//! Caught: the answer should carry b and d
//! Caught: holds it newer

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => *theirs > (entry.version, entry.origin),
        })
        .cloned()
        .collect()
}
