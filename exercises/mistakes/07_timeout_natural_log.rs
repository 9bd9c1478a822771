//! Uses the natural logarithm (`ln`) for log10: every suspicion lasts 2.3 times memberlist's, and dead nodes stay suspected that much longer.
//! Caught: another base than 10
//! Caught: too long

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).ln().max(1.0);
    probe_interval.mul_f64(mult as f64 * scale)
}
