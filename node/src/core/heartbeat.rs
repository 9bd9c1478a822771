//! Heartbeat failure detection: the classic alternative to SWIM.
//!
//! Every node keeps a counter, its **heartbeat**, and raises it once per
//! gossip round. It gossips its whole table of heartbeats (its own and every
//! one it has heard) to a few random peers. A receiver keeps, per member, the
//! highest heartbeat it has seen and **when, on its own clock,** that
//! heartbeat last went up. A member whose heartbeat has not gone up for the
//! timeout is declared dead, by each node on its own; when a higher heartbeat
//! arrives after all, it is alive again.
//!
//! ```text
//!  node 1's table      member  heartbeat  went up at (node 1's clock)
//!                      1       (g1, 57)   now
//!                      2       (g2, 55)   now - 0.3 s
//!                      3       (g3, 41)   now - 6.2 s   > timeout: dead
//! ```
//!
//! Three lessons sit in this small scheme (exercise 05):
//!
//! * the time stored is the **receiver's**: clocks of different machines
//!   disagree, so a sender's timestamp means nothing here;
//! * only a **higher** heartbeat counts: the last heartbeat of a crashed
//!   node keeps echoing around the cluster, and refreshing on an equal one
//!   would keep the dead alive for ever;
//! * a heartbeat is (generation, count), compared in that order: a
//!   restarted node counts from 0 again, and its new generation (the start
//!   time of this life, the same number as its SWIM incarnation) makes its
//!   fresh heartbeats beat the old life's.
//!
//! And the lesson of the timeout: the time a heartbeat takes to reach
//! everyone grows like log N and with message loss, so a **fixed** timeout
//! tuned on four nodes declares healthy nodes dead in a big or lossy cluster
//! (`--heartbeat-timeout 3s`), while one that grows like log N
//! (`auto`, the reference) does not. SWIM avoids the question: it asks the
//! suspect directly and through k others, and sends O(1) per period instead
//! of an O(N) table.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.5 and §5.4 (the heartbeat timeout).

use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Most heartbeats in one message: about 45 bytes each as JSON, so a
/// message stays well under the 64 KiB a node accepts.
pub const MAX_BEATS_PER_MESSAGE: usize = 1_000;

/// How far past the heartbeat we hold of a member a peer's may be, in
/// generations (start times in ms, like incarnations: 35 years) and in
/// counts within one life (a round a second for 136 years). A forged table
/// moves a member only this far per message.
pub const MAX_GENERATION_JUMP: u64 = 1 << 40;
pub const MAX_COUNT_JUMP: u64 = 1 << 32;
/// The highest generation or count a heartbeat may carry.
pub const MAX_BEAT: u64 = 1 << 62;

/// Could a peer's `heard` heartbeat of a member be true, given the one we
/// hold (`None`: none yet)?
pub fn plausible(heard: Heartbeat, known: Option<Heartbeat>) -> bool {
    if heard.generation > MAX_BEAT || heard.count > MAX_BEAT {
        return false;
    }
    let Some(known) = known else {
        return true;
    };
    if heard.generation != known.generation {
        let reach = known.generation.saturating_add(MAX_GENERATION_JUMP);
        return heard.generation <= reach && heard.count <= MAX_COUNT_JUMP;
    }
    heard.count <= known.count.saturating_add(MAX_COUNT_JUMP)
}

/// One node's heartbeat: the life it is in, and how many rounds it has
/// lived. Ordered by generation first: any beat of a new life beats the
/// old life's.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Heartbeat {
    pub generation: u64,
    pub count: u64,
}

/// What a node remembers of a member's heartbeat: the highest it has seen,
/// and when (on this node's clock) it last went up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beat {
    pub heartbeat: Heartbeat,
    pub seen_at: Duration,
}

/// Which failure detector a node runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum DetectorKind {
    /// Probes, indirect probes, suspicion and refutation (see `swim`).
    #[default]
    Swim,
    /// Gossiped heartbeat tables and a timeout.
    Heartbeat,
}

/// The reference timeout, in gossip rounds: 4 + 2 × ⌈log2 N⌉. The oldest
/// heartbeat any node holds of a live member grows like log N, and a lossy
/// network stretches it: over 300 simulated seconds with fanout 2 the worst
/// was 5 rounds at N = 4, 9 at 16, 11 at 64 and 14 at 256 (20 % loss); this
/// timeout is 8, 12, 16 and 20 rounds, always above that with a margin.
/// (Exercise 05.)
pub fn scaled_timeout(members: usize, interval: Duration) -> Duration {
    let doublings = (members.max(2) as f64).log2().ceil();
    interval.mul_f64(4.0 + 2.0 * doublings)
}

/// A node's heartbeat table.
#[derive(Clone, Debug, Default)]
pub struct Beats {
    mine: Heartbeat,
    table: BTreeMap<NodeId, Beat>,
    /// Times this node declared a member dead that later beat again.
    pub revived: u64,
}

impl Beats {
    /// The beat this node holds for `id`, if any.
    pub fn get(&self, id: NodeId) -> Option<&Beat> {
        self.table.get(&id)
    }

    /// Raise this node's own heartbeat, in its life `generation`.
    pub fn beat(&mut self, generation: u64) -> Heartbeat {
        self.mine = Heartbeat {
            generation,
            count: self.mine.count + 1,
        };
        self.mine
    }

    /// Every heartbeat this node holds of others.
    pub fn table(&self) -> impl ExactSizeIterator<Item = (NodeId, Heartbeat)> + '_ {
        self.table.iter().map(|(id, b)| (*id, b.heartbeat))
    }

    /// The beat held for member `id` in its life `life`: a member never heard
    /// from, or heard only in an older life, is timed from `now`.
    pub fn timed(&mut self, id: NodeId, life: u64, now: Duration) -> Beat {
        let fresh = Beat {
            heartbeat: Heartbeat {
                generation: life,
                count: 0,
            },
            seen_at: now,
        };
        let beat = self.table.entry(id).or_insert(fresh);
        if beat.heartbeat.generation < life {
            // Membership news of a new life (a restart) came first: time
            // the new life from now, not from the old life's last beat.
            *beat = fresh;
        }
        *beat
    }

    /// Keep `beat` as what this node knows of `id`.
    pub fn record(&mut self, id: NodeId, beat: Beat) {
        self.table.insert(id, beat);
    }
}

/// A peer's table says a member's heartbeat is `heard`; we hold `known` for
/// it. The record to keep from now on, or `None` to keep what we have. Only
/// a **higher** heartbeat counts (an equal one is an echo of news we have),
/// and the time stored is `now`, our own clock. (Exercise 05.)
pub fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
    let fresher = known.is_none_or(|k| heard > k.heartbeat);
    fresher.then_some(Beat {
        heartbeat: heard,
        seen_at: now,
    })
}

/// Has this member been silent too long? Its heartbeat went up at
/// `beat.seen_at`; it is dead once more than `timeout` has passed.
/// (Exercise 05.)
pub fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool {
    now.saturating_sub(beat.seen_at) > timeout
}
