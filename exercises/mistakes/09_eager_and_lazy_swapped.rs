//! Swaps the two lists: payloads go to the lazy links and announcements to the eager ones, so the tree carries ids and the pruned links carry payloads.
//! Caught: got the payload over a lazy link

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        if Some(peer) == from {
            continue;
        }
        match link {
            Link::Eager => targets.lazy.push(peer),
            Link::Lazy => targets.eager.push(peer),
        }
    }
    targets
}
