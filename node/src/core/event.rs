//! Events: what a node reports about itself, for people to watch.
//!
//! The protocol core reports every step it takes as an [`Event`]. The live
//! runtime streams them over a WebSocket to `gossip-visualizer`, which relays
//! them to the browser page; the simulator will write the very same events to a
//! JSON-lines file. So one schema serves the live page, replays and tests.
//!
//! On the wire each event is a [`WireEvent`]: one flat JSON object with the
//! schema version `v`, the reporting `node`, a timestamp `ts_ms` (milliseconds
//! since the Unix epoch) and the event's `type`:
//!
//! ```json
//! {"v":1,"node":2,"ts_ms":1763767362000,"type":"entry_changed",
//!  "key":"news","value":"news #1 from node 1","version":1,"origin":1,
//!  "cause":"rumor","previous":null}
//! ```

use super::faults::Faults;
use super::membership::{Member, MemberStatus};
use super::message::{Envelope, MessageId};
use super::rumor::{Mode, StopRule};
use super::store::{Carried, Entry};
use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of this event schema; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// A node's state as `GET /state` shows it, and as its hello reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeState {
    pub id: NodeId,
    pub addr: String,
    pub entries: BTreeMap<String, Entry>,
    pub members: Vec<Member>,
    /// Push-sum aggregation, when on: this node's pair and its estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_sum: Option<PushSumState>,
    /// Lifeguard's local health score: 0 healthy, up to 7 when this node
    /// doubts it hears and is heard in time (see `core::lifeguard`).
    #[serde(default)]
    pub health: u32,
}

/// What `GET /state` shows of push-sum.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushSumState {
    pub sum: f64,
    pub weight: f64,
    /// sum / weight: this node's estimate of the cluster's average value.
    pub estimate: Option<f64>,
}

/// Why an entry changed on a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A client wrote it here (`POST /update`).
    Client,
    /// A peer's rumor brought it.
    Rumor,
    /// An anti-entropy exchange repaired it.
    AntiEntropy,
}

/// Where a node stands with one rumor (SIR). A node that does not hold the
/// entry at all is *susceptible*; that needs no event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RumorState {
    /// Holds it and is spreading it.
    Infected,
    /// Holds it and has stopped spreading it.
    Removed,
}

/// The settings a node runs with, reported in its hello.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub mode: Mode,
    pub fanout: usize,
    pub interval_ms: u64,
    pub rumor_stop: StopRule,
    pub rumor_k: u32,
    /// Time between anti-entropy exchanges; `None` when off.
    pub anti_entropy_ms: Option<u64>,
    /// Whose protocol pieces the node runs: "reference", or the workshop's.
    #[serde(default = "reference")]
    pub implementation: String,
    /// The failure detector: "swim" or "heartbeat".
    #[serde(default = "swim")]
    pub detector: String,
}

fn reference() -> String {
    "reference".to_owned()
}

fn swim() -> String {
    "swim".to_owned()
}

/// Everything a node reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Sent first on every (re)connection: the node's whole state, so a
    /// watcher never needs the history.
    Hello {
        state: NodeState,
        settings: Settings,
        /// The entries it is still spreading (infected); the others it holds
        /// it has stopped spreading (removed).
        spreading: Vec<Carried>,
    },
    /// A message left this node.
    MessageSent {
        id: MessageId,
        kind: String,
        /// The address it was sent to.
        to: String,
        /// The receiver's id, when the sender knows it (not yet for a join).
        to_id: Option<NodeId>,
        /// Size of the message on the wire.
        bytes: usize,
        /// The writes it carries.
        carries: Vec<Carried>,
        /// The members it tells about.
        members: Vec<NodeId>,
    },
    /// A message arrived, and what in it was news here.
    MessageReceived {
        id: MessageId,
        kind: String,
        from: NodeId,
        /// Writes that changed this node's store.
        new: Vec<Carried>,
        /// Writes this node already had (or had newer): redundant traffic.
        known: Vec<Carried>,
        /// Members this node had not heard of.
        new_members: Vec<NodeId>,
    },
    /// A message could not be delivered (peer down, queue full, ...).
    MessageUndelivered {
        id: MessageId,
        to: String,
        reason: String,
    },
    /// A message was dropped on purpose by an injected fault (loss,
    /// partition, pause); `to` is where it was headed.
    MessageDropped {
        id: MessageId,
        to: String,
        reason: String,
    },
    /// The node is gone: its process crashed or hung. Reported by whoever
    /// watches it (the visualizer when its event stream ends, the simulator
    /// when it crashes a node), never by the node itself.
    NodeDown,
    /// The faults injected on this node changed (all clear when default).
    FaultsChanged { faults: Faults },
    /// Lifeguard: this node's local health score changed (0 healthy).
    HealthChanged { score: u32 },
    /// An entry of the store changed.
    EntryChanged {
        key: String,
        value: String,
        version: u64,
        origin: NodeId,
        cause: Cause,
        /// The write it replaced, if the key was already set: a losing write
        /// when two nodes wrote the key concurrently.
        previous: Option<Carried>,
        /// The value of that replaced write.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_value: Option<String>,
    },
    /// This node started (`infected`) or stopped (`removed`) spreading a write.
    RumorState {
        key: String,
        version: u64,
        origin: NodeId,
        state: RumorState,
    },
    /// This node learned of a member, or changed its mind about one (alive,
    /// suspect, dead, left). `by` is whose news it was: this node itself for
    /// its own probes, timeouts and refutations, or the peer it heard it from.
    MemberChanged {
        member: Member,
        /// What this node believed before; `None` for a member new to it.
        previous: Option<MemberStatus>,
        by: NodeId,
    },
}

impl Event {
    /// The event a host reports when it puts `envelope` on the wire.
    pub fn sent(envelope: &Envelope, to: &str, to_id: Option<NodeId>, bytes: usize) -> Event {
        let carries = envelope
            .message
            .entries()
            .map(carried_list)
            .unwrap_or_default();
        Event::MessageSent {
            id: envelope.id,
            kind: envelope.message.kind().to_owned(),
            to: to.to_owned(),
            to_id,
            bytes,
            carries,
            members: envelope.message.members().iter().map(|m| m.id).collect(),
        }
    }
}

fn carried_list(entries: &BTreeMap<String, Entry>) -> Vec<Carried> {
    entries.iter().map(|(k, e)| Carried::of(k, e)).collect()
}

/// An event as it travels: schema version, reporting node and time around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireEvent {
    pub v: u32,
    pub node: NodeId,
    pub ts_ms: u64,
    #[serde(flatten)]
    pub event: Event,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_event_is_one_flat_object() {
        let wire = WireEvent {
            v: SCHEMA_VERSION,
            node: NodeId(2),
            ts_ms: 1_000,
            event: Event::EntryChanged {
                key: "news".into(),
                value: "hi".into(),
                version: 1,
                origin: NodeId(1),
                cause: Cause::Rumor,
                previous: None,
                previous_value: None,
            },
        };
        let json: serde_json::Value = serde_json::to_value(&wire).unwrap();
        assert_eq!(json["type"], "entry_changed");
        assert_eq!(json["node"], 2);
        assert_eq!(json["cause"], "rumor");
        let back: WireEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, wire);
    }
}
