//! The heartbeat detector's round and messages: beat, gossip the whole
//! table, judge who has been silent too long (the table and its rules are in
//! [`heartbeat`](crate::core::heartbeat)).
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.5 (the table as it travels) and §5.4 (the timeout).

use super::{Handling, Node, Output};
use crate::core::event::Event;
use crate::core::heartbeat::{Beats, Heartbeat, MAX_BEATS_PER_MESSAGE};
use crate::core::membership::MemberStatus;
use crate::core::message::Message;
use crate::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;
use std::time::Duration;

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
    pub(super) fn heartbeat_round(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
        h: &mut Handling,
    ) {
        // The life this node is in now: its incarnation, raised by a
        // refutation too, so its heartbeats keep beating the news it refuted.
        let mine = self.beats.beat(self.members.me().incarnation);
        let mut beats = vec![(self.config.id, mine)];
        let table = self.beats.table();
        if table.len() < MAX_BEATS_PER_MESSAGE {
            beats.extend(table);
        } else {
            // A table this big would not fit one message: a random part of
            // it each time (the whole table still travels, over rounds).
            beats.extend(table.choose_multiple(rng, MAX_BEATS_PER_MESSAGE - 1));
        }
        for peer in self.peers_for_round(rng) {
            let message = Message::Heartbeats {
                beats: beats.clone(),
            };
            self.send(rng, &peer, message, &mut h.out);
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
            let beat = self.beats.timed(id, life, now);
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
            let known = self.beats.get(*id);
            let Some(beat) = self.config.pieces.heard_beat(known, *heard, now) else {
                continue;
            };
            self.beats.record(*id, beat);
            let dead = self
                .members
                .get(*id)
                .is_some_and(|m| m.status == MemberStatus::Dead);
            let timeout = self.heartbeat_timeout();
            if dead && !self.config.pieces.heartbeat_failed(&beat, now, timeout) {
                self.beats.revived += 1;
                self.set_status_locally(*id, MemberStatus::Alive, h);
            }
        }
    }

    /// This node's own verdict about a member: not news for others (each
    /// node judges heartbeats for itself), only reported to watchers.
    fn set_status_locally(&mut self, id: NodeId, status: MemberStatus, h: &mut Handling) {
        if let Some((member, previous)) = self.members.set_status(id, status) {
            h.out.push(Output::Event(Event::MemberChanged {
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
    use crate::core::heartbeat::{scaled_timeout, DetectorKind};
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

    #[test]
    fn a_node_that_refuted_beats_in_its_new_incarnation() {
        use crate::core::membership::{Member, MemberStatus};
        use crate::core::message::{Envelope, MessageId};
        use crate::core::{Config, Node, Output, Timer};
        use rand::SeedableRng;
        let mut config = Config::new(NodeId(1), "127.0.0.1:1", vec![]);
        config.detector = DetectorKind::Heartbeat;
        config.incarnation = 200;
        let mut node = Node::new(config);
        node.know_members(&[Member::alive(NodeId(2), "127.0.0.1:2")]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        // Node 2 lists node 1 dead in this life (a member list travels in a
        // welcome): node 1 refutes, and is alive at incarnation 201.
        let welcome = Envelope {
            id: MessageId(7),
            from: Member::alive(NodeId(2), "127.0.0.1:2"),
            updates: vec![],
            accusations: Vec::new(),
            message: Message::Welcome {
                members: vec![Member {
                    status: MemberStatus::Dead,
                    incarnation: 200,
                    ..Member::alive(NodeId(1), "127.0.0.1:1")
                }],
                more: false,
            },
        };
        node.receive(Duration::ZERO, &mut rng, welcome);
        assert_eq!(node.members().me().incarnation, 201);
        let sent: Vec<_> = node
            .timer(Duration::from_secs(1), &mut rng, Timer::GossipRound)
            .into_iter()
            .filter_map(|out| match out {
                Output::Send { envelope, .. } => match envelope.message {
                    Message::Heartbeats { beats } => Some(beats[0].1),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert!(!sent.is_empty());
        for mine in sent {
            assert_eq!(
                mine.generation, 201,
                "a heartbeat of the refuted life counts as older than the refutation everywhere"
            );
        }
    }
}
