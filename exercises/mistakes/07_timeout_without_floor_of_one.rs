//! Drops the max(1, …): log10 1 = 0, so in a cluster of one or two the timeout is (almost) zero and a suspect is dead before it can answer.
//! Caught: declared dead at once
//! Caught: max(1, log10 N)

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members as f64).log10();
    probe_interval.mul_f64(mult as f64 * scale)
}
