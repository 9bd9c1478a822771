//! Turns the link that brought a first copy lazy ("we have it now"): it cuts exactly the tree's branches and keeps the redundant ones.
//! Caught: link_after(FirstCopy) = Lazy
//! Caught: the tree's branch to us

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::FirstCopy | TreeEvent::Duplicate | TreeEvent::Prune => Link::Lazy,
        TreeEvent::Graft | TreeEvent::Missing => Link::Eager,
    }
}
