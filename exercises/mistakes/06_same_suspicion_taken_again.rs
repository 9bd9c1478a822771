//! `overrides` takes a suspicion over a suspicion of the same incarnation (`>=`): every repeat counts as news, is spread again and restarts the suspicion timer.
//! Caught: The same suspicion heard twice is not news
//! Caught: restart the suspicion timer

use gossip_node::core::membership::{Member, MemberStatus};

pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive | Suspect, Suspect) => new >= old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, _) => false,
    }
}
