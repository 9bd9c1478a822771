//! The curriculum's own check, as rustlings does it: every untouched starter
//! fails its module's check, every solution passes it, and deliberately wrong
//! code fails the check written to catch it. A check that cannot fail would
//! be a defect.

use gossip_exercises::check::{self, Outcome, Subject};
use gossip_exercises::modules::{module, MODULES};
use gossip_exercises::workshop::Source;
use gossip_node::core::anti_entropy::{Difference, Digest};
use gossip_node::core::pieces::{Implementation, Pieces, Reference};
use gossip_node::core::store::Store;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

/// Whether the participant's file is as the repository has it. (A learner
/// who has solved a module may run `make test` too: their file is skipped.)
fn untouched(file: &str) -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", file])
        .current_dir(root)
        .status()
    {
        Ok(status) => status.success(),
        Err(_) => true, // no git: a fresh copy of the repository
    }
}

#[test]
fn every_solution_passes_its_check() {
    for m in MODULES {
        let report = check::run(m, Source::Solutions, Source::Solutions.layer());
        assert!(report.passed(), "{}", report.render());
    }
}

#[test]
fn every_untouched_starter_fails_its_check_and_says_where() {
    for m in MODULES {
        if !untouched(&format!("{}/{}", m.folder, m.file)) {
            eprintln!("{} was edited: skipping its starter check", m.path());
            continue;
        }
        let report = check::run(m, Source::Yours, Source::Yours.layer());
        assert!(
            !report.passed(),
            "the starter of {:02} passes:\n{}",
            m.number,
            report.render()
        );
        let text = report.render();
        assert!(
            text.contains(&m.path()),
            "the report does not point at the file:\n{text}"
        );
        assert!(text.contains("todo!()"), "{text}");
        assert!(!text.contains("panicked"), "{text}");
    }
}

