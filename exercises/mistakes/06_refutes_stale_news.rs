//! `refute` answers every suspicion, even one of an older incarnation that its alive already beat: each old rumor still travelling makes it announce again.
//! Caught: we are alive (incarnation 4); news says we are suspect (incarnation 3)
//! Caught: already beaten

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    if me.status == MemberStatus::Alive && failing {
        Some(news.incarnation.max(me.incarnation) + 1)
    } else {
        None
    }
}
