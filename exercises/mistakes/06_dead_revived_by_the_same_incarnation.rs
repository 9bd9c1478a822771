//! `overrides` lets an alive of the same incarnation replace dead (`>=`): the member's own last alive, still circulating, revives it after it died.
//! Caught: an alive of the same incarnation is older than the verdict
//! Caught: must not replace

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (Dead | Left, Alive) => new >= old,
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, _) => false,
    }
}
