//! Skips the sender among the eager links only: a payload that came over a lazy link (after a graft) is announced back to the peer that sent it.
//! Caught: announced back to the peer it came from

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        match link {
            Link::Eager if Some(peer) != from => targets.eager.push(peer),
            Link::Eager => {}
            Link::Lazy => targets.lazy.push(peer),
        }
    }
    targets
}
