//! `overrides` lets any "alive" replace what we know, whatever its incarnation: an old alive still circulating erases a fresh suspicion, or brings the dead back.
//! Caught: Only the member raises its incarnation
//! Caught: it must not replace what we know

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => true,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, _) => false,
    }
}
