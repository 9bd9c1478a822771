//! The curriculum's own check, as rustlings does it: every solution passes
//! its module's check, and every README lists what its check grades. That
//! every untouched starter fails is proven in `workshop/tests/starters.rs`
//! (your files are compiled there), and that plausible wrong code fails, in
//! `tests/mistakes.rs`: a check that cannot fail would be a defect.

use gossip_exercises::check;
use gossip_exercises::modules::MODULES;
use gossip_exercises::workshop::{solutions, Source};
use std::path::Path;

#[test]
fn every_solution_passes_its_check() {
    for m in MODULES {
        let report = check::run(m, Source::Solutions, solutions);
        assert!(report.passed(), "{}", report.render());
    }
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
