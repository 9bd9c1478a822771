//! The curriculum's own check, as rustlings does it: every untouched starter
//! fails its module's check, every solution passes it, and deliberately wrong
//! code fails the check written to catch it. A check that cannot fail would
//! be a defect.

use gossip_exercises::check::{self, Outcome, Subject};
use gossip_exercises::modules::{module, MODULES};
use gossip_exercises::workshop::{solutions, Source};
use gossip_node::core::anti_entropy::{Difference, Digest};
use gossip_node::core::pieces::{Implementation, Pieces, Reference};
use gossip_node::core::store::Store;
use gossip_node::core::version::Version;
use std::path::Path;
use std::sync::Arc;

#[test]
fn every_solution_passes_its_check() {
    for m in MODULES {
        let report = check::run(m, Source::Solutions, solutions);
        assert!(report.passed(), "{}", report.render());
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
fn every_readme_states_the_challenge_its_check_grades() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for m in MODULES {
        let readme = std::fs::read_to_string(root.join(m.folder).join("README.md")).unwrap();
        let challenge = readme
            .split("## The challenge")
            .nth(1)
            .unwrap_or_else(|| panic!("{} has no challenge section", m.folder));
        let report = check::run(m, Source::Solutions, solutions);
        for (name, _) in &report.results {
            assert!(
                challenge.contains(&format!("- {name}\n")),
                "{}'s README does not list the check {name:?}",
                m.folder
            );
        }
    }
}
