//! The protocol core: a gossip node as a pure state machine.
//!
//! Nothing in this module tree touches a socket, a clock or a global random
//! number generator. A [`Node`] is driven by three kinds of input:
//!
//! * a client's update ([`Node::client_update`]),
//! * a message from a peer ([`Node::receive`]),
//! * a timer it asked for ([`Node::timer`]),
//!
//! each given the current time `now` and an RNG. It answers with a list of
//! [`Output`]s: messages to send, timers to set, events to report. Whoever
//! drives it (the live tokio runtime, a test moving messages by hand, the
//! simulator) carries those out.
//!
//! Because the core is deterministic given its inputs, a test with a seeded
//! RNG replays the same run every time, and whatever a test shows about the
//! core holds for the live node, which runs the very same code.
//!
//! Layout:
//! * [`version`] — Lamport versions that totally order writes;
//! * [`store`] — the versioned key/value store and its merge;
//! * [`membership`] — who is in the cluster;
//! * [`peer_selection`] — choosing random peers;
//! * [`rumor`] — which rumors are still hot;
//! * [`anti_entropy`] — digests and deltas that repair what rumors missed;
//! * [`message`] — what nodes send each other;
//! * [`event`] — what a node reports to watchers.

pub mod anti_entropy;
pub mod event;
pub mod membership;
pub mod message;
pub mod peer_selection;
pub mod rumor;
pub mod store;
pub mod version;

#[cfg(test)]
mod tests;

use event::{Carried, Cause, Event, Settings};
use membership::{Learned, Member, Membership};
use message::{Envelope, Message, MessageId};
use rand::Rng;
use rumor::{HotRumors, Rumor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;
use store::{Entry, Merge, Store};
use version::NodeId;

/// The key a bare `curl -X POST .../update` writes.
pub const DEMO_KEY: &str = "news";
/// Longest key a client may write, in bytes.
pub const MAX_KEY_LEN: usize = 256;
/// Largest entry a client may write, as encoded in a message. Keeps every
/// entry small enough to travel in one rumor message.
pub const MAX_ENTRY_BYTES: usize = 48 * 1024;

/// How a node gossips. The live node fills this from its command line.
#[derive(Clone, Debug)]
pub struct Config {
    pub id: NodeId,
    /// The address peers reach this node at: `host:port`.
    pub addr: String,
    /// Addresses to join through (`--neighbors`); their ids are learned later.
    pub neighbors: Vec<String>,
    /// Peers told per round.
    pub fanout: usize,
    /// Time between two gossip rounds.
    pub interval: Duration,
    /// Rounds a node keeps pushing a rumor before it goes cold.
    pub rumor_rounds: u32,
    /// Time between anti-entropy exchanges, or `None` for rumors only.
    pub anti_entropy: Option<Duration>,
}

impl Config {
    /// A config with the workshop's defaults: fanout 2, one round a second,
    /// rumors hot for 4 rounds.
    pub fn new(id: NodeId, addr: impl Into<String>, neighbors: Vec<String>) -> Config {
        Config {
            id,
            addr: addr.into(),
            neighbors,
            fanout: 2,
            interval: Duration::from_secs(1),
            rumor_rounds: 4,
            anti_entropy: None,
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            fanout: self.fanout,
            interval_ms: self.interval.as_millis() as u64,
            rumor_rounds: self.rumor_rounds,
            anti_entropy_ms: self.anti_entropy.map(|d| d.as_millis() as u64),
        }
    }
}

/// The timers a node asks its host for: named protocol steps, not sleeping tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Time for the next gossip round.
    GossipRound,
    /// Time to compare stores with a random peer.
    AntiEntropy,
}

/// What the core asks its host to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Deliver `envelope` to the node listening at `to`.
    Send { to: String, envelope: Envelope },
    /// Call [`Node::timer`] with `timer` once `after` has passed.
    SetTimer { timer: Timer, after: Duration },
    /// Report this to whoever watches.
    Event(Event),
}

