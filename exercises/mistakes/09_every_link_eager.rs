//! Makes every link eager whatever happens: there is no tree, every update floods every link.
//! Caught: link_after(Duplicate) = Eager

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    Link::Eager
}
