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
//! * [`membership`] — who is in the cluster, alive, suspect, dead or left;
//! * [`swim`] — SWIM failure detection: ping, indirect ping, suspect, refute;
//! * [`heartbeat`] — the classic alternative: gossiped heartbeats and a timeout;
//! * [`broadcast`] — membership news piggybacked a limited number of times;
//! * [`peer_selection`] — choosing random peers;
//! * [`rumor`] — which rumors are still hot;
//! * [`plumtree`] — epidemic broadcast trees: payloads down a tree, ids on the side;
//! * [`anti_entropy`] — digests and deltas that repair what rumors missed;
//! * [`message`] — what nodes send each other;
//! * [`event`] — what a node reports to watchers;
//! * [`faults`] — loss, delay, partitions and pauses a host can inject.

pub mod aggregate;
pub mod anti_entropy;
pub mod broadcast;
pub mod dissemination;
pub mod event;
pub mod faults;
pub mod heartbeat;
pub mod membership;
pub mod message;
pub mod peer_selection;
pub mod pieces;
pub mod plumtree;
pub mod rumor;
pub mod store;
pub mod swim;
pub mod version;

#[cfg(test)]
mod tests;

use broadcast::BroadcastQueue;
pub use dissemination::Mode;
use event::{Carried, Cause, Event, Settings};
use membership::{Member, Membership};
use message::{Envelope, Message, MessageId};
use rand::Rng;
use rumor::{HotRumors, StopRule};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;
use store::{Entry, Store};
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
    pub detector: heartbeat::DetectorKind,
    /// The heartbeat detector's fixed timeout, or `None`: the pieces' own,
    /// which grows with the cluster.
    pub heartbeat_timeout: Option<Duration>,
    /// Failure detection timings.
    pub swim: swim::SwimConfig,
    /// This life's incarnation. A host starts each life higher than the last
    /// (the live node uses the start time), so a restarted node's "I am
    /// alive" beats the old news that it died.
    pub incarnation: u64,
    /// Who wrote the replaceable pieces: the reference, or a participant
    /// (see [`pieces`]).
    pub pieces: pieces::Implementation,
    /// This node's value for push-sum aggregation, or `None`: no push-sum.
    pub push_sum: Option<f64>,
}

impl Config {
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
            detector: heartbeat::DetectorKind::Swim,
            heartbeat_timeout: None,
            swim: swim::SwimConfig::default(),
            incarnation: 0,
            pieces: pieces::Implementation::reference(),
            push_sum: None,
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

/// The timers a node asks its host for: named protocol steps, not sleeping tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Time for the next gossip round.
    GossipRound,
    /// Time to compare stores with a random peer.
    AntiEntropy,
    /// A SWIM protocol period begins: judge the last probe, start the next.
    ProbePeriod,
    /// The direct ping numbered `seq` got no ack in time.
    ProbeTimeout { seq: u64 },
    /// Forget a ping we sent on someone else's behalf.
    RelayExpired { seq: u64 },
    /// The suspicion about `id` at `incarnation` has run its time.
    SuspicionTimeout { id: NodeId, incarnation: u64 },
    /// Plumtree: an announced payload (graft number `seq`) has not come.
    GraftTimeout { seq: u64 },
}

/// What the core asks its host to do.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeState {
    pub id: NodeId,
    pub addr: String,
    pub entries: BTreeMap<String, Entry>,
    pub members: Vec<Member>,
    /// Push-sum aggregation, when on: this node's pair and its estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_sum: Option<PushSumState>,
}

/// What `GET /state` shows of push-sum.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushSumState {
    pub sum: f64,
    pub weight: f64,
    /// sum / weight: this node's estimate of the cluster's average value.
    pub estimate: Option<f64>,
}

/// Counters a host can show (`GET /metrics`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub rounds: u64,
    /// Entry transmissions by rumor: one per entry per peer it went to.
    pub rumors_sent: u64,
    pub syncs_started: u64,
    pub updates_from_clients: u64,
    pub entries_learned: u64,
    pub redundant_entries: u64,
    /// Plumtree: entry ids announced on lazy links, grafts and prunes sent.
    pub ids_announced: u64,
    pub grafts_sent: u64,
    pub prunes_sent: u64,
}

