//! Your files as the repository ships them: every untouched starter fails
//! its module's check and says where to write (rustlings' own check). A
//! learner who has solved a module may run `make test` too: their edited
//! file is skipped.

use gossip_exercises::check;
use gossip_exercises::modules::MODULES;
use gossip_exercises::workshop::Source;
use gossip_workshop::{compiled, yours};
use std::path::Path;
use std::process::Command;

/// Whether the participant's file is as the repository has it.
fn untouched(file: &str) -> bool {
    let exercises = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", file])
        .current_dir(exercises)
        .status()
    {
        Ok(status) => status.success(),
        Err(_) => true, // no git: a fresh copy of the repository
    }
}

#[test]
fn every_untouched_starter_fails_its_check_and_says_where() {
    for m in MODULES {
        assert!(compiled(m.number), "make test builds every module's file");
        if !untouched(&format!("{}/{}", m.folder, m.file)) {
            eprintln!("{} was edited: skipping its starter check", m.path());
            continue;
        }
        let report = check::run(m, Source::Yours, yours);
        let text = report.render();
        assert!(
            !report.passed(),
            "the starter of {:02} passes:\n{text}",
            m.number
        );
        assert!(
            text.contains(&m.path()),
            "the report does not point at the file:\n{text}"
        );
        assert!(text.contains("todo!()"), "{text}");
        assert!(!text.contains("panicked"), "{text}");
        // Each question or piece still to write is named by its function.
        assert!(text.contains(m.functions[0]), "{text}");
    }
}
