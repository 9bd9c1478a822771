//! What the visualizer remembers of the past, to answer "why?".
//!
//! The model proper holds the present: what each node holds now. To say
//! why node 3 lacks a key, the page needs the past too: which messages
//! carried that key toward node 3 and what became of each (delivered,
//! lost to injected loss, cut by a partition, node 3 was down), when node 3
//! was up, when it last compared stores with a peer (anti-entropy), and
//! when each node stopped spreading the key. This module keeps exactly
//! that, bounded: the most recent [`MAX_CARRIES`] messages that carried a
//! write (and no more than [`MAX_WRITES_KEPT`] writes among them, keys cut
//! to the core's [`MAX_KEY_LEN`]), the last [`MAX_LIVES`] lives of each
//! node, the rumor marks of the [`MAX_KEYS_FOLLOWED`] keys written most
//! recently. A stream that lies about what it sent cannot make it grow.

use gossip_node::core::event::{Event, RumorState, WireEvent};
use gossip_node::core::message::MessageId;
use gossip_node::core::store::Carried;
use gossip_node::core::version::NodeId;
use gossip_node::core::MAX_KEY_LEN;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Messages that carried a write, most recent kept.
pub const MAX_CARRIES: usize = 20_000;
/// Writes kept across those messages (an anti-entropy delta carries many).
pub const MAX_WRITES_KEPT: usize = 100_000;
/// Lives (from a hello to going down) kept per node.
pub const MAX_LIVES: usize = 16;
/// Keys whose rumor marks are kept.
pub const MAX_KEYS_FOLLOWED: usize = 256;
/// Fates heard before their message's "sent" (each node streams on its own
/// connection, so the receiver's event can overtake the sender's).
const MAX_EARLY_FATES: usize = 4096;

/// What became of one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    /// Sent; nothing heard of it since.
    InFlight,
    /// Arrived and brought news.
    New,
    /// Arrived, but the receiver already had it (or newer).
    Known,
    /// Dropped on purpose by an injected fault: `loss`, `partition`, `paused`.
    Dropped { reason: String },
    /// The transport could not deliver it (receiver down, refused, ...).
    Undelivered { reason: String },
}

/// One message that carried at least one write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Carry {
    pub id: MessageId,
    pub at_ms: u64,
    pub kind: String,
    pub from: NodeId,
    /// The receiver, when the sender knew who listens there.
    pub to: Option<NodeId>,
    pub to_addr: String,
    pub writes: Vec<Carried>,
    #[serde(flatten)]
    pub fate: Fate,
}

/// One life of a node: from its hello to its stream ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Life {
    pub up_ms: u64,
    pub down_ms: Option<u64>,
}

/// An anti-entropy message a node sent or received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub at_ms: u64,
    pub kind: String,
    /// The other side (its id when known, else its address).
    pub with: String,
}

/// Where one node stands with one key's rumor, and since when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub version: u64,
    pub origin: NodeId,
    pub state: RumorState,
    pub at_ms: u64,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    carries: VecDeque<Carry>,
    /// Sequence number of `carries[0]`; a message's place is its sequence
    /// number minus this.
    first: u64,
    by_id: HashMap<MessageId, u64>,
    /// How many writes `carries` hold in all.
    writes_kept: usize,
    /// Fates (and receivers) of messages not yet reported sent, and their
    /// ids oldest first.
    early: HashMap<MessageId, (Fate, Option<NodeId>)>,
    early_order: VecDeque<MessageId>,
    lives: BTreeMap<NodeId, VecDeque<Life>>,
    exchanges: BTreeMap<NodeId, Exchange>,
    /// key → node → mark, for the keys written most recently.
    marks: BTreeMap<String, BTreeMap<NodeId, Mark>>,
    /// The followed keys, oldest first.
    followed: VecDeque<String>,
    /// The latest time any event was stamped with: "now", in the events'
    /// own clock (a replay's too).
    latest_ms: u64,
}

fn is_anti_entropy(kind: &str) -> bool {
    kind.starts_with("sync_")
}

