//! Exercise 07 — gossip storms. (Read `README.md` in this folder first.)
//!
//! Every message a node sends carries a few pieces of membership news
//! ("node 7 is suspect", "node 12 is alive again"). How many times each piece
//! is repeated, and how long a suspicion lasts, decide whether a burst of
//! restarts stays a ripple or becomes a storm. `make check EX=07`; once it
//! passes, the checker tells you where the reference stands, to compare.

use std::time::Duration;

/// How many messages carry one piece of membership news before this node
/// drops it, in a cluster of `members`, with multiplier `mult`.
pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    // TODO: enough to reach everyone with high probability, which grows
    // like log N, and never unbounded. memberlist (Consul, Serf) uses
    // mult × ⌈log10(members + 1)⌉, and at least mult.
    todo!("retransmit_limit: how often is news repeated?")
}

/// How long a suspected member has to refute before it is declared dead.
pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    // TODO: news takes O(log N) periods to reach everyone, refutation
    // included, so the timeout grows like log N too. memberlist uses
    // mult × max(1, log10 members) × probe_interval
    // (`Duration::mul_f64` multiplies a duration by a float).
    todo!("suspicion_timeout: how long may a suspect refute?")
}
