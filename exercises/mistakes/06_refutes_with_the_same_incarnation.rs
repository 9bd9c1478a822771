//! `refute` answers alive with the suspicion's own incarnation: at equal incarnation suspect beats alive, so the refutation loses everywhere.
//! Caught: announce alive with incarnation 5
//! Caught: loses to the news it answers

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    if me.status == MemberStatus::Alive && failing && news.incarnation >= me.incarnation {
        Some(news.incarnation)
    } else {
        None
    }
}
