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

use super::event::Event;
use super::membership::MemberStatus;
use super::message::Message;
use super::version::NodeId;
use super::{Handling, Node};
use rand::seq::IteratorRandom;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Most heartbeats in one message: about 45 bytes each as JSON, so a
/// message stays well under the 64 KiB a node accepts.
pub const MAX_BEATS_PER_MESSAGE: usize = 1_000;

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DetectorKind {
    /// Probes, indirect probes, suspicion and refutation (see `swim`).
    #[default]
    Swim,
    /// Gossiped heartbeat tables and a timeout.
    Heartbeat,
}

impl FromStr for DetectorKind {
    type Err = String;
    fn from_str(text: &str) -> Result<DetectorKind, String> {
        match text {
            "swim" => Ok(DetectorKind::Swim),
            "heartbeat" => Ok(DetectorKind::Heartbeat),
            other => Err(format!("unknown detector {other:?}: use swim or heartbeat")),
        }
    }
}

impl fmt::Display for DetectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DetectorKind::Swim => "swim",
            DetectorKind::Heartbeat => "heartbeat",
        })
    }
}

/// The reference timeout, in gossip rounds: 4 + 2 × ⌈log2 N⌉. The oldest
/// heartbeat any node holds of a live member grows like log N, and a lossy
/// network stretches it: over 300 simulated seconds with fanout 2 the worst
/// was 5 rounds at N = 4, 9 at 16, 11 at 64 and 14 at 256 (20 % loss); this
/// timeout is 8, 12, 16 and 20 rounds, always above that with a margin.
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
}

impl Node {
    /// The timeout in force: the fixed one, or the pieces' scaled one.
    pub fn heartbeat_timeout(&self) -> Duration {
        match self.config.heartbeat_timeout {
            Some(fixed) => fixed,
            None => self
                .config
                .pieces
                .heartbeat_timeout(self.members.len(), self.config.interval),
        }
    }

    /// The heartbeat table, for tests and the checker.
    pub fn beats(&self) -> &Beats {
        &self.beats
    }

    /// A gossip round of the heartbeat detector: beat, tell `fanout` random
    /// peers the whole table, then judge who has been silent too long.
    pub(super) fn heartbeat_round<R: Rng + ?Sized>(
        &mut self,
        now: Duration,
        rng: &mut R,
        h: &mut Handling,
    ) {
        self.beats.mine = Heartbeat {
            generation: self.config.incarnation,
            count: self.beats.mine.count + 1,
        };
        let mut beats = vec![(self.config.id, self.beats.mine)];
        let table = self.beats.table.iter().map(|(id, b)| (*id, b.heartbeat));
        if self.beats.table.len() < MAX_BEATS_PER_MESSAGE {
            beats.extend(table);
        } else {
            // A table this big would not fit one message: a random part of
            // it each time (the whole table still travels, over rounds).
            beats.extend(table.choose_multiple(rng, MAX_BEATS_PER_MESSAGE - 1));
        }
        for addr in self.peers_for_round(rng) {
            let message = Message::Heartbeats {
                beats: beats.clone(),
            };
            self.send(rng, &addr, message, &mut h.out);
        }
        self.judge_heartbeats(now, h);
    }

    /// Declare dead every active member whose heartbeat has not gone up for
    /// the timeout. A member never heard from is timed from when we first
    /// judge it.
    fn judge_heartbeats(&mut self, now: Duration, h: &mut Handling) {
        let timeout = self.heartbeat_timeout();
        let active: Vec<(NodeId, u64)> = self
            .members
            .peers()
            .map(|m| (m.id, m.incarnation))
            .collect();
        for (id, life) in active {
            let fresh = Beat {
                heartbeat: Heartbeat {
                    generation: life,
                    count: 0,
                },
                seen_at: now,
            };
            let beat = self.beats.table.entry(id).or_insert(fresh);
            if beat.heartbeat.generation < life {
                // Membership news of a new life (a restart) came first: time
                // the new life from now, not from the old life's last beat.
                *beat = fresh;
            }
            let beat = *beat;
            if self.config.pieces.heartbeat_failed(&beat, now, timeout) {
                self.set_status_locally(id, MemberStatus::Dead, h);
            }
        }
    }

    /// A peer's heartbeat table arrived: take in every higher heartbeat; a
    /// member we held dead that beats again is alive.
    pub(super) fn on_heartbeats(
        &mut self,
        now: Duration,
        beats: &[(NodeId, Heartbeat)],
        h: &mut Handling,
    ) {
        for (id, heard) in beats {
            if *id == self.config.id || self.members.get(*id).is_none() {
                continue; // ourselves, or someone membership news will introduce
            }
            let known = self.beats.table.get(id);
            let Some(beat) = self.config.pieces.heard_beat(known, *heard, now) else {
                continue;
            };
            self.beats.table.insert(*id, beat);
            let dead = self
                .members
                .get(*id)
                .is_some_and(|m| m.status == MemberStatus::Dead);
            if dead
                && !self
                    .config
                    .pieces
                    .heartbeat_failed(&beat, now, self.heartbeat_timeout())
            {
                self.beats.revived += 1;
                self.set_status_locally(*id, MemberStatus::Alive, h);
            }
        }
    }

