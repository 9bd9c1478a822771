//! Versions: how every node agrees which write is newest.
//!
//! Gossip delivers updates in any order, sometimes twice, sometimes never (until
//! a later round repairs it). So a node must be able to look at two writes of the
//! same key and pick the same winner as every other node, with no coordinator.
//!
//! A wall-clock timestamp is not enough: clocks on two machines disagree, and two
//! writes in the same millisecond tie. We use a **Lamport clock** instead
//! (Lamport, "Time, Clocks, and the Ordering of Events", 1978):
//!
//! * every node keeps a counter;
//! * a local write increments it and stamps the write with it;
//! * whenever a node *sees* a stamp (in a message), it moves its own counter up
//!   to at least that value, so its next write is stamped higher than anything
//!   it has seen.
//!
//! Two concurrent writes can still carry the same counter, so the writer's id
//! breaks the tie. `(counter, origin)` compared in that order is a **total order**:
//! every pair of distinct writes has exactly one winner, the same on every node.
//!
//! A counter only ever goes up, so one absurd stamp from a peer (2^64 − 1)
//! would leave a node's clock nowhere to go: every later write would tie or
//! lose. A node therefore takes a peer's stamp only [`within_reach`] of its
//! own clock, and refuses to write once its clock reaches [`MAX_VERSION`],
//! rather than acknowledge writes that lose everywhere.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §5.1 (the Lamport order of writes).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The id a node is started with (`--id 3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u64);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The stamp on one write. Field order matters: the derived `Ord` compares
/// `counter` first and falls back to `origin` only on a tie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    /// The Lamport counter of the writer when it wrote.
    pub counter: u64,
    /// The node that made the write; breaks ties between concurrent writes.
    pub origin: NodeId,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}@{}", self.counter, self.origin)
    }
}

/// A node's Lamport clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LamportClock {
    counter: u64,
}

impl LamportClock {
    /// Stamp a new local write: strictly greater than anything seen so far.
    pub fn tick(&mut self, me: NodeId) -> Version {
        // Saturating: a peer that sent u64::MAX must not make us crash.
        self.counter = self.counter.saturating_add(1);
        Version {
            counter: self.counter,
            origin: me,
        }
    }

    /// Remember a stamp seen in a message, so the next local write beats it.
    pub fn observe(&mut self, seen: Version) {
        self.counter = self.counter.max(seen.counter);
    }

    /// Move the counter to `counter`, as an [`observe`] rule decided.
    pub fn set(&mut self, counter: u64) {
        self.counter = counter;
    }

    /// The highest counter seen or made so far.
    pub fn current(&self) -> u64 {
        self.counter
    }
}

/// The highest counter a write may carry. Far beyond anything honest (a
/// write a microsecond for 140,000 years), and far below `u64::MAX`, so a
/// clock at any counter a peer can make it reach still has room to write.
pub const MAX_VERSION: u64 = 1 << 62;

/// How far ahead of a node's clock a peer's stamp may be: four billion
/// writes. An honest cluster is never that far ahead of any of its nodes; a
/// forged stamp can move a clock only this far per message.
pub const MAX_VERSION_JUMP: u64 = 1 << 32;

/// May a node whose counter is `clock` take a stamp with counter `seen`?
/// Only below [`MAX_VERSION`] and at most [`MAX_VERSION_JUMP`] ahead.
pub fn within_reach(clock: u64, seen: u64) -> bool {
    seen <= MAX_VERSION && seen <= clock.saturating_add(MAX_VERSION_JUMP)
}

/// Does a write stamped `incoming` beat the one stamped `current`? Last
/// writer wins in Lamport order: the higher counter, and on a tie the higher
/// origin id, so every node picks the same winner. (Exercise 01.)
pub fn newer(incoming: Version, current: Version) -> bool {
    incoming > current
}

/// A node whose counter is `clock` sees a stamp with counter `seen`: its new
/// counter, never lower than either, so its next write beats what it saw.
/// (Exercise 01.)
pub fn observe(clock: u64, seen: u64) -> u64 {
    clock.max(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_decides_before_origin() {
        let older = Version {
            counter: 3,
            origin: NodeId(9),
        };
        let newer = Version {
            counter: 4,
            origin: NodeId(1),
        };
        assert!(newer > older);
    }

    #[test]
    fn an_absurd_stamp_from_a_peer_does_not_overflow() {
        let mut clock = LamportClock::default();
        clock.observe(Version {
            counter: u64::MAX,
            origin: NodeId(2),
        });
        assert_eq!(clock.tick(NodeId(1)).counter, u64::MAX);
    }

    #[test]
    fn a_stamp_is_taken_only_within_reach_of_the_clock() {
        assert!(within_reach(0, 5));
        assert!(within_reach(0, MAX_VERSION_JUMP));
        assert!(!within_reach(0, MAX_VERSION_JUMP + 1));
        assert!(!within_reach(10, u64::MAX));
        assert!(!within_reach(MAX_VERSION, MAX_VERSION + 1));
        assert!(within_reach(MAX_VERSION, MAX_VERSION));
    }

    #[test]
    fn origin_breaks_a_tie() {
        let a = Version {
            counter: 5,
            origin: NodeId(1),
        };
        let b = Version {
            counter: 5,
            origin: NodeId(2),
        };
        assert!(b > a);
    }

    #[test]
    fn a_write_after_seeing_a_stamp_beats_it() {
        let mut clock = LamportClock::default();
        clock.observe(Version {
            counter: 41,
            origin: NodeId(7),
        });
        let mine = clock.tick(NodeId(1));
        assert_eq!(mine.counter, 42);
        assert!(
            mine > Version {
                counter: 41,
                origin: NodeId(7)
            }
        );
    }
}