impl History {
    /// Remember what `wire` tells about the past.
    pub fn observe(&mut self, wire: &WireEvent) {
        let (node, at_ms) = (wire.node, wire.ts_ms);
        self.latest_ms = self.latest_ms.max(at_ms);
        match &wire.event {
            Event::Hello { spreading, .. } => {
                self.up(node, at_ms);
                for carried in spreading {
                    let mark = Mark {
                        version: carried.version,
                        origin: carried.origin,
                        state: RumorState::Infected,
                        at_ms,
                    };
                    self.follow(&carried.key).entry(node).or_insert(mark);
                }
            }
            Event::NodeDown => self.down(node, at_ms),
            Event::MessageSent {
                id,
                kind,
                to,
                to_id,
                carries,
                ..
            } => {
                if is_anti_entropy(kind) {
                    let with = to_id.map_or_else(|| to.clone(), |id| id.to_string());
                    self.exchanges.insert(node, exchange(at_ms, kind, with));
                }
                if !carries.is_empty() {
                    let (fate, receiver) = self.early_fate(*id);
                    self.push(Carry {
                        id: *id,
                        at_ms,
                        kind: kind.clone(),
                        from: node,
                        to: to_id.or(receiver),
                        to_addr: to.clone(),
                        writes: carries.clone(),
                        fate,
                    });
                }
            }
            Event::MessageReceived {
                id,
                kind,
                from,
                new,
                ..
            } => {
                if is_anti_entropy(kind) {
                    let with = from.to_string();
                    self.exchanges.insert(node, exchange(at_ms, kind, with));
                }
                let fate = if new.is_empty() {
                    Fate::Known
                } else {
                    Fate::New
                };
                self.settle(*id, fate, Some(node));
            }
            Event::MessageDropped { id, reason, .. } => {
                let reason = reason.chars().take(200).collect();
                self.settle(*id, Fate::Dropped { reason }, None);
            }
            Event::MessageUndelivered { id, reason, .. } => {
                let reason = reason.chars().take(200).collect();
                self.settle(*id, Fate::Undelivered { reason }, None);
            }
            Event::RumorState {
                key,
                version,
                origin,
                state,
            } => {
                let mark = Mark {
                    version: *version,
                    origin: *origin,
                    state: *state,
                    at_ms,
                };
                self.follow(key).insert(node, mark);
            }
            Event::EntryChanged { .. }
            | Event::MemberChanged { .. }
            | Event::FaultsChanged { .. }
            | Event::HealthChanged { .. } => {}
        }
    }

    /// Node `node` (re)connected at `at_ms`.
    pub fn up(&mut self, node: NodeId, at_ms: u64) {
        let lives = self.lives.entry(node).or_default();
        if lives.back().is_some_and(|l| l.down_ms.is_none()) {
            return; // a second hello of the same life (new settings)
        }
        if lives.len() == MAX_LIVES {
            lives.pop_front();
        }
        lives.push_back(Life {
            up_ms: at_ms,
            down_ms: None,
        });
        // A new life starts with an empty store and spreads nothing.
        for marks in self.marks.values_mut() {
            marks.remove(&node);
        }
    }

    /// Node `node` went down at `at_ms`.
    pub fn down(&mut self, node: NodeId, at_ms: u64) {
        if let Some(life) = self.lives.get_mut(&node).and_then(|l| l.back_mut()) {
            life.down_ms.get_or_insert(at_ms);
        }
    }

    fn push(&mut self, mut carry: Carry) {
        carry.writes.truncate(MAX_WRITES_KEPT);
        for write in &mut carry.writes {
            if write.key.len() > MAX_KEY_LEN {
                let mut end = MAX_KEY_LEN;
                while !write.key.is_char_boundary(end) {
                    end -= 1;
                }
                write.key.truncate(end);
            }
        }
        while self.carries.len() == MAX_CARRIES
            || (self.writes_kept + carry.writes.len() > MAX_WRITES_KEPT && !self.carries.is_empty())
        {
            if let Some(old) = self.carries.pop_front() {
                self.by_id.remove(&old.id);
                self.writes_kept -= old.writes.len();
            }
            self.first += 1;
        }
        self.writes_kept += carry.writes.len();
        let seq = self.first + self.carries.len() as u64;
        self.by_id.insert(carry.id, seq);
        self.carries.push_back(carry);
    }