    /// This node's own verdict about a member: not news for others (each
    /// node judges heartbeats for itself), only reported to watchers.
    fn set_status_locally(&mut self, id: NodeId, status: MemberStatus, h: &mut Handling) {
        if let Some((member, previous)) = self.members.set_status(id, status) {
            h.out.push(super::Output::Event(Event::MemberChanged {
                member,
                previous: Some(previous),
                by: self.config.id,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Network;

    fn heartbeat_cluster(seed: u64, n: u64, timeout: Option<Duration>) -> Network {
        Network::formed_cluster(seed, n, |c| {
            c.detector = DetectorKind::Heartbeat;
            c.heartbeat_timeout = timeout;
        })
    }

    fn status(net: &Network, observer: u64, id: u64) -> MemberStatus {
        net.node(observer).members().get(NodeId(id)).unwrap().status
    }

    #[test]
    fn a_crashed_node_is_dead_everywhere_after_the_timeout_and_no_one_else() {
        let mut net = heartbeat_cluster(1, 8, None);
        net.run_for(Duration::from_secs(30));
        for observer in 1..=8 {
            for id in 1..=8 {
                assert_eq!(status(&net, observer, id), MemberStatus::Alive);
            }
        }
        net.crash(8);
        let everywhere = net.run_until(Duration::from_secs(60), |net| {
            (1..=7).all(|o| status(net, o, 8) == MemberStatus::Dead)
        });
        let took = everywhere.expect("node 8 declared dead by all");
        let timeout = scaled_timeout(8, Duration::from_secs(1));
        assert!(took > timeout, "not before the timeout: {took:?}");
        assert!(took <= timeout + Duration::from_secs(3), "{took:?}");
        for observer in 1..=7 {
            for id in 1..=7 {
                assert_eq!(status(&net, observer, id), MemberStatus::Alive);
            }
        }
    }

    #[test]
    fn a_restarted_node_is_alive_again_with_its_new_generation() {
        let mut net = heartbeat_cluster(2, 6, None);
        net.run_for(Duration::from_secs(10));
        net.crash(3);
        net.run_until(Duration::from_secs(60), |net| {
            (1..=6)
                .filter(|o| *o != 3)
                .all(|o| status(net, o, 3) == MemberStatus::Dead)
        })
        .expect("node 3 dead");
        net.restart(3);
        // Alive again, and still alive well past the timeout: its new
        // heartbeats keep coming.
        net.run_for(Duration::from_secs(40));
        let life = net.node(3).config().incarnation;
        for observer in [1, 2, 4, 5, 6] {
            assert_eq!(status(&net, observer, 3), MemberStatus::Alive);
            let beat = net.node(observer).beats().get(NodeId(3)).unwrap();
            assert_eq!(beat.heartbeat.generation, life, "observer {observer}");
        }
    }

    #[test]
    fn a_full_heartbeat_message_fits_what_a_node_accepts() {
        let beats: Vec<(NodeId, Heartbeat)> = (0..MAX_BEATS_PER_MESSAGE as u64)
            .map(|id| {
                let heartbeat = Heartbeat {
                    generation: 1_795_320_087_895,
                    count: 1_000_000,
                };
                (NodeId(u64::from(u32::MAX) + id), heartbeat)
            })
            .collect();
        let json = serde_json::to_vec(&Message::Heartbeats { beats }).unwrap();
        assert!(json.len() < 60 * 1024, "{} bytes", json.len());
    }

    #[test]
    fn a_big_table_travels_in_parts_that_fit() {
        use crate::core::membership::Member;
        use crate::core::{Config, Node, Output, Timer};
        use rand::SeedableRng;
        let mut config = Config::new(NodeId(1), "127.0.0.1:1", vec![]);
        config.detector = DetectorKind::Heartbeat;
        let mut node = Node::new(config);
        let members: Vec<Member> = (2..=1_500)
            .map(|id| Member::alive(NodeId(id), format!("127.0.0.1:{id}")))
            .collect();
        node.know_members(&members);
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let round = |node: &mut Node, rng: &mut rand::rngs::StdRng, at: u64| {
            let now = Duration::from_secs(at);
            node.timer(now, rng, Timer::GossipRound)
                .into_iter()
                .filter_map(|out| match out {
                    Output::Send { envelope, .. } => match envelope.message {
                        Message::Heartbeats { beats } => Some(beats),
                        _ => None,
                    },
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        round(&mut node, &mut rng, 1); // the table fills with every member
        let sent = round(&mut node, &mut rng, 2);
        assert!(!sent.is_empty());
        for beats in sent {
            assert_eq!(beats.len(), MAX_BEATS_PER_MESSAGE);
            assert_eq!(beats[0].0, NodeId(1), "our own heartbeat always goes first");
        }
    }

    #[test]
    fn a_new_life_beats_the_old_one_whatever_its_count() {
        let old = Heartbeat {
            generation: 10,
            count: 500,
        };
        let new = Heartbeat {
            generation: 11,
            count: 1,
        };
        assert!(new > old);
    }

    #[test]
    fn the_scaled_timeout_grows_like_log_n() {
        let round = Duration::from_secs(1);
        assert_eq!(scaled_timeout(4, round), Duration::from_secs(8));
        assert_eq!(scaled_timeout(64, round), Duration::from_secs(16));
        assert_eq!(scaled_timeout(1000, round), Duration::from_secs(24));
        assert_eq!(scaled_timeout(1, round), Duration::from_secs(6));
    }
}
