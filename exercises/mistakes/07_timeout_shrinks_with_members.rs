//! Divides by log10 N instead of multiplying: the bigger the cluster, the less time a suspect has to refute.
//! Caught: shrinks as the cluster grows
//! Caught: declared dead before their refutation arrives

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).log10().max(1.0);
    probe_interval.mul_f64(mult as f64 / scale)
}
