//! Scales whole seconds (as_secs): a 500 ms probe timeout becomes 0 s at every score, so every probe fails at once.
//! Caught: health_scaled(200ms

use std::time::Duration;

pub fn health_scaled(base: Duration, score: u32) -> Duration {
    Duration::from_secs(base.as_secs() * (score.min(7) as u64 + 1))
}
