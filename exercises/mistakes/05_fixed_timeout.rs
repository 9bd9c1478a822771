//! `heartbeat_timeout` waits a fixed 5 rounds whatever the cluster's size: fine for 4 nodes, but a heartbeat needs more rounds to cross 64, and healthy nodes are declared dead.
//! Caught: healthy nodes were declared dead
//! Caught: grow with log2 N

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    interval * 5
}
