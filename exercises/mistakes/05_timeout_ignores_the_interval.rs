//! `heartbeat_timeout` counts seconds instead of rounds, ignoring the interval: right for 1 s rounds only; with 5 s rounds every healthy member is declared dead.
//! Caught: the timeout counts rounds
//! Caught: with 5.0 s rounds

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let doublings = (members.max(2) as f64).log2().ceil();
    Duration::from_secs_f64(4.0 + 2.0 * doublings)
}
