//! Makes every link lazy whatever happens: no payload is ever pushed, each update crawls by announcement and graft.
//! Caught: link_after(FirstCopy) = Lazy

use gossip_node::core::plumtree::{Link, TreeEvent};

pub fn link_after(event: TreeEvent) -> Link {
    Link::Lazy
}
