//! Your modules, compiled one at a time, the way rustlings compiles each
//! exercise alone.
//!
//! Every module's file is a crate of its own (`gossip-exNN`), and a feature
//! of `gossip-workshop`, which links the files with the checks
//! (`gossip-graded`) and the node (`gossip-node-workshop`). [`build`] asks
//! cargo for those binaries with the modules' features; if a file does not
//! compile (or compiles with a signature the workshop cannot plug in), it
//! notes the compiler's errors for that file, builds again without it, and
//! the module is reported as not compiling while every other module is
//! graded (and run live) as usual.

use crate::modules::{module, Module};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How many compiler errors of one file to show: the first ones are the
/// ones to fix first; the rest often follow from them.
const ERRORS_SHOWN: usize = 3;

/// What one build brought.
#[derive(Debug, Default)]
pub struct Build {
    /// The binaries built, by name.
    pub binaries: BTreeMap<String, PathBuf>,
    /// The modules whose file does not compile, with the compiler's errors.
    pub broken: BTreeMap<u8, Vec<String>>,
}

impl Build {
    /// The modules of `wanted` that compiled.
    pub fn compiled(&self, wanted: &[u8]) -> Vec<u8> {
        wanted
            .iter()
            .copied()
            .filter(|m| !self.broken.contains_key(m))
            .collect()
    }
}

/// Build `binaries` of `gossip-workshop` with your `modules` (in release
/// with `release`), leaving out any module whose file does not compile.
/// Cargo's progress goes to the terminal as it happens.
pub fn build(
    root: &Path,
    modules: &[u8],
    binaries: &[&str],
    release: bool,
) -> Result<Build, String> {
    let mut broken = BTreeMap::new();
    loop {
        // A file that does not compile stops the workshop's crate, so an
        // error there that names another module shows only on the next try:
        // build again without the broken ones until a build breaks nothing.
        let left: Vec<u8> = modules
            .iter()
            .copied()
            .filter(|m| !broken.contains_key(m))
            .collect();
        let mut build = cargo_build(root, &left, binaries, release)?;
        if build.broken.is_empty() {
            build.broken = broken;
            return Ok(build);
        }
        broken.append(&mut build.broken);
    }
}

fn cargo_build(
    root: &Path,
    modules: &[u8],
    binaries: &[&str],
    release: bool,
) -> Result<Build, String> {
    let features: Vec<String> = modules.iter().map(|m| format!("ex{m:02}")).collect();
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(root)
        .args([
            "build",
            "-p",
            "gossip-workshop",
            "--no-default-features",
            "--keep-going",
        ])
        .args(["--message-format", "json"])
        .arg(format!("--features={}", features.join(",")));
    for binary in binaries {
        cargo.args(["--bin", binary]);
    }
    if release {
        cargo.arg("--release");
    }
    let mut child = cargo
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut build = Build::default();
    let mut other_errors = Vec::new();
    let stdout = child.stdout.take().expect("piped above");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(message) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(exe) = message["executable"].as_str() {
                    let name = message["target"]["name"].as_str().unwrap_or_default();
                    build.binaries.insert(name.to_owned(), PathBuf::from(exe));
                }
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
                if message["message"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("aborting due to"))
                {
                    continue;
                }
                let target = message["target"]["name"].as_str().unwrap_or_default();
                if let Some(number) = learner_module(target) {
                    let errors = build.broken.entry(number).or_default();
                    errors.push(rendered.to_owned());
                } else if let Some(number) = module_named_in(rendered) {
                    // Your file compiled, but the workshop could not plug a
                    // function of it in: its signature is not the starter's.
                    let errors = build.broken.entry(number).or_default();
                    errors.push(format!("{rendered}{SIGNATURE_NOTE}"));
                } else {
                    other_errors.push(rendered.to_owned());
                }
            }
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo did not finish: {e}"))?;
    if !other_errors.is_empty() || (!status.success() && build.broken.is_empty()) {
        return Err(format!(
            "the workshop itself did not build (not your files):\n{}",
            other_errors.join("\n")
        ));
    }
    Ok(build)
}

