//! The simulator: the protocol core on a virtual network, in virtual time.
//!
//! [`Network`] runs many [`Node`](crate::core::Node)s — the very same core the
//! live `gossip-node` runs — and plays everything around them: a clock that
//! jumps from one scheduled step to the next, message delivery with latency
//! and loss, links that can be cut (even one way), nodes that crash and come
//! back. Every random choice comes from one seeded RNG, so a scenario replays
//! exactly, and a test can say "kill node 3, update node 1, node 4 still gets
//! it" and check it deterministically, in microseconds.

//!
//! Two scales, both on the core's own code:
//!
//! * [`network`] and [`detection`]: complete nodes (store, membership, SWIM,
//!   anti-entropy) exchanging real messages; memory grows as N² because every
//!   node knows every member (about 50 bytes per record: 5 GB at 10,000
//!   nodes), time as the number of messages. Up to 10,000 nodes.
//! * [`epidemic`]: one rumor and uniform peer sampling; 8 bytes per node and
//!   O(N) work per round, so 10 million nodes fit in 80 MB and a few seconds.
//!
//! [`theory`] holds the formulas the runs are checked against; [`demos`] and
//! [`trace`] turn runs into narrations and replayable recordings.

pub mod demos;
pub mod detection;
pub mod epidemic;
pub mod network;
pub mod stage;
pub mod theory;
pub mod trace;

pub use epidemic::{Epidemic, Spread};
pub use network::{Latency, Network, NetworkStats};
pub use stage::SimStage;
