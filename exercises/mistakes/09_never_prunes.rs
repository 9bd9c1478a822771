//! Keeps a link eager after a duplicate: only the prunes received trim links, so the first flood never turns into a tree.
//! Caught: a link that brings duplicates is redundant
//! Caught: link_after(Duplicate) = Eager

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::Prune => Link::Lazy,
        _ => Link::Eager,
    }
}
