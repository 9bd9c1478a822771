//! The host: where the pure core meets tokio.
//!
//! The host owns the [`Node`] and its RNG behind a `std::sync::Mutex`. Every
//! input (an HTTP request, a peer message, a timer) takes the lock, asks the
//! core what to do, releases the lock, and only then carries out the outputs.
//! The lock is never held across an `.await`, so a std mutex is the right tool:
//! it is cheaper than tokio's and cannot deadlock on a suspended task.
//!
//! Carrying out outputs never waits either: messages and events go into
//! bounded queues with `try_send`. If a queue is full the item is dropped and
//! counted; a slow peer or a slow visualizer can never stall the protocol.

use super::cluster_key::ClusterKey;
use super::metrics::{CoreFigures, Traffic};
use super::terminal;
use crate::core::event::{Event, WireEvent, SCHEMA_VERSION};
use crate::core::faults::Faults;
use crate::core::message::{Envelope, MessageId};
use crate::core::store::Entry;
use crate::core::version::NodeId;
use crate::core::{Config, Node, NodeState, Output, Refusal, SettingsChange, Timer, UpdateError};
use crate::effects::{self, Carrier, Transmit};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Messages waiting for the transport. Bounded: a node that cannot send fast
/// enough drops gossip (which later rounds repair) rather than eat memory.
const OUTBOX_CAPACITY: usize = 256;
/// Senders remembered for logging refused untagged messages once each.
const MAX_STRANGERS_LOGGED: usize = 1024;
/// Events waiting for the visualizer link.
const EVENT_CAPACITY: usize = 1024;

/// One message on its way out, already encoded.
#[derive(Debug)]
pub struct Outgoing {
    pub id: MessageId,
    pub to: String,
    pub body: Vec<u8>,
    /// Injected delay to wait before sending.
    pub delay: Duration,
}

/// Who may do what: the admin token and the cluster key, both optional.
#[derive(Clone, Debug, Default)]
pub struct Access {
    pub admin_token: Option<String>,
    pub cluster_key: Option<ClusterKey>,
}

/// The core and the randomness it is fed, kept together under one lock.
struct Protocol {
    node: Node,
    rng: StdRng,
}

/// A live node's host. Shared as `Arc<Host>` by the routes and the tasks.
pub struct Host {
    protocol: Mutex<Protocol>,
    id: NodeId,
    /// Zero of the core's clock: the core sees time as "since start".
    started: Instant,
    outbox: mpsc::Sender<Outgoing>,
    /// Injected faults, with their own RNG (the core's stays the core's).
    faults: Mutex<(Faults, StdRng)>,
    /// `None` when no visualizer is configured.
    events: Option<mpsc::Sender<WireEvent>>,
    /// Needed for admin routes from other machines (`--admin-token`).
    admin_token: Option<String>,
    /// Tags every peer message, and is checked on every one received.
    cluster_key: Option<ClusterKey>,
    /// Senders already logged for a message without the key's tag: each
    /// is logged once, not once per message (bounded).
    strangers: Mutex<BTreeSet<IpAddr>>,
    /// Peers already logged for refusing one of our messages, and why:
    /// a node running broken pieces is told once per peer, in its log.
    refusals: Mutex<BTreeSet<String>>,
    pub traffic: Traffic,
}

/// How an undelivered message's reason begins when the peer refused it.
pub const REFUSED: &str = "refused our message";

