//! `gossip-bench` end to end, small: a 4-node cluster of ours (and of Serf,
//! when the machine has it), one cluster each. Checks that every figure is
//! measured and printed; never how fast anything was.

use gossip_testkit::harness;
use std::process::Command;

#[test]
fn the_bench_measures_a_small_cluster_and_prints_every_row() {
    let serf = Command::new("serf")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut args = vec![
        "--skip-sim",
        "--nodes",
        "4",
        "--runs",
        "1",
        "--trials",
        "2",
        "--idle-seconds",
        "3",
        // The bench's defaults (15 kills, 40 updates) take many clusters.
        "--min-kills",
        "1",
        "--min-updates",
        "2",
    ];
    if !serf {
        eprintln!("serf is not installed: measuring our nodes only");
        args.push("--skip-serf");
    }
    let output = Command::new(harness::binary("gossip-bench"))
        .args(&args)
        .output()
        .expect("gossip-bench runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    assert!(
        out.contains("--forward-at-once on --suspect-refused on"),
        "the rows say which options they use:\n{out}"
    );
    for row in [
        "4 nodes, update everywhere",
        "4 nodes, killed node dead",
        "4 nodes, updates not all arrived",
        "4 nodes, memory (RSS) per node",
        "4 nodes, idle CPU per node",
        "4 nodes, physical limit",
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(row))
            .unwrap_or_else(|| panic!("no row {row:?} in:\n{out}"));
        assert!(!line.contains("NaN"), "{line}");
        if row.contains("everywhere") || row.contains("dead") {
            // A median, its 95 % interval, and how many samples.
            assert!(
                line.contains('[') && (line.contains("(2)") || line.contains("(1)")),
                "{line}"
            );
        }
        if serf && !row.contains("physical") {
            assert!(
                line.split_whitespace().count() >= 11,
                "no Serf figure: {line}"
            );
        }
    }
}
