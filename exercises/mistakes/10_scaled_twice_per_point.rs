//! Doubles the timeout per point (base × 2^score): the worst score waits 128 times, and a real crash near a doubtful node goes unnoticed for minutes.
//! Caught: Too long

use std::time::Duration;

pub fn health_scaled(base: Duration, score: u32) -> Duration {
    base * 2u32.pow(score.min(7))
}
