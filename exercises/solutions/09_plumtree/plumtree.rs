//! Exercise 09 — a solution. Plumtree's links.

use gossip_node::core::plumtree::{Link, Targets, TreeEvent};
use gossip_node::core::version::NodeId;

/// First copies and grafts build the tree; duplicates and prunes trim it.
pub fn link_after(event: TreeEvent) -> Link {
    match event {
        // This link brought news, or must bring it: it belongs to the tree.
        TreeEvent::FirstCopy | TreeEvent::Graft | TreeEvent::Missing => Link::Eager,
        // Redundant: another path brings the payloads first.
        TreeEvent::Duplicate | TreeEvent::Prune => Link::Lazy,
    }
}

/// Payloads on eager links, ids on lazy ones, nothing back to the sender.
pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        if Some(peer) == from {
            continue;
        }
        match link {
            Link::Eager => targets.eager.push(peer),
            Link::Lazy => targets.lazy.push(peer),
        }
    }
    targets
}
