//! `digest` says nothing and `compare` finds nothing: the exchanges run but carry no data, so a node that missed a rumor stays behind.
//! Caught: node 3 never received key `news`
//! Caught: still differ after one exchange

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;

pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    Digest::default()
}

pub fn compare(store: &Store, digest: &Digest) -> Difference {
    Difference::default()
}
