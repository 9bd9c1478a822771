//! `GET /metrics`: what a node did, as Prometheus scrapes it.
//!
//! Two kinds of figure. The host's [`Traffic`] counts what crossed the wire
//! (messages and bytes each way, by message kind, drops); its counters live
//! as long as the node and are bumped as things happen. The core's own
//! figures (rounds, updates, entries learned, rumors still hot, members) are
//! plain numbers inside the protocol core, which knows nothing of
//! Prometheus; each scrape reads them once, under the core's lock.
//!
//! The text is written by the `prometheus-client` crate in the OpenMetrics
//! format (`# HELP`, `# TYPE`, samples, `# EOF`), which Prometheus reads;
//! counters end in `_total`. Every name starts `gossip_`.

use crate::core::Counters;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;

/// The content type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A message kind as a label: `{kind="ping"}`. Kinds are the message
/// enum's names, a fixed set, so a family holds a bounded number of series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Kind {
    kind: &'static str,
}

/// What the host carried, counted as it happens. Each counter is shared
/// (cloning one clones a handle, not the count).
#[derive(Debug, Default)]
pub struct Traffic {
    messages_sent: Counter,
    bytes_sent: Counter,
    messages_received: Counter,
    bytes_received: Counter,
    messages_dropped: Counter,
    messages_undelivered: Counter,
    sent_by_kind: Family<Kind, Counter>,
    bytes_by_kind: Family<Kind, Counter>,
    events_dropped: Counter,
    untagged: Counter,
}

impl Traffic {
    /// A message of `kind`, `bytes` long, went to the transport.
    pub fn sent(&self, kind: &'static str, bytes: usize) {
        self.messages_sent.inc();
        self.bytes_sent.inc_by(bytes as u64);
        self.sent_by_kind.get_or_create(&Kind { kind }).inc();
        self.bytes_by_kind
            .get_or_create(&Kind { kind })
            .inc_by(bytes as u64);
    }

    /// A peer's message, `bytes` long, was handed to the core.
    pub fn received(&self, bytes: usize) {
        self.messages_received.inc();
        self.bytes_received.inc_by(bytes as u64);
    }

    /// An injected fault dropped a message.
    pub fn dropped(&self) {
        self.messages_dropped.inc();
    }

    /// The transport could not deliver a message.
    pub fn undelivered(&self) {
        self.messages_undelivered.inc();
    }

    /// A peer message without this cluster's tag was refused.
    pub fn untagged(&self) {
        self.untagged.inc();
    }

    /// The visualizer link was behind, so an event was dropped.
    pub fn event_dropped(&self) {
        self.events_dropped.inc();
    }

    fn register(&self, registry: &mut Registry) {
        let counters = [
            (
                "messages_sent",
                "Messages sent to peers",
                &self.messages_sent,
            ),
            (
                "bytes_sent",
                "Bytes of messages sent to peers",
                &self.bytes_sent,
            ),
            (
                "messages_received",
                "Messages received from peers",
                &self.messages_received,
            ),
            (
                "bytes_received",
                "Bytes of messages received from peers",
                &self.bytes_received,
            ),
            (
                "messages_dropped",
                "Messages dropped by injected faults",
                &self.messages_dropped,
            ),
            (
                "messages_undelivered",
                "Messages that could not be delivered",
                &self.messages_undelivered,
            ),
            (
                "visualizer_events_dropped",
                "Events dropped because the visualizer link was behind",
                &self.events_dropped,
            ),
            (
                "messages_untagged",
                "Peer messages refused for want of this cluster's key",
                &self.untagged,
            ),
        ];
        for (name, help, counter) in counters {
            registry.register(name, help, counter.clone());
        }
        let by_kind = [
            (
                "messages_sent_by_kind",
                "Messages sent, by kind",
                &self.sent_by_kind,
            ),
            (
                "bytes_sent_by_kind",
                "Bytes sent, by message kind",
                &self.bytes_by_kind,
            ),
        ];
        for (name, help, family) in by_kind {
            registry.register(name, help, family.clone());
        }
    }
}

/// The core's figures at one moment.
pub struct CoreFigures {
    pub counters: Counters,
    pub hot_rumors: usize,
    pub entries: usize,
    pub members: usize,
    /// Members not yet heard answering (see `Membership`).
    pub unproven: usize,
    /// Lifeguard's local health score (0 healthy).
    pub health: u32,
}

/// The whole `/metrics` text: the host's traffic and the core's figures.
pub fn exposition(traffic: &Traffic, core: CoreFigures) -> String {
    let mut registry = Registry::with_prefix("gossip");
    traffic.register(&mut registry);
    let c = core.counters;
    let counters = [
        ("rounds", "Gossip rounds run", c.rounds),
        (
            "messages_refused",
            "Peer messages refused: out of shape, or beyond reach",
            c.messages_refused,
        ),
        (
            "members_refused",
            "News of members left out: too many known only second-hand",
            c.members_refused,
        ),
        (
            "entries_refused_full",
            "Peers' entries left out because the store was full",
            c.entries_refused_full,
        ),
        (
            "replies_cut",
            "Answers shortened or left out to stay within 3 times the message they answer",
            c.replies_cut,
        ),
        (
            "updates",
            "Updates written by clients on this node",
            c.updates_from_clients,
        ),
        (
            "entries_learned",
            "Entries learned from peers that were news",
            c.entries_learned,
        ),
        (
            "redundant_entries",
            "Entries received that this node already had",
            c.redundant_entries,
        ),
        (
            "tree_ids_announced",
            "Plumtree: entry ids announced on lazy links",
            c.ids_announced,
        ),
        (
            "tree_grafts",
            "Plumtree: grafts sent (a payload missed; the link made eager)",
            c.grafts_sent,
        ),
        (
            "tree_prunes",
            "Plumtree: prunes sent (a duplicate payload; the link made lazy)",
            c.prunes_sent,
        ),
    ];
    for (name, help, value) in counters {
        registry.register(name, help, ConstCounter::new(value));
    }
    let gauges = [
        (
            "hot_rumors",
            "Rumors this node is still spreading",
            core.hot_rumors,
        ),
        ("entries", "Keys in this node's store", core.entries),
        (
            "members",
            "Members this node knows, itself included",
            core.members,
        ),
        (
            "members_unproven",
            "Members known but not yet heard answering a probe: gossip does not go to them",
            core.unproven,
        ),
        (
            "health_score",
            "Lifeguard's local health score: 0 healthy, up to 7; probe timeouts and periods are multiplied by it plus one",
            core.health as usize,
        ),
    ];
    for (name, help, value) in gauges {
        let value = i64::try_from(value).unwrap_or(i64::MAX);
        registry.register(name, help, ConstGauge::new(value));
    }
    let mut text = String::new();
    encode(&mut text, &registry).expect("writing to a String cannot fail");
    text
}
