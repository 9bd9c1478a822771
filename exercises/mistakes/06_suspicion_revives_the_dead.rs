//! `overrides` treats a suspicion like alive news over dead or left: a suspicion of a later incarnation brings a departed member back into the cluster.
//! Caught: Only the member itself, alive with a higher incarnation, comes back
//! Caught: must not replace

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect | Dead | Left, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, Dead | Left) => false,
    }
}
