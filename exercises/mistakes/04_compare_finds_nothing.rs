//! `compare` returns an empty difference: anti-entropy runs but repairs nothing, and only rumors carry writes.
//! Caught: copies are still missing
//! Caught: still differ after one exchange

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    Difference::default()
}