impl Host {
    /// A host and the receiving ends of its outbox and event queue.
    pub fn new(
        config: Config,
        seed: Option<u64>,
        with_events: bool,
        access: Access,
    ) -> (
        Arc<Host>,
        mpsc::Receiver<Outgoing>,
        Option<mpsc::Receiver<WireEvent>>,
    ) {
        let rng = match seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        let (outbox, outbox_rx) = mpsc::channel(OUTBOX_CAPACITY);
        let (events, events_rx) = if with_events {
            let (tx, rx) = mpsc::channel(EVENT_CAPACITY);
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let host = Host {
            id: config.id,
            protocol: Mutex::new(Protocol {
                node: Node::new(config),
                rng,
            }),
            started: Instant::now(),
            outbox,
            faults: Mutex::new((Faults::default(), StdRng::from_os_rng())),
            events,
            admin_token: access.admin_token,
            cluster_key: access.cluster_key,
            strangers: Mutex::new(BTreeSet::new()),
            refusals: Mutex::new(BTreeSet::new()),
            traffic: Traffic::default(),
        };
        (Arc::new(host), outbox_rx, events_rx)
    }

    pub fn id(&self) -> NodeId {
        self.id
    }

    /// Whose protocol pieces this node runs (the reference, or the workshop's).
    pub fn implementation(&self) -> String {
        self.lock().node.config().pieces.describe()
    }

    pub fn cluster_key(&self) -> Option<&ClusterKey> {
        self.cluster_key.as_ref()
    }

    /// A message from `sender` without this cluster's tag was refused:
    /// count it, and log it the first time this sender does it.
    pub fn refused_untagged(&self, sender: IpAddr) {
        self.traffic.untagged();
        let mut strangers = self.strangers.lock().unwrap_or_else(|p| p.into_inner());
        if strangers.len() < MAX_STRANGERS_LOGGED && strangers.insert(sender) {
            tracing::warn!(%sender, "refused a message without this cluster's key (logged once per sender)");
        }
    }

    pub fn admin_token(&self) -> Option<&str> {
        self.admin_token.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Protocol> {
        // A panic while holding the lock would be a bug in the core; the state
        // is still a valid store, so keep serving rather than poison forever.
        self.protocol
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    /// Feed the core one input (with the time and its RNG) under the lock,
    /// then carry out its outputs with the lock released.
    fn drive<T>(
        self: &Arc<Self>,
        input: impl FnOnce(&mut Node, Duration, &mut dyn RngCore) -> (T, Vec<Output>),
    ) -> T {
        let now = self.now();
        let (answer, outputs) = {
            let p = &mut *self.lock();
            input(&mut p.node, now, &mut p.rng)
        };
        self.carry_out(outputs);
        answer
    }

    /// Greet the neighbors and start the rounds.
    pub fn start(self: &Arc<Self>) {
        self.drive(|node, now, rng| ((), node.start(now, rng)));
    }

    /// A client's `POST /update` with a key and value.
    pub fn client_update(self: &Arc<Self>, key: &str, value: &str) -> Result<Entry, UpdateError> {
        self.drive(
            |node, now, rng| match node.client_update(now, rng, key, value) {
                Ok((entry, outputs)) => (Ok(entry), outputs),
                Err(refused) => (Err(refused), Vec::new()),
            },
        )
    }

    /// A client's bare `POST /update`: returns the demo key and its entry.
    pub fn demo_update(self: &Arc<Self>) -> Result<(String, Entry), UpdateError> {
        let entry = self.drive(|node, now, rng| match node.demo_update(now, rng) {
            Ok((entry, outputs)) => (Ok(entry), outputs),
            Err(refused) => (Err(refused), Vec::new()),
        })?;
        Ok((crate::core::DEMO_KEY.to_owned(), entry))
    }

    /// A peer's message, already decoded, `bytes` long on the wire; `Err`
    /// says why the core refused it.
    pub fn receive(self: &Arc<Self>, envelope: Envelope, bytes: usize) -> Result<(), Refusal> {
        if let Some(reason) = self.faults_now().drop_incoming(envelope.from.id) {
            let to = self.lock().node.config().addr.clone();
            self.dropped(envelope.id, &to, reason);
            return Ok(());
        }
        self.traffic.received(bytes);
        self.drive(
            |node, now, rng| match node.receive_from_wire(now, rng, envelope, bytes) {
                Ok(outputs) => (Ok(()), outputs),
                Err(refusal) => (Err(refusal), Vec::new()),
            },
        )
    }

    fn timer(self: &Arc<Self>, timer: Timer) {
        self.drive(|node, now, rng| ((), node.timer(now, rng, timer)));
    }

    /// Nothing listens at `addr`: a connection to it was refused (the core
    /// acts on it only with `--suspect-refused on`).
    pub fn unreachable(self: &Arc<Self>, addr: &str) {
        self.drive(|node, now, _| ((), node.unreachable(now, addr)));
    }

    /// Say goodbye before shutting down: others will mark us left, not dead.
    pub fn leave(self: &Arc<Self>) {
        self.drive(|node, now, rng| ((), node.leave(now, rng)));
    }

    /// The address this node advertises to its peers.
    pub fn advertised_addr(&self) -> String {
        self.lock().node.config().addr.clone()
    }

    pub fn state(&self) -> NodeState {
        self.lock().node.state()
    }

    /// The hello a (re)connected visualizer gets first.
    pub fn hello(&self) -> WireEvent {
        let event = self.lock().node.hello();
        self.wire(event)
    }

    /// Core counters and the gauges `/metrics` shows.
    pub fn core_figures(&self) -> CoreFigures {
        let p = self.lock();
        let members = p
            .node
            .members()
            .all()
            .filter(|m| m.status.is_active())
            .count();
        CoreFigures {
            counters: p.node.counters(),
            hot_rumors: p.node.hot_rumors(),
            entries: p.node.store().len(),
            members,
            unproven: p.node.members().unproven_count(p.node.config().id).0,
            health: p.node.health(),
        }
    }

    /// The faults in force.
    pub fn faults_now(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .clone()
    }

    /// Replace the injected faults (all of them: missing fields are healthy).
    pub fn set_faults(&self, faults: Faults) {
        self.faults.lock().unwrap_or_else(|p| p.into_inner()).0 = faults.clone();
        tracing::info!(
            "faults now: {}",
            serde_json::to_string(&faults).unwrap_or_default()
        );
        self.report(Event::FaultsChanged { faults });
    }

    /// Change the live settings (all or nothing), and tell the visualizer:
    /// a fresh hello carries them.
    pub fn change_settings(self: &Arc<Self>, change: &SettingsChange) -> Result<(), String> {
        let hello = self.drive(|node, _, _| match node.change_settings(change) {
            Ok(outputs) => (Ok(node.hello()), outputs),
            Err(refused) => (Err(refused), Vec::new()),
        })?;
        tracing::info!("settings now: {}", describe_settings(&self.settings()));
        self.report(hello);
        Ok(())
    }

    /// The settings in force: (gossip interval, anti-entropy period).
    pub fn settings(&self) -> (Duration, Option<Duration>) {
        let p = self.lock();
        (p.node.config().interval, p.node.config().anti_entropy)
    }

    /// The faults as an event, for a (re)connecting visualizer; none if healthy.
    pub fn faults_event(&self) -> Option<WireEvent> {
        let faults = self.faults_now();
        (!faults.is_clear()).then(|| self.wire(Event::FaultsChanged { faults }))
    }

    /// A message dropped by an injected fault.
    fn dropped(&self, id: MessageId, to: &str, reason: &str) {
        self.traffic.dropped();
        self.report(Event::MessageDropped {
            id,
            to: to.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// A message the transport could not deliver.
    pub fn undelivered(&self, id: MessageId, to: &str, reason: String) {
        self.traffic.undelivered();
        tracing::debug!(%id, to, %reason, "message undelivered");
        if reason.starts_with(REFUSED) {
            let mut logged = self.refusals.lock().unwrap_or_else(|p| p.into_inner());
            if logged.len() < MAX_STRANGERS_LOGGED && logged.insert(to.to_owned()) {
                tracing::warn!("{to} {reason} (logged once per peer: are this node's pieces right? make check)");
            }
        }
        self.report(Event::MessageUndelivered {
            id,
            to: to.to_owned(),
            reason,
        });
    }

    /// Do what the core asked, without ever waiting: through the shared
    /// pipeline ([`effects`](crate::effects)), with this node's faults.
    fn carry_out(self: &Arc<Self>, outputs: Vec<Output>) {
        let mut guard = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let (faults, rng) = &mut *guard;
        effects::carry_out(outputs, faults, rng, &mut Live(self));
    }

    fn wire(&self, event: Event) -> WireEvent {
        WireEvent {
            v: SCHEMA_VERSION,
            node: self.id,
            ts_ms: unix_ms(),
            event,
        }
    }

    /// Hand an event to the visualizer link, or drop it if the link is behind.
    fn report(&self, event: Event) {
        if let Some(events) = &self.events {
            if events.try_send(self.wire(event)).is_err() {
                self.traffic.event_dropped();
            }
        }
    }
}

/// The live end of the pipeline: the outbox, tokio timers, the event queue.
struct Live<'a>(&'a Arc<Host>);

impl Carrier for Live<'_> {
    fn count_sent(&mut self, kind: &'static str, bytes: usize) {
        self.0.traffic.sent(kind, bytes);
    }

    fn transmit(&mut self, message: Transmit, _: &mut dyn RngCore) {
        let Transmit {
            to,
            envelope,
            body,
            delay,
            ..
        } = message;
        let id = envelope.id;
        let outgoing = Outgoing {
            id,
            to: to.clone(),
            body,
            delay,
        };
        if self.0.outbox.try_send(outgoing).is_err() {
            self.0.undelivered(id, &to, "send queue full".into());
        }
    }

    fn dropped(&mut self, id: MessageId, to: &str, reason: &'static str) {
        self.0.dropped(id, to, reason);
    }

    fn set_timer(&mut self, timer: Timer, after: Duration) {
        let host = Arc::clone(self.0);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            host.timer(timer);
        });
    }

    fn report(&mut self, event: Event) {
        terminal::log_event(&event);
        self.0.report(event);
    }
}

/// "gossip every 2s, anti-entropy off", for the log.
fn describe_settings((interval, anti_entropy): &(Duration, Option<Duration>)) -> String {
    match anti_entropy {
        Some(every) => format!("gossip every {interval:?}, anti-entropy every {every:?}"),
        None => format!("gossip every {interval:?}, anti-entropy off"),
    }
}

/// Wall-clock time for event stamps: milliseconds since the Unix epoch.
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
