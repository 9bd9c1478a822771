//! Exercise 09 (bonus) — epidemic broadcast trees, Plumtree. (Read
//! `README.md` in this folder first.)
//!
//! With `--mode plumtree`, a node sends every new payload at once on its
//! *eager* links and announces its id on its *lazy* links at the end of the
//! round. You write the two decisions that make those links a tree and keep
//! it whole; the messages around them (payloads, announcements, prunes,
//! grafts and their timers) are done for you. `make check EX=09`; once it
//! passes, the checker tells you where the reference stands, to compare.

use gossip_node::core::plumtree::{Link, Targets, TreeEvent};
use gossip_node::core::version::NodeId;

/// Something happened on our link to a peer. What is the link now: eager
/// (carries whole payloads) or lazy (carries announcements)?
///
/// The events: `FirstCopy` (the peer brought us a payload we lacked),
/// `Duplicate` (it brought one we had; we answer with a prune), `Prune` (it
/// pruned its link to us), `Graft` (it missed a payload and asks us for it),
/// `Missing` (it announced a payload that never came through the tree, so we
/// are about to graft it).
pub fn link_after(event: TreeEvent) -> Link {
    // TODO: a `match event { ... }`. Which events mean "this link is part of
    // the tree", and which mean "this link is redundant"? With every link
    // eager, the first update floods; the duplicates are what must turn the
    // flood into a tree. And a graft must bring the payload *and* put the
    // link back in the tree.
    todo!("link_after: eager or lazy?")
}

/// New payloads came `from` a peer (`None`: a client wrote them here). Of
/// our `peers`, each with its link, who gets the payloads now (eager) and
/// who an announcement at the end of the round (lazy)?
pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    // TODO: eager links get the payload, lazy links the announcement. What
    // about the peer the payload came from? (`Targets` has two public
    // vectors, `eager` and `lazy`; `Targets::default()` starts empty.)
    todo!("push_targets: who gets what?")
}
