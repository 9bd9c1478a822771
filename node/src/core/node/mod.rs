//! The node: a gossip node as a pure state machine, and its handlers, one
//! file per sub-protocol.
//!
//! A [`Node`] is driven by three kinds of input:
//!
//! * a client's update ([`Node::client_update`]),
//! * a message from a peer ([`Node::receive`]),
//! * a timer it asked for ([`Node::timer`]),
//!
//! each given the current time `now` and an RNG. It answers with a list of
//! [`Output`]s: messages to send, timers to set, events to report. Whoever
//! drives it (the live tokio runtime, a test moving messages by hand, the
//! simulator) carries those out. This file takes the inputs in and hands
//! each message to its sub-protocol's handler:
//!
//! * [`membership`] — join, welcome, news about members, refute, leave;
//! * [`dissemination`] — push, pull and push-pull rounds; feedback;
//! * [`anti_entropy`] — digest and delta exchanges;
//! * [`swim`] — probes, indirect probes, nacks, local health;
//! * [`suspicion`] — suspicion timeouts, shortened by confirmations;
//! * [`heartbeat`] — the heartbeat detector's round and table;
//! * [`plumtree`] — payloads down the tree, announcements, grafts, prunes;
//! * [`aggregate`] — push-sum's round and shares;
//! * [`writes`] — a client's write, checked, and entries merged from peers;
//! * [`admission`] — every peer message checked like client input first;
//! * [`send`] — every message out: its envelope, its news, its cost;
//! * [`replies`] — the bound on what one message may make a node send back;
//! * [`reads`] — what a host may read of a node: its state, its hello, its
//!   counters;
//! * [`settings`] — the settings a host may change live: the round, and
//!   anti-entropy on or off.
//!
//! Every decision a handler takes is asked of the rules (through the
//! [`Pieces`](crate::core::pieces::Pieces) in the config), never made here.

mod admission;
mod aggregate;
mod anti_entropy;
mod dissemination;
mod heartbeat;
mod membership;
mod plumtree;
mod reads;
mod replies;
mod send;
mod settings;
mod suspicion;
mod swim;
mod writes;

#[cfg(test)]
mod crowd_tests;
#[cfg(test)]
mod lever_tests;
#[cfg(test)]
mod lifeguard_tests;
#[cfg(test)]
mod suspicion_tests;
#[cfg(test)]
mod tests;

use crate::core::aggregate::PushSum;
use crate::core::broadcast::BroadcastQueue;
use crate::core::config::Config;
use crate::core::event::Event;
use crate::core::heartbeat::{Beats, DetectorKind};
use crate::core::lifeguard::Suspicions;
use crate::core::membership::{Member, Membership};
use crate::core::message::{Accusation, Envelope, Message};
use crate::core::plumtree::Tree;
use crate::core::rumor::HotRumors;
use crate::core::store::{Carried, Store};
use crate::core::swim::Detector;
use crate::core::version::NodeId;
use rand::{Rng, RngCore};
use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

pub use admission::{plain_addr, Refusal, MAX_MEMBERS_PER_MESSAGE};
pub use replies::{wire_len, REPLY_FACTOR};
pub use settings::SettingsChange;
pub use writes::{UpdateError, DEMO_KEY, MAX_ENTRY_BYTES, MAX_KEY_LEN};

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
    /// Lifeguard: the ping we sent on someone's behalf, numbered `seq`, got
    /// no ack in time: tell them (a nack).
    RelayNack { seq: u64 },
    /// The suspicion about `id` at `incarnation` has run its time.
    SuspicionTimeout { id: NodeId, incarnation: u64 },
    /// Plumtree: an announced payload (graft number `seq`) has not come.
    GraftTimeout { seq: u64 },
}

/// What the core asks its host to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Deliver `envelope` to the node listening at `to`: the member
    /// `to_id`, when the sender knows who listens there (not yet for a join).
    Send {
        to: String,
        to_id: Option<NodeId>,
        envelope: Envelope,
    },
    /// Call [`Node::timer`] with `timer` once `after` has passed.
    SetTimer { timer: Timer, after: Duration },
    /// Report this to whoever watches.
    Event(Event),
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
    /// Peer messages refused by [`Node::admit`].
    pub messages_refused: u64,
    /// News of members left out because too many are known second-hand.
    pub members_refused: u64,
    /// Peers' entries left out because the store was full.
    pub entries_refused_full: u64,
    /// Answers shortened, or left out, to stay within [`REPLY_FACTOR`]
    /// times the message they answer.
    pub replies_cut: u64,
}

