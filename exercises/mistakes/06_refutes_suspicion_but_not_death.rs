//! `refute` answers a suspicion but not a death: a node declared dead by mistake (a pause, a healed partition) stays dead for the others, though it runs.
//! Caught: news says we are dead (incarnation 4)
//! Caught: A node wrongly declared dead

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let suspected = news.status == MemberStatus::Suspect;
    if me.status == MemberStatus::Alive && suspected && news.incarnation >= me.incarnation {
        Some(news.incarnation + 1)
    } else {
        None
    }
}
