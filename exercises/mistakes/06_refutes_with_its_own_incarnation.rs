//! `refute` announces its own incarnation + 1 instead of the news' + 1: against a suspicion of a later incarnation, its alive is older and loses.
//! Caught: announce alive with incarnation 6
//! Caught: loses to the news it answers

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    if me.status == MemberStatus::Alive && failing && news.incarnation >= me.incarnation {
        Some(me.incarnation + 1)
    } else {
        None
    }
}
