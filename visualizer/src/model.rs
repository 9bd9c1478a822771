//! The visualizer's model of the cluster, built from node events.
//!
//! Each node's `hello` gives its whole state; later events keep it current.
//! The model is what a browser that connects late sees first, and what
//! `GET /api/cluster` returns.
//!
//! It also follows **the most recent update**: the last write a client
//! injected. For that update it counts what the page shows: how many nodes
//! hold it (infected), how many messages carried it, and how many of those
//! arrived at a node that already had it (redundant).

use gossip_node::core::event::{Cause, Event, RumorState, Settings, WireEvent};
use gossip_node::core::faults::Faults;
use gossip_node::core::lifeguard::MAX_SCORE;
use gossip_node::core::membership::Member;
use gossip_node::core::store::Carried;
use gossip_node::core::store::Entry;
use gossip_node::core::version::{self, NodeId, Version};
use serde::Serialize;
use std::collections::BTreeMap;

pub mod history;
mod spread;
#[cfg(test)]
mod tests;
pub mod why;
#[cfg(test)]
mod why_tests;

pub use history::History;
pub use spread::Spread;

/// Most entries the model keeps of one node, and most characters of each
/// value: the page shows a few dozen, and no stream can make the model (and
/// every browser's snapshot) grow without bound.
pub const MAX_ENTRIES_SHOWN: usize = 2_000;
pub const MAX_VALUE_SHOWN: usize = 512;

/// A value as the page shows it: at most [`MAX_VALUE_SHOWN`] characters.
fn clip(value: &str) -> String {
    match value.char_indices().nth(MAX_VALUE_SHOWN) {
        None => value.to_owned(),
        Some((at, _)) => format!("{}…", &value[..at]),
    }
}

/// A node's entries as the model keeps them.
fn shown_entries(entries: &BTreeMap<String, Entry>) -> BTreeMap<String, Entry> {
    entries
        .iter()
        .take(MAX_ENTRIES_SHOWN)
        .map(|(key, entry)| {
            let value = clip(&entry.value);
            (
                key.clone(),
                Entry {
                    value,
                    ..entry.clone()
                },
            )
        })
        .collect()
}

/// What the visualizer knows about one node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeView {
    pub id: NodeId,
    pub addr: String,
    /// Whether the node's event stream is open: false once it has gone away.
    pub connected: bool,
    pub entries: BTreeMap<String, Entry>,
    pub members: Vec<Member>,
    pub settings: Option<Settings>,
    /// The writes this node is still spreading (it is infected with them).
    pub spreading: Vec<Carried>,
    /// Faults injected on this node (loss, delay, partition, pause).
    pub faults: Faults,
    /// Lifeguard's local health score (0 healthy; see `core::lifeguard`).
    pub health: u32,
    /// How it came to hold each entry, for the inspector (not in the
    /// snapshot: the page asks for one node at a time).
    #[serde(skip)]
    pub learned: BTreeMap<String, Learned>,
    /// Which connection this view came from, so an old connection closing
    /// late does not mark a restarted node dead.
    #[serde(skip)]
    pub connection: u64,
}

/// How a node came to hold an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Learned {
    /// `None`: it held it already when it said hello.
    pub cause: Option<Cause>,
    pub version: u64,
    pub at_ms: u64,
}

/// The most recent client write and how far it has spread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    pub key: String,
    pub value: String,
    pub version: u64,
    pub origin: NodeId,
    /// When the client wrote it (ms since the Unix epoch, node clock); unknown
    /// when the visualizer started after the write.
    pub injected_at_ms: Option<u64>,
    /// Connected nodes holding exactly this write (infected or removed).
    pub infected: usize,
    /// Of those, the ones still spreading it (SIR: infected).
    pub spreading: usize,
    /// Connected nodes that never got it although nobody spreads it any
    /// more: the residue rumor mongering left. `None` while it still spreads.
    pub residue: Option<usize>,
    /// Connected nodes.
    pub alive: usize,
    /// Messages sent that carried it.
    pub messages_sent: u64,
    /// Messages that brought it to a node that did not have it.
    pub messages_new: u64,
    /// Messages that brought it to a node that already had it.
    pub messages_redundant: u64,
    /// When every connected node first held it (ms since the Unix epoch, the
    /// clock of the node that reported the last infection).
    pub all_infected_at_ms: Option<u64>,
}

impl UpdateStats {
    fn stamp(&self) -> Version {
        Version {
            counter: self.version,
            origin: self.origin,
        }
    }

    fn is(&self, carried: &Carried) -> bool {
        carried.key == self.key && carried.version == self.version && carried.origin == self.origin
    }
}