/// What handling one input produced: the outputs, and for a message, what in
/// it was news (reported in its `message_received` event).
#[derive(Default)]
struct Handling {
    out: Vec<Output>,
    new: Vec<Carried>,
    known: Vec<Carried>,
    new_members: Vec<NodeId>,
}

/// How many recently changed keys a node remembers, to tell a pulled peer
/// what it already has.
const RECENT_KEYS: usize = 256;

/// One gossip node: store, membership and hot rumors.
#[derive(Debug)]
pub struct Node {
    config: Config,
    store: Store,
    members: Membership,
    /// Entry rumors, under the configured stop rule.
    rumors: HotRumors,
    /// Membership news waiting to be piggybacked.
    broadcasts: BroadcastQueue,
    /// SWIM's probing state.
    detector: swim::Detector,
    /// The heartbeat detector's table (with `--detector heartbeat`).
    beats: heartbeat::Beats,
    /// The broadcast tree (with `--mode plumtree`).
    tree: plumtree::Tree,
    /// Keys changed most recently, newest last (see [`RECENT_KEYS`]).
    recent: VecDeque<String>,
    /// Numbers the demo updates of this node: "news #3 from node 1".
    demo_updates: u64,
    /// Where the next anti-entropy digest starts (after this key).
    sync_cursor: Option<String>,
    /// Push-sum's (sum, weight), when aggregation is on.
    push_sum: Option<aggregate::PushSum>,
    counters: Counters,
}

impl Node {
    pub fn new(config: Config) -> Node {
        let mut me = Member::alive(config.id, config.addr.clone());
        me.incarnation = config.incarnation;
        let push_sum = config.push_sum.map(aggregate::PushSum::new);
        Node {
            members: Membership::new(me),
            rumors: HotRumors::new(config.rumor_stop, config.rumor_k),
            broadcasts: BroadcastQueue::default(),
            detector: swim::Detector::default(),
            beats: heartbeat::Beats::default(),
            tree: plumtree::Tree::default(),
            recent: VecDeque::new(),
            config,
            store: Store::default(),
            demo_updates: 0,
            sync_cursor: None,
            push_sum,
            counters: Counters::default(),
        }
    }

    /// Know these members from the start, as if they had been learned long
    /// ago (no news to spread). The simulator builds big clusters this way
    /// instead of through thousands of joins.
    pub fn know_members(&mut self, members: &[Member]) {
        self.members.learn_all(members);
    }

    /// Begin: greet the neighbors and schedule the first round and probe.
    pub fn start<R: Rng + ?Sized>(&mut self, _now: Duration, rng: &mut R) -> Vec<Output> {
        let mut h = Handling::default();
        self.join_unknown_neighbors(rng, &mut h.out);
        if self.config.detector == heartbeat::DetectorKind::Swim {
            // A random first probe spreads the nodes' periods apart.
            let period = self.config.swim.probe_interval;
            h.out.push(Output::SetTimer {
                timer: Timer::ProbePeriod,
                after: period.mul_f64(rng.random_range(0.5..1.0)),
            });
        }
        h.out.push(Output::SetTimer {
            timer: Timer::GossipRound,
            after: self.config.interval,
        });
        if let Some(every) = self.config.anti_entropy {
            h.out.push(Output::SetTimer {
                timer: Timer::AntiEntropy,
                after: every,
            });
        }
        h.out
    }

