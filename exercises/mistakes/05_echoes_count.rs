//! `heard_beat` takes an equal heartbeat too (`>=` for `>`): the last heartbeat of a crashed node keeps echoing through the tables and refreshing its time, so it never dies.
//! Caught: if echoes count it never dies
//! Caught: no node holds it dead

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    let fresh = match known {
        Some(known) => heard >= known.heartbeat,
        None => true,
    };
    fresh.then_some(Beat {
        heartbeat: heard,
        seen_at: now,
    })
}
