//! Answers a graft with the payload but leaves the link lazy: the hole in the tree is patched once and reopens for the next update.
//! Caught: link_after(Graft) = Lazy
//! Caught: it needs payloads through this link from now on
//! Caught: the tree did not stay whole

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::FirstCopy | TreeEvent::Missing => Link::Eager,
        TreeEvent::Duplicate | TreeEvent::Prune | TreeEvent::Graft => Link::Lazy,
    }
}
