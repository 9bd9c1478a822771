//! Caps the answer at a few entries (`.take(5)`), as if a message had to stay small: the puller silently misses the rest of the news it asked for.
//! Caught: the answer carried 5. Every hot entry
//! Caught: one that is left out is a missed update

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(theirs) => *theirs < (entry.version, entry.origin),
        })
        .take(5)
        .cloned()
        .collect()
}
