//! SWIM failure detection (Das, Gupta and Motivala, 2002).
//!
//! Heartbeats to everyone cost O(N²) messages. SWIM's idea: each protocol
//! period, a node checks **one** member, chosen in shuffled round-robin order
//! so every member is checked within N periods:
//!
//! ```text
//!  A ──ping──▶ B            answer within the probe timeout? fine.
//!  A ──ping-req(B)──▶ C, D  no answer: ask k others to ping B for us
//!  C ──ping──▶ B ──ack──▶ C ──ack──▶ A   (a broken link A→B alone is not fatal)
//!  no ack by the end of the period: A marks B *suspect*
//!  still suspect after the suspicion timeout: B is *dead*
//! ```
//!
//! Suspicion is not a verdict. A node that hears it is suspected raises its
//! **incarnation** and says it is alive: fresher news that overrides the
//! suspicion everywhere (see [`membership`](super::membership)). All this news
//! is piggybacked on the pings and acks themselves
//! ([`broadcast`](super::broadcast)), so failure detection and dissemination
//! share the same few messages per period.
//!
//! Shuffled round robin is SWIM's refinement. The original paper picks a
//! **random** member each period; `--probe-order random` does that, so the
//! simulator can check the paper's analysis: a crashed member is first probed
//! after 1 / (1 − (1 − 1/(N−1))^(N−1)) periods on average (→ e/(e−1) ≈ 1.58),
//! but with no bound on the worst case. Round robin has the same mean (each
//! node still reaches a given member in a random period of its pass) and
//! bounds the worst case by 2N − 1 periods.
//!
//! Timings default to memberlist's (HashiCorp's production SWIM) with a
//! 1 s protocol period: probe timeout 500 ms, 3 indirect checks, suspicion
//! timeout 4 × max(1, log10 N) periods.

use super::broadcast;
use super::event::Event;
use super::membership::{Learned, Member, MemberStatus};
use super::message::Message;
use super::version::NodeId;
use super::{Handling, Node, Output, Timer};
use rand::seq::{IteratorRandom, SliceRandom};
use rand::Rng;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Every this many protocol periods, a node also pings one random dead
/// member: one that was wrongly declared dead (a long pause, a healed
/// partition) hears about it and refutes.
const DEAD_PROBE_EVERY: u64 = 4;

/// SWIM's timings and counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwimConfig {
    /// One protocol period: one member probed per period.
    pub probe_interval: Duration,
    /// How long to wait for a direct ack before asking others.
    pub probe_timeout: Duration,
    /// How many members are asked to ping indirectly (the k of SWIM).
    pub indirect_checks: usize,
    /// Suspicion timeout = this × max(1, log10 N) × probe interval.
    pub suspicion_mult: u32,
    /// Each piece of membership news is sent this × ⌈log10(N+1)⌉ times.
    pub retransmit_mult: u32,
    /// How the member to probe is chosen each period.
    pub probe_order: ProbeOrder,
}

/// How a node picks the member it probes in a protocol period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProbeOrder {
    /// Every member once per shuffled pass (SWIM §4.3, memberlist).
    #[default]
    RoundRobin,
    /// A uniformly random member each period (the paper's analysis).
    Random,
}

impl FromStr for ProbeOrder {
    type Err = String;
    fn from_str(text: &str) -> Result<ProbeOrder, String> {
        match text {
            "round-robin" => Ok(ProbeOrder::RoundRobin),
            "random" => Ok(ProbeOrder::Random),
            other => Err(format!(
                "unknown probe order {other:?}: use round-robin or random"
            )),
        }
    }
}

impl fmt::Display for ProbeOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProbeOrder::RoundRobin => "round-robin",
            ProbeOrder::Random => "random",
        })
    }
}

impl Default for SwimConfig {
    fn default() -> SwimConfig {
        SwimConfig {
            probe_interval: Duration::from_secs(1),
            probe_timeout: Duration::from_millis(500),
            indirect_checks: 3,
            suspicion_mult: 4,
            retransmit_mult: 4,
            probe_order: ProbeOrder::RoundRobin,
        }
    }
}

/// The probe of the current protocol period.
#[derive(Clone, Debug)]
struct Probe {
    seq: u64,
    target: NodeId,
    acked: bool,
}

/// A node's failure-detector state.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    /// Members to probe, shuffled; refilled when used up.
    order: Vec<NodeId>,
    /// Protocol periods so far (every few, one dead member is pinged in case
    /// it came back: like Serf's reconnect).
    periods: u64,
    probe: Option<Probe>,
    seq: u64,
    /// Pings we send for others (ping-req): our seq -> (requester, its seq).
    relays: BTreeMap<u64, (Arc<str>, u64)>,
}