    /// A client writes `key = value` here. The write becomes a hot rumor.
    pub fn client_update<R: Rng + ?Sized>(
        &mut self,
        _now: Duration,
        rng: &mut R,
        key: &str,
        value: &str,
    ) -> Result<(Entry, Vec<Output>), UpdateError> {
        self.check_write(key, value)?;
        let (entry, previous) = self.store.write(self.config.id, key, value);
        self.counters.updates_from_clients += 1;
        let mut h = Handling::default();
        let event = entry_changed(key, &entry, Cause::Client, previous.as_ref());
        h.out.push(Output::Event(event));
        self.spread(key, &entry, &mut h.out);
        if self.config.mode == Mode::Plumtree {
            self.tree_push(rng, None, vec![(key.to_owned(), entry.clone())], &mut h.out);
        }
        Ok((entry, h.out))
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
        now: Duration,
        rng: &mut R,
        envelope: Envelope,
    ) -> Vec<Output> {
        let mut h = Handling::default();
        let Envelope {
            id,
            from,
            updates,
            message,
        } = envelope;
        if from.id == self.config.id {
            // Our own message came back (a neighbor list naming ourselves).
            return h.out;
        }
        self.hear_from(rng, &from, &mut h);
        for member in message.members().iter().chain(&updates) {
            self.apply_member_news(member, from.id, &mut h);
        }
        match &message {
            Message::Join { .. } => {
                let members = self.members.all().cloned().collect();
                self.send(rng, &from.addr, Message::Welcome { members }, &mut h.out);
            }
            Message::Welcome { .. } => {}
            Message::Rumor {
                entries,
                feedback,
                pull,
                ..
            } => self.on_rumor(rng, &from, entries, *feedback, pull.as_ref(), &mut h),
            Message::Pull { have } => self.reply_with_hot(rng, &from, have, &mut h),
            Message::Ping { seq } => self.on_ping(rng, &from, *seq, &mut h),
            Message::Ack { seq } => self.on_ack(rng, *seq, &mut h),
            Message::PingReq { seq, target } => self.on_ping_req(rng, &from, *seq, target, &mut h),
            Message::Leave => {}
            Message::Feedback { known } => self.on_feedback(rng, known, &mut h),
            Message::SyncDigest { digest } => self.on_sync_digest(rng, &from, digest, &mut h),
            Message::SyncDelta { entries, want } => {
                self.on_sync_delta(rng, &from, entries, want, &mut h)
            }
            Message::PushSum { sum, weight } => self.on_push_sum(aggregate::PushSum {
                sum: *sum,
                weight: *weight,
            }),
            Message::Heartbeats { beats } => self.on_heartbeats(now, beats, &mut h),
            Message::EagerPush { entries } => self.on_eager_push(rng, &from, entries, &mut h),
            Message::IHave { ids } => self.on_i_have(from.id, ids, &mut h),
            Message::Graft { ids } => self.on_graft(rng, &from, ids, &mut h),
            Message::Prune => self.on_prune(from.id),
        }
        h.out.push(Output::Event(Event::MessageReceived {
            id,
            kind: message.kind().to_owned(),
            from: from.id,
            new: h.new,
            known: h.known,
            new_members: h.new_members,
        }));
        h.out
    }

    /// A timer this node asked for has fired.
    pub fn timer<R: Rng + ?Sized>(
        &mut self,
        now: Duration,
        rng: &mut R,
        timer: Timer,
    ) -> Vec<Output> {
        let mut h = Handling::default();
        let (again, every) = match timer {
            Timer::GossipRound => {
                self.counters.rounds += 1;
                self.join_unknown_neighbors(rng, &mut h.out);
                self.gossip_round(rng, &mut h.out);
                self.push_sum_round(rng, &mut h.out);
                if self.config.detector == heartbeat::DetectorKind::Heartbeat {
                    self.heartbeat_round(now, rng, &mut h);
                }
                (true, self.config.interval)
            }
            Timer::AntiEntropy => {
                self.start_sync(rng, &mut h.out);
                let every = self.config.anti_entropy;
                (every.is_some(), every.unwrap_or_default())
            }
            Timer::ProbePeriod => {
                self.probe_period(rng, &mut h);
                (true, self.config.swim.probe_interval)
            }
            Timer::ProbeTimeout { seq } => {
                self.probe_timeout(rng, seq, &mut h);
                (false, Duration::ZERO)
            }
            Timer::RelayExpired { seq } => {
                self.relay_expired(seq);
                (false, Duration::ZERO)
            }
            Timer::SuspicionTimeout { id, incarnation } => {
                self.suspicion_expired(id, incarnation, &mut h);
                (false, Duration::ZERO)
            }
            Timer::GraftTimeout { seq } => {
                self.graft_timeout(rng, seq, &mut h);
                (false, Duration::ZERO)
            }
        };
        if again {
            h.out.push(Output::SetTimer {
                timer,
                after: every,
            });
        }
        h.out
    }

