//! # gossip-testkit
//!
//! What the tests need that the node does not: real processes, and a browser.
//!
//! The protocol is tested without either (the core's unit tests, the
//! simulator's scenarios), and so are the HTTP routes: `node/tests/http/`
//! and `visualizer/src/tests.rs` call `app().oneshot(request)` on the
//! router, no socket, no process. What is left needs a process: ports,
//! signals, real gossip between real nodes, the tools' command lines, a
//! browser. This crate is for those.
//!
//! ## Layout
//!
//! * [`harness`] — start `gossip-node`, `gossip-visualizer` and the other
//!   binaries on free ports, learn their address, poll with a deadline,
//!   never leave a process behind;
//! * [`chromium`] — headless Chromium under chromedriver, for the page's tests;
//! * [`fake_peer`] — a bare listener that keeps what a node sends it, to
//!   measure a node's answers;
//! * [`process`] — one running binary, its address and its log, killed
//!   when dropped;
//! * [`run_dir`] — a cluster the visualizer runs, as `make run` leaves it,
//!   for the page's kill, restart and add buttons;
//! * [`stage`] — real processes as a stage for the node's stories, so the
//!   sheet's micro-challenge the simulator plays is played on real nodes too;
//! * [`webdriver`] — the few WebDriver commands the browser test sends to
//!   chromedriver (open a page, find, type, click, run a script, screenshot).
//!
//! Its own tests (`node/testkit/tests/`) are the process-level ones: the
//! sheet's cluster, fault injection on real nodes, `gossip-sim` and
//! `gossip-bench` as a participant runs them. They find the binaries next to
//! the test executable: build them first with `cargo build --workspace --bins`
//! (`make test` does).

pub mod chromium;
pub mod fake_peer;
pub mod harness;
pub mod process;
pub mod run_dir;
pub mod stage;
pub mod webdriver;
