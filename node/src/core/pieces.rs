//! The protocol pieces a workshop participant writes themselves.
//!
//! Each method of [`Pieces`] is one small decision of the protocol, with the
//! same shape as the rule it stands for. Its default body is one line: a call
//! to that rule, a plain function in its rule module (`version::newer`,
//! `swim::refute`, ...), so [`Reference`] is simply the trait with nothing
//! overridden. The exercises (`exercises/`) implement the trait with
//! the learner's functions, and the live node, the simulator and the checker
//! all run whichever implementation their [`Config`](super::Config) holds:
//!
//! ```text
//!   exercise  pieces               the rules, in node/src/core/
//!   01        newer, observe       version::newer, version::observe
//!   02        choose_peers, damp   peer_selection::choose_peers, rumor::damp
//!   03        pull_answer          rumor::pull_answer
//!   04        digest, compare      digest::digest, digest::compare
//!   05        heard_beat,          heartbeat::heard_beat,
//!             heartbeat_failed,    heartbeat::heartbeat_failed,
//!             heartbeat_timeout    heartbeat::scaled_timeout
//!   06        overrides, refute    membership::overrides, swim::refute
//!   07        retransmit_limit,    broadcast::retransmit_limit,
//!             suspicion_timeout    broadcast::suspicion_timeout
//!   08        push_sum_split,      aggregate::split,
//!             push_sum_merge       aggregate::merge
//!   09        link_after,          plumtree::link_after,
//!             push_targets         plumtree::push_targets
//!   10        health_after,        lifeguard::health_after,
//!             health_scaled,       lifeguard::scaled,
//!             confirmed_timeout    lifeguard::confirmed_timeout
//! ```
//!
//! Pieces take plain data and return plain data: no IO, no node state, so a
//! checker can call them directly as well as inside a whole cluster.

use super::aggregate::{self, PushSum};
use super::broadcast;
use super::digest::{self, Difference, Digest};
use super::heartbeat::{self, Beat, Heartbeat};
use super::lifeguard::{self, HealthEvent};
use super::membership::{self, Member, Membership};
use super::peer_selection;
use super::plumtree::{self, Link, Targets, TreeEvent};
use super::rumor::{self, Spreading, StopRule};
use super::store::{Entry, Store};
use super::swim;
use super::version::{self, NodeId, Version};
use rand::RngCore;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The replaceable decisions of the protocol; every default is the reference.
/// (What each decides is documented on the rule it calls.)
pub trait Pieces: Send + Sync {
    /// Which implementation this is, per exercise, for logs and the page:
    /// `"reference"`, or e.g. `"workshop (01, 04; reference for the rest)"`.
    fn describe(&self) -> String {
        "reference".to_owned()
    }

    /// Exercise 01: does a write stamped `incoming` beat `current`?
    fn newer(&self, incoming: Version, current: Version) -> bool {
        version::newer(incoming, current)
    }

    /// Exercise 01: the Lamport counter after seeing a stamp's counter.
    fn observe(&self, clock: u64, seen: u64) -> u64 {
        version::observe(clock, seen)
    }

    /// Exercise 02: whom to tell this round.
    fn choose_peers(
        &self,
        members: &Membership,
        fanout: usize,
        rng: &mut dyn RngCore,
    ) -> Vec<NodeId> {
        peer_selection::choose_peers(members, fanout, rng)
    }

    /// Exercise 02: the stop rule: how much of a hot rumor is left.
    fn damp(
        &self,
        rule: StopRule,
        k: u32,
        left: u32,
        what: Spreading,
        rng: &mut dyn RngCore,
    ) -> u32 {
        rumor::damp(rule, k, left, what, rng)
    }

    /// Exercise 03: the hot entries a pull brings back.
    fn pull_answer(&self, hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
        rumor::pull_answer(hot, have)
    }

    /// Exercise 04: the versions one anti-entropy exchange sends.
    fn digest(&self, store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
        digest::digest(store, after, max_keys)
    }

    /// Exercise 04: what to send and what to ask for, given a peer's digest.
    fn compare(&self, store: &Store, digest: &Digest) -> Difference {
        digest::compare(store, digest)
    }

    /// Exercise 05: the heartbeat record to keep, if the heard one counts.
    fn heard_beat(&self, known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
        heartbeat::heard_beat(known, heard, now)
    }

    /// Exercise 05: has this member been silent too long?
    fn heartbeat_failed(&self, beat: &Beat, now: Duration, timeout: Duration) -> bool {
        heartbeat::heartbeat_failed(beat, now, timeout)
    }

    /// Exercise 05: the timeout when none is fixed: it grows with the cluster.
    fn heartbeat_timeout(&self, members: usize, interval: Duration) -> Duration {
        heartbeat::scaled_timeout(members, interval)
    }

    /// Exercise 06: does this news about a member beat what we know?
    fn overrides(&self, news: &Member, known: &Member) -> bool {
        membership::overrides(news, known)
    }

    /// Exercise 06: the incarnation to refute news about ourselves with.
    fn refute(&self, me: &Member, news: &Member) -> Option<u64> {
        swim::refute(me, news)
    }

    /// Exercise 07: how many messages carry one piece of membership news.
    fn retransmit_limit(&self, mult: u32, members: usize) -> u32 {
        broadcast::retransmit_limit(mult, members)
    }

    /// Exercise 07: how long a suspect may refute before it is dead.
    fn suspicion_timeout(&self, mult: u32, members: usize, probe_interval: Duration) -> Duration {
        broadcast::suspicion_timeout(mult, members, probe_interval)
    }

    /// Exercise 08: the part of the pair to keep and the part to send.
    fn push_sum_split(&self, mine: PushSum) -> (PushSum, PushSum) {
        aggregate::split(mine)
    }

    /// Exercise 08: this node's pair after a share arrived.
    fn push_sum_merge(&self, mine: PushSum, received: PushSum) -> PushSum {
        aggregate::merge(mine, received)
    }

    /// Exercise 09: is the link eager or lazy after `event`?
    fn link_after(&self, event: TreeEvent) -> Link {
        plumtree::link_after(event)
    }

    /// Exercise 09: who gets the payload, who the announcement.
    fn push_targets(&self, peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
        plumtree::push_targets(peers, from)
    }

    /// Exercise 10: the local health score after `event`.
    fn health_after(&self, score: u32, event: HealthEvent) -> u32 {
        lifeguard::health_after(score, event)
    }

    /// Exercise 10: a timeout stretched by the local health score.
    fn health_scaled(&self, base: Duration, score: u32) -> Duration {
        lifeguard::scaled(base, score)
    }

    /// Exercise 10: a suspicion's timeout after `confirmations`.
    fn confirmed_timeout(
        &self,
        min: Duration,
        max: Duration,
        k: u32,
        confirmations: u32,
    ) -> Duration {
        lifeguard::confirmed_timeout(min, max, k, confirmations)
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
