//! Module 09's diagnosis of a wrong fan-out: given the peers, the sender
//! and what `push_targets` answered, what went wrong for each peer, in the
//! protocol's terms, and what it costs the tree.

use gossip_node::core::plumtree::{Link, Targets};
use gossip_node::core::version::NodeId;

/// What a wrong fan-out does, peer by peer, and what it costs.
pub fn diagnose(peers: &[(NodeId, Link)], from: Option<NodeId>, got: &Targets) -> String {
    let count = |list: &[NodeId], peer: NodeId| list.iter().filter(|p| **p == peer).count();
    let mut why = Vec::new();
    for &(peer, link) in peers {
        let (payloads, ids) = (count(&got.eager, peer), count(&got.lazy, peer));
        let p = peer.0;
        if Some(peer) == from {
            if payloads > 0 {
                why.push(format!(
                    "Peer {p} sent us the payload, and got it back: a copy back is a \
                     duplicate, and the prune it causes cuts the very branch it came through."
                ));
            } else if ids > 0 {
                why.push(format!(
                    "Peer {p} sent us the payload, and it is announced back to the peer it \
                     came from: it has it."
                ));
            }
            continue;
        }
        let what = match (link, payloads, ids) {
            (Link::Eager, 1, 0) | (Link::Lazy, 0, 1) => continue,
            (Link::Eager, 0, 0) => format!(
                "Eager peer {p} got nothing: the tree is cut at this link, and the payload \
                 reaches it only by a graft, a round late."
            ),
            (Link::Lazy, 0, 0) => format!(
                "Lazy peer {p} got no announcement: when its branch of the tree breaks, it \
                 never learns what it missed, and never grafts."
            ),
            (Link::Eager, 0, _) => format!(
                "Eager peer {p} got only an announcement: the tree's branch carries ids, and \
                 the payload waits a round for a graft."
            ),
            (Link::Lazy, _, 0) => format!(
                "Lazy peer {p} got the payload over a lazy link: links pruned as redundant carry \
                 payloads again, and every update floods."
            ),
            (_, 1, 1) => format!(
                "Peer {p} got both the payload and an announcement: the id is traffic for \
                 nothing, it has the payload."
            ),
            _ => format!("Peer {p} is listed {payloads} times for the payload and {ids} for the id: once, in one list."),
        };
        why.push(what);
    }
    let known = |id: &NodeId| peers.iter().any(|(p, _)| p == id);
    for stranger in got.eager.iter().chain(&got.lazy).filter(|id| !known(id)) {
        why.push(format!("{stranger:?} is not among the peers."));
    }
    why.join("\n")
}
