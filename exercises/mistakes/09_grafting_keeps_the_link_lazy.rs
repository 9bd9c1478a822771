//! Grafts a peer but leaves its own side of the link lazy: the missing payload comes once, and the link never carries the next one.
//! Caught: link_after(Missing) = Lazy
//! Caught: unless the link turns eager, the tree has a hole here

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::FirstCopy | TreeEvent::Graft => Link::Eager,
        TreeEvent::Duplicate | TreeEvent::Prune | TreeEvent::Missing => Link::Lazy,
    }
}
