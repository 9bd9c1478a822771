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
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.4 (SWIM's messages) and §5.2 (refutation).

use super::membership::{Member, MemberStatus, Membership};
use super::version::NodeId;
use rand::seq::{IteratorRandom, SliceRandom};
use rand::Rng;
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// Every this many protocol periods, a node also pings one random dead
/// member: one that was wrongly declared dead (a long pause, a healed
/// partition) hears about it and refutes.
const DEAD_PROBE_EVERY: u64 = 4;

/// At most this many members wait for a proof ping, and this many proof
/// pings wait for their ack (the oldest is forgotten first): a flood of
/// names costs a bounded number of pings, once each.
pub const MAX_PROOFS: usize = 64;

/// A proof ping's ack counts for this many gossip rounds after it was sent.
pub const PROOF_ROUNDS: u64 = 5;

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
    /// Lifeguard on (memberlist's default): local health stretches the
    /// timeouts, helpers nack, suspects hear of it in the ping itself (see
    /// [`lifeguard`](super::lifeguard)).
    pub lifeguard: bool,
    /// A bench lever, off by default: a member the host could not even
    /// connect to (connection refused: nothing listens at its address) is
    /// suspected at once, as after a failed probe (see `Node::unreachable`).
    pub suspect_refused: bool,
}

/// How a node picks the member it probes in a protocol period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, strum::Display)]
#[strum(serialize_all = "kebab-case")]
pub enum ProbeOrder {
    /// Every member once per shuffled pass (SWIM §4.3, memberlist).
    #[default]
    RoundRobin,
    /// A uniformly random member each period (the paper's analysis).
    Random,
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
            lifeguard: true,
            suspect_refused: false,
        }
    }
}

/// The probe of the current protocol period.
#[derive(Clone, Debug)]
struct Probe {
    seq: u64,
    target: NodeId,
    acked: bool,
    /// Helpers asked to ping the target for us, and those that nacked:
    /// one nack per helper asked counts, nobody else's.
    helpers: Vec<NodeId>,
    nacked: Vec<NodeId>,
}

/// How a protocol period's probe ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub target: NodeId,
    pub acked: bool,
    /// Helpers asked to ping indirectly, and how many said they could not.
    pub helpers: usize,
    pub nacks: usize,
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
    relays: BTreeMap<u64, (Member, u64)>,
    /// Members learned second-hand, each to get one ping of its own within
    /// a round or two: its ack proves it, instead of its turn in `order`
    /// (which at the start of a cluster of N comes N periods late).
    to_prove: VecDeque<NodeId>,
    /// Members just learned, probed before the rest of `order`.
    soon: Vec<NodeId>,
    /// Proof pings sent and not yet acked: seq -> (member, gossip round).
    proofs: BTreeMap<u64, (NodeId, u64)>,
}

impl Detector {
    /// The period is over: how its probe ended, if there was one.
    pub fn judge(&mut self) -> Option<Verdict> {
        self.probe.take().map(|p| Verdict {
            target: p.target,
            acked: p.acked,
            helpers: p.helpers.len(),
            nacks: p.nacked.len(),
        })
    }

    /// `helpers` were asked to ping the probe numbered `seq`'s target.
    pub fn asked_helpers(&mut self, seq: u64, helpers: Vec<NodeId>) {
        if let Some(probe) = self.probe.as_mut().filter(|p| p.seq == seq) {
            probe.helpers = helpers;
        }
    }

    /// `from` says it could not reach the target of the probe numbered
    /// `seq` either. Counts once, and only from a helper we asked.
    pub fn nack(&mut self, from: NodeId, seq: u64) {
        if let Some(probe) = self.probe.as_mut().filter(|p| p.seq == seq && !p.acked) {
            if probe.helpers.contains(&from) && !probe.nacked.contains(&from) {
                probe.nacked.push(from);
            }
        }
    }

    /// Whether we still ping numbered `seq` on someone's behalf without an
    /// ack: the requester and its number, to send a nack to.
    pub fn unanswered_relay(&self, seq: u64) -> Option<(Member, u64)> {
        self.relays.get(&seq).cloned()
    }

    /// Count a period; true every [`DEAD_PROBE_EVERY`] periods, when a dead
    /// member is pinged in case it came back.
    pub fn dead_probe_due(&mut self) -> bool {
        self.periods += 1;
        self.periods.is_multiple_of(DEAD_PROBE_EVERY)
    }

    /// A fresh sequence number for a ping.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Start this period's probe of `target`; its ping's sequence number.
    pub fn start_probe(&mut self, target: NodeId) -> u64 {
        let seq = self.next_seq();
        self.probe = Some(Probe {
            seq,
            target,
            acked: false,
            helpers: Vec::new(),
            nacked: Vec::new(),
        });
        seq
    }

    /// The member the probe numbered `seq` checks, while it waits for an ack.
    pub fn unacked(&self, seq: u64) -> Option<NodeId> {
        let probe = self.probe.as_ref()?;
        (probe.seq == seq && !probe.acked).then_some(probe.target)
    }

