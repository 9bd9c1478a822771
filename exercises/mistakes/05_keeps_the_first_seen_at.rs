//! `heard_beat` takes a higher heartbeat but keeps the time the member was first seen: its silence counts from then, and every member dies one timeout after it was first heard.
//! Caught: instead of now
//! Caught: verdicts of "dead" about healthy members

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    match known {
        None => Some(Beat {
            heartbeat: heard,
            seen_at: now,
        }),
        Some(known) if heard > known.heartbeat => Some(Beat {
            heartbeat: heard,
            seen_at: known.seen_at,
        }),
        Some(_) => None,
    }
}
