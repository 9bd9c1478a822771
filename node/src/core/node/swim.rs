//! SWIM's messages and timers: probe one member a period, ask others when it
//! does not answer, suspect it, and declare it dead when the suspicion runs
//! out (the rules and the detector's state are in
//! [`swim`](crate::core::swim)).
//!
//! ```text
//!  A ──ping──▶ B            answer within the probe timeout? fine.
//!  A ──ping-req(B)──▶ C, D  no answer: ask k others to ping B for us
//!  C ──ping──▶ B ──ack──▶ C ──ack──▶ A
//! ```
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.4 (probes, suspicion, refutation, leave) and §3 (its timers).

use super::{Handling, Node, Output, Timer};
use crate::core::event::Event;
use crate::core::heartbeat::DetectorKind;
use crate::core::lifeguard::{HealthEvent, MAX_SCORE};
use crate::core::membership::{Member, MemberStatus};
use crate::core::message::{pack_rumors, Message};
use crate::core::peer_selection::choose_among;
use crate::core::rumor::Mode;
use crate::core::store::Entry;
use crate::core::version::NodeId;
use rand::seq::IteratorRandom;
use rand::RngCore;
use std::time::Duration;

impl Node {
    /// A protocol period begins: judge the last probe, then probe the next member.
    pub(super) fn probe_period(&mut self, rng: &mut dyn RngCore, h: &mut Handling) {
        if let Some(verdict) = self.detector.judge() {
            let event = if verdict.acked {
                HealthEvent::ProbeAcked
            } else {
                self.suspect(verdict.target, h);
                HealthEvent::ProbeFailed {
                    nacks_expected: verdict.helpers,
                    nacks: verdict.nacks,
                }
            };
            self.health_event(event, h);
        }
        self.ping_a_dead_member(rng, h);
        let order = self.config.swim.probe_order;
        if let Some(target) = self.detector.next_target(&self.members, order, rng) {
            let seq = self.detector.start_probe(target.id);
            let ping = Message::Ping { seq };
            if self.config.swim.lifeguard && target.status == MemberStatus::Suspect {
                // The buddy system: a suspect hears it is suspected in the
                // very ping, and can refute at once.
                self.send_first_telling(rng, &target, ping, &mut h.out);
            } else {
                self.send(rng, &target, ping, &mut h.out);
            }
            self.rumors_beside(rng, &target, &mut h.out);
            let after = self.lifeguard_scaled(self.config.swim.probe_timeout);
            h.out.push(Output::SetTimer {
                timer: Timer::ProbeTimeout { seq },
                after,
            });
        }
    }

    /// Proof pings: up to `fanout` members learned second-hand get a ping
    /// of their own this round. Until a member is proven, rumors do not go
    /// to it (see `Membership`); waiting for its turn in the probe order
    /// would leave a newcomer to a cluster of N without rumors for up to N
    /// periods, and an update made meanwhile, without anti-entropy, might
    /// never reach it.
    pub(super) fn send_proof_pings(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        if self.config.detector != DetectorKind::Swim {
            return;
        }
        let mut sent = 0;
        while sent < self.config.fanout {
            let Some(id) = self.detector.next_to_prove() else {
                return;
            };
            let waiting = self
                .members
                .get(id)
                .filter(|m| m.status.is_active() && self.members.is_unproven(id))
                .cloned();
            if let Some(member) = waiting {
                // High bit set: never one of the counter's numbers.
                let seq = rng.next_u64() | 1 << 63;
                let round = self.counters.rounds;
                self.detector.start_proof(id, seq, round);
                self.send(rng, &member, Message::Ping { seq }, out);
                sent += 1;
            }
        }
    }

    /// No direct ack in time: ask `indirect_checks` other members to ping.
    pub(super) fn probe_timeout(&mut self, rng: &mut dyn RngCore, seq: u64, h: &mut Handling) {
        let Some(target) = self.detector.unacked(seq) else {
            return;
        };
        let Some(target) = self
            .members
            .get(target)
            .filter(|m| m.status.is_active())
            .cloned()
        else {
            return; // declared dead or gone meanwhile: no help needed
        };
        let helpers: Vec<Member> = choose_among(
            self.members.peers().filter(|m| m.id != target.id),
            self.config.swim.indirect_checks,
            rng,
        )
        .into_iter()
        .cloned()
        .collect();
        for helper in &helpers {
            let message = Message::PingReq {
                seq,
                target: target.clone(),
            };
            self.send(rng, helper, message, &mut h.out);
        }
        self.detector
            .asked_helpers(seq, helpers.iter().map(|m| m.id).collect());
    }

    pub(super) fn on_ping(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        seq: u64,
        h: &mut Handling,
    ) {
        self.send(rng, from, Message::Ack { seq }, &mut h.out);
        self.rumors_beside(rng, from, &mut h.out);
    }

    /// With `rumors_with_probes` (a lever the bench measures; off as the
    /// exercises teach it): a probe or ack to a proven member goes with a
    /// push of the hot rumors (one message's worth, no feedback asked),
    /// counted against them as a round's push would be. memberlist
    /// piggybacks its broadcasts on the probe's own packet; our transport
    /// sends one message per request, so the rumors go beside it. Either
    /// way each probe is one more carrier for the news.
    fn rumors_beside(&mut self, rng: &mut dyn RngCore, member: &Member, out: &mut Vec<Output>) {
        let pushes = matches!(self.config.mode, Mode::Push | Mode::PushPull);
        let peer = self
            .members
            .get(member.id)
            .is_some_and(|m| self.members.is_peer(m));
        if !self.config.rumors_with_probes || !pushes || !peer {
            return;
        }
        let Some(push) = pack_rumors(self.hot_entries(), false).into_iter().next() else {
            return;
        };
        let Message::Rumor { entries, .. } = &push else {
            return;
        };
        let sent: Vec<(String, Entry)> = entries.clone().into_iter().collect();
        let before = out.len();
        self.send(rng, member, push, out);
        if out.len() > before {
            self.count_sends(&sent, 1, out);
        }
    }

