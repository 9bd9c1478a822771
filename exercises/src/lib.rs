//! # gossip-exercises
//!
//! The workshop's curriculum as code. Each module folder (`00_tour/`,
//! `01_versions/`, ...) holds a README, the file you complete and its
//! hints; the same file with a solution sits at the same place under
//! `solutions/`. One table in [`modules`] registers them all.
//!
//! * your files are not in this crate: each module's file is a crate of
//!   its own (`exercises/NN_name/Cargo.toml`), linked with the checks in
//!   `exercises/workshop/` (crate `gossip-workshop`), so one module that
//!   does not compile never stops another; [`compile`] builds them apart.
//! * [`solutions`] — the parallel tree of solutions.
//! * [`workshop`] — a [`Code`](workshop::Code): your functions (or the
//!   solutions) plugged into the protocol core as its
//!   [`Pieces`](gossip_node::core::pieces::Pieces), one module at a time,
//!   with the reference standing in for the rest.
//! * [`check`] — the graded scenarios: each module's checks run the pieces
//!   on the simulator and report figures and a verdict in protocol terms;
//!   [`grade`] prints them.
//! * [`modules`] — the table of modules (one row each, from which the
//!   rest is built), their folders and files;
//!   [`hints`] — their hints (`NN_name/hints.md`), one at a time.
//! * [`tour`] — the answer type of module 00.
//!
//! The catalogue of plausible mistakes (`exercises/mistakes/`) proves, in
//! `tests/mistakes.rs`, that each one fails its module's check.
//!
//! Binaries: `gossip-check` (`make check`, `make hint`, `make progress`,
//! `make watch`, and the build of `make run IMPL=workshop`); in
//! `gossip-workshop`: `gossip-graded` and `gossip-node-workshop`.

// Lets the files of the modules name this crate the same way from inside
// it as from outside: `gossip_exercises::tour::Messenger`.
extern crate self as gossip_exercises;

pub mod check;
pub mod compile;
pub mod grade;
pub mod hints;
pub mod modules;
pub mod solutions;
pub mod tour;
pub mod workshop;