/// A client's update was refused; the store is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("key must not be empty; nothing was stored")]
    EmptyKey,
    #[error("key is {len} bytes, more than the {max} allowed; nothing was stored")]
    KeyTooLong { len: usize, max: usize },
    #[error(
        "the entry takes {bytes} bytes encoded, more than the {max} allowed; nothing was stored"
    )]
    TooLarge { bytes: usize, max: usize },
}

/// A node's state as `GET /state` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeState {
    pub id: NodeId,
    pub addr: String,
    pub entries: BTreeMap<String, Entry>,
    pub members: Vec<Member>,
}

/// Counters a host can show (`GET /metrics`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub rounds: u64,
    pub syncs_started: u64,
    pub updates_from_clients: u64,
    pub entries_learned: u64,
    pub redundant_entries: u64,
}

/// One gossip node: store, membership and hot rumors.
#[derive(Debug)]
pub struct Node {
    config: Config,
    store: Store,
    members: Membership,
    rumors: HotRumors,
    /// Numbers the demo updates of this node: "news #3 from node 1".
    demo_updates: u64,
    /// Where the next anti-entropy digest starts (after this key).
    sync_cursor: Option<String>,
    counters: Counters,
}

impl Node {
    pub fn new(config: Config) -> Node {
        let me = Member::alive(config.id, config.addr.clone());
        Node {
            members: Membership::new(me),
            config,
            store: Store::default(),
            rumors: HotRumors::default(),
            demo_updates: 0,
            sync_cursor: None,
            counters: Counters::default(),
        }
    }

    /// Begin: greet the neighbors and schedule the first round.
    pub fn start<R: Rng + ?Sized>(&mut self, _now: Duration, rng: &mut R) -> Vec<Output> {
        let mut out = Vec::new();
        self.join_unknown_neighbors(rng, &mut out);
        out.push(Output::SetTimer {
            timer: Timer::GossipRound,
            after: self.config.interval,
        });
        if let Some(every) = self.config.anti_entropy {
            out.push(Output::SetTimer {
                timer: Timer::AntiEntropy,
                after: every,
            });
        }
        out
    }

    /// A client writes `key = value` here. The write becomes a hot rumor.
    pub fn client_update<R: Rng + ?Sized>(
        &mut self,
        _now: Duration,
        _rng: &mut R,
        key: &str,
        value: &str,
    ) -> Result<(Entry, Vec<Output>), UpdateError> {
        self.check_write(key, value)?;
        let (entry, previous) = self.store.write(self.config.id, key, value);
        self.counters.updates_from_clients += 1;
        self.rumors
            .heat(Rumor::Entry(key.to_owned()), self.config.rumor_rounds);
        let event = entry_changed(key, &entry, Cause::Client, previous.as_ref());
        Ok((entry, vec![Output::Event(event)]))
    }

    /// Refuse a write that could not travel: an empty or huge key, or an
    /// entry too big for one rumor message.
    fn check_write(&self, key: &str, value: &str) -> Result<(), UpdateError> {
        if key.is_empty() {
            return Err(UpdateError::EmptyKey);
        }
        if key.len() > MAX_KEY_LEN {
            let len = key.len();
            return Err(UpdateError::KeyTooLong {
                len,
                max: MAX_KEY_LEN,
            });
        }
        let widest = Entry {
            value: value.to_owned(),
            version: u64::MAX,
            origin: self.config.id,
        };
        let bytes = message::encoded_entry_len(key, &widest);
        if bytes > MAX_ENTRY_BYTES {
            return Err(UpdateError::TooLarge {
                bytes,
                max: MAX_ENTRY_BYTES,
            });
        }
        Ok(())
    }

    /// The update a bare `POST /update` makes: a fresh value for [`DEMO_KEY`].
    pub fn demo_update<R: Rng + ?Sized>(
        &mut self,
        now: Duration,
        rng: &mut R,
    ) -> (Entry, Vec<Output>) {
        self.demo_updates += 1;
        let value = format!("news #{} from node {}", self.demo_updates, self.config.id);
        self.client_update(now, rng, DEMO_KEY, &value)
            .expect("the demo key is valid")
    }

