//! `refute` forgets to check its own status: a node that left answers the news of its departure or death with "alive", undoing its goodbye.
//! Caught: we are left (incarnation 4)
//! Caught: gone on purpose

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    if failing && news.incarnation >= me.incarnation {
        Some(news.incarnation + 1)
    } else {
        None
    }
}
