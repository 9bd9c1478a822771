//! Sends the payload to every peer but the sender, lazy links included: the links are kept but never used, and every update floods.
//! Caught: got the payload over a lazy link

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, _) in peers {
        if Some(peer) != from {
            targets.eager.push(peer);
        }
    }
    targets
}
