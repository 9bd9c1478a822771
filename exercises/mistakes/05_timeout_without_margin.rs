//! `heartbeat_timeout` is 2 log2 N rounds, the time a heartbeat needs to cross the cluster with no margin for loss: a small cluster with lossy links declares healthy members dead.
//! Caught: healthy nodes were declared dead
//! Caught: Leave a margin of a few rounds

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let doublings = (members.max(2) as f64).log2().ceil();
    interval.mul_f64(2.0 * doublings)
}
