//! Exercise 07 — gossip storms: a solution (memberlist's formulas).

use std::time::Duration;

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().ceil().max(1.0);
    mult * scale as u32
}

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).log10().max(1.0);
    probe_interval.mul_f64(mult as f64 * scale)
}
