//! Forgets the floor: more confirmations than k cut below min, and a suspect gets less time than news needs to reach it.
//! Caught: Never below min

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 {
        return min;
    }
    let done = (confirmations as f64 + 1.0).ln() / (k as f64 + 1.0).ln();
    let left = max.as_secs_f64() - (max - min).as_secs_f64() * done;
    Duration::from_secs_f64(left.max(0.0))
}
