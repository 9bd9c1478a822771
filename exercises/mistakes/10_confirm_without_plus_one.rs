//! Takes ln(c) / ln(k) instead of ln(c + 1) / ln(k + 1): ln 0 is minus infinity, so a lone accuser's timeout is not a number at all.
//! Caught: a Duration cannot hold

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    if k == 0 {
        return min;
    }
    let done = (confirmations as f64).ln() / (k as f64).ln();
    let cut = (max - min).as_secs_f64() * done.min(1.0);
    Duration::from_secs_f64((max.as_secs_f64() - cut).max(min.as_secs_f64()))
}