    pub(super) fn on_ack(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        seq: u64,
        h: &mut Handling,
    ) {
        let probed = self.detector.unacked(seq) == Some(from.id);
        let round = self.counters.rounds;
        if probed || self.detector.proof_acked(seq, from.id, round) {
            // It answered our probe or proof ping: a member that answers, proven.
            self.members.mark_proven(from.id);
        }
        if let Some((requester, their_seq)) = self.detector.ack(seq) {
            // We pinged on someone's behalf: pass the ack on.
            self.relay(rng, &requester, Message::Ack { seq: their_seq }, &mut h.out);
        }
    }

    /// Someone asks us to ping `target` for them.
    pub(super) fn on_ping_req(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        seq: u64,
        target: &Member,
        h: &mut Handling,
    ) {
        // Only a member we know, at the address we know it by: a ping-req
        // cannot aim our pings at an address of the sender's choosing.
        let Some(target) = self.members.get(target.id).cloned() else {
            return;
        };
        let ours = self.detector.relay(from.clone(), seq);
        self.relay(rng, &target, Message::Ping { seq: ours }, &mut h.out);
        let after = self.config.swim.probe_interval;
        h.out.push(Output::SetTimer {
            timer: Timer::RelayExpired { seq: ours },
            after,
        });
        // Lifeguard: if the target stays silent, say so before the
        // requester's period ends (memberlist waits a whole probe timeout;
        // four fifths of it leave the nack time to arrive).
        h.out.push(Output::SetTimer {
            timer: Timer::RelayNack { seq: ours },
            after: self.config.swim.probe_timeout.mul_f64(0.8),
        });
    }

    /// The ping we sent for someone (ours numbered `seq`) is still
    /// unanswered: tell them we could not reach it either.
    pub(super) fn relay_nack(&mut self, rng: &mut dyn RngCore, seq: u64, h: &mut Handling) {
        if let Some((requester, their_seq)) = self.detector.unanswered_relay(seq) {
            self.relay(
                rng,
                &requester,
                Message::Nack { seq: their_seq },
                &mut h.out,
            );
        }
    }

    /// A helper could not reach the member we asked it to ping.
    pub(super) fn on_nack(&mut self, from: &Member, seq: u64) {
        self.detector.nack(from.id, seq);
    }

    /// The host could not even connect to `addr` (refused: no process
    /// listens there). With `suspect_refused`, the member there is
    /// suspected at once, by this node, as if a probe of it had failed:
    /// a crashed member is found by the first message sent to it, not by
    /// the next probe of it. UDP (memberlist's probes) cannot see this;
    /// TCP can. A paused or slow process still accepts connections, so
    /// this never accuses it.
    pub fn unreachable(&mut self, now: Duration, addr: &str) -> Vec<Output> {
        let mut h = Handling::at(now);
        if self.config.swim.suspect_refused && self.config.detector == DetectorKind::Swim {
            if let Some(id) = self.members.by_addr(addr).map(|m| m.id) {
                self.suspect(id, &mut h);
            }
        }
        h.out
    }

    /// `base` stretched by this node's health, with Lifeguard on.
    pub(super) fn lifeguard_scaled(&self, base: Duration) -> Duration {
        if self.config.swim.lifeguard {
            self.config.pieces.health_scaled(base, self.health)
        } else {
            base
        }
    }

    /// Something told this node about its own health (Lifeguard on only).
    pub(super) fn health_event(&mut self, event: HealthEvent, h: &mut Handling) {
        if !self.config.swim.lifeguard {
            return;
        }
        let score = self
            .config
            .pieces
            .health_after(self.health, event)
            .min(MAX_SCORE);
        if score != self.health {
            self.health = score;
            h.out.push(Output::Event(Event::HealthChanged { score }));
        }
    }

    /// Mark `id` suspect ourselves, after a failed probe; if it is suspect
    /// already, our failure is one more accusation (Lifeguard).
    pub(super) fn suspect(&mut self, id: NodeId, h: &mut Handling) {
        let Some(member) = self
            .members
            .get(id)
            .filter(|m| m.status.is_active())
            .cloned()
        else {
            return;
        };
        let suspect = Member {
            status: MemberStatus::Suspect,
            ..member
        };
        self.apply_member_news(&suspect, self.config.id, h);
    }

    /// Every few periods, ping one random dead member besides the probe: if
    /// it was wrongly declared dead (a long pause, a healed partition), the
    /// ping carries the news and it refutes. Nobody waits for its ack, so
    /// the dead never slow down the probing of the living.
    fn ping_a_dead_member(&mut self, rng: &mut dyn RngCore, h: &mut Handling) {
        if !self.detector.dead_probe_due() {
            return;
        }
        let dead = self
            .members
            .all()
            .filter(|m| m.status == MemberStatus::Dead)
            .choose(rng)
            .cloned();
        if let Some(member) = dead {
            let seq = self.detector.next_seq();
            self.send(rng, &member, Message::Ping { seq }, &mut h.out);
        }
    }
}
