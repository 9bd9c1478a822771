//! The messages nodes send each other.
//!
//! Messages are **one-way** (as in Maelstrom): a reply is simply another
//! message sent back to the sender's address. That maps one to one onto the
//! live transport (`POST /gossip` with the message as JSON) and onto the
//! simulator's network.
//!
//! Every message is wrapped in an [`Envelope`] that says who sent it, so any
//! message at all teaches the receiver about its sender, and a random id, so
//! the visualizer can draw the same message leaving one node and arriving at
//! another.
//!
//! On the wire an envelope is one flat JSON object:
//!
//! ```json
//! {"id": "5f0c2a9e81d3b7a4",
//!  "from": {"id": 1, "addr": "127.0.0.1:7001", "status": "alive", "incarnation": 0},
//!  "kind": "rumor",
//!  "entries": {"news": {"value": "news #1 from node 1", "version": 1, "origin": 1}},
//!  "feedback": false}
//! ```
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4 (every message, grouped by sub-protocol).

use super::digest::Digest;
use super::heartbeat::Heartbeat;
use super::membership::Member;
use super::store::{Carried, Entry};
use super::version::NodeId;
use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A random id for one message, written as 16 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub u64);

impl MessageId {
    pub fn random<R: Rng + ?Sized>(rng: &mut R) -> MessageId {
        MessageId(rng.random())
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

// As a hex string, because JavaScript numbers cannot hold every u64.
impl Serialize for MessageId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MessageId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        u64::from_str_radix(&text, 16)
            .map(MessageId)
            .map_err(|_| serde::de::Error::custom(format!("message id {text:?} is not hex")))
    }
}

/// One message from one node to another, with who sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: MessageId,
    /// The sender, so that any message introduces it to the receiver.
    pub from: Member,
    /// Membership news piggybacked on the message (see `broadcast`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<Member>,
    /// Lifeguard: who first accused each suspect among `updates` (not who
    /// passed the news on), so that independent accusers can be told from
    /// one accuser's news heard twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accusations: Vec<Accusation>,
    #[serde(flatten)]
    pub message: Message,
}

/// `by` suspects `member`: its probes of it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accusation {
    pub member: NodeId,
    pub by: NodeId,
}

/// The protocol's messages, one variant per step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// First contact with a neighbor from the command line: "here I am, and
    /// here is whom I know; whom do you know?" Sent every round until the
    /// neighbor answers. With the answer, both sides know the union of their
    /// member lists after one exchange. `after`: the next page of a welcome
    /// that said `more`, the members whose ids come after this one.
    Join {
        members: Vec<Member>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<NodeId>,
    },
    /// The answer to a [`Join`](Message::Join): the members the sender
    /// knows, in id order, as many as the answer's bound allows (see
    /// `node/replies.rs`); `more`: ask again, after the last id here.
    Welcome {
        members: Vec<Member>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        more: bool,
    },
    /// A push of the sender's hot rumors (changed entries). With `feedback`,
    /// the sender wants to hear which entries the receiver already knew; with
    /// `pull` (push-pull), it also asks for the receiver's hot rumors that
    /// this digest lacks.
    Rumor {
        entries: BTreeMap<String, Entry>,
        #[serde(default)]
        feedback: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pull: Option<Digest>,
    },
    /// "What hot news do you have that I lack?" `have`: the versions of the
    /// sender's recently changed keys.
    Pull { have: Digest },
    /// The answer to a push that asked for feedback: "I already knew these".
    Feedback { known: Vec<Carried> },
    /// SWIM: "are you there?" Answered with an ack of the same `seq`.
    Ping { seq: u64 },
    /// SWIM: "I am", for the ping numbered `seq` (possibly passed on by a helper).
    Ack { seq: u64 },
    /// SWIM: "I cannot reach `target`; please ping it for me" (indirect probe).
    PingReq { seq: u64, target: Member },
    /// Lifeguard: "I pinged it for you, numbered `seq`, and it did not
    /// answer either": the helper of a [`PingReq`](Message::PingReq) can
    /// reach us, so the silence is the target's, not ours.
    Nack { seq: u64 },
    /// "I am leaving": sent on a graceful shutdown, with the news piggybacked.
    Leave,
    /// Anti-entropy, step 1: the versions the sender holds for a key range.
    SyncDigest { digest: Digest },
    /// Anti-entropy, steps 2 and 3: the entries the receiver lacks, and the
    /// keys the sender wants in return (empty in step 3).
    SyncDelta {
        entries: BTreeMap<String, Entry>,
        want: Vec<String>,
    },
    /// Push-sum: half of the sender's (sum, weight) pair, to add to ours
    /// (see [`aggregate`](super::aggregate)).
    PushSum { sum: f64, weight: f64 },
    /// Plumtree: whole payloads down an eager link of the broadcast tree
    /// (see [`plumtree`](super::plumtree)).
    EagerPush { entries: BTreeMap<String, Entry> },
    /// Plumtree: "I have these", on a lazy link, once a round.
    IHave { ids: Vec<Carried> },
    /// Plumtree: "I missed these; send them, and be my eager link".
    Graft { ids: Vec<Carried> },
    /// Plumtree: "I had that already: be my lazy link".
    Prune,
    /// Heartbeat detector: the sender's whole table, its own heartbeat
    /// first (see [`heartbeat`](super::heartbeat)).
    Heartbeats { beats: Vec<(NodeId, Heartbeat)> },
}

