//! Exercise 01 — versions and merge. (Read `README.md` in this folder first.)
//!
//! Two small functions decide, on every node, which of two writes of a key
//! survives. Check your work with `make check EX=01`; once it passes, the
//! checker tells you where the reference stands, to compare.

use gossip_node::core::version::Version;

/// Does a write stamped `incoming` beat the write stamped `current`?
///
/// A `Version` is a Lamport counter and the id of the node that wrote
/// (`incoming.counter`, `incoming.origin`).
pub fn newer(incoming: Version, current: Version) -> bool {
    // TODO: the higher counter wins. Two writes can carry the same counter
    // (they were made at the same time on two nodes): then every node must
    // still pick the *same* winner. Use the origin id to break the tie.
    // And a write is never newer than itself.
    todo!("newer: which of two writes wins?")
}

/// A node whose Lamport counter is `clock` receives a write whose counter is
/// `seen`. Return the node's new counter.
///
/// The node's next own write gets counter + 1: it must beat every write the
/// node has seen, and a clock never goes backwards.
pub fn observe(clock: u64, seen: u64) -> u64 {
    // TODO: one line.
    todo!("observe: the Lamport clock rule")
}
