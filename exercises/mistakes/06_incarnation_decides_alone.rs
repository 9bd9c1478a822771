//! `overrides` compares incarnations only and ignores the status: news of the same incarnation never wins, so no suspicion or death ever replaces alive.
//! Caught: A suspicion at the member's current incarnation is fresh
//! Caught: must replace what we know

use gossip_node::core::membership::Member;

pub fn overrides(news: &Member, known: &Member) -> bool {
    news.incarnation > known.incarnation
}