/// Everything the visualizer knows.
#[derive(Clone, Debug, Default)]
pub struct ClusterModel {
    nodes: BTreeMap<NodeId, NodeView>,
    update: Option<UpdateStats>,
    /// How that update spread, measured and predicted.
    spread: Option<Spread>,
    /// The past, for the inspector's "why?".
    history: History,
}

/// `GET /api/cluster`, and the first thing a browser receives.
#[derive(Clone, Debug, Serialize)]
pub struct Snapshot {
    pub nodes: Vec<NodeView>,
    pub update: Option<UpdateStats>,
    pub spread: Option<Spread>,
}

impl ClusterModel {
    /// Apply one event that arrived on `connection`. Returns true when the
    /// figures about the most recent update changed.
    pub fn apply(&mut self, connection: u64, wire: &WireEvent) -> bool {
        self.history.observe(wire);
        let changed = self.fold(connection, wire);
        if changed {
            self.note_full_spread(wire.ts_ms);
            self.follow_spread(wire.ts_ms);
        }
        changed
    }

    /// Add the update's new figures to its curve.
    fn follow_spread(&mut self, ts_ms: u64) {
        let Some(stats) = self.update_stats() else {
            return;
        };
        let settings = self.nodes.values().find_map(|n| n.settings.as_ref());
        if let Some(spread) = &mut self.spread {
            spread.observe(ts_ms, stats.infected, stats.alive, settings);
        }
    }

    /// The spread of the update, if it changed since this was last asked.
    pub fn spread_news(&mut self) -> Option<Spread> {
        self.spread.as_mut()?.news()
    }

    /// Remember the moment the update first reached every connected node.
    fn note_full_spread(&mut self, ts_ms: u64) {
        let Some(stats) = self.update_stats() else {
            return;
        };
        if let Some(update) = &mut self.update {
            if update.all_infected_at_ms.is_none()
                && stats.alive > 0
                && stats.infected == stats.alive
            {
                update.all_infected_at_ms = Some(ts_ms);
            }
        }
    }

    fn fold(&mut self, connection: u64, wire: &WireEvent) -> bool {
        let id = wire.node;
        match &wire.event {
            Event::Hello {
                state,
                settings,
                spreading,
            } => {
                // A second hello of the same life (new settings) keeps the
                // faults; a new connection is a new life, healthy.
                let faults = self
                    .nodes
                    .get(&id)
                    .filter(|n| n.connected && n.connection == connection)
                    .map(|n| n.faults.clone())
                    .unwrap_or_default();
                self.nodes.insert(
                    id,
                    NodeView {
                        id,
                        addr: state.addr.clone(),
                        connected: true,
                        entries: shown_entries(&state.entries),
                        members: state.members.clone(),
                        settings: Some(settings.clone()),
                        spreading: spreading.clone(),
                        faults,
                        health: state.health.min(MAX_SCORE),
                        learned: state
                            .entries
                            .iter()
                            .take(MAX_ENTRIES_SHOWN)
                            .map(|(key, entry)| {
                                let learned = Learned {
                                    cause: None,
                                    version: entry.version,
                                    at_ms: wire.ts_ms,
                                };
                                (key.clone(), learned)
                            })
                            .collect(),
                        connection,
                    },
                );
                if self.update.is_none() {
                    // Started after the news: follow the newest write a node holds.
                    if let Some((key, entry)) = state.entries.iter().max_by_key(|(_, e)| e.stamp())
                    {
                        self.track(key, entry, None, wire.ts_ms);
                    }
                }
                true
            }
            Event::EntryChanged {
                key,
                value,
                version,
                origin,
                cause,
                ..
            } => {
                let entry = Entry {
                    value: clip(value),
                    version: *version,
                    origin: *origin,
                };
                if *cause == Cause::Client {
                    self.track(key, &entry, Some(wire.ts_ms), wire.ts_ms);
                }
                if let Some(node) = self.nodes.get_mut(&id) {
                    let held = node.entries.get(key);
                    let newer = held.is_none_or(|mine| entry.stamp() > mine.stamp());
                    let room = held.is_some() || node.entries.len() < MAX_ENTRIES_SHOWN;
                    if newer && room {
                        node.entries.insert(key.clone(), entry);
                        let learned = Learned {
                            cause: Some(*cause),
                            version: *version,
                            at_ms: wire.ts_ms,
                        };
                        node.learned.insert(key.clone(), learned);
                    }
                }
                true
            }
            Event::MemberChanged { member, .. } => {
                if let Some(node) = self.nodes.get_mut(&id) {
                    match node.members.iter_mut().find(|m| m.id == member.id) {
                        Some(known) => *known = member.clone(),
                        None => {
                            node.members.push(member.clone());
                            node.members.sort_by_key(|m| m.id);
                        }
                    }
                }
                false
            }
            Event::MessageSent { carries, .. } => match &mut self.update {
                Some(update) if carries.iter().any(|c| update.is(c)) => {
                    update.messages_sent += 1;
                    if let Some(spread) = &mut self.spread {
                        spread.sent(wire.ts_ms);
                    }
                    true
                }
                _ => false,
            },
            Event::MessageReceived { new, known, .. } => match &mut self.update {
                Some(update) if new.iter().any(|c| update.is(c)) => {
                    update.messages_new += 1;
                    true
                }
                Some(update) if known.iter().any(|c| update.is(c)) => {
                    update.messages_redundant += 1;
                    true
                }
                _ => false,
            },
            Event::RumorState {
                key,
                version,
                origin,
                state,
            } => {
                let Some(node) = self.nodes.get_mut(&id) else {
                    return false;
                };
                let carried = Carried {
                    key: key.clone(),
                    version: *version,
                    origin: *origin,
                };
                node.spreading.retain(|c| c.key != *key);
                if *state == RumorState::Infected {
                    node.spreading.push(carried);
                }
                true
            }
            Event::FaultsChanged { faults } => {
                if let Some(node) = self.nodes.get_mut(&id) {
                    node.faults = faults.clone();
                }
                false
            }
            Event::HealthChanged { score } => {
                if let Some(node) = self.nodes.get_mut(&id) {
                    node.health = (*score).min(MAX_SCORE);
                }
                false
            }
            Event::NodeDown => {
                // In a replay the trace says so; live, see `disconnected`.
                self.disconnected(id, connection, wire.ts_ms)
            }
            Event::MessageUndelivered { .. } | Event::MessageDropped { .. } => false,
        }
    }

