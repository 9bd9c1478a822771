//! Your functions plugged into the protocol core.
//!
//! The core asks its [`Pieces`] for every replaceable decision. A [`Code`]
//! is one function pointer per decision (and per answer of the tour); it
//! starts as [`Code::REFERENCE`] and takes a module's functions from a
//! source with [`module_code!`](crate::module_code). [`Workshop`] is a
//! `Code` with a name, ready for a node's config: the checker grades one
//! module at a time (that module's functions, the reference for the rest);
//! the live node uses every module whose check passes, and says which.

use crate::tour::Messenger;
use gossip_node::core::aggregate::PushSum;
use gossip_node::core::digest::{Difference, Digest};
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

/// Every function a learner writes, one field each, named as in the files.
#[derive(Clone, Copy)]
pub struct Code {
    // 00: the tour's answers.
    pub node_4_gets_the_update: fn() -> bool,
    pub who_tells_node_4: fn() -> Messenger,
    pub restarted_node_3_catches_up: fn() -> bool,
    pub rounds_to_reach_all_four: fn() -> u32,
    // 01 to 09: the protocol's pieces.
    pub newer: fn(Version, Version) -> bool,
    pub observe: fn(u64, u64) -> u64,
    pub choose_peers: fn(&Membership, usize, &mut dyn RngCore) -> Vec<NodeId>,
    pub damp: fn(StopRule, u32, u32, Spreading, &mut dyn RngCore) -> u32,
    pub pull_answer: fn(&[Keyed], &Digest) -> Vec<Keyed>,
    pub digest: fn(&Store, Option<&str>, usize) -> Digest,
    pub compare: fn(&Store, &Digest) -> Difference,
    pub heard_beat: fn(Option<&Beat>, Heartbeat, Duration) -> Option<Beat>,
    pub heartbeat_failed: fn(&Beat, Duration, Duration) -> bool,
    pub heartbeat_timeout: fn(usize, Duration) -> Duration,
    pub overrides: fn(&Member, &Member) -> bool,
    pub refute: fn(&Member, &Member) -> Option<u64>,
    pub retransmit_limit: fn(u32, usize) -> u32,
    pub suspicion_timeout: fn(u32, usize, Duration) -> Duration,
    pub push_sum_split: fn(PushSum) -> (PushSum, PushSum),
    pub push_sum_merge: fn(PushSum, PushSum) -> PushSum,
    pub link_after: fn(TreeEvent) -> Link,
    pub push_targets: fn(&[Linked], Option<NodeId>) -> Targets,
}

impl Code {
    /// The core's reference for every piece. (The tour has no reference:
    /// its answers here are the solution's, so that grading another module
    /// never depends on them.)
    pub const REFERENCE: Code = Code {
        node_4_gets_the_update: crate::solutions::tour::node_4_gets_the_update,
        who_tells_node_4: crate::solutions::tour::who_tells_node_4,
        restarted_node_3_catches_up: crate::solutions::tour::restarted_node_3_catches_up,
        rounds_to_reach_all_four: crate::solutions::tour::rounds_to_reach_all_four,
        newer: |a, b| Reference.newer(a, b),
        observe: |clock, seen| Reference.observe(clock, seen),
        choose_peers: |m, f, rng| Reference.choose_peers(m, f, rng),
        damp: |rule, k, left, what, rng| Reference.damp(rule, k, left, what, rng),
        pull_answer: |hot, have| Reference.pull_answer(hot, have),
        digest: |store, after, max| Reference.digest(store, after, max),
        compare: |store, digest| Reference.compare(store, digest),
        heard_beat: |known, heard, now| Reference.heard_beat(known, heard, now),
        heartbeat_failed: |beat, now, timeout| Reference.heartbeat_failed(beat, now, timeout),
        heartbeat_timeout: |members, interval| Reference.heartbeat_timeout(members, interval),
        overrides: |news, known| Reference.overrides(news, known),
        refute: |me, news| Reference.refute(me, news),
        retransmit_limit: |mult, members| Reference.retransmit_limit(mult, members),
        suspicion_timeout: |mult, n, probe| Reference.suspicion_timeout(mult, n, probe),
        push_sum_split: |mine| Reference.push_sum_split(mine),
        push_sum_merge: |mine, received| Reference.push_sum_merge(mine, received),
        link_after: |event| Reference.link_after(event),
        push_targets: |peers, from| Reference.push_targets(peers, from),
    };
}

/// `module_code!(NN, path::to::file, base)`: the [`Code`] `base` with
/// module NN's functions taken from the file `path::to::file`. This is the
/// one list of which functions each module's file must define.
#[macro_export]
macro_rules! module_code {
    (0, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            node_4_gets_the_update: $($file)::+::node_4_gets_the_update,
            who_tells_node_4: $($file)::+::who_tells_node_4,
            restarted_node_3_catches_up: $($file)::+::restarted_node_3_catches_up,
            rounds_to_reach_all_four: $($file)::+::rounds_to_reach_all_four,
            ..$base
        }
    };
    (1, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            newer: $($file)::+::newer,
            observe: $($file)::+::observe,
            ..$base
        }
    };
    (2, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            choose_peers: $($file)::+::choose_peers,
            damp: $($file)::+::damp,
            ..$base
        }
    };
    (3, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code { pull_answer: $($file)::+::pull_answer, ..$base }
    };
    (4, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            digest: $($file)::+::digest,
            compare: $($file)::+::compare,
            ..$base
        }
    };
    (5, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            heard_beat: $($file)::+::heard_beat,
            heartbeat_failed: $($file)::+::heartbeat_failed,
            heartbeat_timeout: $($file)::+::heartbeat_timeout,
            ..$base
        }
    };
    (6, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            overrides: $($file)::+::overrides,
            refute: $($file)::+::refute,
            ..$base
        }
    };
    (7, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            retransmit_limit: $($file)::+::retransmit_limit,
            suspicion_timeout: $($file)::+::suspicion_timeout,
            ..$base
        }
    };
    (8, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            push_sum_split: $($file)::+::push_sum_split,
            push_sum_merge: $($file)::+::push_sum_merge,
            ..$base
        }
    };
    (9, $($file:ident)::+, $base:expr) => {
        $crate::workshop::Code {
            link_after: $($file)::+::link_after,
            push_targets: $($file)::+::push_targets,
            ..$base
        }
    };
}