    /// What became of message `id` (and who received it, if it arrived).
    fn settle(&mut self, id: MessageId, fate: Fate, receiver: Option<NodeId>) {
        if let Some(carry) = self.carry_mut(id) {
            if let Some(receiver) = receiver {
                carry.to.get_or_insert(receiver);
            }
            carry.fate = fate;
            return;
        }
        // Not reported sent yet, or it carried no write: keep it a while.
        if self.early_order.len() == MAX_EARLY_FATES {
            if let Some(old) = self.early_order.pop_front() {
                self.early.remove(&old);
            }
        }
        if self.early.insert(id, (fate, receiver)).is_none() {
            self.early_order.push_back(id);
        }
    }

    /// The fate heard for `id` before it was reported sent, if any. (Its
    /// id stays in `early_order` until it comes round; that is harmless.)
    fn early_fate(&mut self, id: MessageId) -> (Fate, Option<NodeId>) {
        self.early.remove(&id).unwrap_or((Fate::InFlight, None))
    }

    fn carry_mut(&mut self, id: MessageId) -> Option<&mut Carry> {
        let seq = *self.by_id.get(&id)?;
        let at = usize::try_from(seq.checked_sub(self.first)?).ok()?;
        self.carries.get_mut(at)
    }

    /// The marks of `key`, following it (and forgetting the key followed
    /// longest ago if there are too many).
    fn follow(&mut self, key: &str) -> &mut BTreeMap<NodeId, Mark> {
        if !self.marks.contains_key(key) {
            if self.followed.len() == MAX_KEYS_FOLLOWED {
                if let Some(old) = self.followed.pop_front() {
                    self.marks.remove(&old);
                }
            }
            self.followed.push_back(key.to_owned());
        }
        self.marks.entry(key.to_owned()).or_default()
    }

    /// Messages that carried `key` toward `node` (by id, or by `addr`),
    /// oldest first.
    pub fn toward<'a>(
        &'a self,
        node: NodeId,
        addr: &'a str,
        key: &'a str,
    ) -> impl Iterator<Item = &'a Carry> + 'a {
        self.carries.iter().filter(move |c| {
            let to_it = c.to == Some(node) || (c.to.is_none() && c.to_addr == addr);
            to_it && c.writes.iter().any(|w| w.key == key)
        })
    }

    /// The message that brought `key` at `version` to `node`, if remembered.
    pub fn brought(&self, node: NodeId, key: &str, version: u64) -> Option<&Carry> {
        self.carries.iter().rev().find(|c| {
            c.to == Some(node)
                && c.fate == Fate::New
                && c.writes
                    .iter()
                    .any(|w| w.key == key && w.version == version)
        })
    }

    pub fn lives(&self, node: NodeId) -> Vec<Life> {
        self.lives
            .get(&node)
            .map(|l| l.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn last_exchange(&self, node: NodeId) -> Option<&Exchange> {
        self.exchanges.get(&node)
    }

    /// Every node's mark for `key`.
    pub fn marks(&self, key: &str) -> Option<&BTreeMap<NodeId, Mark>> {
        self.marks.get(key)
    }

    /// The latest event's time.
    pub fn now_ms(&self) -> u64 {
        self.latest_ms
    }

    /// How many messages are remembered (for tests and bounds).
    pub fn carries_kept(&self) -> usize {
        self.carries.len()
    }

    /// How many writes those messages hold in all.
    pub fn writes_kept(&self) -> usize {
        self.writes_kept
    }
}

fn exchange(at_ms: u64, kind: &str, with: String) -> Exchange {
    Exchange {
        at_ms,
        kind: kind.to_owned(),
        with,
    }
}
