//! Shortens the suspicion linearly in the confirmations: the first confirmation cuts less than memberlist's logarithm does, and each verdict comes later than it should.
//! Caught: along the logarithm

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 {
        return min;
    }
    let done = (confirmations.min(k) as f64 / k as f64).min(1.0);
    max.saturating_sub((max - min).mul_f64(done)).max(min)
}
