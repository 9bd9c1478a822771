//! Reads the digest the wrong way round: sends the hot entries whose keys the puller lists, and nothing it lacks.
//! Caught: the answer should carry b and d
//! Caught: a missed update

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, _)| have.versions.contains_key(key))
        .cloned()
        .collect()
}
