//! Announces every payload to all peers, eager ones included: a peer that just got the payload also gets its id, traffic for nothing.
//! Caught: both the payload and an announcement

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        if Some(peer) == from {
            continue;
        }
        if link == Link::Eager {
            targets.eager.push(peer);
        }
        targets.lazy.push(peer);
    }
    targets
}
