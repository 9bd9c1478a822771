//! The protocol pieces a workshop participant writes themselves.
//!
//! Each method of [`Pieces`] is one small decision of the protocol, with the
//! same shape as the code it stands for. Its default body **is** the
//! reference implementation, so [`Reference`] is simply the trait with
//! nothing overridden. The exercises (`exercises/`) implement the trait with
//! the learner's functions, and the live node, the simulator and the checker
//! all run whichever implementation their [`Config`](super::Config) holds:
//!
//! ```text
//!   exercise 01  newer, observe        which write wins; the Lamport clock
//!   exercise 02  choose_peers, damp    whom to tell; when to stop telling
//!   exercise 03  pull_answer           what a pull brings back
//!   exercise 04  digest, compare       anti-entropy: what to send, what to ask
//!   exercise 05  heard_beat,           heartbeats: which count, when a silent
//!                heartbeat_failed,     member is dead, how long to wait
//!                heartbeat_timeout
//!   exercise 06  overrides, refute     SWIM: which news wins; answering a suspicion
//!   exercise 07  retransmit_limit,     how often news is repeated, how long a
//!                suspicion_timeout     suspicion lasts: what keeps storms bounded
//!   exercise 08  push_sum_split,       aggregation: what to keep and send, and
//!                push_sum_merge        how to take in a share
//!   exercise 09  link_after,           Plumtree: which links carry payloads,
//!                push_targets          who gets the payload, who the id
//! ```
//!
//! Pieces take plain data and return plain data: no IO, no node state, so a
//! checker can call them directly as well as inside a whole cluster.

use super::aggregate::PushSum;
use super::anti_entropy::{self, Difference, Digest};
use super::broadcast;
use super::heartbeat::{self, Beat, Heartbeat};
use super::membership::{Member, MemberStatus, Membership};
use super::plumtree::{Link, Targets, TreeEvent};
use super::rumor::{Damping, Spreading, StopRule};
use super::store::{Entry, Store};
use super::version::NodeId;
use super::version::Version;
use rand::RngCore;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The replaceable decisions of the protocol; every default is the reference.
pub trait Pieces: Send + Sync {
    /// Which implementation this is, per exercise, for logs and the page:
    /// `"reference"`, or e.g. `"workshop (01, 04; reference for the rest)"`.
    fn describe(&self) -> String {
        "reference".to_owned()
    }

    /// Exercise 01: does a write stamped `incoming` beat the one stamped
    /// `current`? Last writer wins in Lamport order: the higher counter, and
    /// on a tie the higher origin id. Every node must pick the same winner.
    fn newer(&self, incoming: Version, current: Version) -> bool {
        incoming > current
    }

    /// Exercise 01: a node whose Lamport counter is `clock` sees a stamp with
    /// counter `seen`; its new counter, so its next write beats what it saw.
    fn observe(&self, clock: u64, seen: u64) -> u64 {
        clock.max(seen)
    }

    /// Exercise 02: whom to tell this round: up to `fanout` distinct members
    /// that take part (alive or suspect, see [`Membership::peers`]), never
    /// this node itself, chosen uniformly at random.
    fn choose_peers(
        &self,
        members: &Membership,
        fanout: usize,
        rng: &mut dyn RngCore,
    ) -> Vec<NodeId> {
        members
            .random_peers(fanout, rng)
            .into_iter()
            .map(|m| m.id)
            .collect()
    }

    /// Exercise 02: the stop rule. A hot rumor has `left` to go (it starts
    /// at `k`); after `what` happened, how much is left? 0 means this node
    /// stops spreading it. `rounds` counts rounds, `counter` counts sends,
    /// `coin` stops with chance 1/k whenever a peer already knew.
    fn damp(
        &self,
        rule: StopRule,
        k: u32,
        left: u32,
        what: Spreading,
        rng: &mut dyn RngCore,
    ) -> u32 {
        Damping::new(rule, k).next_left(left, what, rng)
    }

    /// Exercise 03: a peer pulled, saying which versions it has (`have`):
    /// the hot entries to send it, those it lacks or holds older. (The
    /// others count as "it already knew" for the stop rule.)
    fn pull_answer(&self, hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
        hot.iter()
            .filter(|(key, entry)| {
                have.versions
                    .get(key)
                    .is_none_or(|theirs| *theirs < (entry.version, entry.origin))
            })
            .cloned()
            .collect()
    }

    /// Exercise 04: the versions of up to `max_keys` keys of `store`, after
    /// key `after` (or from the start): what one anti-entropy exchange sends.
    fn digest(&self, store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
        Digest::of(store, after, max_keys)
    }

    /// Exercise 04: given a peer's `digest`, the entries it lacks (or holds
    /// older) and the keys it holds newer than `store` does.
    fn compare(&self, store: &Store, digest: &Digest) -> Difference {
        anti_entropy::compare(store, digest)
    }

