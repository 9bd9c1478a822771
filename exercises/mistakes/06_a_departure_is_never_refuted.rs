//! `refute` answers suspicions and deaths but not a departure: one forged `left` at the node's own incarnation (public in `/state`) and every other node drops it for good while it runs.
//! Caught: news says we are left (incarnation 4)
//! Caught: we have not left

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = matches!(news.status, MemberStatus::Suspect | MemberStatus::Dead);
    if me.status == MemberStatus::Alive && failing && news.incarnation >= me.incarnation {
        Some(news.incarnation + 1)
    } else {
        None
    }
}
