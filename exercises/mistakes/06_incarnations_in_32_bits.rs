//! Compares incarnations as `u32`: a live node's incarnation is its start time in milliseconds, so once a restart crosses a 2^32 boundary its new alive looks older than its old death, and it stays dead everywhere.
//! Caught: (incarnation 1795296329727); news says alive (incarnation 1795296329728): it must replace

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation as u32, known.incarnation as u32);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, Suspect | Dead | Left) => false,
    }
}
