//! Counts the suspicion timeout in seconds instead of probe periods: right for a 1 s period, far too long or too short for any other.
//! Caught: ignores the probe interval
//! Caught: suspicion_timeout(

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).log10().max(1.0);
    Duration::from_secs_f64(mult as f64 * scale)
}
