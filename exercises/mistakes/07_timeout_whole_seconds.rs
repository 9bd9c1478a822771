//! Takes the probe interval in whole seconds (`as_secs`): a 200 ms period becomes 0, and every suspect is declared dead at once.
//! Caught: declared dead at once
//! Caught: whole seconds

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).log10().max(1.0);
    Duration::from_secs_f64(probe_interval.as_secs() as f64 * mult as f64 * scale)
}
