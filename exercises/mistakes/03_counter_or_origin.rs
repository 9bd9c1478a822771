//! Sends when "the counter or the origin" is higher: an entry from a higher id is sent even when the puller holds a newer counter (stale data).
//! Caught: holds it newer
//! Caught: stale

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| match have.versions.get(key) {
            None => true,
            Some(&(version, origin)) => version < entry.version || origin < entry.origin,
        })
        .cloned()
        .collect()
}
