//! `gossip-sim` as a participant runs it: the real binary, its output parsed.

use gossip_testkit::harness;
use std::process::Command;

fn gossip_sim(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(harness::binary("gossip-sim"))
        .args(args)
        .output()
        .expect("gossip-sim runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_same_seed_prints_the_same_spread() {
    let args = [
        "spread",
        "--nodes",
        "5000",
        "--mode",
        "push-pull",
        "--seed",
        "9",
        "--json",
    ];
    let (ok, first, _) = gossip_sim(&args);
    assert!(ok);
    let (_, second, _) = gossip_sim(&args);
    let rounds = |text: &str| {
        let json: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON");
        json["rounds"].clone()
    };
    assert_eq!(rounds(&first), rounds(&second));
    let json: serde_json::Value = serde_json::from_str(first.trim()).unwrap();
    assert!(json["full_at"].as_u64().is_some());
    assert!(json["node_rounds_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_crash_among_fifty_is_detected_and_the_write_arrives() {
    let (ok, out, err) = gossip_sim(&["crash", "--nodes", "50", "--json"]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let dead = json["all_dead_s"].as_f64().expect("detected");
    assert!(dead > 0.0 && dead < 60.0, "{dead}");
    assert!(json["write_everywhere_s"].as_f64().is_some());
}

#[test]
fn the_charts_are_drawn_as_svg() {
    let dir = harness::scratch_dir("diagrams");
    let out = dir.to_str().unwrap();
    let (ok, _, err) = gossip_sim(&["diagrams", "--quick", "--out", out]);
    assert!(ok, "{err}");
    for (file, title) in [
        ("s-curve.svg", "S-curve"),
        ("rounds-vs-n.svg", "Rounds until everyone knows"),
        ("messages-per-node.svg", "Messages per node"),
        ("residue-vs-k.svg", "who never hears"),
        ("detection-vs-n.svg", "SWIM failure detection"),
    ] {
        let svg = std::fs::read_to_string(dir.join(file)).expect(file);
        assert!(svg.starts_with("<svg"), "{file} is not an SVG");
        assert!(svg.contains(title), "{file} lacks its title {title:?}");
        assert!(
            svg.matches("<polyline").count() >= 3,
            "{file} has too few lines"
        );
    }
}

#[test]
fn bad_sizes_get_a_sentence_not_a_panic() {
    for args in [
        &["spread", "--nodes", "1"][..],
        &["crash", "--nodes", "20000"][..],
        &["spread", "--loss", "1.5"][..],
    ] {
        let (ok, _, err) = gossip_sim(args);
        assert!(!ok);
        assert!(err.starts_with("gossip-sim: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn trace_as_a_flag_writes_the_scripted_run() {
    let dir = harness::scratch_dir("trace-flag");
    let file = dir.join("run.jsonl");
    let (ok, out, err) = gossip_sim(&["--trace", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("200 nodes"), "{out}");
    let first = std::fs::read_to_string(&file).unwrap();
    let line: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(line["type"], "hello");
    assert_eq!(line["v"], 1);
}

#[test]
fn help_says_what_the_simulator_is() {
    let (ok, help, _) = gossip_sim(&["--help"]);
    assert!(ok);
    let first = help.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "Simulate gossip with the same protocol core the live nodes run"
    );
    for command in ["spread", "crash", "theory", "demo", "trace", "diagrams"] {
        assert!(
            help.contains(&format!("  {command} ")),
            "{command}:\n{help}"
        );
    }
}
