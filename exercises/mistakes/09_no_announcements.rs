//! Sends payloads on eager links and announces nothing on lazy ones: when a branch of the tree breaks, nobody learns what it missed.
//! Caught: never reached nodes
//! Caught: no announcement led to a graft
//! Caught: got no announcement

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        if Some(peer) != from && link == Link::Eager {
            targets.eager.push(peer);
        }
    }
    targets
}
