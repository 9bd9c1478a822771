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
