//! `refute` never answers: a node that was only slow stays suspected, then dead, though it is alive.
//! Caught: announce alive with incarnation 5
//! Caught: must answer "alive" with a higher incarnation

use gossip_node::core::membership::Member;

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    None
}
