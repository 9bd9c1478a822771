//! `heard_beat` stamps a heartbeat with its count, read as the sender's clock in seconds, instead of this node's `now`: every member's time is off by its start and the gossip delay.
//! Caught: instead of now
//! Caught: the timeout counts from when *this* node saw the heartbeat go up

use gossip_node::core::heartbeat::{Beat, Heartbeat};
use std::time::Duration;

pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    if known.is_some_and(|k| heard <= k.heartbeat) {
        return None;
    }
    Some(Beat {
        heartbeat: heard,
        seen_at: Duration::from_secs(heard.count),
    })
}
