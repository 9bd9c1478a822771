//! The table of modules (`for_each_module!` in `src/modules.rs`) is the one
//! place a module is registered. What the compiler already enforces for a
//! row (its checks' file, its solution, its `hints.md`, the signatures of
//! its functions) stops the build; these tests hold the rest: every module
//! folder has a row, every row has its folder and files, and the lists
//! Cargo needs (which Rust cannot build from the table) match it. That
//! every module keeps a catalogue of mistakes is `tests/mistakes.rs`'s.

use gossip_exercises::hints;
use gossip_exercises::modules::MODULES;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn exercises() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The folders under `dir` named as a module's, `NN_name`.
fn module_folders(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            let bytes = name.as_bytes();
            bytes.len() > 3 && bytes[..2].iter().all(u8::is_ascii_digit) && bytes[2] == b'_'
        })
        .collect()
}

fn registered() -> BTreeSet<String> {
    MODULES.iter().map(|m| m.folder.to_owned()).collect()
}

#[test]
fn every_module_folder_has_a_row_in_the_table() {
    for (dir, what) in [
        (exercises(), "module folder"),
        (exercises().join("solutions"), "folder of solutions"),
    ] {
        let unregistered: Vec<String> = module_folders(&dir)
            .difference(&registered())
            .cloned()
            .collect();
        assert!(
            unregistered.is_empty(),
            "{}: the {what}s {unregistered:?} have no row in for_each_module! (exercises/src/modules.rs)",
            dir.display()
        );
    }
}

#[test]
fn modules_are_in_order_and_named_by_their_number() {
    for pair in MODULES.windows(2) {
        assert!(
            pair[0].number < pair[1].number,
            "{} comes before {} in the table",
            pair[0].name,
            pair[1].name
        );
    }
    for m in MODULES {
        assert_eq!(m.name, format!("ex{:02}", m.number));
        assert!(
            m.folder.starts_with(&format!("{:02}_", m.number)),
            "{}'s folder {} does not start with its number",
            m.name,
            m.folder
        );
    }
}

#[test]
fn every_module_has_its_readme_starter_solution_hints_and_checks() {
    let root = exercises();
    for m in MODULES {
        for file in [
            root.join(m.folder).join("README.md"),
            root.join(m.folder).join(m.file),
            root.join("solutions").join(m.folder).join(m.file),
        ] {
            assert!(file.exists(), "{}: {} is missing", m.name, file.display());
        }
        assert!(
            hints::list(m).len() >= 3,
            "{}/hints.md: at least three numbered hints",
            m.folder
        );
        let checks = (m.checks)();
        assert!(!checks.is_empty(), "src/check/{}.rs has no checks", m.name);
        let names: BTreeSet<&str> = checks.iter().map(|c| c.name).collect();
        assert_eq!(
            names.len(),
            checks.len(),
            "{}: two checks share a name",
            m.name
        );
    }
}

#[test]
fn every_listed_function_stands_in_the_starter_and_the_solution() {
    let root = exercises();
    for m in MODULES {
        for file in [
            root.join(m.folder).join(m.file),
            root.join("solutions").join(m.folder).join(m.file),
        ] {
            let text = read(&file);
            for function in m.functions {
                assert!(
                    text.contains(&format!("pub fn {function}(")),
                    "{} has no `pub fn {function}`",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn every_module_folder_is_a_crate_of_its_own() {
    for m in MODULES {
        let manifest = read(&exercises().join(m.folder).join("Cargo.toml"));
        for line in [
            format!("name = \"gossip-{}\"", m.name),
            format!("path = \"{}\"", m.file),
        ] {
            assert!(
                manifest.lines().any(|l| l.trim() == line),
                "{}/Cargo.toml: `{line}` wanted",
                m.folder
            );
        }
    }
}

#[test]
fn the_workshop_crate_links_every_module_and_no_other() {
    let manifest = read(&exercises().join("workshop").join("Cargo.toml"));
    for m in MODULES {
        let line = format!(
            "{} = {{ package = \"gossip-{}\", path = \"../{}\", optional = true }}",
            m.name, m.name, m.folder
        );
        assert!(
            manifest.lines().any(|l| l.trim() == line),
            "exercises/workshop/Cargo.toml: add to [dependencies]:\n{line}"
        );
    }
    let linked = manifest
        .lines()
        .filter(|l| l.contains("package = \"gossip-ex"))
        .count();
    assert_eq!(
        linked,
        MODULES.len(),
        "exercises/workshop/Cargo.toml links a module the table does not list"
    );
    let names: Vec<String> = MODULES.iter().map(|m| format!("\"{}\"", m.name)).collect();
    let default = format!("default = [{}]", names.join(", "));
    assert!(
        manifest.lines().any(|l| l.trim() == default),
        "exercises/workshop/Cargo.toml: the default features are every module:\n{default}"
    );
}

#[test]
fn every_mistake_names_a_registered_module() {
    let numbers: BTreeSet<String> = MODULES
        .iter()
        .map(|m| format!("{:02}_", m.number))
        .collect();
    for entry in std::fs::read_dir(exercises().join("mistakes")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.get(..3).is_some_and(|prefix| numbers.contains(prefix)),
            "mistakes/{name} does not start with a registered module's number"
        );
    }
}

#[test]
fn the_exercises_readme_lists_every_module() {
    let readme = read(&exercises().join("README.md"));
    for m in MODULES {
        assert!(
            readme.contains(&format!("]({}/README.md)", m.folder)),
            "exercises/README.md: the table has no row for {}",
            m.folder
        );
    }
}
