//! The curriculum's own check, as rustlings does it: every untouched starter
//! fails its module's check, every solution passes it, and deliberately wrong
//! code fails the check written to catch it. A check that cannot fail would
//! be a defect.

use gossip_exercises::check::{self, Outcome, Subject};
use gossip_exercises::modules::{module, MODULES};
use gossip_exercises::workshop::Source;
use gossip_node::core::anti_entropy::Digest;
use gossip_node::core::pieces::{Implementation, Pieces, Reference};
use gossip_node::core::version::Version;
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
fn versions_without_a_tie_break_are_caught_in_protocol_terms() {
    struct CountersOnly;
    impl Pieces for CountersOnly {
        fn newer(&self, incoming: Version, current: Version) -> bool {
            incoming.counter > current.counter
        }
    }
    let why = failures(1, CountersOnly);
    assert!(why.contains("break the tie with the origin id"), "{why}");
    assert!(why.contains("still disagree on `color`"), "{why}");
}

#[test]
fn a_clock_that_does_not_move_is_caught() {
    struct StuckClock;
    impl Pieces for StuckClock {
        fn observe(&self, clock: u64, _seen: u64) -> u64 {
            clock
        }
    }
    let why = failures(1, StuckClock);
    assert!(
        why.contains("lose to the write this node has already seen"),
        "{why}"
    );
    assert!(
        why.contains("its clock") || why.contains("clock must move up"),
        "{why}"
    );
}

#[test]
fn tour_answers_that_are_wrong_are_explained() {
    // The tour's answers are plain functions; the solutions pass, and the
    // report for the untouched starter names each question's function.
    let report = check::run(module(0).unwrap(), Source::Yours, Source::Yours.layer());
    let text = report.render();
    if untouched("00_tour/tour.rs") {
        assert!(text.contains("node_4_gets_the_update"), "{text}");
    }
}

#[test]
fn peers_that_include_this_node_or_repeat_are_caught() {
    use gossip_node::core::membership::Membership;
    use gossip_node::core::version::NodeId;
    use rand::RngCore;
    struct Everyone;
    impl Pieces for Everyone {
        fn choose_peers(
            &self,
            members: &Membership,
            fanout: usize,
            _: &mut dyn RngCore,
        ) -> Vec<NodeId> {
            members.all().map(|m| m.id).take(fanout).collect()
        }
    }
    let why = failures(2, Everyone);
    assert!(why.contains("node 1 chose itself"), "{why}");
    assert!(why.contains("each peer should be picked about"), "{why}");
}

#[test]
fn a_coin_that_never_stops_is_caught() {
    use gossip_node::core::rumor::{Spreading, StopRule};
    use rand::RngCore;
    struct NeverStops;
    impl Pieces for NeverStops {
        fn damp(
            &self,
            rule: StopRule,
            k: u32,
            left: u32,
            what: Spreading,
            rng: &mut dyn RngCore,
        ) -> u32 {
            match rule {
                StopRule::Coin => left,
                _ => Reference.damp(rule, k, left, what, rng),
            }
        }
    }
    let why = failures(2, NeverStops);
    assert!(why.contains("still spreading the rumor"), "{why}");
}

#[test]
fn a_pull_that_answers_with_everything_is_caught() {
    use gossip_node::core::store::Entry;
    struct Everything;
    impl Pieces for Everything {
        fn pull_answer(&self, hot: &[(String, Entry)], _: &Digest) -> Vec<(String, Entry)> {
            hot.to_vec()
        }
    }
    let why = failures(3, Everything);
    assert!(why.contains("the answer should carry b and d"), "{why}");
    assert!(why.contains("pure pull needs exactly"), "{why}");
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
