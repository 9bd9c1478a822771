//! A virtual network of protocol cores.
//!
//! The network keeps one queue of scheduled steps ordered by virtual time:
//! message deliveries and node timers. [`Network::run_for`] pops them in order,
//! hands each to its node, and schedules whatever the node asks for in return.
//! Ties are broken by the order in which steps were scheduled, so runs are
//! deterministic.
//!
//! What a node asks for goes out through the pipeline the live host uses too
//! (`network/carrier.rs`), with the faults set on that node
//! (`network/faults.rs`, the same [`Faults`] as `POST /admin/faults`).

use crate::core::event::Event;
use crate::core::faults::Faults;
use crate::core::membership::Member;
use crate::core::message::Envelope;
use crate::core::store::Entry;
use crate::core::version::NodeId;
use crate::core::{Config, Node, Timer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::time::Duration;

mod carrier;
mod faults;
#[cfg(test)]
mod tests;

/// One thing that will happen at a given virtual time.
#[derive(Debug)]
enum Step {
    /// Hand a message to the node at `to`.
    Deliver { to: String, envelope: Envelope },
    /// Fire a timer of the node at `addr`, unless it restarted since
    /// (`life` numbers its lives).
    Fire {
        addr: String,
        life: u64,
        timer: Timer,
    },
}

/// A step in the queue, ordered by time, then by when it was scheduled.
#[derive(Debug)]
struct Scheduled {
    at: Duration,
    sequence: u64,
    step: Step,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.sequence) == (other.at, other.sequence)
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.sequence).cmp(&(other.at, other.sequence))
    }
}

/// How long a message takes, drawn afresh for each message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Latency {
    /// Anywhere between `min` and `max`, all equally likely.
    Uniform { min: Duration, max: Duration },
    /// `min`, plus an exponentially distributed extra with mean `mean_extra`:
    /// most messages are quick, a few are very late (a long tail, as on a
    /// busy network), so messages overtake each other.
    Exponential { min: Duration, mean_extra: Duration },
}

impl Latency {
    fn draw<R: Rng + ?Sized>(self, rng: &mut R) -> Duration {
        match self {
            Latency::Uniform { min, max } if max > min => rng.random_range(min..=max),
            Latency::Uniform { min, .. } => min,
            Latency::Exponential { min, mean_extra } => {
                // Inverse transform: -ln(U) is exponential with mean 1.
                let u: f64 = rng.random_range(f64::EPSILON..1.0);
                min + mean_extra.mul_f64(-u.ln())
            }
        }
    }
}

/// A node of the simulation: its core, whether it runs, which life it is
/// in, and the faults injected on it (as `POST /admin/faults` sets them on a
/// live node; they belong to its place in the network and outlive a restart).
struct Host {
    node: Node,
    up: bool,
    life: u64,
    faults: Faults,
    /// Stalled (see [`Network::stall`]) until then: what comes due before
    /// is handled then.
    stalled_until: Duration,
    /// How far its handling of messages lags behind (see [`Network::slow`]).
    lag: Duration,
}

/// What the network did, for assertions and figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetworkStats {
    pub sent: u64,
    pub delivered: u64,
    /// Lost to the loss rate.
    pub lost: u64,
    /// Dropped by a partition or a pause, or sent to a crashed or unknown node.
    pub blocked: u64,
    pub bytes: u64,
}

/// Many cores, one virtual network, one seeded RNG.
pub struct Network {
    now: Duration,
    rng: StdRng,
    hosts: BTreeMap<String, Host>,
    queue: BinaryHeap<Reverse<Scheduled>>,
    /// Breaks ties between steps at the same time: first scheduled, first run.
    sequence: u64,
    latency: Latency,
    /// The faults a node added from now on starts with ([`Network::set_loss`]).
    default_faults: Faults,
    /// Every event any node reported, with its time and node, if recording.
    events: Option<Vec<(Duration, NodeId, Event)>>,
    pub stats: NetworkStats,
}

/// The address a simulated node with this id gets.
pub fn addr(id: u64) -> String {
    format!("sim-{id}:7000")
}

impl Network {
    /// An empty network; messages take 1 to 10 ms and are never lost.
    pub fn new(seed: u64) -> Network {
        Network {
            now: Duration::ZERO,
            rng: StdRng::seed_from_u64(seed),
            hosts: BTreeMap::new(),
            queue: BinaryHeap::new(),
            sequence: 0,
            latency: Latency::Uniform {
                min: Duration::from_millis(1),
                max: Duration::from_millis(10),
            },
            default_faults: Faults::default(),
            events: None,
            stats: NetworkStats::default(),
        }
    }

