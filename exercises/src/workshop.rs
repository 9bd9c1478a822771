//! Your functions plugged into the protocol core.
//!
//! The core asks its [`Pieces`] for every replaceable decision. [`Workshop`]
//! answers with your function for the modules it is told to use, and with
//! the [`Reference`] for the others. The checker grades one module at a time
//! (yours for that module, the reference for the rest); the live node uses
//! every module whose check passes, and says which.

use gossip_node::core::aggregate::PushSum;
use gossip_node::core::anti_entropy::{Difference, Digest};
use gossip_node::core::heartbeat::{Beat, Heartbeat};
use gossip_node::core::membership::{Member, Membership};
use gossip_node::core::pieces::{Implementation, Pieces, Reference};
use gossip_node::core::plumtree::{Link, Targets, TreeEvent};
use gossip_node::core::rumor::{Spreading, StopRule};
use gossip_node::core::store::{Entry, Store};
use gossip_node::core::version::{NodeId, Version};
use rand::RngCore;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// Whose functions: the files you edit, or the solutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Yours,
    Solutions,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Yours => "yours",
            Source::Solutions => "solutions",
        }
    }
}

/// An entry with its key, as rumors carry it.
type Keyed = (String, Entry);

/// A peer and the kind of link to it (Plumtree).
type Linked = (NodeId, Link);

/// One source's functions, module by module.
struct Code {
    newer: fn(Version, Version) -> bool,
    observe: fn(u64, u64) -> u64,
    choose_peers: fn(&Membership, usize, &mut dyn RngCore) -> Vec<NodeId>,
    damp: fn(StopRule, u32, u32, Spreading, &mut dyn RngCore) -> u32,
    pull_answer: fn(&[Keyed], &Digest) -> Vec<Keyed>,
    digest: fn(&Store, Option<&str>, usize) -> Digest,
    compare: fn(&Store, &Digest) -> Difference,
    heard_beat: fn(Option<&Beat>, Heartbeat, Duration) -> Option<Beat>,
    heartbeat_failed: fn(&Beat, Duration, Duration) -> bool,
    heartbeat_timeout: fn(usize, Duration) -> Duration,
    overrides: fn(&Member, &Member) -> bool,
    refute: fn(&Member, &Member) -> Option<u64>,
    retransmit_limit: fn(u32, usize) -> u32,
    suspicion_timeout: fn(u32, usize, Duration) -> Duration,
    push_sum_split: fn(PushSum) -> (PushSum, PushSum),
    push_sum_merge: fn(PushSum, PushSum) -> PushSum,
    link_after: fn(TreeEvent) -> Link,
    push_targets: fn(&[Linked], Option<NodeId>) -> Targets,
}

const YOURS: Code = Code {
    newer: crate::learner::versions::newer,
    observe: crate::learner::versions::observe,
    choose_peers: crate::learner::rumor::choose_peers,
    damp: crate::learner::rumor::damp,
    pull_answer: crate::learner::pull::pull_answer,
    digest: crate::learner::anti_entropy::digest,
    compare: crate::learner::anti_entropy::compare,
    heard_beat: crate::learner::heartbeat::heard_beat,
    heartbeat_failed: crate::learner::heartbeat::heartbeat_failed,
    heartbeat_timeout: crate::learner::heartbeat::heartbeat_timeout,
    overrides: crate::learner::swim::overrides,
    refute: crate::learner::swim::refute,
    retransmit_limit: crate::learner::storms::retransmit_limit,
    suspicion_timeout: crate::learner::storms::suspicion_timeout,
    push_sum_split: crate::learner::push_sum::push_sum_split,
    push_sum_merge: crate::learner::push_sum::push_sum_merge,
    link_after: crate::learner::plumtree::link_after,
    push_targets: crate::learner::plumtree::push_targets,
};

const SOLUTIONS: Code = Code {
    newer: crate::solutions::versions::newer,
    observe: crate::solutions::versions::observe,
    choose_peers: crate::solutions::rumor::choose_peers,
    damp: crate::solutions::rumor::damp,
    pull_answer: crate::solutions::pull::pull_answer,
    digest: crate::solutions::anti_entropy::digest,
    compare: crate::solutions::anti_entropy::compare,
    heard_beat: crate::solutions::heartbeat::heard_beat,
    heartbeat_failed: crate::solutions::heartbeat::heartbeat_failed,
    heartbeat_timeout: crate::solutions::heartbeat::heartbeat_timeout,
    overrides: crate::solutions::swim::overrides,
    refute: crate::solutions::swim::refute,
    retransmit_limit: crate::solutions::storms::retransmit_limit,
    suspicion_timeout: crate::solutions::storms::suspicion_timeout,
    push_sum_split: crate::solutions::push_sum::push_sum_split,
    push_sum_merge: crate::solutions::push_sum::push_sum_merge,
    link_after: crate::solutions::plumtree::link_after,
    push_targets: crate::solutions::plumtree::push_targets,
};

/// The pieces of `modules` from `source`; the reference for the rest.
#[derive(Clone, Debug)]
pub struct Workshop {
    source: Source,
    modules: BTreeSet<u8>,
}

