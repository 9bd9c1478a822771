//! `heartbeat_timeout` is a fixed 30 rounds, long enough for any cluster: no false deaths, but at 4 nodes a crash goes unnoticed for 30 s.
//! Caught: at 4 nodes your timeout is 30.0 s
//! Caught: Grow the timeout with the cluster

use std::time::Duration;

pub fn heartbeat_timeout(members: usize, interval: Duration) -> Duration {
    interval * 30
}
