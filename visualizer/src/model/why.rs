//! The inspector's answers, from the model and its [`History`]: what one
//! node holds and how it came to hold it, and "why is node X missing key
//! K?", told in protocol terms with what would fix it.
//!
//! The diagnosis walks the questions a teacher would ask, in order: does
//! any node hold K? Is X up? Did X have it and lose it by restarting? Is K
//! still being spread (then X may simply not have been picked yet, or the
//! messages toward it were lost)? If the rumor is over, did X come back
//! after it ended, and is anti-entropy on to repair what rumors missed?

use super::history::{Carry, Exchange, Fate, History, Life};
use super::{ClusterModel, NodeView};
use gossip_node::core::event::{Cause, Settings};
use gossip_node::core::faults::Faults;
use gossip_node::core::membership::{Member, MemberStatus};
use gossip_node::core::store::{Carried, Entry};
use gossip_node::core::version::NodeId;
use serde::Serialize;

/// Messages shown with an answer, the most recent ones.
const MESSAGES_SHOWN: usize = 40;

/// One entry as the inspector shows it.
#[derive(Debug, Serialize)]
pub struct Held {
    pub key: String,
    #[serde(flatten)]
    pub entry: Entry,
    /// `client`, `rumor`, `anti_entropy`, or `None`: held already when the
    /// node said hello.
    pub cause: Option<Cause>,
    /// The node whose message brought it, when remembered.
    pub from: Option<NodeId>,
    pub at_ms: Option<u64>,
}

/// Everything the inspector shows of one node.
#[derive(Debug, Serialize)]
pub struct Inspect {
    pub id: NodeId,
    pub addr: String,
    pub connected: bool,
    pub settings: Option<Settings>,
    pub faults: Faults,
    /// Lifeguard's local health score (0 healthy).
    pub health: u32,
    pub entries: Vec<Held>,
    pub members: Vec<Member>,
    pub spreading: Vec<Carried>,
    /// Who believes this node is suspect, and who that it is dead.
    pub suspected_by: Vec<NodeId>,
    pub dead_to: Vec<NodeId>,
    pub lives: Vec<Life>,
    pub last_exchange: Option<Exchange>,
    /// Every key some node holds: what "why is it missing…?" can ask about.
    pub keys: Vec<String>,
    pub now_ms: u64,
}

/// The answer to "why is node X missing key K?".
#[derive(Debug, Serialize)]
pub struct Why {
    pub node: NodeId,
    pub key: String,
    /// What X holds of K, if anything.
    pub holds: Option<Entry>,
    /// The newest write of K any node holds, and how many hold it.
    pub newest: Option<Entry>,
    pub holders: usize,
    /// Messages that carried the newest write toward X, most recent last.
    pub messages: Vec<Carry>,
    pub lives: Vec<Life>,
    pub last_exchange: Option<Exchange>,
    /// Nodes still spreading the newest write.
    pub spreading: Vec<NodeId>,
    pub diagnosis: String,
    pub fix: String,
    pub now_ms: u64,
}

/// Others' opinion of `id`: (suspect by, dead to).
fn doubts(model: &ClusterModel, id: NodeId) -> (Vec<NodeId>, Vec<NodeId>) {
    let (mut suspect, mut dead) = (Vec::new(), Vec::new());
    for other in model.nodes().filter(|n| n.connected && n.id != id) {
        match other.members.iter().find(|m| m.id == id).map(|m| m.status) {
            Some(MemberStatus::Suspect) => suspect.push(other.id),
            Some(MemberStatus::Dead) => dead.push(other.id),
            _ => {}
        }
    }
    (suspect, dead)
}

