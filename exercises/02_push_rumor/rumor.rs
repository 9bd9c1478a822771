//! Exercise 02 — peer selection and push rumors with damping. (Read
//! `README.md` in this folder first.)
//!
//! Two decisions make a push epidemic: whom to tell each round, and when to
//! stop telling. Check with `make check EX=02`; once it passes, the checker
//! tells you where the reference stands, to compare.

use gossip_node::core::membership::Membership;
use gossip_node::core::rumor::{Spreading, StopRule};
use gossip_node::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::{Rng, RngCore};

/// Whom to tell this round: up to `fanout` different members, chosen
/// uniformly at random among those that take part (`members.peers()`: alive
/// or suspect, and never this node itself). Fewer if there are fewer.
pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    // TODO: every candidate must have the same chance, and nobody may be
    // picked twice in a round. `IteratorRandom::choose_multiple` does
    // exactly that on an iterator; or write the sampling yourself.
    todo!("choose_peers: fanout random peers")
}

/// The stop rule (Demers et al.'s "rumor mongering"). A node spreads a rumor
/// while it is *hot*; `left` starts at `k` when the node learns it. After
/// `what` happened, return what is left; 0 means: stop spreading it.
///
/// * `StopRule::Rounds`: one less after each round (`Spreading::RoundOver`);
/// * `StopRule::Counter`: `times` less after sending it to `times` peers
///   (`Spreading::SentTo(times)`);
/// * `StopRule::Coin`: each time a peer already knew it
///   (`Spreading::PeerKnew`), stop with chance 1/k.
///
/// Any other event leaves `left` unchanged for that rule.
pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    // TODO: a `match (rule, what)`. Never go below 0 (`saturating_sub`); for
    // the coin, `rng.random_ratio(1, k)` is true with chance 1/k.
    todo!("damp: when does a node stop spreading?")
}