/// `gossip_ex06` (a crate of yours) -> 6.
fn learner_module(target: &str) -> Option<u8> {
    target.strip_prefix("gossip_ex")?.parse().ok()
}

/// Said under an error in the workshop's own crate that names your module.
const SIGNATURE_NOTE: &str = "\nnote: your file compiles, but the workshop calls each of its \
    functions with the signature the starter file gives it (argument and return types); \
    put that signature back and change only the body.";

/// The module an error of the workshop's own crate is about, if its text
/// names one of your crates as the workshop does (`ex06::refute`).
fn module_named_in(rendered: &str) -> Option<u8> {
    let bytes = rendered.as_bytes();
    (0..bytes.len().saturating_sub(5)).find_map(|at| {
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let word_start = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        let shape = &bytes[at..at + 6];
        let named = word_start
            && shape.starts_with(b"ex")
            && shape[2].is_ascii_digit()
            && shape[3].is_ascii_digit()
            && &shape[4..] == b"::";
        named
            .then(|| rendered[at + 2..at + 4].parse().ok())
            .flatten()
    })
}

/// What `make check` says of a module whose file does not compile: the
/// compiler's first errors, in the checker's voice.
pub fn render_broken(module: &Module, errors: &[String]) -> String {
    let mut out = format!(
        "Module {:02} — {} (your code, {})\n  ✗ your file does not compile yet, so no check can run. The compiler says:\n\n",
        module.number,
        module.title,
        module.path()
    );
    for error in errors.iter().take(ERRORS_SHOWN) {
        for line in error.trim_end().lines() {
            out.push_str(&format!("      {line}\n"));
        }
        out.push('\n');
    }
    if errors.len() > ERRORS_SHOWN {
        out.push_str(&format!(
            "      ({} more errors; fixing the first often fixes them)\n\n",
            errors.len() - ERRORS_SHOWN
        ));
    }
    out.push_str(
        "NOT YET: fix what the compiler points at. Your other modules are not affected:\n\
         their checks and `make run IMPL=workshop` still work (the reference stands in for this one).\n",
    );
    out
}

/// The name of module `number` for a line of output, e.g. `06 (06_swim)`.
pub fn name(number: u8) -> String {
    module(number).map_or(format!("{number:02}"), |m| {
        format!("{number:02} ({})", m.folder)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_learner_crate_is_told_apart_from_the_workshop() {
        assert_eq!(learner_module("gossip_ex06"), Some(6));
        assert_eq!(learner_module("gossip_exercises"), None);
        assert_eq!(learner_module("gossip_workshop"), None);
    }

    #[test]
    fn an_error_naming_a_module_of_yours_is_that_modules() {
        let error = "error[E0308]: mismatched types\n  |\n9 |  newer: ex01::newer,\n";
        assert_eq!(module_named_in(error), Some(1));
        assert_eq!(module_named_in("found fn item {gossip_ex01::newer}"), None);
        assert_eq!(module_named_in("index0::x, hex01::y, ex1::z"), None);
        assert_eq!(module_named_in("ex09::"), Some(9));
    }

    #[test]
    fn a_broken_file_is_shown_as_the_compiler_says_it_trimmed() {
        let errors: Vec<String> = (1..=5)
            .map(|i| {
                format!("error[E0308]: mismatched types\n --> exercises/06_swim/swim.rs:{i}:5")
            })
            .collect();
        let text = render_broken(module(6).unwrap(), &errors);
        assert!(text.contains("exercises/06_swim/swim.rs:1:5"), "{text}");
        assert!(text.contains("exercises/06_swim/swim.rs:3:5"), "{text}");
        assert!(!text.contains("swim.rs:4:5"), "{text}");
        assert!(text.contains("2 more errors"), "{text}");
        assert!(
            text.contains("Your other modules are not affected"),
            "{text}"
        );
    }
}
