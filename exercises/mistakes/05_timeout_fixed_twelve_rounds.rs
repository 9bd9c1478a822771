//! `heartbeat_timeout` is a fixed 12 rounds, the longest the 4-node bound allows: enough while the cluster is small, but it does not grow, and a big cluster's heartbeats need longer.
//! Caught: healthy nodes were declared dead
//! Caught: grow with log2 N

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    interval * 12
}