    /// `n` nodes with ids 1..=n, each knowing every other, all started.
    /// `tune` adjusts each node's config (fanout, anti-entropy, ...).
    pub fn cluster(seed: u64, n: u64, tune: impl Fn(&mut Config)) -> Network {
        let mut net = Network::new(seed);
        for id in 1..=n {
            let others = (1..=n).filter(|o| *o != id).map(addr).collect();
            let mut config = Config::new(NodeId(id), addr(id), others);
            tune(&mut config);
            net.add(config);
        }
        for id in 1..=n {
            net.start(id);
        }
        net
    }

    /// `n` nodes with ids 1..=n that already know each other (no joins, no
    /// membership rumors): the quick way to a big cluster.
    pub fn formed_cluster(seed: u64, n: u64, tune: impl Fn(&mut Config)) -> Network {
        let mut net = Network::new(seed);
        let members: Vec<Member> = (1..=n)
            .map(|id| Member::alive(NodeId(id), addr(id)))
            .collect();
        for id in 1..=n {
            let mut config = Config::new(NodeId(id), addr(id), Vec::new());
            tune(&mut config);
            net.add(config);
            net.hosts
                .get_mut(&addr(id))
                .expect("just added")
                .node
                .know_members(&members);
        }
        for id in 1..=n {
            net.start(id);
        }
        net
    }

    /// Messages take between `min` and `max`, uniformly.
    pub fn set_latency(&mut self, min: Duration, max: Duration) {
        self.latency = Latency::Uniform {
            min,
            max: max.max(min),
        };
    }

    /// Any latency distribution.
    pub fn set_latency_distribution(&mut self, latency: Latency) {
        self.latency = latency;
    }

    /// Keep every event the nodes report, for [`Network::events`].
    pub fn record_events(&mut self) {
        self.events.get_or_insert_with(Vec::new);
    }

    pub fn events(&self) -> &[(Duration, NodeId, Event)] {
        self.events.as_deref().unwrap_or(&[])
    }

    pub fn now(&self) -> Duration {
        self.now
    }

    /// Add a node, not yet started.
    pub fn add(&mut self, config: Config) {
        let addr = config.addr.clone();
        let before = self.hosts.get(&addr);
        let life = before.map_or(0, |h| h.life + 1);
        let faults = before.map_or_else(|| self.default_faults.clone(), |h| h.faults.clone());
        self.hosts.insert(
            addr,
            Host {
                node: Node::new(config),
                up: false,
                life,
                faults,
                stalled_until: Duration::ZERO,
                lag: Duration::ZERO,
            },
        );
    }

    /// Start node `id`: it greets its neighbors and sets its timers.
    pub fn start(&mut self, id: u64) {
        let addr = addr(id);
        let host = self.hosts.get_mut(&addr).expect("node was added");
        host.up = true;
        let hello = host.node.hello();
        let outputs = host.node.start(self.now, &mut self.rng);
        self.record(NodeId(id), hello);
        self.carry_out(&addr, outputs);
    }

    /// Crash node `id`: it stops at once and everything sent to it is lost.
    pub fn crash(&mut self, id: u64) {
        if let Some(host) = self.hosts.get_mut(&addr(id)) {
            host.up = false;
            self.record(NodeId(id), Event::NodeDown);
        }
    }

    /// Record every running node's hello (its whole state), as a watcher
    /// that connects now would get it.
    pub fn record_hellos(&mut self) {
        let hellos: Vec<(NodeId, Event)> = self
            .hosts
            .values()
            .filter(|h| h.up)
            .map(|h| (h.node.config().id, h.node.hello()))
            .collect();
        for (id, hello) in hellos {
            self.record(id, hello);
        }
    }

    /// Bring node `id` back as a new process: same config, empty store, and
    /// a higher incarnation (the virtual time, as the live node uses its clock).
    pub fn restart(&mut self, id: u64) {
        let mut config = self.node(id).config().clone();
        config.incarnation = config.incarnation.max(self.now.as_millis() as u64) + 1;
        self.add(config);
        self.start(id);
    }

