//! `overrides` takes dead over suspect only at a higher incarnation: the suspicion timer's verdict, at the same incarnation, never sticks anywhere.
//! Caught: Death and departure are final for that incarnation
//! Caught: not every node marks it dead

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new > old,
        (Dead | Left, _) => false,
    }
}
