//! Grows the timeout with the natural logarithm (`.ln()`) instead of log2: it fits the clusters the check runs, but grows too slowly and misfires in bigger ones.
//! Caught: from 256 to 4096 nodes your timeout grows by 6.0 rounds
//! Caught: a logarithm in another base than 2

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let rounds = 4.0 + 2.0 * (members.max(2) as f64).ln().ceil();
    interval.mul_f64(rounds)
}