/// What handling one input produced: the outputs, and for a message, what in
/// it was news (reported in its `message_received` event).
#[derive(Default)]
struct Handling {
    out: Vec<Output>,
    new: Vec<Carried>,
    known: Vec<Carried>,
    new_members: Vec<NodeId>,
    /// The host vouches for this message's sender and the members it lists
    /// (a welcome from a neighbor it was given): none of them is unproven.
    vouched: bool,
    /// The time of the input being handled.
    now: Duration,
    /// Lifeguard: the message's accusations (who first suspected whom).
    accusations: Vec<Accusation>,
    /// Members this input made dead here (our verdict, or news we took),
    /// with who told us: pushed on at once with `forward_at_once`.
    verdicts: Vec<(NodeId, NodeId)>,
}

impl Handling {
    fn at(now: Duration) -> Handling {
        Handling {
            now,
            ..Handling::default()
        }
    }
}

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
    detector: Detector,
    /// The heartbeat detector's table (with `--detector heartbeat`).
    beats: Beats,
    /// The broadcast tree (with `--mode plumtree`).
    tree: Tree,
    /// Keys changed most recently, newest last (see `dissemination::RECENT_KEYS`).
    recent: VecDeque<String>,
    /// Numbers the demo updates of this node: "news #3 from node 1".
    demo_updates: u64,
    /// Where the next anti-entropy digest starts (after this key).
    sync_cursor: Option<String>,
    /// Push-sum's (sum, weight), when aggregation is on.
    push_sum: Option<PushSum>,
    /// Neighbors (from the host's list) asked to welcome us and not done
    /// yet: only their welcomes vouch for the members they list.
    joining: BTreeSet<String>,
    /// While a message is handled: what its answers may still take.
    reply: Option<replies::ReplyBudget>,
    /// Whether an anti-entropy timer is set (so turning it on live never
    /// starts a second chain of them).
    anti_entropy_ticking: bool,
    /// Lifeguard's local health score (0 healthy, see `core::lifeguard`).
    health: u32,
    /// The suspicions this node holds: since when, and who accused.
    suspicions: Suspicions,
    counters: Counters,
}

impl Node {
    pub fn new(config: Config) -> Node {
        let mut me = Member::alive(config.id, config.addr.clone());
        me.incarnation = config.incarnation;
        let push_sum = config.push_sum.map(PushSum::new);
        Node {
            members: Membership::new(me),
            rumors: HotRumors::new(config.rumor_stop, config.rumor_k),
            broadcasts: BroadcastQueue::default(),
            detector: Detector::default(),
            beats: Beats::default(),
            tree: Tree::default(),
            recent: VecDeque::new(),
            config,
            store: Store::default(),
            demo_updates: 0,
            sync_cursor: None,
            push_sum,
            joining: BTreeSet::new(),
            reply: None,
            anti_entropy_ticking: false,
            health: 0,
            suspicions: Suspicions::default(),
            counters: Counters::default(),
        }
    }

    /// Know these members from the start, as if they had been learned long
    /// ago (no news to spread). The simulator builds big clusters this way
    /// instead of through thousands of joins.
    pub fn know_members(&mut self, members: &[Member]) {
        self.members.learn_all(members);
        for member in members {
            self.members.mark_proven(member.id);
        }
    }

    /// Begin: greet the neighbors and schedule the first round and probe.
    pub fn start(&mut self, _now: Duration, rng: &mut dyn RngCore) -> Vec<Output> {
        let mut h = Handling::default();
        self.join_unknown_neighbors(rng, &mut h.out);
        if self.config.detector == DetectorKind::Swim {
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
            self.anti_entropy_ticking = true;
            h.out.push(Output::SetTimer {
                timer: Timer::AntiEntropy,
                after: every,
            });
        }
        h.out
    }

    /// A message from a peer arrived. A message that [`Node::admit`]
    /// refuses changes nothing (see [`Node::receive_checked`] for why).
    pub fn receive(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
        envelope: Envelope,
    ) -> Vec<Output> {
        self.receive_checked(now, rng, envelope).unwrap_or_default()
    }

    /// [`Node::receive`], saying why a refused message was refused.
    pub fn receive_checked(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
        envelope: Envelope,
    ) -> Result<Vec<Output>, Refusal> {
        let bytes = wire_len(&envelope);
        self.receive_from_wire(now, rng, envelope, bytes)
    }

    /// [`Node::receive_checked`] for a message that was `bytes` long on the
    /// wire: its answers may take [`REPLY_FACTOR`] times the smaller of that
    /// and its length as this node writes it (`replies.rs`).
    pub fn receive_from_wire(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
        envelope: Envelope,
        bytes: usize,
    ) -> Result<Vec<Output>, Refusal> {
        if envelope.from.id == self.config.id {
            // Our own message came back (a neighbor list naming ourselves).
            return Ok(Vec::new());
        }
        if let Err(refusal) = self.admit(&envelope) {
            // Checked like client input; refused whole, nothing changed.
            self.counters.messages_refused += 1;
            return Err(refusal);
        }
        let asked = bytes.min(wire_len(&envelope));
        Ok(self.handle(now, rng, envelope, asked))
    }

