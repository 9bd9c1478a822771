//! # gossip-node
//!
//! A gossip (epidemic) protocol node, written to be read.
//!
//! Nodes spread news the way a rumor spreads: whoever hears something new tells
//! a few random peers, who tell a few more, until (almost) everyone knows. No
//! node is in charge, so no node is a single point of failure, and news reaches
//! `N` nodes in `O(log N)` rounds.
//!
//! ## Layout
//!
//! * [`core`] — the protocol itself, as a state machine with no IO: versioned
//!   store and merge, membership, peer selection, rumor spreading, messages and
//!   events. Start reading here.
//! * [`effects`] — what every host does with the core's outputs: encode,
//!   count, report, apply the injected faults, transmit.
//! * [`runtime`] — the live host around the core: command line, HTTP routes
//!   (`POST /update`, `GET /state`, `POST /gossip`, ...), the HTTP transport
//!   between nodes, timers, and the WebSocket link to the visualizer.
//! * [`sim`] — the same core on a virtual network in virtual time: seeded,
//!   with loss, latency, cut links and crashes; scenario tests run on it.
//! * [`story`] — the workshop's stories (kill 3, update 1, restart 3...),
//!   written once, played on the simulator or on real processes.
//! * [`effects`] — one pipeline that carries the core's outputs out, with
//!   one fault model, for the live host and the simulator alike.
//!
//! The binary `gossip-node` only parses the command line, binds the port and
//! calls [`runtime::run`].
//!
//! Beside this crate, not in it: the tools (`node/tools/`: `gossip-sim` and
//! `gossip-bench`, with their charts and progress bars) and the test kit
//! (`node/testkit/`: real processes on free ports, a browser). This library
//! holds what a node needs and nothing else, so the visualizer and the
//! exercises that depend on it compile nothing more.

pub mod core;
pub mod effects;
pub mod runtime;
pub mod sim;
pub mod story;
