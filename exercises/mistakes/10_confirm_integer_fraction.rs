//! Divides the logarithms' whole parts (as u32): ln 2 / ln 3 becomes 0 / 1, so one confirmation cuts nothing.
//! Caught: confirmed_timeout(

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 {
        return min;
    }
    let top = (confirmations as f64 + 1.0).ln() as u32;
    let bottom = ((k as f64 + 1.0).ln() as u32).max(1);
    let done = (top as f64 / bottom as f64).min(1.0);
    max.saturating_sub((max - min).mul_f64(done)).max(min)
}