impl Node {
    /// A protocol period begins: judge the last probe, then probe the next member.
    pub(super) fn probe_period<R: Rng + ?Sized>(&mut self, rng: &mut R, h: &mut Handling) {
        if let Some(probe) = self.detector.probe.take() {
            if !probe.acked {
                self.suspect(probe.target, h);
            }
        }
        self.ping_a_dead_member(rng, h);
        if let Some(target) = self.next_probe_target(rng) {
            self.detector.seq += 1;
            let seq = self.detector.seq;
            self.detector.probe = Some(Probe {
                seq,
                target: target.id,
                acked: false,
            });
            self.send(rng, &target.addr, Message::Ping { seq }, &mut h.out);
            let after = self.config.swim.probe_timeout;
            h.out.push(Output::SetTimer {
                timer: Timer::ProbeTimeout { seq },
                after,
            });
        }
    }

    /// No direct ack in time: ask `indirect_checks` other members to ping.
    pub(super) fn probe_timeout<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        seq: u64,
        h: &mut Handling,
    ) {
        let Some(probe) = self
            .detector
            .probe
            .clone()
            .filter(|p| p.seq == seq && !p.acked)
        else {
            return;
        };
        let Some(target) = self
            .members
            .get(probe.target)
            .filter(|m| m.status.is_active())
            .cloned()
        else {
            return; // declared dead or gone meanwhile: no help needed
        };
        let helpers: Vec<Arc<str>> = super::peer_selection::choose_peers(
            self.members.peers().filter(|m| m.id != target.id),
            self.config.swim.indirect_checks,
            rng,
        )
        .into_iter()
        .map(|m| m.addr.clone())
        .collect();
        for helper in helpers {
            let message = Message::PingReq {
                seq,
                target: target.clone(),
            };
            self.send(rng, &helper, message, &mut h.out);
        }
    }

    pub(super) fn on_ping<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        from: &Member,
        seq: u64,
        h: &mut Handling,
    ) {
        self.send(rng, &from.addr, Message::Ack { seq }, &mut h.out);
    }

    pub(super) fn on_ack<R: Rng + ?Sized>(&mut self, rng: &mut R, seq: u64, h: &mut Handling) {
        if let Some(probe) = self.detector.probe.as_mut().filter(|p| p.seq == seq) {
            probe.acked = true;
        } else if let Some((requester, their_seq)) = self.detector.relays.remove(&seq) {
            // We pinged on someone's behalf: pass the ack on.
            self.send(rng, &requester, Message::Ack { seq: their_seq }, &mut h.out);
        }
    }

    /// Someone asks us to ping `target` for them.
    pub(super) fn on_ping_req<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        from: &Member,
        seq: u64,
        target: &Member,
        h: &mut Handling,
    ) {
        self.detector.seq += 1;
        let ours = self.detector.seq;
        self.detector.relays.insert(ours, (from.addr.clone(), seq));
        self.send(rng, &target.addr, Message::Ping { seq: ours }, &mut h.out);
        let after = self.config.swim.probe_interval;
        h.out.push(Output::SetTimer {
            timer: Timer::RelayExpired { seq: ours },
            after,
        });
    }

    pub(super) fn relay_expired(&mut self, seq: u64) {
        self.detector.relays.remove(&seq);
    }

    /// The suspicion timer of `id` ran out: unless refuted since, it is dead.
    pub(super) fn suspicion_expired(&mut self, id: NodeId, incarnation: u64, h: &mut Handling) {
        let still = self
            .members
            .get(id)
            .filter(|m| m.status == MemberStatus::Suspect && m.incarnation == incarnation);
        if let Some(member) = still.cloned() {
            let dead = Member {
                status: MemberStatus::Dead,
                ..member
            };
            self.apply_member_news(&dead, self.config.id, h);
        }
    }

    /// Mark `id` suspect ourselves, after a failed probe.
    fn suspect(&mut self, id: NodeId, h: &mut Handling) {
        let Some(member) = self
            .members
            .get(id)
            .filter(|m| m.status == MemberStatus::Alive)
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

    /// Merge news about a member, from our own probing or from a peer (`by`).
    /// News about ourselves that says we are failing is refuted. Accepted news
    /// is reported and queued to be piggybacked on.
    pub(super) fn apply_member_news(&mut self, news: &Member, by: NodeId, h: &mut Handling) {
        if news.id == self.config.id {
            self.maybe_refute(news, h);
            return;
        }
        let pieces = &self.config.pieces;
        let previous = match self
            .members
            .learn_by(news, &|news, known| pieces.overrides(news, known))
        {
            Learned::Known => return,
            Learned::New => {
                h.new_members.push(news.id);
                None
            }
            Learned::Changed(before) => Some(before.status),
        };
        if news.status == MemberStatus::Suspect {
            let timeout = self.config.pieces.suspicion_timeout(
                self.config.swim.suspicion_mult,
                self.members.len(),
                self.config.swim.probe_interval,
            );
            let timer = Timer::SuspicionTimeout {
                id: news.id,
                incarnation: news.incarnation,
            };
            h.out.push(Output::SetTimer {
                timer,
                after: timeout,
            });
        }
        self.broadcasts.push(news.clone());
        h.out.push(Output::Event(Event::MemberChanged {
            member: news.clone(),
            previous,
            by,
        }));
    }

    /// Someone says we are suspect or dead: say, fresher, that we are alive.
    fn maybe_refute(&mut self, news: &Member, h: &mut Handling) {
        let me = self.members.me().clone();
        let Some(incarnation) = self.config.pieces.refute(&me, news) else {
            return;
        };
        let refuted = self.members.update_me(MemberStatus::Alive, incarnation);
        self.broadcasts.push(refuted.clone());
        let event = Event::MemberChanged {
            member: refuted,
            previous: Some(news.status),
            by: self.config.id,
        };
        h.out.push(Output::Event(event));
    }

    /// Say goodbye: mark ourselves left and tell a few members directly; the
    /// news spreads from them. Returns what to send before shutting down.
    pub(super) fn announce_leave<R: Rng + ?Sized>(&mut self, rng: &mut R, h: &mut Handling) {
        let incarnation = self.members.me().incarnation;
        let left = self.members.update_me(MemberStatus::Left, incarnation);
        self.broadcasts.push(left.clone());
        h.out.push(Output::Event(Event::MemberChanged {
            member: left,
            previous: Some(MemberStatus::Alive),
            by: self.config.id,
        }));
        let told: Vec<Arc<str>> = super::peer_selection::choose_peers(self.members.peers(), 3, rng)
            .into_iter()
            .map(|m| m.addr.clone())
            .collect();
        for addr in told {
            self.send(rng, &addr, Message::Leave, &mut h.out);
        }
    }

    /// The next member to probe, in shuffled round-robin order (SWIM §4.3):
    /// everyone is probed within a bounded time, yet the order is random.
    /// With [`ProbeOrder::Random`], a fresh random member each period.
    fn next_probe_target<R: Rng + ?Sized>(&mut self, rng: &mut R) -> Option<Member> {
        if self.config.swim.probe_order == ProbeOrder::Random {
            return self.members.peers().choose(rng).cloned();
        }
        for _ in 0..2 {
            while let Some(id) = self.detector.order.pop() {
                let member = self
                    .members
                    .get(id)
                    .filter(|m| m.status.is_active() && m.id != self.config.id);
                if let Some(member) = member {
                    return Some(member.clone());
                }
            }
            self.detector.order = self.members.peers().map(|m| m.id).collect();
            self.detector.order.shuffle(rng);
        }
        None
    }

    /// Every few periods, ping one random dead member besides the probe: if
    /// it was wrongly declared dead (a long pause, a healed partition), the
    /// ping carries the news and it refutes. Nobody waits for its ack, so
    /// the dead never slow down the probing of the living.
    fn ping_a_dead_member<R: Rng + ?Sized>(&mut self, rng: &mut R, h: &mut Handling) {
        self.detector.periods += 1;
        if !self.detector.periods.is_multiple_of(DEAD_PROBE_EVERY) {
            return;
        }
        let dead = self
            .members
            .all()
            .filter(|m| m.status == MemberStatus::Dead)
            .choose(rng)
            .cloned();
        if let Some(member) = dead {
            self.detector.seq += 1;
            let seq = self.detector.seq;
            self.send(rng, &member.addr, Message::Ping { seq }, &mut h.out);
        }
    }

    /// Membership news to piggyback on one outgoing message.
    pub(super) fn piggyback(&mut self) -> Vec<Member> {
        let limit = self
            .config
            .pieces
            .retransmit_limit(self.config.swim.retransmit_mult, self.members.len());
        self.broadcasts.take(broadcast::MAX_PER_MESSAGE, limit)
    }
}