pub fn inspect(model: &ClusterModel, id: NodeId) -> Option<Inspect> {
    let node = model.node(id)?;
    let history = model.history();
    let entries = node
        .entries
        .iter()
        .map(|(key, entry)| {
            let learned = node.learned.get(key).filter(|l| l.version == entry.version);
            let from = history.brought(id, key, entry.version).map(|c| c.from);
            Held {
                key: key.clone(),
                entry: entry.clone(),
                cause: learned.and_then(|l| l.cause),
                from,
                at_ms: learned.map(|l| l.at_ms),
            }
        })
        .collect();
    let (suspected_by, dead_to) = doubts(model, id);
    let mut keys: Vec<String> = model
        .nodes()
        .flat_map(|n| n.entries.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    Some(Inspect {
        id,
        addr: node.addr.clone(),
        connected: node.connected,
        settings: node.settings.clone(),
        faults: node.faults.clone(),
        health: node.health,
        entries,
        members: node.members.clone(),
        spreading: node.spreading.clone(),
        suspected_by,
        dead_to,
        lives: history.lives(id),
        last_exchange: history.last_exchange(id).cloned(),
        keys,
        now_ms: history.now_ms(),
    })
}

/// "14 s ago", counted back from the history's latest event.
fn ago(history: &History, at_ms: u64) -> String {
    let seconds = history.now_ms().saturating_sub(at_ms) as f64 / 1000.0;
    if seconds < 10.0 {
        format!("{seconds:.1} s ago")
    } else {
        format!("{seconds:.0} s ago")
    }
}

fn list(ids: &[NodeId]) -> String {
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `node` was down at `at_ms`, by its lives.
fn down_at(lives: &[Life], at_ms: u64) -> bool {
    let up = lives
        .iter()
        .any(|l| l.up_ms <= at_ms && l.down_ms.is_none_or(|d| at_ms < d));
    !lives.is_empty() && !up
}

/// "2 lost to injected loss, 1 cut by a partition", of the messages that
/// did not arrive; empty if all did.
fn failures(messages: &[Carry], lives: &[Life], x: NodeId) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for carry in messages {
        let why = match &carry.fate {
            Fate::New | Fate::Known => continue,
            Fate::InFlight => "still on the way".to_owned(),
            Fate::Dropped { reason } if reason == "loss" => "lost to injected loss".to_owned(),
            Fate::Dropped { reason } if reason == "partition" => "cut by a partition".to_owned(),
            Fate::Dropped { reason } => format!("dropped ({reason})"),
            Fate::Undelivered { .. } if down_at(lives, carry.at_ms) => {
                format!("sent while node {x} was down")
            }
            Fate::Undelivered { reason } => format!("undelivered ({reason})"),
        };
        match counts.iter_mut().find(|(w, _)| *w == why) {
            Some((_, n)) => *n += 1,
            None => counts.push((why, 1)),
        }
    }
    counts
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn why(model: &ClusterModel, x: NodeId, key: &str) -> Option<Why> {
    let node = model.node(x)?;
    let history = model.history();
    let holds = node.entries.get(key).cloned();
    let holders: Vec<&NodeView> = model
        .nodes()
        .filter(|n| n.entries.contains_key(key))
        .collect();
    let newest = holders
        .iter()
        .filter_map(|n| n.entries.get(key))
        .max_by_key(|e| e.stamp())
        .cloned();
    let newest_stamp = newest.as_ref().map(Entry::stamp);
    let holders_of_newest = holders
        .iter()
        .filter(|n| n.entries.get(key).map(Entry::stamp) == newest_stamp)
        .count();
    let mut messages: Vec<Carry> = history
        .toward(x, &node.addr, key)
        .filter(|c| {
            c.writes
                .iter()
                .any(|w| w.key == key && Some(w.version) == newest.as_ref().map(|e| e.version))
        })
        .cloned()
        .collect();
    let skip = messages.len().saturating_sub(MESSAGES_SHOWN);
    messages.drain(..skip);
    let spreading: Vec<NodeId> = model
        .nodes()
        .filter(|n| n.connected)
        .filter(|n| {
            n.spreading.iter().any(|c| {
                c.key == key
                    && newest
                        .as_ref()
                        .is_some_and(|e| e.version == c.version && e.origin == c.origin)
            })
        })
        .map(|n| n.id)
        .collect();
    let lives = history.lives(x);
    let (diagnosis, fix) = diagnose(model, node, key, &holds, &newest, &messages, &spreading);
    Some(Why {
        node: x,
        key: key.to_owned(),
        holders: holders_of_newest,
        holds,
        newest,
        messages,
        lives,
        last_exchange: history.last_exchange(x).cloned(),
        spreading,
        diagnosis,
        fix,
        now_ms: history.now_ms(),
    })
}

/// The one-line diagnosis and what would fix it.
fn diagnose(
    model: &ClusterModel,
    node: &NodeView,
    key: &str,
    holds: &Option<Entry>,
    newest: &Option<Entry>,
    messages: &[Carry],
    spreading: &[NodeId],
) -> (String, String) {
    let history = model.history();
    let x = node.id;
    let Some(newest) = newest else {
        let fix = format!("Write it: curl -X POST http://{}/update -H 'Content-Type: application/json' -d '{{\"key\": \"{key}\", \"value\": \"…\"}}'", node.addr);
        return (format!("No node holds {key:?}."), fix);
    };
    if holds.as_ref().is_some_and(|h| h.stamp() >= newest.stamp()) {
        let said = format!(
            "Node {x} holds {key:?} = {:?} (version {}): nothing is missing.",
            newest.value, newest.version
        );
        return (said, String::new());
    }
    let lives = history.lives(x);
    if !node.connected {
        let since = lives
            .last()
            .and_then(|l| l.down_ms)
            .map(|d| format!(" (since {})", ago(history, d)))
            .unwrap_or_default();
        return (
            format!("Node {x} is down{since}: a stopped node holds nothing and hears nothing."),
            "Restart it. It comes back with an empty store, and learns the key only from a rumor still spreading, or from anti-entropy.".into(),
        );
    }
    let up_ms = lives.last().map(|l| l.up_ms);
    if let Some(had) = messages.iter().rev().find(|c| c.fate == Fate::New) {
        if up_ms.is_some_and(|up| up > had.at_ms) {
            let said = format!(
                "Node {x} had it (node {}'s {} brought it {}), but it restarted {} with an empty store.",
                had.from,
                had.kind,
                ago(history, had.at_ms),
                ago(history, up_ms.unwrap_or_default())
            );
            return (said, anti_entropy_fix(node));
        }
    }
    let (_, dead_to) = doubts(model, x);
    let failed = failures(messages, &lives, x);
    let fanout = node.settings.as_ref().map_or(2, |s| s.fanout);
    if !spreading.is_empty() {
        let mut said = format!(
            "{key:?} is still spreading from {} node(s) ({}).",
            spreading.len(),
            list(spreading)
        );
        if !failed.is_empty() {
            said += &format!(" Toward node {x} so far: {failed}.");
        } else if messages.is_empty() {
            said += &format!(" None has picked node {x} yet: each round a spreading node tells {fanout} random peers.");
        }
        if !dead_to.is_empty() {
            said += &format!(
                " Node(s) {} believe node {x} is dead and do not pick it.",
                list(&dead_to)
            );
        }
        let interval = node.settings.as_ref().map_or(1000, |s| s.interval_ms);
        return (
            said,
            format!("Wait a round or two (one every {interval} ms) while the rumor is hot."),
        );
    }
    // The rumor is over: no connected node spreads it any more.
    let stopped_ms = history
        .marks(key)
        .into_iter()
        .flat_map(|marks| marks.values())
        .filter(|m| m.version == newest.version && m.origin == newest.origin)
        .map(|m| m.at_ms)
        .max();
    let mut said = match (up_ms, stopped_ms) {
        (Some(up), Some(stopped)) if up > stopped => format!(
            "Node {x} restarted {}, after every node had stopped spreading {key:?} (the last {}): a rumor spreads only while it is hot, so none will bring it now.",
            ago(history, up),
            ago(history, stopped)
        ),
        _ if !messages.is_empty() && !failed.is_empty() => format!(
            "Every message that carried {key:?} toward node {x} failed ({failed}), and no node spreads it any more."
        ),
        _ => format!(
            "The rumor died out before any node picked node {x}: gossip that stops after a few rounds leaves a few nodes out (the residue)."
        ),
    };
    match node.settings.as_ref().and_then(|s| s.anti_entropy_ms) {
        None => {
            said += &format!(" Anti-entropy is off on node {x}, so nothing will bring it.");
            (said, anti_entropy_fix(node))
        }
        Some(every) => {
            let last = history
                .last_exchange(x)
                .map(|e| {
                    format!(
                        " (its last exchange: {} with node {}, {})",
                        e.kind,
                        e.with,
                        ago(history, e.at_ms)
                    )
                })
                .unwrap_or_default();
            said += &format!(" Anti-entropy runs every {every} ms{last}: the next exchange with a node that holds it repairs it.");
            let fix = if node.faults.is_clear() {
                "Wait for the next anti-entropy exchange.".to_owned()
            } else {
                format!("Heal node {x} (it has faults injected), then wait for the next anti-entropy exchange.")
            };
            (said, fix)
        }
    }
}

fn anti_entropy_fix(node: &NodeView) -> String {
    if node
        .settings
        .as_ref()
        .is_some_and(|s| s.anti_entropy_ms.is_some())
    {
        return "Wait for the next anti-entropy exchange: it repairs what rumors missed.".into();
    }
    "Turn anti-entropy on (make run NODE_ARGS='--anti-entropy 5s'), or write the key again so that a new rumor starts.".into()
}
