//! Answers a pull with every hot entry, whatever the puller already holds: most copies are wasted.
//! Caught: the answer should carry b and d
//! Caught: pure pull needs exactly

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.to_vec()
}
