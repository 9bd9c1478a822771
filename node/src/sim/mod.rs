//! The simulator: the protocol core on a virtual network, in virtual time.
//!
//! [`Network`] runs many [`Node`](crate::core::Node)s — the very same core the
//! live `gossip-node` runs — and plays everything around them: a clock that
//! jumps from one scheduled step to the next, message delivery with latency
//! and loss, links that can be cut (even one way), nodes that crash and come
//! back. Every random choice comes from one seeded RNG, so a scenario replays
//! exactly, and a test can say "kill node 3, update node 1, node 4 still gets
//! it" and check it deterministically, in microseconds.

pub mod demos;
pub mod detection;
pub mod epidemic;
pub mod network;
pub mod theory;
pub mod trace;

pub use epidemic::{Epidemic, Spread};
pub use network::{Network, NetworkStats};
