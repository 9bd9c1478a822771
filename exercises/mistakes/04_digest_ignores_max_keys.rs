//! `digest` lists every key after `after`, however many: `max_keys` is ignored, so a big store's digest no longer fits in a message.
//! Caught: more than max_keys
//! Caught: does not fit in one message

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Store;
use std::collections::BTreeMap;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let mut versions = BTreeMap::new();
    for (key, entry) in store.entries() {
        if after.is_none_or(|a| key.as_str() > a) {
            versions.insert(key.clone(), (entry.version, entry.origin));
        }
    }
    Digest {
        first: after.map(|a| format!("{a}\u{0}")),
        last: None,
        versions,
    }
}
