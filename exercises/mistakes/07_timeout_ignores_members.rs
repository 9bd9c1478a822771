//! A suspicion timeout of mult periods whatever the cluster's size: in a big cluster the refutation cannot arrive in time.
//! Caught: does not grow with the cluster
//! Caught: declared dead before their refutation arrives

use std::time::Duration;

pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    probe_interval * mult
}
