//! Turns the catalogue of mistakes (`mistakes/NN_name.rs`) into tests.
//!
//! Each file there is a plausible wrong version of one module's functions,
//! written as a learner would write them; the functions it does not define
//! come from the solution. For every file this writes one `#[test]` that
//! grades the file with its module's check and asserts that the check fails
//! and says what its `//! Caught:` lines say (`tests/mistakes.rs`).

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it is compiled: a moved checkout
    // must list its own files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let dir = Path::new(&manifest).join("mistakes");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();

    let mut out = String::new();
    let mut table = String::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let module: u8 = name
            .get(..2)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| {
                panic!("{name}: a mistake's file name starts with its module, 01_...")
            });
        let what = doc_lines(&text, "").next().unwrap_or_else(|| {
            panic!("{name}: the first //! line says what the mistake gets wrong")
        });
        let caught: Vec<String> = doc_lines(&text, "Caught:").collect();
        assert!(
            !caught.is_empty(),
            "{name}: no //! Caught: line (what the report must say)"
        );
        let functions: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("pub fn "))
            .filter_map(|l| l.split(['(', '<']).next())
            .collect();
        assert!(!functions.is_empty(), "{name}: defines no pub fn");
        let ident = format!("m{name}");
        let fields: String = functions
            .iter()
            .map(|f| format!("{f}: {ident}::{f}, "))
            .collect();
        writeln!(
            out,
            "#[path = {path:?}]\n#[allow(unused_imports, unused_variables, dead_code)]\nmod {ident};\n\
             #[test]\nfn {ident}_fails_its_check() {{\n    \
             let code = gossip_exercises::workshop::Code {{ {fields}..gossip_exercises::workshop::solutions({module}, gossip_exercises::workshop::Code::REFERENCE) }};\n    \
             expect_caught({name:?}, {module}, code, &{caught:?});\n}}\n",
            path = path.display().to_string(),
        )
        .unwrap();
        writeln!(table, "    ({module}, {name:?}, {what:?}),").unwrap();
    }
    writeln!(
        out,
        "/// Every mistake: module, file, what it gets wrong.\n\
         const CATALOGUE: &[(u8, &str, &str)] = &[\n{table}];"
    )
    .unwrap();
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("mistakes.rs");
    std::fs::write(target, out).unwrap();
}

/// The text of the file's `//!` lines that start with `label`.
fn doc_lines<'a>(text: &'a str, label: &'a str) -> impl Iterator<Item = String> + 'a {
    text.lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .filter(move |l| !l.is_empty() && l.starts_with(label))
        .filter(move |l| !label.is_empty() || !l.starts_with("Caught:"))
        .map(move |l| l[label.len()..].trim().to_owned())
}