    /// Everything this node holds, as `GET /state` shows it.
    pub fn state(&self) -> NodeState {
        NodeState {
            id: self.config.id,
            addr: self.config.addr.clone(),
            entries: self.store.entries().clone(),
            members: self.members.all().cloned().collect(),
            push_sum: self.push_sum.map(|p| PushSumState {
                sum: p.sum,
                weight: p.weight,
                estimate: p.estimate(),
            }),
        }
    }

    /// The event a node sends first to a new watcher.
    pub fn hello(&self) -> Event {
        Event::Hello {
            state: self.state(),
            settings: self.config.settings(),
            spreading: self.spreading(),
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

    /// How many rumors (entries and member news) this node is still spreading.
    /// Pieces of membership news waiting to be piggybacked.
    pub fn queued_news(&self) -> usize {
        self.broadcasts.len()
    }

    pub fn hot_rumors(&self) -> usize {
        self.rumors.len() + self.broadcasts.len()
    }

    /// Leave gracefully (Ctrl+C, SIGTERM): tell others we go, so they mark us
    /// left rather than suspect us. The host sends the outputs, then stops.
    pub fn leave<R: Rng + ?Sized>(&mut self, _now: Duration, rng: &mut R) -> Vec<Output> {
        let mut h = Handling::default();
        self.announce_leave(rng, &mut h);
        h.out
    }

    /// Merge entries a peer sent; report what was news and what was known.
    /// Fresh news from a rumor keeps spreading; a repair by anti-entropy is old
    /// news to everyone else, so it is not spread again.
    fn merge_entries(&mut self, entries: &BTreeMap<String, Entry>, cause: Cause, h: &mut Handling) {
        for (key, entry) in entries {
            let carried = Carried::of(key, entry);
            let previous = match self.store.merge_with(key, entry, &*self.config.pieces) {
                store::Merge::Stale => {
                    self.counters.redundant_entries += 1;
                    h.known.push(carried);
                    continue;
                }
                store::Merge::Inserted => None,
                store::Merge::Replaced { previous } => Some(previous),
            };
            self.counters.entries_learned += 1;
            h.out.push(Output::Event(entry_changed(
                key,
                entry,
                cause,
                previous.as_ref(),
            )));
            if cause == Cause::Rumor {
                self.spread(key, entry, &mut h.out);
            } else {
                self.remember_recent(key);
            }
            h.new.push(carried);
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

    /// Any message teaches us about its sender. If we believe the sender is
    /// failing while it is talking to us, we tell it so (a ping carrying that
    /// belief), and it refutes.
    /// (Not with heartbeats: there each node judges on its own, and a member
    /// comes back when its heartbeat goes up, not by refuting.)
    fn hear_from<R: Rng + ?Sized>(&mut self, rng: &mut R, from: &Member, h: &mut Handling) {
        let swim = self.config.detector == heartbeat::DetectorKind::Swim;
        let doubted = self.members.get(from.id).cloned().filter(|known| {
            let failing = known.status != membership::MemberStatus::Alive;
            swim && failing && known.incarnation >= from.incarnation
        });
        self.apply_member_news(from, from.id, h);
        if let Some(known) = doubted {
            if !self.broadcasts.has(known.id) {
                self.broadcasts.push(known);
                // The freshest news goes first on the next message: this ping.
                self.send(rng, &from.addr, Message::Ping { seq: 0 }, &mut h.out);
            }
        }
    }

    /// Send `message` to `to`, with membership news piggybacked on it.
    fn send<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        to: &str,
        message: Message,
        out: &mut Vec<Output>,
    ) {
        let envelope = Envelope {
            id: MessageId::random(rng),
            from: self.members.me().clone(),
            updates: self.piggyback(),
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
        previous_value: previous.map(|p| p.value.clone()),
    }
}