    /// A client wrote `entry` (seen at `seen_ms`): it becomes the update the
    /// page follows, unless it already lost to a newer write of the same key.
    fn track(&mut self, key: &str, entry: &Entry, ts_ms: Option<u64>, seen_ms: u64) {
        if let Some(current) = &self.update {
            // An older write of the same key arriving late keeps the newer
            // one; but a version no honest clock could reach from this
            // write's is a forgery, and must not freeze the panel.
            let plausible = version::within_reach(entry.version, current.version);
            if current.key == key && entry.stamp() < current.stamp() && plausible {
                return;
            }
        }
        self.spread = Some(Spread::begin(seen_ms));
        self.update = Some(UpdateStats {
            key: key.to_owned(),
            value: entry.value.clone(),
            version: entry.version,
            origin: entry.origin,
            injected_at_ms: ts_ms,
            infected: 0,
            spreading: 0,
            residue: None,
            alive: 0,
            messages_sent: 0,
            messages_new: 0,
            messages_redundant: 0,
            all_infected_at_ms: None,
        });
    }

    /// The event stream of `node` on `connection` ended at `at_ms`. Returns
    /// true if the node is now shown as gone (a newer connection may have
    /// replaced it).
    pub fn disconnected(&mut self, node: NodeId, connection: u64, at_ms: u64) -> bool {
        match self.nodes.get_mut(&node) {
            Some(view) if view.connection == connection && view.connected => {
                view.connected = false;
                self.history.down(node, at_ms);
                true
            }
            _ => false,
        }
    }

    /// The most recent update with its infected and alive counts filled in.
    pub fn update_stats(&self) -> Option<UpdateStats> {
        let mut update = self.update.clone()?;
        let alive: Vec<&NodeView> = self.nodes.values().filter(|n| n.connected).collect();
        update.alive = alive.len();
        update.infected = alive
            .iter()
            .filter(|n| {
                n.entries
                    .get(&update.key)
                    .is_some_and(|e| e.stamp() == update.stamp())
            })
            .count();
        update.spreading = alive
            .iter()
            .filter(|n| n.spreading.iter().any(|c| update.is(c)))
            .count();
        update.residue = (update.spreading == 0).then(|| update.alive - update.infected);
        Some(update)
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            nodes: self.nodes.values().cloned().collect(),
            update: self.update_stats(),
            spread: self.spread.clone(),
        }
    }

    pub fn node(&self, id: NodeId) -> Option<&NodeView> {
        self.nodes.get(&id)
    }

    /// What the model remembers of the past.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Every node the model holds, gone ones included, by id.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeView> {
        self.nodes.values()
    }

    /// How many nodes the model holds, gone ones included.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}