    /// An ack numbered `seq` arrived. For our own probe, it counts; for a
    /// ping we sent on someone's behalf, the requester and its number, to
    /// pass the ack on to.
    pub fn ack(&mut self, seq: u64) -> Option<(Member, u64)> {
        if let Some(probe) = self.probe.as_mut().filter(|p| p.seq == seq) {
            probe.acked = true;
            return None;
        }
        self.relays.remove(&seq)
    }

    /// Probe `id` next: a member just learned, to be proven by its ack.
    /// At most [`MAX_PROOFS`] wait so (the oldest is dropped: it is probed
    /// in its turn once the shuffled order is refilled). It also waits for
    /// a proof ping.
    pub fn probe_soon(&mut self, id: NodeId, direct: bool) {
        self.soon.push(id);
        if self.soon.len() > MAX_PROOFS {
            self.soon.remove(0);
        }
        self.prove_soon(id, direct);
    }

    /// Queue `id` for a proof ping: a ping outside the probe order that
    /// judges nothing (no ack is no suspicion); its ack only proves the
    /// member answers at its address. A member that wrote to us itself
    /// (`direct`) goes first; when the queue is full, the newest of those
    /// told of by others is dropped, so names forged in a flood cannot
    /// crowd out a newcomer that speaks for itself.
    fn prove_soon(&mut self, id: NodeId, direct: bool) {
        if self.to_prove.contains(&id) {
            return;
        }
        if direct {
            self.to_prove.push_front(id);
        } else {
            self.to_prove.push_back(id);
        }
        if self.to_prove.len() > MAX_PROOFS {
            self.to_prove.pop_back();
        }
    }

    /// The next member waiting for a proof ping.
    pub fn next_to_prove(&mut self) -> Option<NodeId> {
        self.to_prove.pop_front()
    }

    /// A proof ping to `id` numbered `seq` (a random number, so that an
    /// ack cannot be forged by guessing it from another ping's), sent in
    /// gossip round `round`. Proof pings older than [`PROOF_ROUNDS`]
    /// rounds are forgotten: their ack comes too late to prove anything.
    pub fn start_proof(&mut self, id: NodeId, seq: u64, round: u64) {
        self.proofs
            .retain(|_, (_, sent)| *sent + PROOF_ROUNDS >= round);
        self.proofs.insert(seq, (id, round));
        // Numbers are random: the oldest is the one of the earliest round.
        while self.proofs.len() > MAX_PROOFS {
            let oldest = self.proofs.iter().min_by_key(|(_, (_, sent))| *sent);
            let Some((&seq, _)) = oldest else { break };
            self.proofs.remove(&seq);
        }
    }

    /// Whether an ack numbered `seq` from `from`, in gossip round `round`,
    /// answers a proof ping to it in time (the ping is then done with).
    pub fn proof_acked(&mut self, seq: u64, from: NodeId, round: u64) -> bool {
        let ours = self
            .proofs
            .get(&seq)
            .is_some_and(|(id, sent)| *id == from && *sent + PROOF_ROUNDS >= round);
        if ours {
            self.proofs.remove(&seq);
        }
        ours
    }

    /// We ping for `requester` (its ping numbered `their_seq`): our number.
    pub fn relay(&mut self, requester: Member, their_seq: u64) -> u64 {
        let ours = self.next_seq();
        self.relays.insert(ours, (requester, their_seq));
        ours
    }

    /// Forget the relay numbered `seq`: its time is up.
    pub fn relay_expired(&mut self, seq: u64) {
        self.relays.remove(&seq);
    }

    /// The next member to probe, in shuffled round-robin order (SWIM §4.3):
    /// everyone is probed within a bounded time, yet the order is random.
    /// With [`ProbeOrder::Random`], a fresh random member each period.
    pub fn next_target<R: Rng + ?Sized>(
        &mut self,
        members: &Membership,
        order: ProbeOrder,
        rng: &mut R,
    ) -> Option<Member> {
        if order == ProbeOrder::Random {
            return members.active().choose(rng).cloned();
        }
        for _ in 0..2 {
            while let Some(id) = self.soon.pop().or_else(|| self.order.pop()) {
                let member = members
                    .get(id)
                    .filter(|m| m.status.is_active() && m.id != members.me_id());
                if let Some(member) = member {
                    return Some(member.clone());
                }
            }
            // Unproven members too: a probe is how they are proven, or found dead.
            self.order = members.active().map(|m| m.id).collect();
            self.order.shuffle(rng);
        }
        None
    }
}

/// News says that we (`me`) are suspect, dead or gone (or anything else
/// about us): the incarnation to announce ourselves alive with, or `None` to
/// let it be. While we run, we refute every such verdict not older than our
/// own incarnation: a departure too, for we have not left (our own goodbye
/// makes us `Left` first, and then we refute nothing). (Exercise 06.)
pub fn refute(me: &Member, news: &Member) -> Option<u64> {
    let failing = news.status != MemberStatus::Alive;
    let stale = news.incarnation < me.incarnation;
    let answer = news.incarnation.checked_add(1)?;
    (me.status == MemberStatus::Alive && failing && !stale).then_some(answer)
}
