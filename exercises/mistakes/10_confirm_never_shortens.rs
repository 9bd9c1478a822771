//! A suspicion always lasts max: confirmations change nothing, and a real crash is declared dead four times later than plain SWIM would.
//! Caught: Confirmations must shorten the suspicion
//! Caught: makes Lifeguard slower

use std::time::Duration;

pub fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration {
    max
}
