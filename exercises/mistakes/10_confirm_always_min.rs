//! A suspicion always lasts min, as in plain SWIM: a lone, degraded accuser gets no more time, and its healthy suspects are declared dead before their refutations reach it.
//! Caught: A lone accuser waits the longest
//! Caught: a healthy member was marked dead in some node's view

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    min
}
