//! Sends a new payload to every eager peer, the one it came from included: each copy back is a duplicate, and its prune cuts the branch it came through.
//! Caught: a copy back is a duplicate
//! Caught: payloads went back

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for &(peer, link) in peers {
        match link {
            Link::Eager => targets.eager.push(peer),
            Link::Lazy => targets.lazy.push(peer),
        }
    }
    targets
}