    /// Node `id` leaves gracefully: it says goodbye, then stops.
    pub fn leave(&mut self, id: u64) {
        let addr = addr(id);
        let host = self.hosts.get_mut(&addr).expect("node exists");
        let outputs = host.node.leave(self.now, &mut self.rng);
        self.carry_out(&addr, outputs);
        self.crash(id);
    }

    /// A client writes `key = value` on node `id`.
    pub fn update(&mut self, id: u64, key: &str, value: &str) -> Entry {
        let addr = addr(id);
        let host = self.hosts.get_mut(&addr).expect("node exists");
        assert!(host.up, "node {id} is down");
        let (entry, outputs) = host
            .node
            .client_update(self.now, &mut self.rng, key, value)
            .expect("a valid write");
        self.carry_out(&addr, outputs);
        entry
    }

    pub fn node(&self, id: u64) -> &Node {
        &self.hosts[&addr(id)].node
    }

    /// Whether node `id` was ever added.
    pub fn has(&self, id: u64) -> bool {
        self.hosts.contains_key(&addr(id))
    }

    pub fn is_up(&self, id: u64) -> bool {
        self.hosts.get(&addr(id)).is_some_and(|h| h.up)
    }

    /// The value node `id` holds for `key`.
    pub fn value(&self, id: u64, key: &str) -> Option<&str> {
        self.node(id).store().get(key).map(|e| e.value.as_str())
    }

    /// Run every step scheduled within the next `span` of virtual time.
    pub fn run_for(&mut self, span: Duration) {
        let until = self.now + span;
        while self.step_before(until) {}
        self.now = until;
    }

    /// Run until `done` holds (checked after every step) or `limit` passes.
    /// Returns the virtual time it took, or `None` if it never held.
    pub fn run_until(
        &mut self,
        limit: Duration,
        done: impl Fn(&Network) -> bool,
    ) -> Option<Duration> {
        let start = self.now;
        let until = self.now + limit;
        if done(self) {
            return Some(Duration::ZERO);
        }
        while self.step_before(until) {
            if done(self) {
                return Some(self.now - start);
            }
        }
        self.now = until;
        None
    }

    /// Run the next step if it is due by `until`; false when none is.
    fn step_before(&mut self, until: Duration) -> bool {
        match self.queue.peek() {
            Some(Reverse(next)) if next.at <= until => {}
            _ => return false,
        }
        let Reverse(Scheduled { at, step, .. }) = self.queue.pop().expect("peeked");
        self.now = at;
        self.run(step);
        true
    }

    fn run(&mut self, step: Step) {
        // A stalled node handles nothing yet: its messages wait in the
        // socket and its timers ring late, all at the stall's end.
        let addr = match &step {
            Step::Deliver { to, .. } => to,
            Step::Fire { addr, .. } => addr,
        };
        if let Some(until) = self.hosts.get(addr).map(|h| h.stalled_until) {
            if until > self.now {
                self.schedule(until, step);
                return;
            }
        }
        match step {
            Step::Deliver { to, envelope } => {
                let Some(host) = self.hosts.get_mut(&to).filter(|h| h.up) else {
                    self.stats.blocked += 1;
                    return;
                };
                if let Some(reason) = host.faults.drop_incoming(envelope.from.id) {
                    self.stats.blocked += 1;
                    let event = Event::MessageDropped {
                        id: envelope.id,
                        to: to.clone(),
                        reason: reason.into(),
                    };
                    let id = host.node.config().id;
                    self.record(id, event);
                    return;
                }
                self.stats.delivered += 1;
                let outputs = host.node.receive(self.now, &mut self.rng, envelope);
                self.carry_out(&to, outputs);
            }
            Step::Fire { addr, life, timer } => {
                let Some(host) = self.hosts.get_mut(&addr).filter(|h| h.up && h.life == life)
                else {
                    return; // a timer of a crashed or earlier life
                };
                let outputs = host.node.timer(self.now, &mut self.rng, timer);
                self.carry_out(&addr, outputs);
            }
        }
    }

    fn record(&mut self, node: NodeId, event: Event) {
        if let Some(events) = &mut self.events {
            events.push((self.now, node, event));
        }
    }

    fn schedule(&mut self, at: Duration, step: Step) {
        self.sequence += 1;
        let sequence = self.sequence;
        self.queue.push(Reverse(Scheduled { at, sequence, step }));
    }
}