    /// Exercise 05: a peer's table says a member's heartbeat is `heard`; we
    /// hold `known` for it. The record to keep from now on, or `None` to keep
    /// what we have. Only a **higher** heartbeat counts (an equal one is an
    /// echo of news we have), and the time stored is `now`, our own clock.
    fn heard_beat(&self, known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
        let fresher = known.is_none_or(|k| heard > k.heartbeat);
        fresher.then_some(Beat {
            heartbeat: heard,
            seen_at: now,
        })
    }

    /// Exercise 05: has this member been silent too long? Its heartbeat went
    /// up at `beat.seen_at`; it is dead once more than `timeout` has passed.
    fn heartbeat_failed(&self, beat: &Beat, now: Duration, timeout: Duration) -> bool {
        now.saturating_sub(beat.seen_at) > timeout
    }

    /// Exercise 05: the timeout for a cluster of `members` gossiping every
    /// `interval`, when none is fixed on the command line: it must grow with
    /// the time a heartbeat takes to reach everyone (see
    /// [`heartbeat::scaled_timeout`]).
    fn heartbeat_timeout(&self, members: usize, interval: Duration) -> Duration {
        heartbeat::scaled_timeout(members, interval)
    }

    /// Exercise 06: does this `news` about a member beat what we `known`?
    /// SWIM's precedence: alive news needs a higher incarnation; suspect news
    /// beats alive at the same incarnation; dead and left beat alive and
    /// suspect at the same incarnation; nothing brings back the dead or the
    /// departed except an alive with a higher incarnation.
    fn overrides(&self, news: &Member, known: &Member) -> bool {
        news.overrides(known)
    }

    /// Exercise 06: news says that we (`me`) are suspect or dead (or anything
    /// else about us). The incarnation to announce ourselves alive with, or
    /// `None` to let it be: we refute only a suspicion or death that is not
    /// older than our own incarnation, and never after leaving.
    fn refute(&self, me: &Member, news: &Member) -> Option<u64> {
        let failing = matches!(news.status, MemberStatus::Suspect | MemberStatus::Dead);
        let stale = news.incarnation < me.incarnation;
        (me.status == MemberStatus::Alive && failing && !stale).then_some(news.incarnation + 1)
    }

    /// Exercise 07: how many messages carry one piece of membership news
    /// before a node drops it: `mult` × ⌈log10(members + 1)⌉ (memberlist),
    /// enough to reach everyone, never unbounded.
    fn retransmit_limit(&self, mult: u32, members: usize) -> u32 {
        broadcast::retransmit_limit(mult, members)
    }

    /// Exercise 07: how long a suspect may refute before it is declared dead:
    /// `mult` × max(1, log10 members) × the probe interval (memberlist).
    fn suspicion_timeout(&self, mult: u32, members: usize, probe_interval: Duration) -> Duration {
        broadcast::suspicion_timeout(mult, members, probe_interval)
    }

    /// Exercise 08: push-sum's round: from this node's pair, the part to
    /// keep and the part to send to a random peer. The two must add up to
    /// the pair: nothing may be created or lost.
    fn push_sum_split(&self, mine: PushSum) -> (PushSum, PushSum) {
        let half = PushSum {
            sum: mine.sum / 2.0,
            weight: mine.weight / 2.0,
        };
        (half, half)
    }

    /// Exercise 08: a share arrived; this node's new pair.
    fn push_sum_merge(&self, mine: PushSum, received: PushSum) -> PushSum {
        PushSum {
            sum: mine.sum + received.sum,
            weight: mine.weight + received.weight,
        }
    }

    /// Exercise 09: after `event` on the link to a peer, is the link eager
    /// (whole payloads) or lazy (announcements)? A first copy keeps the
    /// link that brought it eager; a duplicate or a prune makes it lazy;
    /// a graft, either way, makes it eager again.
    fn link_after(&self, event: TreeEvent) -> Link {
        match event {
            TreeEvent::FirstCopy | TreeEvent::Graft | TreeEvent::Missing => Link::Eager,
            TreeEvent::Duplicate | TreeEvent::Prune => Link::Lazy,
        }
    }

    /// Exercise 09: new payloads came `from` a peer (`None`: from a client
    /// here). Of `peers` (each with its link), who gets the payload now and
    /// who its announcement at the end of the round? Never the peer it came
    /// from: it has it.
    fn push_targets(&self, peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
        let mut targets = Targets::default();
        for (peer, link) in peers.iter().filter(|(p, _)| Some(*p) != from) {
            match link {
                Link::Eager => targets.eager.push(*peer),
                Link::Lazy => targets.lazy.push(*peer),
            }
        }
        targets
    }
}

/// The reference implementation: every piece as the core ships it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reference;

impl Pieces for Reference {}

/// The pieces a node runs, shared between its config's copies.
#[derive(Clone)]
pub struct Implementation(pub Arc<dyn Pieces>);

impl Implementation {
    pub fn reference() -> Implementation {
        Implementation(Arc::new(Reference))
    }
}

impl Default for Implementation {
    fn default() -> Implementation {
        Implementation::reference()
    }
}

impl std::ops::Deref for Implementation {
    type Target = dyn Pieces;
    fn deref(&self) -> &(dyn Pieces + 'static) {
        &*self.0
    }
}

impl fmt::Debug for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.describe())
    }
}