/// The messages that failed checks gave, joined.
fn failures(number: u8, pieces: impl Pieces + 'static) -> String {
    let subject = Subject {
        source: Source::Yours,
        code: gossip_exercises::workshop::Code::REFERENCE,
        pieces: Implementation(Arc::new(pieces)),
    };
    let report = check::run_subject(module(number).unwrap(), subject);
    assert!(
        !report.passed(),
        "wrong code passed module {number:02}:\n{}",
        report.render()
    );
    report
        .results
        .iter()
        .filter_map(|(_, o)| match o {
            Outcome::Failed(why) => Some(why.clone()),
            Outcome::Stopped { message, .. } => Some(message.clone()),
            Outcome::Passed(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn anti_entropy_that_never_asks_is_caught() {
    struct NeverAsks;
    impl Pieces for NeverAsks {
        fn compare(&self, store: &Store, digest: &Digest) -> Difference {
            let mut difference = Reference.compare(store, digest);
            difference.we_lack.clear();
            difference
        }
    }
    let why = failures(4, NeverAsks);
    assert!(why.contains("still differ after one exchange"), "{why}");
}

#[test]
fn anti_entropy_that_sends_everything_is_caught() {
    struct SendsAll;
    impl Pieces for SendsAll {
        fn compare(&self, store: &Store, digest: &Digest) -> Difference {
            let mut difference = Reference.compare(store, digest);
            difference.they_lack = store
                .entries()
                .iter()
                .map(|(k, e)| (k.clone(), e.clone()))
                .collect();
            difference
        }
    }
    let why = failures(4, SendsAll);
    assert!(why.contains("would still send"), "{why}");
}

#[test]
fn no_anti_entropy_at_all_leaves_node_3_behind() {
    struct EmptyDigest;
    impl Pieces for EmptyDigest {
        fn digest(&self, _: &Store, _: Option<&str>, _: usize) -> Digest {
            Digest::default()
        }
        fn compare(&self, _: &Store, _: &Digest) -> Difference {
            Difference::default()
        }
    }
    let why = failures(4, EmptyDigest);
    assert!(why.contains("node 3 never received key `news`"), "{why}");
}

#[test]
fn a_node_that_never_refutes_is_caught() {
    use gossip_node::core::membership::Member;
    struct NeverRefutes;
    impl Pieces for NeverRefutes {
        fn refute(&self, _: &Member, _: &Member) -> Option<u64> {
            None
        }
    }
    let why = failures(6, NeverRefutes);
    assert!(why.contains("announce alive with incarnation 5"), "{why}");
    assert!(
        why.contains("must answer \"alive\" with a higher incarnation"),
        "{why}"
    );
}

#[test]
fn alive_news_that_always_wins_is_caught() {
    use gossip_node::core::membership::{Member, MemberStatus};
    struct AliveAlwaysWins;
    impl Pieces for AliveAlwaysWins {
        fn overrides(&self, news: &Member, known: &Member) -> bool {
            news.status == MemberStatus::Alive || Reference.overrides(news, known)
        }
    }
    let why = failures(6, AliveAlwaysWins);
    assert!(
        why.contains("Only the member raises its incarnation"),
        "{why}"
    );
}

#[test]
fn news_repeated_for_ever_is_caught_as_a_storm() {
    struct Unbounded;
    impl Pieces for Unbounded {
        fn retransmit_limit(&self, _: u32, _: usize) -> u32 {
            u32::MAX
        }
    }
    let why = failures(7, Unbounded);
    assert!(why.contains("gossips itself to death"), "{why}");
}

#[test]
fn news_repeated_once_is_caught() {
    struct Once;
    impl Pieces for Once {
        fn retransmit_limit(&self, _: u32, _: usize) -> u32 {
            1
        }
    }
    let why = failures(7, Once);
    assert!(why.contains("Too few and news dies"), "{why}");
}

#[test]
fn push_sum_that_halves_only_the_sum_is_caught() {
    use gossip_node::core::aggregate::PushSum;
    struct HalvesSum;
    impl Pieces for HalvesSum {
        fn push_sum_split(&self, mine: PushSum) -> (PushSum, PushSum) {
            let half = PushSum {
                sum: mine.sum / 2.0,
                weight: mine.weight,
            };
            (half, half)
        }
    }
    let why = failures(8, HalvesSum);
    assert!(why.contains("mass was created or lost"), "{why}");
    assert!(why.contains("within 0.05 of 25.5"), "{why}");
}

#[test]
fn heartbeats_that_count_echoes_are_caught() {
    use gossip_node::core::heartbeat::{Beat, Heartbeat};
    use std::time::Duration;
    struct EchoesCount;
    impl Pieces for EchoesCount {
        fn heard_beat(
            &self,
            known: Option<&Beat>,
            heard: Heartbeat,
            now: Duration,
        ) -> Option<Beat> {
            let fresh = known.is_none_or(|k| heard >= k.heartbeat);
            fresh.then_some(Beat {
                heartbeat: heard,
                seen_at: now,
            })
        }
    }
    let why = failures(5, EchoesCount);
    assert!(why.contains("if echoes count it never dies"), "{why}");
    assert!(why.contains("no node holds it dead"), "{why}");
}

#[test]
fn a_fixed_heartbeat_timeout_is_caught_misfiring_in_a_big_cluster() {
    use std::time::Duration;
    struct FiveRounds;
    impl Pieces for FiveRounds {
        fn heartbeat_timeout(&self, _members: usize, interval: Duration) -> Duration {
            interval * 5
        }
    }
    let why = failures(5, FiveRounds);
    assert!(why.contains("healthy nodes were declared dead"), "{why}");
    assert!(why.contains("grow with log2 N"), "{why}");
}

#[test]
fn a_tree_that_never_prunes_is_caught_flooding() {
    use gossip_node::core::plumtree::{Link, TreeEvent};
    struct NeverPrunes;
    impl Pieces for NeverPrunes {
        fn link_after(&self, event: TreeEvent) -> Link {
            match event {
                TreeEvent::Prune => Link::Lazy,
                _ => Link::Eager,
            }
        }
    }
    let why = failures(9, NeverPrunes);
    assert!(
        why.contains("a link that brings duplicates is redundant"),
        "{why}"
    );
}

#[test]
fn payloads_sent_back_to_their_sender_are_caught() {
    use gossip_node::core::plumtree::{Link, Targets};
    use gossip_node::core::version::NodeId;
    struct EchoBack;
    impl Pieces for EchoBack {
        fn push_targets(&self, peers: &[(NodeId, Link)], _from: Option<NodeId>) -> Targets {
            Reference.push_targets(peers, None)
        }
    }
    let why = failures(9, EchoBack);
    assert!(why.contains("a copy back is a duplicate"), "{why}");
    assert!(why.contains("payloads went back"), "{why}");
}

#[test]
fn a_tree_without_announcements_is_caught_losing_updates() {
    use gossip_node::core::plumtree::{Link, Targets};
    use gossip_node::core::version::NodeId;
    struct Silent;
    impl Pieces for Silent {
        fn push_targets(&self, peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
            let mut targets = Reference.push_targets(peers, from);
            targets.lazy.clear();
            targets
        }
    }
    let why = failures(9, Silent);
    assert!(why.contains("never reached nodes"), "{why}");
    assert!(why.contains("no announcement led to a graft"), "{why}");
}

#[test]
fn every_readme_states_the_challenge_its_check_grades() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for m in MODULES {
        let readme = std::fs::read_to_string(root.join(m.folder).join("README.md")).unwrap();
        let challenge = readme
            .split("## The challenge")
            .nth(1)
            .unwrap_or_else(|| panic!("{} has no challenge section", m.folder));
        let report = check::run(m, Source::Solutions, Source::Solutions.layer());
        for (name, _) in &report.results {
            assert!(
                challenge.contains(&format!("- {name}\n")),
                "{}'s README does not list the check {name:?}",
                m.folder
            );
        }
    }
}