    /// A message from a peer arrived.
    pub fn receive<R: Rng + ?Sized>(
        &mut self,
        _now: Duration,
        rng: &mut R,
        envelope: Envelope,
    ) -> Vec<Output> {
        let mut out = Vec::new();
        let Envelope { id, from, message } = envelope;
        if from.id == self.config.id {
            // Our own message came back (a neighbor list naming ourselves).
            return out;
        }
        let mut new_members = Vec::new();
        self.learn_member(&from, &mut new_members, &mut out);
        for member in message.members() {
            self.learn_member(member, &mut new_members, &mut out);
        }

        let (mut new, mut known) = (Vec::new(), Vec::new());
        match &message {
            Message::Join { .. } => {
                let members = self.members.all().cloned().collect();
                self.send(rng, &from.addr, Message::Welcome { members }, &mut out);
            }
            Message::Welcome { .. } => {}
            Message::Rumor { entries, .. } => {
                self.merge_entries(entries, Cause::Rumor, &mut new, &mut known, &mut out);
            }
            Message::SyncDigest { digest } => {
                let difference = anti_entropy::compare(&self.store, digest);
                let mut batches = message::pack_entries(difference.they_lack).into_iter();
                let first = batches.next().unwrap_or_default();
                let want = difference.we_lack;
                self.send(
                    rng,
                    &from.addr,
                    Message::SyncDelta {
                        entries: first,
                        want,
                    },
                    &mut out,
                );
                for entries in batches {
                    self.send(
                        rng,
                        &from.addr,
                        Message::SyncDelta {
                            entries,
                            want: vec![],
                        },
                        &mut out,
                    );
                }
            }
            Message::SyncDelta { entries, want } => {
                self.merge_entries(entries, Cause::AntiEntropy, &mut new, &mut known, &mut out);
                let wanted = anti_entropy::entries_for(&self.store, want);
                for entries in message::pack_entries(wanted) {
                    self.send(
                        rng,
                        &from.addr,
                        Message::SyncDelta {
                            entries,
                            want: vec![],
                        },
                        &mut out,
                    );
                }
            }
        }
        out.push(Output::Event(Event::MessageReceived {
            id,
            kind: message.kind().to_owned(),
            from: from.id,
            new,
            known,
            new_members,
        }));
        out
    }

    /// A timer this node asked for has fired.
    pub fn timer<R: Rng + ?Sized>(
        &mut self,
        _now: Duration,
        rng: &mut R,
        timer: Timer,
    ) -> Vec<Output> {
        let mut out = Vec::new();
        match timer {
            Timer::GossipRound => {
                self.counters.rounds += 1;
                self.join_unknown_neighbors(rng, &mut out);
                self.push_hot_rumors(rng, &mut out);
                out.push(Output::SetTimer {
                    timer: Timer::GossipRound,
                    after: self.config.interval,
                });
            }
            Timer::AntiEntropy => {
                self.start_sync(rng, &mut out);
                if let Some(every) = self.config.anti_entropy {
                    out.push(Output::SetTimer {
                        timer: Timer::AntiEntropy,
                        after: every,
                    });
                }
            }
        }
        out
    }

    /// Everything this node holds, as `GET /state` shows it.
    pub fn state(&self) -> NodeState {
        NodeState {
            id: self.config.id,
            addr: self.config.addr.clone(),
            entries: self.store.entries().clone(),
            members: self.members.all().cloned().collect(),
        }
    }

