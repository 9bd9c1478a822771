//! One module that does not compile never stops another: `compile::build`
//! run by real cargo on a small workspace shaped like the workshop's (two
//! learner crates, one of them broken, and the crate that links them by
//! feature), written to a scratch folder so it builds in seconds.

use gossip_exercises::compile;
use std::path::Path;
use std::process::Command;

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn learner_crate(root: &Path, folder: &str, number: &str, body: &str) {
    write(
        root,
        &format!("{folder}/Cargo.toml"),
        &format!(
            "[package]\nname = \"gossip-ex{number}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"learner.rs\"\n"
        ),
    );
    write(root, &format!("{folder}/learner.rs"), body);
}

#[test]
fn a_broken_module_is_reported_and_left_out_while_the_others_build() {
    let root = std::env::temp_dir().join(format!("gossip-isolation-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    write(
        &root,
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"01_versions\", \"02_push_rumor\", \"06_swim\", \"workshop\"]\n",
    );
    learner_crate(
        &root,
        "01_versions",
        "01",
        "pub fn observe(clock: u64, seen: u64) -> u64 {\n    clock.max(seen)\n}\n",
    );
    // Compiles on its own, but not with the signature the workshop plugs in.
    learner_crate(
        &root,
        "02_push_rumor",
        "02",
        "pub fn retries(k: u32) -> u32 {\n    k\n}\n",
    );
    learner_crate(
        &root,
        "06_swim",
        "06",
        "pub fn refute() -> Option<u64> {\n    let incarnation: u64 = \"five\";\n    Some(incarnation)\n}\n",
    );
    write(
        &root,
        "workshop/Cargo.toml",
        "[package]\nname = \"gossip-workshop\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [[bin]]\nname = \"gossip-graded\"\npath = \"main.rs\"\n\n\
         [features]\nex01 = [\"dep:gossip-ex01\"]\nex02 = [\"dep:ex02\"]\nex06 = [\"dep:gossip-ex06\"]\n\n\
         [dependencies]\ngossip-ex01 = { path = \"../01_versions\", optional = true }\n\
         ex02 = { package = \"gossip-ex02\", path = \"../02_push_rumor\", optional = true }\n\
         gossip-ex06 = { path = \"../06_swim\", optional = true }\n",
    );
    write(
        &root,
        "workshop/main.rs",
        "#[cfg(feature = \"ex02\")]\nconst RETRIES: fn() -> u32 = ex02::retries;\n\n\
         fn main() {\n    println!(\"ex01={} ex02={} ex06={}\", cfg!(feature = \"ex01\"), cfg!(feature = \"ex02\"), cfg!(feature = \"ex06\"));\n}\n",
    );
    // Its own target folder: nothing here is shared with the real build.
    std::env::set_var("CARGO_TARGET_DIR", root.join("target"));

    let build = compile::build(&root, &[1, 2, 6], &["gossip-graded"], false).expect("cargo ran");

    assert_eq!(build.broken.keys().copied().collect::<Vec<_>>(), vec![2, 6]);
    let signature = &build.broken[&2];
    assert!(signature[0].contains("ex02::retries"), "{signature:?}");
    assert!(
        signature[0].contains("put that signature back"),
        "{signature:?}"
    );
    let errors = &build.broken[&6];
    assert!(errors[0].contains("mismatched types"), "{errors:?}");
    assert!(errors[0].contains("06_swim/learner.rs:2"), "{errors:?}");
    assert_eq!(build.compiled(&[1, 2, 6]), vec![1]);
    let graded = &build.binaries["gossip-graded"];
    let out = Command::new(graded).output().expect("the binary runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ex01=true ex02=false ex06=false"
    );
    let _ = std::fs::remove_dir_all(&root);
}