impl Message {
    /// The short name used in events and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Join { .. } => "join",
            Message::Welcome { .. } => "welcome",
            Message::Rumor { .. } => "rumor",
            Message::Pull { .. } => "pull",
            Message::Ping { .. } => "ping",
            Message::Ack { .. } => "ack",
            Message::PingReq { .. } => "ping_req",
            Message::Nack { .. } => "nack",
            Message::Leave => "leave",
            Message::Feedback { .. } => "feedback",
            Message::SyncDigest { .. } => "sync_digest",
            Message::SyncDelta { .. } => "sync_delta",
            Message::PushSum { .. } => "push_sum",
            Message::Heartbeats { .. } => "heartbeats",
            Message::EagerPush { .. } => "eager_push",
            Message::IHave { .. } => "i_have",
            Message::Graft { .. } => "graft",
            Message::Prune => "prune",
        }
    }

    /// The entries this message carries, if any.
    pub fn entries(&self) -> Option<&BTreeMap<String, Entry>> {
        match self {
            Message::Rumor { entries, .. }
            | Message::SyncDelta { entries, .. }
            | Message::EagerPush { entries } => Some(entries),
            _ => None,
        }
    }

    /// The member lists of a join or welcome (membership news travels in
    /// the envelope's `updates`).
    pub fn members(&self) -> &[Member] {
        match self {
            Message::Join { members, .. } | Message::Welcome { members, .. } => members,
            _ => &[],
        }
    }
}

/// Largest encoded size of the entries in one message. Peers refuse bodies
/// over 64 KiB; this leaves room for piggybacked news and the envelope.
pub const ENTRY_BUDGET: usize = 56 * 1024;

/// Bytes one entry adds to a message's JSON: `"key":{...},`.
pub fn encoded_entry_len(key: &str, entry: &Entry) -> usize {
    let key_len = serde_json::to_string(key).map_or(key.len() + 2, |k| k.len());
    let entry_len = serde_json::to_string(entry).map_or(entry.value.len() + 64, |e| e.len());
    key_len + entry_len + 2
}

/// Split `items` into batches whose summed `size` stays within `budget`
/// (an item bigger than the budget travels alone).
fn batches<T>(items: Vec<T>, budget: usize, size: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut done = Vec::new();
    let (mut current, mut used) = (Vec::new(), 0);
    for item in items {
        let bytes = size(&item);
        if used + bytes > budget && !current.is_empty() {
            done.push(std::mem::take(&mut current));
            used = 0;
        }
        used += bytes;
        current.push(item);
    }
    if !current.is_empty() {
        done.push(current);
    }
    done
}

/// Entries in batches that each fit in one message.
pub fn pack_entries(entries: Vec<(String, Entry)>) -> Vec<BTreeMap<String, Entry>> {
    batches(entries, ENTRY_BUDGET, |(k, e)| encoded_entry_len(k, e))
        .into_iter()
        .map(|batch| batch.into_iter().collect())
        .collect()
}

/// Hot entries as rumor messages that each fit the size limit.
pub fn pack_rumors(entries: Vec<(String, Entry)>, feedback: bool) -> Vec<Message> {
    pack_entries(entries)
        .into_iter()
        .map(|entries| Message::Rumor {
            entries,
            feedback,
            pull: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_rumors_are_split_to_fit_the_budget() {
        let value = "x".repeat(16 * 1024);
        let entries: Vec<(String, Entry)> = (0..20)
            .map(|i| {
                (
                    format!("k{i}"),
                    Entry {
                        value: value.clone(),
                        version: i,
                        origin: NodeId(1),
                    },
                )
            })
            .collect();
        let messages = pack_rumors(entries, false);
        assert!(
            messages.len() >= 6,
            "20 x 16 KiB needs at least 6 messages of 56 KiB"
        );
        let mut keys = 0;
        for message in &messages {
            let envelope = Envelope {
                id: MessageId(1),
                from: Member::alive(NodeId(1), "127.0.0.1:7001"),
                // A full load of piggybacked news must still fit.
                updates: (0..8)
                    .map(|i| Member::alive(NodeId(i), "127.0.0.1:7001"))
                    .collect(),
                accusations: Vec::new(),
                message: message.clone(),
            };
            assert!(serde_json::to_vec(&envelope).unwrap().len() < 64 * 1024);
            keys += message.entries().unwrap().len();
        }
        assert_eq!(keys, 20);
    }

    #[test]
    fn small_rumors_travel_in_one_message() {
        let entries = vec![(
            "a".to_string(),
            Entry {
                value: "1".into(),
                version: 1,
                origin: NodeId(1),
            },
        )];
        assert_eq!(pack_rumors(entries, false).len(), 1);
        assert!(pack_rumors(vec![], false).is_empty());
    }

    #[test]
    fn envelope_round_trips_through_json() {
        let envelope = Envelope {
            id: MessageId(0xdead_beef),
            from: Member::alive(NodeId(1), "127.0.0.1:7001"),
            updates: vec![Member::alive(NodeId(2), "127.0.0.1:7002")],
            accusations: Vec::new(),
            message: Message::Rumor {
                entries: BTreeMap::from([(
                    "color".to_string(),
                    Entry {
                        value: "red".into(),
                        version: 3,
                        origin: NodeId(1),
                    },
                )]),
                feedback: true,
                pull: Some(Digest::default()),
            },
        };
        let json = serde_json::to_string(&envelope).unwrap();
        assert!(json.contains(r#""id":"00000000deadbeef""#), "{json}");
        assert!(json.contains(r#""kind":"rumor""#), "{json}");
        let back: Envelope = serde_json::from_str(&json).unwrap();
        assert_eq!(back, envelope);
    }

    #[test]
    fn a_bad_id_is_a_clear_error() {
        let json = r#"{"id":"zz","from":{"id":1,"addr":"a:1","status":"alive","incarnation":0},"kind":"join","members":[]}"#;
        let err = serde_json::from_str::<Envelope>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not hex"), "{err}");
    }
}
