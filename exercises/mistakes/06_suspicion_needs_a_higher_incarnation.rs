//! `overrides` takes a suspicion over alive only at a higher incarnation (`>` for `>=`): a suspicion at the member's current incarnation is ignored, so a crash is never detected.
//! Caught: A suspicion at the member's current incarnation is fresh
//! Caught: not every node marks it dead

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new > old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, _) => false,
    }
}
