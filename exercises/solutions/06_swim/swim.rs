//! Exercise 06 — SWIM: a solution.

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, Suspect | Dead | Left) => false,
    }
}

pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    if me.status == MemberStatus::Alive && failing && news.incarnation >= me.incarnation {
        news.incarnation.checked_add(1)
    } else {
        None
    }
}
