//! The curriculum's modules: the one table that registers them, and what
//! each row becomes.
//!
//! A module is its folder (`exercises/NN_name/`: README, the file you
//! complete, `hints.md`, a `Cargo.toml` that makes the file a crate of its
//! own), its solution at the same place under `solutions/`, its checks in
//! `src/check/exNN.rs`, its mistakes in `mistakes/NN_*.rs`, and one row of
//! [`for_each_module!`]. Everything that lists modules is built from that
//! row: [`MODULES`] here, the [`Code`](crate::workshop::Code) fields and
//! the reference in `workshop.rs`, the solutions in `solutions.rs`, the
//! checks in `check/mod.rs`, and the layer of your files in
//! `workshop/src/lib.rs`. The one list Rust cannot build from it is Cargo's:
//! `workshop/Cargo.toml` names each module's crate, and `tests/registry.rs`
//! says which line to add there.

use crate::check::Check;
use crate::workshop::Code;

/// The table of modules, one row each, in order; hands every row to the
/// macro `$then` (each reader of the table is such a macro, the way
/// rustlings reads one `info.toml`).
///
/// A row is the module's name (`ex03`: its Cargo feature and its checks'
/// file, `src/check/ex03.rs`), its folder, the file you complete, its
/// title, `pieces` if its functions replace protocol pieces a node runs
/// (each is then a method of the core's `Pieces` trait, with the same
/// name) or `answers` if they are questions (the tour), and the functions
/// you write, with the signatures of the starter file. A piece names the
/// core's rule it stands for (`= version::newer`: the plain function in
/// `node/src/core/version.rs` that is the reference). The types are
/// resolved where a reader uses them (`workshop.rs`).
///
/// To add a module: its folder, its solution, its checks, its mistakes,
/// one row here, and the line `tests/registry.rs` asks for in
/// `workshop/Cargo.toml`.
#[macro_export]
macro_rules! for_each_module {
    ($then:ident) => {
        $then! {
            ex00 "00_tour" tour.rs "the tour: run it, break it, predict it" answers {
                fn node_4_gets_the_update() -> bool;
                fn who_tells_node_4() -> Messenger;
                fn restarted_node_3_catches_up() -> bool;
                fn rounds_to_reach_all_four() -> u32;
            }
            ex01 "01_versions" versions.rs "versions and merge: last writer wins, by Lamport clock" pieces {
                fn newer(incoming: Version, current: Version) -> bool = version::newer;
                fn observe(clock: u64, seen: u64) -> u64 = version::observe;
            }
            ex02 "02_push_rumor" rumor.rs "peer selection and push rumors with damping" pieces {
                fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> = peer_selection::choose_peers;
                fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 = rumor::damp;
            }
            ex03 "03_pull" pull.rs "pull and push-pull: count the rounds" pieces {
                fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> = rumor::pull_answer;
            }
            ex04 "04_anti_entropy" anti_entropy.rs "anti-entropy: digests and deltas" pieces {
                fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest = digest::digest;
                fn compare(store: &Store, digest: &Digest) -> Difference = digest::compare;
            }
            ex05 "05_heartbeat" heartbeat.rs "heartbeat membership: why a fixed timeout misfires" pieces {
                fn heard_beat(known: Option<&Beat>, heard: Heartbeat, now: Duration) -> Option<Beat> = heartbeat::heard_beat;
                fn heartbeat_failed(beat: &Beat, now: Duration, timeout: Duration) -> bool = heartbeat::heartbeat_failed;
                fn heartbeat_timeout(members: usize, interval: Duration) -> Duration = heartbeat::scaled_timeout;
            }
            ex06 "06_swim" swim.rs "SWIM: suspect, refute, dead" pieces {
                fn overrides(news: &Member, known: &Member) -> bool = membership::overrides;
                fn refute(me: &Member, news: &Member) -> Option<u64> = swim::refute;
            }
            ex07 "07_storms" storms.rs "gossip storms: bounded retransmission" pieces {
                fn retransmit_limit(mult: u32, members: usize) -> u32 = broadcast::retransmit_limit;
                fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration = broadcast::suspicion_timeout;
            }
            ex08 "08_aggregation" push_sum.rs "aggregation: push-sum finds the average and the size" pieces {
                fn push_sum_split(mine: PushSum) -> (PushSum, PushSum) = aggregate::split;
                fn push_sum_merge(mine: PushSum, received: PushSum) -> PushSum = aggregate::merge;
            }
            ex09 "09_plumtree" plumtree.rs "bonus: Plumtree, epidemic broadcast trees" pieces {
                fn link_after(event: TreeEvent) -> Link = plumtree::link_after;
                fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets = plumtree::push_targets;
            }
            ex10 "10_lifeguard" lifeguard.rs "Lifeguard: a failure detector that doubts itself" pieces {
                fn health_after(score: u32, event: HealthEvent) -> u32 = lifeguard::health_after;
                fn health_scaled(base: Duration, score: u32) -> Duration = lifeguard::scaled;
                fn confirmed_timeout(min: Duration, max: Duration, k: u32, confirmations: u32) -> Duration = lifeguard::confirmed_timeout;
            }
        }
    };
}

