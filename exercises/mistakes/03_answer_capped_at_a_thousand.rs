//! Caps the answer at a thousand entries, "more than anyone needs": a node spreading more writes than that (after a partition heals, say) leaves the rest out of every answer.
//! Caught: the answer carried 1000. Every hot entry

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => *theirs < (entry.version, entry.origin),
        })
        .take(1000)
        .cloned()
        .collect()
}