/// Where a module's functions come from: `base` with module `number`'s
/// functions taken from one source (the solutions, or your files).
pub type Layer = fn(number: u8, base: Code) -> Code;

/// The solutions' [`Layer`].
pub fn solutions(number: u8, base: Code) -> Code {
    use crate::solutions as s;
    match number {
        0 => module_code!(0, s::tour, base),
        1 => module_code!(1, s::versions, base),
        2 => module_code!(2, s::rumor, base),
        3 => module_code!(3, s::pull, base),
        4 => module_code!(4, s::anti_entropy, base),
        5 => module_code!(5, s::heartbeat, base),
        6 => module_code!(6, s::swim, base),
        7 => module_code!(7, s::storms, base),
        8 => module_code!(8, s::push_sum, base),
        9 => module_code!(9, s::plumtree, base),
        _ => base,
    }
}

/// A [`Code`] with a name: the pieces of `modules` from `source`, the
/// reference for the rest.
#[derive(Clone)]
pub struct Workshop {
    source: Source,
    modules: BTreeSet<u8>,
    code: Code,
}

impl Workshop {
    /// Modules `modules` taken from `source` through `layer`.
    pub fn new(source: Source, layer: Layer, modules: impl IntoIterator<Item = u8>) -> Workshop {
        let modules: BTreeSet<u8> = modules.into_iter().collect();
        let code = modules
            .iter()
            .fold(Code::REFERENCE, |code, &number| layer(number, code));
        Workshop {
            source,
            modules,
            code,
        }
    }

    /// Any code, named as `source`'s modules `modules` (tests use this to
    /// grade deliberately wrong code).
    pub fn of(source: Source, code: Code, modules: impl IntoIterator<Item = u8>) -> Workshop {
        Workshop {
            source,
            modules: modules.into_iter().collect(),
            code,
        }
    }

    pub fn code(&self) -> &Code {
        &self.code
    }

    /// Ready to put in a node's `Config::pieces`.
    pub fn implementation(self) -> Implementation {
        Implementation(Arc::new(self))
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
        (self.code.newer)(incoming, current)
    }

    fn observe(&self, clock: u64, seen: u64) -> u64 {
        (self.code.observe)(clock, seen)
    }

    fn choose_peers(&self, m: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
        (self.code.choose_peers)(m, fanout, rng)
    }

    fn damp(
        &self,
        rule: StopRule,
        k: u32,
        left: u32,
        what: Spreading,
        rng: &mut dyn RngCore,
    ) -> u32 {
        (self.code.damp)(rule, k, left, what, rng)
    }

    fn pull_answer(&self, hot: &[Keyed], have: &Digest) -> Vec<Keyed> {
        (self.code.pull_answer)(hot, have)
    }

    fn digest(&self, store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
        (self.code.digest)(store, after, max_keys)
    }

    fn compare(&self, store: &Store, digest: &Digest) -> Difference {
        (self.code.compare)(store, digest)
    }

    fn heard_beat(&self, known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> {
        (self.code.heard_beat)(known, heard, now)
    }

    fn heartbeat_failed(&self, beat: &Beat, now: Duration, timeout: Duration) -> bool {
        (self.code.heartbeat_failed)(beat, now, timeout)
    }

    fn heartbeat_timeout(&self, members: usize, interval: Duration) -> Duration {
        (self.code.heartbeat_timeout)(members, interval)
    }

    fn overrides(&self, news: &Member, known: &Member) -> bool {
        (self.code.overrides)(news, known)
    }

    fn refute(&self, me: &Member, news: &Member) -> Option<u64> {
        (self.code.refute)(me, news)
    }

    fn retransmit_limit(&self, mult: u32, members: usize) -> u32 {
        (self.code.retransmit_limit)(mult, members)
    }

    fn suspicion_timeout(&self, mult: u32, members: usize, probe_interval: Duration) -> Duration {
        (self.code.suspicion_timeout)(mult, members, probe_interval)
    }

    fn push_sum_split(&self, mine: PushSum) -> (PushSum, PushSum) {
        (self.code.push_sum_split)(mine)
    }

    fn push_sum_merge(&self, mine: PushSum, received: PushSum) -> PushSum {
        (self.code.push_sum_merge)(mine, received)
    }

    fn link_after(&self, event: TreeEvent) -> Link {
        (self.code.link_after)(event)
    }

    fn push_targets(&self, peers: &[Linked], from: Option<NodeId>) -> Targets {
        (self.code.push_targets)(peers, from)
    }
}
