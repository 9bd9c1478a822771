//! # gossip-tools
//!
//! The workshop's tools around the node, each a binary of this crate:
//!
//! * `gossip-sim` (`src/bin/gossip-sim/`) — the protocol core on a simulated
//!   network, from a narrated demo of eight nodes to a rumor through ten
//!   million; it draws the README's charts and records runs for the page.
//! * `gossip-bench` (`src/bin/gossip-bench/`) — the figures: the simulator at
//!   scale, and live clusters of `gossip-node` beside HashiCorp Serf.
//!
//! The simulation itself is the node library's ([`gossip_node::sim`]); these
//! binaries parse the command line, run it and print, chart or time it. What
//! only they need (plotters, indicatif, rmp-serde, anyhow) is a dependency of
//! this crate, never of the node.
//!
//! ## Layout
//!
//! * [`procfs`] — a process's memory and CPU time, for the figures.

pub mod procfs;
