//! A node's configuration: everything its host decides for it (the live
//! node from its command line, the simulator and the checker in code).

use super::event::Settings;
use super::heartbeat::DetectorKind;
use super::pieces::Implementation;
use super::rumor::{Mode, StopRule};
use super::swim::SwimConfig;
use super::version::NodeId;
use std::time::Duration;

/// How a node gossips. The live node fills this from its command line.
#[derive(Clone, Debug)]
pub struct Config {
    pub id: NodeId,
    /// The address peers reach this node at: `host:port`.
    pub addr: String,
    /// Addresses to join through (`--neighbors`); their ids are learned later.
    pub neighbors: Vec<String>,
    /// Push, pull or push-pull.
    pub mode: Mode,
    /// Peers contacted per round.
    pub fanout: usize,
    /// Time between two gossip rounds.
    pub interval: Duration,
    /// When a node stops spreading a rumor, and its parameter `k`.
    pub rumor_stop: StopRule,
    pub rumor_k: u32,
    /// Time between anti-entropy exchanges, or `None` for rumors only.
    pub anti_entropy: Option<Duration>,
    /// Which failure detector runs: SWIM (default) or heartbeats.
    pub detector: DetectorKind,
    /// The heartbeat detector's fixed timeout, or `None`: the pieces' own,
    /// which grows with the cluster.
    pub heartbeat_timeout: Option<Duration>,
    /// Failure detection timings.
    pub swim: SwimConfig,
    /// This life's incarnation. A host starts each life higher than the last
    /// (the live node uses the start time), so a restarted node's "I am
    /// alive" beats the old news that it died.
    pub incarnation: u64,
    /// Who wrote the replaceable pieces: the reference, or a participant
    /// (see [`pieces`](super::pieces)).
    pub pieces: Implementation,
    /// This node's value for push-sum aggregation, or `None`: no push-sum.
    pub push_sum: Option<f64>,
    /// A bench lever, off by default: an entry new to this node is pushed
    /// to `fanout` peers at once, not at the next round (push and
    /// push-pull; see `dissemination::forward_at_once`).
    pub forward_at_once: bool,
    /// A bench lever, off by default: every probe and ack to a proven
    /// member goes with a push of the hot rumors, as memberlist piggybacks
    /// its broadcasts on probes (see `swim::rumors_beside`).
    pub rumors_with_probes: bool,
}

impl Config {
    /// The periods (gossip rounds, anti-entropy) a node accepts, at start or
    /// live: faster than 10 ms is a busy loop; an hour keeps a test's node
    /// quiet.
    pub const INTERVALS: std::ops::RangeInclusive<Duration> =
        Duration::from_millis(10)..=Duration::from_secs(3600);

    /// A config with the workshop's defaults: push to 2 peers a second,
    /// rumors hot for 4 rounds, no anti-entropy.
    pub fn new(id: NodeId, addr: impl Into<String>, neighbors: Vec<String>) -> Config {
        Config {
            id,
            addr: addr.into(),
            neighbors,
            mode: Mode::Push,
            fanout: 2,
            interval: Duration::from_secs(1),
            rumor_stop: StopRule::Rounds,
            rumor_k: 4,
            anti_entropy: None,
            detector: DetectorKind::Swim,
            heartbeat_timeout: None,
            swim: SwimConfig::default(),
            incarnation: 0,
            pieces: Implementation::reference(),
            push_sum: None,
            forward_at_once: false,
            rumors_with_probes: false,
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            mode: self.mode,
            fanout: self.fanout,
            interval_ms: self.interval.as_millis() as u64,
            rumor_stop: self.rumor_stop,
            rumor_k: self.rumor_k,
            anti_entropy_ms: self.anti_entropy.map(|d| d.as_millis() as u64),
            implementation: self.pieces.describe(),
            detector: self.detector.to_string(),
        }
    }
}
