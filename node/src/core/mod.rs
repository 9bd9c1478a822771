//! The protocol core: a gossip node as a pure state machine.
//!
//! Nothing in this module tree touches a socket, a clock or a global random
//! number generator: time and randomness are passed in with every input, so
//! a test with a seeded RNG replays the same run every time, and whatever a
//! test shows about the core holds for the live node, which runs the very
//! same code. The protocol itself is described in `docs/PROTOCOL.md`.
//!
//! Dependencies point one way, down three layers (`node/tests/one_way_core.rs`
//! fails on a file that imports upward or a circle):
//!
//! ```text
//!   node    node/ (Node and one handler file per sub-protocol), config, pieces
//!             inputs in, rules applied, outputs out
//!   wire    message (what travels), event (what is reported)
//!   rules   version, store, membership, peer_selection, rumor, digest, swim,
//!           heartbeat, broadcast, plumtree, aggregate, faults
//!             data and decisions: plain functions a learner can test and replace
//! ```
//!
//! The rules:
//! * [`version`] — Lamport versions that totally order writes;
//! * [`store`] — the versioned key/value store and its merge;
//! * [`membership`] — who is in the cluster, and which news about a member wins;
//! * [`peer_selection`] — choosing random peers;
//! * [`rumor`] — dissemination modes, stop rules, which rumors are still hot;
//! * [`digest`] — digests and differences that repair what rumors missed;
//! * [`swim`] — SWIM's probing state and its refute rule;
//! * [`heartbeat`] — the classic alternative: heartbeat tables and a timeout;
//! * [`broadcast`] — membership news piggybacked a limited number of times;
//! * [`plumtree`] — epidemic broadcast trees: which links carry payloads;
//! * [`aggregate`] — push-sum: averages by conserving mass;
//! * [`faults`] — loss, delay, partitions and pauses a host can inject.
//!
//! The wire: [`message`] and [`event`]. The node: [`Node`] and its
//! handlers, its [`Config`], and the [`pieces`] a workshop participant
//! replaces (each a one-line call to its rule).

pub mod aggregate;
pub mod broadcast;
pub mod config;
pub mod digest;
pub mod event;
pub mod faults;
pub mod heartbeat;
pub mod lifeguard;
pub mod membership;
pub mod message;
pub mod node;
pub mod peer_selection;
pub mod pieces;
pub mod plumtree;
pub mod rumor;
pub mod store;
pub mod swim;
pub mod version;

pub use config::Config;
pub use event::{NodeState, PushSumState};
pub use node::{
    plain_addr, Counters, Node, Output, Refusal, SettingsChange, Timer, UpdateError, DEMO_KEY,
    MAX_ENTRY_BYTES, MAX_KEY_LEN,
};
pub use rumor::Mode;