    /// The event a node sends first to a new watcher.
    pub fn hello(&self) -> Event {
        Event::Hello {
            state: self.state(),
            settings: self.config.settings(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn members(&self) -> &Membership {
        &self.members
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// How many rumors this node is still spreading.
    pub fn hot_rumors(&self) -> usize {
        self.rumors.len()
    }

    /// One round of rumor spreading: push every hot rumor to `fanout` random peers.
    fn push_hot_rumors<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut Vec<Output>) {
        let hot = self.rumors.start_round();
        if hot.is_empty() {
            return;
        }
        let mut entries = Vec::new();
        let mut members = Vec::new();
        for rumor in hot {
            match rumor {
                Rumor::Entry(key) => {
                    if let Some(entry) = self.store.get(&key) {
                        let entry = entry.clone();
                        entries.push((key, entry));
                    }
                }
                Rumor::Member(id) => members.extend(self.members.get(id).cloned()),
            }
        }
        let messages = message::pack_rumors(entries, members);
        let targets: Vec<String> =
            peer_selection::choose_peers(self.members.peers(), self.config.fanout, rng)
                .into_iter()
                .map(|m| m.addr.clone())
                .collect();
        for addr in targets {
            for message in &messages {
                self.send(rng, &addr, message.clone(), out);
            }
        }
    }

    /// Anti-entropy, step 1: send one random peer the digest of the next key range.
    fn start_sync<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut Vec<Output>) {
        let Some(peer) = peer_selection::choose_peers(self.members.peers(), 1, rng).pop() else {
            return;
        };
        let to = peer.addr.clone();
        let digest = anti_entropy::Digest::of(
            &self.store,
            self.sync_cursor.as_deref(),
            anti_entropy::DIGEST_KEYS,
        );
        self.sync_cursor = digest.last.clone();
        self.counters.syncs_started += 1;
        self.send(rng, &to, Message::SyncDigest { digest }, out);
    }

    /// Merge entries a peer sent; report what was news and what was known.
    fn merge_entries(
        &mut self,
        entries: &BTreeMap<String, Entry>,
        cause: Cause,
        new: &mut Vec<Carried>,
        known: &mut Vec<Carried>,
        out: &mut Vec<Output>,
    ) {
        for (key, entry) in entries {
            let carried = Carried::of(key, entry);
            let previous = match self.store.merge(key, entry) {
                Merge::Stale => {
                    self.counters.redundant_entries += 1;
                    known.push(carried);
                    continue;
                }
                Merge::Inserted => None,
                Merge::Replaced { previous } => Some(previous),
            };
            self.counters.entries_learned += 1;
            // Fresh news keeps spreading as a rumor; a repair by anti-entropy
            // is old news to everyone else, so it is not pushed again.
            if cause == Cause::Rumor {
                self.rumors
                    .heat(Rumor::Entry(key.clone()), self.config.rumor_rounds);
            }
            out.push(Output::Event(entry_changed(
                key,
                entry,
                cause,
                previous.as_ref(),
            )));
            new.push(carried);
        }
    }

    /// Send a join to every neighbor address no known member answers at yet.
    /// A neighbor that is down is simply tried again next round.
    fn join_unknown_neighbors<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut Vec<Output>) {
        let unknown: Vec<String> = self
            .config
            .neighbors
            .iter()
            .filter(|addr| **addr != self.config.addr && self.members.by_addr(addr).is_none())
            .cloned()
            .collect();
        for addr in unknown {
            let members = self.members.all().cloned().collect();
            self.send(rng, &addr, Message::Join { members }, out);
        }
    }

    fn learn_member(
        &mut self,
        member: &Member,
        new_members: &mut Vec<NodeId>,
        out: &mut Vec<Output>,
    ) {
        match self.members.learn(member) {
            Learned::Known => {}
            learned => {
                if learned == Learned::New {
                    new_members.push(member.id);
                }
                self.rumors
                    .heat(Rumor::Member(member.id), self.config.rumor_rounds);
                out.push(Output::Event(Event::MemberJoined {
                    member: member.clone(),
                }));
            }
        }
    }

    fn send<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        to: &str,
        message: Message,
        out: &mut Vec<Output>,
    ) {
        let envelope = Envelope {
            id: MessageId::random(rng),
            from: self.members.me().clone(),
            message,
        };
        out.push(Output::Send {
            to: to.to_owned(),
            envelope,
        });
    }
}

fn entry_changed(key: &str, entry: &Entry, cause: Cause, previous: Option<&Entry>) -> Event {
    Event::EntryChanged {
        key: key.to_owned(),
        value: entry.value.clone(),
        version: entry.version,
        origin: entry.origin,
        cause,
        previous: previous.map(|p| Carried::of(key, p)),
    }
}
