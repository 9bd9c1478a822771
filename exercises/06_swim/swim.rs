//! Exercise 06 — SWIM: which news about a member wins, and how a node
//! answers a suspicion about itself. (Read `README.md` in this folder first.)
//!
//! The probing itself (ping, ping-req through k members, suspect, the
//! suspicion timeout) is done for you; these two decisions are what make it
//! converge. `make check EX=06`; once it passes, the checker tells you where
//! the reference stands, to compare.

use gossip_node::core::membership::{Member, MemberStatus};

/// We believe `known` about a member; `news` arrives about the same member.
/// Does the news replace what we believe?
///
/// Each piece of news carries the member's status (alive, suspect, dead,
/// left) and an incarnation number that only the member itself raises.
pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    // TODO: SWIM's rules, as a match on (known.status, news.status):
    //   news "alive"             wins if new > old (whatever we knew);
    //   "suspect" over "alive"   wins if new >= old;
    //   "suspect" over "suspect" wins if new > old;
    //   "dead" or "left" over "alive" or "suspect": if new >= old;
    //   nothing but a fresher "alive" replaces "dead" or "left".
    todo!("overrides: which news about a member wins?")
}

/// News says something about *us*: `me` is our own entry (our status and
/// incarnation). Return the incarnation to announce "alive" with, or `None`
/// when there is nothing to refute.
pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    // TODO: refute only news that says we are suspect, dead or left, and
    // only if it is not older than our own incarnation. Announce one more
    // than the news' incarnation, so our "alive" beats it everywhere. A node
    // that has left (me.status == Left) stays gone.
    todo!("refute: answer a suspicion about ourselves")
}
