//! `heartbeat_timeout` divides by log2 N where it should multiply: the bigger the cluster, the shorter the wait, the wrong way round.
//! Caught: Your timeout shrinks as the cluster grows
//! Caught: healthy nodes were declared dead

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let doublings = (members.max(2) as f64).log2();
    interval.mul_f64(24.0 / doublings)
}
