//! # gossip-exercises
//!
//! The workshop's curriculum as code. Each module folder (`00_tour/`,
//! `01_versions/`, ...) holds a README and the file you complete; the same
//! file with a solution sits at the same place under `solutions/`.
//!
//! * [`learner`] — your files, compiled as part of the workspace, so
//!   `cargo build` stays green while you work (a `todo!()` compiles).
//! * [`solutions`] — the parallel tree of solutions.
//! * [`workshop`] — your functions (or the solutions) plugged into the
//!   protocol core as its [`Pieces`](gossip_node::core::pieces::Pieces), one
//!   module at a time, with the reference standing in for the rest.
//! * [`check`] — the graded scenarios: each module's checks run the pieces
//!   on the simulator and report figures and a verdict in protocol terms.
//! * [`modules`] — the list of modules, their folders and their hints.
//!
//! Binaries: `gossip-check` (`make check`, `make hint`, `make progress`,
//! `make watch`) and `gossip-node-workshop` (`make run IMPL=workshop`).

// Lets the files of the modules name this crate the same way from inside
// it as from outside: `gossip_exercises::tour::Messenger`.
extern crate self as gossip_exercises;

pub mod check;
pub mod learner;
pub mod modules;
pub mod solutions;
pub mod tour;
pub mod workshop;
