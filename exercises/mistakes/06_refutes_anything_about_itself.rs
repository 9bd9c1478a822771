//! `refute` answers any news about itself, its own "alive" too: each refutation comes back as news and triggers the next, for ever.
//! Caught: news says we are alive (incarnation 4)
//! Caught: for ever

use gossip_node::core::membership::{Member, MemberStatus};

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    if me.status == MemberStatus::Alive && news.incarnation >= me.incarnation {
        Some(news.incarnation + 1)
    } else {
        None
    }
}