/// One module of the workshop.
#[derive(Debug)]
pub struct Module {
    pub number: u8,
    /// Its name in the build: `ex03` is the Cargo feature that compiles your
    /// file in, and `src/check/ex03.rs` holds its checks.
    pub name: &'static str,
    /// Its folder under `exercises/`.
    pub folder: &'static str,
    pub title: &'static str,
    /// The file you complete, inside the folder.
    pub file: &'static str,
    /// Whether it replaces protocol pieces a live node can run.
    pub has_pieces: bool,
    /// The functions you write, as the file names them.
    pub functions: &'static [&'static str],
    /// The core's rules they stand for (`version::newer`, ...), the
    /// reference; none for the tour.
    pub rules: &'static [&'static str],
    /// Its `hints.md`, which `make hint` shows one hint at a time.
    pub hints: &'static str,
    /// Its graded behaviours (`src/check/exNN.rs`).
    pub checks: fn() -> Vec<Check>,
    /// `base` with this module's functions taken from its solution.
    pub solution: fn(Code) -> Code,
}

/// Reads the table into [`MODULES`].
macro_rules! module_list {
    (@has_pieces pieces) => { true };
    (@has_pieces answers) => { false };
    ($($name:ident $folder:literal $file:ident.rs $title:literal $kind:ident {
        $(fn $function:ident($($arg:ident: $type:ty),*) -> $returns:ty $(= $rule:ident::$rule_fn:ident)?;)*
    })*) => {
        /// The modules, in order.
        pub const MODULES: &[Module] = &[$(Module {
            number: number_in(stringify!($name)),
            name: stringify!($name),
            folder: $folder,
            title: $title,
            file: concat!(stringify!($file), ".rs"),
            has_pieces: module_list!(@has_pieces $kind),
            functions: &[$(stringify!($function)),*],
            rules: &[$($(concat!(stringify!($rule), "::", stringify!($rule_fn)),)?)*],
            hints: include_str!(concat!("../", $folder, "/hints.md")),
            checks: crate::check::$name::checks,
            solution: |base| Code {
                $($function: crate::solutions::$file::$function,)*
                ..base
            },
        }),*];
    };
}

crate::for_each_module!(module_list);

/// `"ex03"` -> 3, while the table is compiled: a name that is not `ex`
/// and two digits stops the build.
const fn number_in(name: &str) -> u8 {
    match name.as_bytes() {
        [b'e', b'x', tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => {
            (*tens - b'0') * 10 + (*ones - b'0')
        }
        _ => panic!("a module's name is ex and its two digits, as ex03"),
    }
}

/// The module numbered `number`, if it exists.
pub fn module(number: u8) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.number == number)
}

impl Module {
    /// `exercises/04_anti_entropy/anti_entropy.rs`
    pub fn path(&self) -> String {
        format!("exercises/{}/{}", self.folder, self.file)
    }

    /// Where the reference stands, to compare once your code passes: the
    /// solution, and for a module of pieces the core's own rules, each in
    /// its rule module.
    pub fn reference(&self) -> String {
        let solution = format!("exercises/solutions/{}/{}", self.folder, self.file);
        let mut files: Vec<(&str, Vec<&str>)> = Vec::new();
        for rule in self.rules {
            let (file, _) = rule.split_once("::").unwrap_or((rule, ""));
            match files.iter_mut().find(|(f, _)| *f == file) {
                Some((_, rules)) => rules.push(rule),
                None => files.push((file, vec![rule])),
            }
        }
        if files.is_empty() {
            return solution;
        }
        let rules: Vec<String> = files
            .iter()
            .map(|(file, rules)| format!("{} in node/src/core/{file}.rs", rules.join(" and ")))
            .collect();
        format!("{solution}, and the core's own rules: {}", rules.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_number_comes_from_its_name() {
        assert_eq!(number_in("ex00"), 0);
        assert_eq!(number_in("ex03"), 3);
        assert_eq!(number_in("ex42"), 42);
    }

    #[test]
    fn the_reference_names_the_rules_and_their_files() {
        let reference = |n| module(n).unwrap().reference();
        assert_eq!(reference(0), "exercises/solutions/00_tour/tour.rs");
        assert_eq!(
            reference(6),
            "exercises/solutions/06_swim/swim.rs, and the core's own rules: \
             membership::overrides in node/src/core/membership.rs; swim::refute in node/src/core/swim.rs"
        );
        assert_eq!(
            reference(1),
            "exercises/solutions/01_versions/versions.rs, and the core's own rules: \
             version::newer and version::observe in node/src/core/version.rs"
        );
    }

    #[test]
    fn every_module_of_pieces_names_one_rule_per_function() {
        for m in MODULES {
            let expected = if m.has_pieces { m.functions.len() } else { 0 };
            assert_eq!(m.rules.len(), expected, "module {:02}", m.number);
        }
    }
}
