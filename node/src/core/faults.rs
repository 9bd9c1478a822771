//! Faults: what a hostile network and a sick process do to messages.
//!
//! The protocol core never drops a message on purpose. To see how gossip and
//! SWIM cope with trouble, a host injects faults around it, on request (the
//! node's `/admin/faults` route, the page's buttons):
//!
//! * **loss** — each outgoing message is dropped with this probability;
//! * **delay** — each outgoing message waits `delay_ms` ± `jitter_ms`;
//! * **partition** — messages to and/or from the listed nodes are dropped
//!   (one-way partitions are allowed: `direction` is `both`, `in` or `out`);
//! * **paused** — alive but silent, like a stuck process: nothing goes out,
//!   nothing coming in is handled.
//!
//! The decisions are pure functions of the fault settings and an RNG, and
//! both hosts make them in one place, the pipeline in `crate::effects`: the
//! live node with what `POST /admin/faults` set, the simulator with what
//! `Network::set_faults`, `set_loss` and `cut` set.

use super::version::NodeId;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Which way a partition cuts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Nothing goes either way.
    #[default]
    Both,
    /// Messages from the listed nodes are dropped; ours still reach them.
    In,
    /// Messages to the listed nodes are dropped; theirs still reach us.
    Out,
}

/// The faults in force on one node. The default is a healthy node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Probability (0 to 1) that an outgoing message is lost.
    #[serde(default)]
    pub loss: f64,
    /// Added delay of every outgoing message, in milliseconds...
    #[serde(default)]
    pub delay_ms: u64,
    /// ...plus or minus up to this much, at random.
    #[serde(default)]
    pub jitter_ms: u64,
    /// Nodes this one is cut off from.
    #[serde(default)]
    pub partition: Vec<NodeId>,
    #[serde(default)]
    pub direction: Direction,
    /// Alive but silent.
    #[serde(default)]
    pub paused: bool,
}

/// Longest delay or jitter accepted, in milliseconds.
pub const MAX_DELAY_MS: u64 = 60_000;

impl Faults {
    /// Check the settings make sense; says what is wrong if not.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.loss) {
            return Err(format!("loss must be between 0 and 1, not {}", self.loss));
        }
        if self.delay_ms > MAX_DELAY_MS || self.jitter_ms > MAX_DELAY_MS {
            return Err(format!(
                "delay and jitter must be at most {MAX_DELAY_MS} ms"
            ));
        }
        Ok(())
    }

    /// Whether this node is healthy.
    pub fn is_clear(&self) -> bool {
        *self == Faults::default()
    }

    /// Why an outgoing message to `to` must be dropped, if it must.
    pub fn drop_outgoing<R: Rng + ?Sized>(
        &self,
        to: Option<NodeId>,
        rng: &mut R,
    ) -> Option<&'static str> {
        if self.paused {
            return Some("paused");
        }
        if self.direction != Direction::In && to.is_some_and(|id| self.partition.contains(&id)) {
            return Some("partition");
        }
        if self.loss > 0.0 && rng.random_bool(self.loss) {
            return Some("loss");
        }
        None
    }

    /// Why an incoming message from `from` must be dropped, if it must.
    pub fn drop_incoming(&self, from: NodeId) -> Option<&'static str> {
        if self.paused {
            return Some("paused");
        }
        if self.direction != Direction::Out && self.partition.contains(&from) {
            return Some("partition");
        }
        None
    }

    /// How long to hold an outgoing message: the delay, give or take the jitter.
    pub fn delay<R: Rng + ?Sized>(&self, rng: &mut R) -> Duration {
        let jitter = if self.jitter_ms > 0 {
            rng.random_range(0..=2 * self.jitter_ms) as i64 - self.jitter_ms as i64
        } else {
            0
        };
        Duration::from_millis((self.delay_ms as i64 + jitter).max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn a_healthy_node_drops_nothing() {
        let mut rng = StdRng::seed_from_u64(1);
        let faults = Faults::default();
        assert!(faults.is_clear());
        assert_eq!(faults.drop_outgoing(Some(NodeId(2)), &mut rng), None);
        assert_eq!(faults.drop_incoming(NodeId(2)), None);
        assert_eq!(faults.delay(&mut rng), Duration::ZERO);
    }

    #[test]
    fn a_one_way_partition_cuts_one_way() {
        let mut rng = StdRng::seed_from_u64(1);
        let out = Faults {
            partition: vec![NodeId(3)],
            direction: Direction::Out,
            ..Faults::default()
        };
        assert_eq!(
            out.drop_outgoing(Some(NodeId(3)), &mut rng),
            Some("partition")
        );
        assert_eq!(out.drop_incoming(NodeId(3)), None);
        assert_eq!(out.drop_outgoing(Some(NodeId(2)), &mut rng), None);
        let inward = Faults {
            direction: Direction::In,
            ..out
        };
        assert_eq!(inward.drop_outgoing(Some(NodeId(3)), &mut rng), None);
        assert_eq!(inward.drop_incoming(NodeId(3)), Some("partition"));
    }

    #[test]
    fn loss_drops_about_the_rate() {
        let mut rng = StdRng::seed_from_u64(2);
        let faults = Faults {
            loss: 0.3,
            ..Faults::default()
        };
        let lost = (0..10_000)
            .filter(|_| faults.drop_outgoing(None, &mut rng).is_some())
            .count();
        assert!((2700..3300).contains(&lost), "{lost}");
    }

    #[test]
    fn delay_stays_within_the_jitter() {
        let mut rng = StdRng::seed_from_u64(3);
        let faults = Faults {
            delay_ms: 200,
            jitter_ms: 50,
            ..Faults::default()
        };
        for _ in 0..1000 {
            let d = faults.delay(&mut rng).as_millis();
            assert!((150..=250).contains(&d), "{d}");
        }
    }

    #[test]
    fn nonsense_is_refused() {
        assert!(Faults {
            loss: 1.5,
            ..Faults::default()
        }
        .validate()
        .is_err());
        assert!(Faults {
            delay_ms: 10_000_000,
            ..Faults::default()
        }
        .validate()
        .is_err());
        assert!(serde_json::from_str::<Faults>(r#"{"los": 0.1}"#).is_err());
    }
}