    /// An admitted message: learn from its sender and its news, then let the
    /// sub-protocol's handler act on it.
    fn handle(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
        envelope: Envelope,
        asked: usize,
    ) -> Vec<Output> {
        let mut h = Handling::at(now);
        // Answers go to the sender as we know it: a message that claims a
        // known member's id with another address cannot aim them elsewhere.
        let reply_to = self
            .members
            .get(envelope.from.id)
            .map_or(&envelope.from.addr, |m| &m.addr);
        self.open_reply_budget(&reply_to.clone(), asked);
        let Envelope {
            id,
            from,
            updates,
            accusations,
            message,
        } = envelope;
        h.vouched =
            matches!(message, Message::Welcome { .. }) && self.joining.contains(&*from.addr);
        h.accusations = accusations;
        self.hear_from(rng, &from, &mut h);
        for member in message.members().iter().chain(&updates) {
            self.apply_member_news(member, from.id, &mut h);
        }
        let from = self.members.get(from.id).cloned().unwrap_or(from);
        match &message {
            Message::Join { after, .. } => self.on_join(rng, &from, *after, &mut h),
            Message::Welcome { members, more } => {
                self.on_welcome(rng, &from, members, *more, &mut h)
            }
            Message::Rumor {
                entries,
                feedback,
                pull,
                ..
            } => self.on_rumor(rng, &from, entries, *feedback, pull.as_ref(), &mut h),
            Message::Pull { have } => self.reply_with_hot(rng, &from, have, &mut h),
            Message::Ping { seq } => self.on_ping(rng, &from, *seq, &mut h),
            Message::Ack { seq } => self.on_ack(rng, &from, *seq, &mut h),
            Message::PingReq { seq, target } => self.on_ping_req(rng, &from, *seq, target, &mut h),
            Message::Nack { seq } => self.on_nack(&from, *seq),
            Message::Leave => {}
            Message::Feedback { known } => self.on_feedback(rng, known, &mut h),
            Message::SyncDigest { digest } => self.on_sync_digest(rng, &from, digest, &mut h),
            Message::SyncDelta { entries, want } => {
                self.on_sync_delta(rng, &from, entries, want, &mut h)
            }
            Message::PushSum { sum, weight } => self.on_push_sum(PushSum {
                sum: *sum,
                weight: *weight,
            }),
            Message::Heartbeats { beats } => self.on_heartbeats(now, beats, &mut h),
            Message::EagerPush { entries } => self.on_eager_push(rng, &from, entries, &mut h),
            Message::IHave { ids } => self.on_i_have(from.id, ids, &mut h),
            Message::Graft { ids } => self.on_graft(rng, &from, ids, &mut h),
            Message::Prune => self.on_prune(from.id),
        }
        self.close_reply_budget();
        self.push_verdicts_at_once(rng, &mut h);
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
    pub fn timer(&mut self, now: Duration, rng: &mut dyn RngCore, timer: Timer) -> Vec<Output> {
        let mut h = Handling::at(now);
        let (again, every) = match timer {
            Timer::GossipRound => {
                self.counters.rounds += 1;
                self.join_unknown_neighbors(rng, &mut h.out);
                self.send_proof_pings(rng, &mut h.out);
                self.gossip_round(rng, &mut h.out);
                self.push_sum_round(rng, &mut h.out);
                if self.config.detector == DetectorKind::Heartbeat {
                    self.heartbeat_round(now, rng, &mut h);
                }
                (true, self.config.interval)
            }
            Timer::AntiEntropy => {
                // Turned off live since the timer was set: stop here.
                let every = self.config.anti_entropy;
                if every.is_some() {
                    self.start_sync(rng, &mut h.out);
                }
                self.anti_entropy_ticking = every.is_some();
                (every.is_some(), every.unwrap_or_default())
            }
            Timer::ProbePeriod => {
                self.probe_period(rng, &mut h);
                // Lifeguard: a node that doubts its own health probes less often.
                (true, self.lifeguard_scaled(self.config.swim.probe_interval))
            }
            Timer::ProbeTimeout { seq } => {
                self.probe_timeout(rng, seq, &mut h);
                (false, Duration::ZERO)
            }
            Timer::RelayExpired { seq } => {
                self.detector.relay_expired(seq);
                (false, Duration::ZERO)
            }
            Timer::RelayNack { seq } => {
                self.relay_nack(rng, seq, &mut h);
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
        self.push_verdicts_at_once(rng, &mut h);
        h.out
    }

    /// Leave gracefully (Ctrl+C, SIGTERM): tell others we go, so they mark us
    /// left rather than suspect us. The host sends the outputs, then stops.
    pub fn leave(&mut self, _now: Duration, rng: &mut dyn RngCore) -> Vec<Output> {
        let mut h = Handling::default();
        self.announce_leave(rng, &mut h);
        h.out
    }
}