impl Workshop {
    pub fn new(source: Source, modules: impl IntoIterator<Item = u8>) -> Workshop {
        Workshop {
            source,
            modules: modules.into_iter().collect(),
        }
    }

    /// Ready to put in a node's `Config::pieces`.
    pub fn implementation(self) -> Implementation {
        Implementation(Arc::new(self))
    }

    fn uses(&self, module: u8) -> Option<&'static Code> {
        if !self.modules.contains(&module) {
            return None;
        }
        Some(match self.source {
            Source::Yours => &YOURS,
            Source::Solutions => &SOLUTIONS,
        })
    }
}

impl Pieces for Workshop {
    fn describe(&self) -> String {
        if self.modules.is_empty() {
            return format!("reference (no module of {} passes yet)", self.source.name());
        }
        let list: Vec<String> = self.modules.iter().map(|m| format!("{m:02}")).collect();
        format!(
            "{}: {}; reference for the rest",
            self.source.name(),
            list.join(", ")
        )
    }

    fn newer(&self, incoming: Version, current: Version) -> bool {
        match self.uses(1) {
            Some(code) => (code.newer)(incoming, current),
            None => Reference.newer(incoming, current),
        }
    }

    fn observe(&self, clock: u64, seen: u64) -> u64 {
        match self.uses(1) {
            Some(code) => (code.observe)(clock, seen),
            None => Reference.observe(clock, seen),
        }
    }

    fn choose_peers(
        &self,
        members: &Membership,
        fanout: usize,
        rng: &mut dyn RngCore,
    ) -> Vec<NodeId> {
        match self.uses(2) {
            Some(code) => (code.choose_peers)(members, fanout, rng),
            None => Reference.choose_peers(members, fanout, rng),
        }
    }

    fn damp(
        &self,
        rule: StopRule,
        k: u32,
        left: u32,
        what: Spreading,
        rng: &mut dyn RngCore,
    ) -> u32 {
        match self.uses(2) {
            Some(code) => (code.damp)(rule, k, left, what, rng),
            None => Reference.damp(rule, k, left, what, rng),
        }
    }

    fn pull_answer(&self, hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
        match self.uses(3) {
            Some(code) => (code.pull_answer)(hot, have),
            None => Reference.pull_answer(hot, have),
        }
    }

    fn digest(&self, store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
        match self.uses(4) {
            Some(code) => (code.digest)(store, after, max_keys),
            None => Reference.digest(store, after, max_keys),
        }
    }

    fn compare(&self, store: &Store, digest: &Digest) -> Difference {
        match self.uses(4) {
            Some(code) => (code.compare)(store, digest),
            None => Reference.compare(store, digest),
        }
    }

    fn heard_beat(&self, known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
        match self.uses(5) {
            Some(code) => (code.heard_beat)(known, heard, now),
            None => Reference.heard_beat(known, heard, now),
        }
    }

    fn heartbeat_failed(&self, beat: &Beat, now: Duration, timeout: Duration) -> bool {
        match self.uses(5) {
            Some(code) => (code.heartbeat_failed)(beat, now, timeout),
            None => Reference.heartbeat_failed(beat, now, timeout),
        }
    }

    fn heartbeat_timeout(&self, members: usize, interval: Duration) -> Duration {
        match self.uses(5) {
            Some(code) => (code.heartbeat_timeout)(members, interval),
            None => Reference.heartbeat_timeout(members, interval),
        }
    }

    fn overrides(&self, news: &Member, known: &Member) -> bool {
        match self.uses(6) {
            Some(code) => (code.overrides)(news, known),
            None => Reference.overrides(news, known),
        }
    }

    fn refute(&self, me: &Member, news: &Member) -> Option<u64> {
        match self.uses(6) {
            Some(code) => (code.refute)(me, news),
            None => Reference.refute(me, news),
        }
    }

    fn retransmit_limit(&self, mult: u32, members: usize) -> u32 {
        match self.uses(7) {
            Some(code) => (code.retransmit_limit)(mult, members),
            None => Reference.retransmit_limit(mult, members),
        }
    }

    fn suspicion_timeout(&self, mult: u32, members: usize, probe_interval: Duration) -> Duration {
        match self.uses(7) {
            Some(code) => (code.suspicion_timeout)(mult, members, probe_interval),
            None => Reference.suspicion_timeout(mult, members, probe_interval),
        }
    }

    fn push_sum_split(&self, mine: PushSum) -> (PushSum, PushSum) {
        match self.uses(8) {
            Some(code) => (code.push_sum_split)(mine),
            None => Reference.push_sum_split(mine),
        }
    }

    fn push_sum_merge(&self, mine: PushSum, received: PushSum) -> PushSum {
        match self.uses(8) {
            Some(code) => (code.push_sum_merge)(mine, received),
            None => Reference.push_sum_merge(mine, received),
        }
    }

    fn link_after(&self, event: TreeEvent) -> Link {
        match self.uses(9) {
            Some(code) => (code.link_after)(event),
            None => Reference.link_after(event),
        }
    }

    fn push_targets(&self, peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
        match self.uses(9) {
            Some(code) => (code.push_targets)(peers, from),
            None => Reference.push_targets(peers, from),
        }
    }
}
