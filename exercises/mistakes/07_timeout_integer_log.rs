//! Truncates log10 N to a whole number: 99 nodes get the timeout of 10, almost half of the time to refute lost.
//! Caught: suspicion_timeout(2, 99, 1s) = 2s
//! Caught: declared dead before their refutation arrives
//! Caught: rounded to a whole number

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = ((members.max(1) as f64).log10() as u32).max(1);
    probe_interval * (mult * scale)
}
