//! Keeps sending payloads to a peer that pruned us: the peer said the link is redundant, and every update still brings it a duplicate.
//! Caught: link_after(Prune) = Eager
//! Caught: the peer pruned us

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::Duplicate => Link::Lazy,
        _ => Link::Eager,
    }
}
