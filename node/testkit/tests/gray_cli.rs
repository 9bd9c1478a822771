//! `gossip-gray` end to end, small and short: both clusters run, the paused
//! node is stopped and resumed, one node is killed, and the table has a row
//! for each setting. Checks that everything is measured and printed, never
//! how many deaths there were or how fast.

use gossip_testkit::harness;
use std::process::Command;

#[test]
fn the_gray_failure_run_prints_a_row_per_setting() {
    let output = Command::new(harness::binary("gossip-gray"))
        .args([
            "--nodes",
            "4",
            "--duration",
            "12s",
            "--pause-every",
            "4s",
            "--pause-for",
            "1s",
        ])
        .output()
        .expect("gossip-gray runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}\n{err}");
    for setting in ["| on |", "| off |"] {
        let row = out
            .lines()
            .find(|l| l.starts_with(setting))
            .unwrap_or_else(|| panic!("no row {setting} in:\n{out}"));
        let cells: Vec<&str> = row
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cells.len(), 4, "{row}");
        assert!(
            cells[1].parse::<usize>().is_ok() && cells[2].parse::<usize>().is_ok(),
            "{row}"
        );
        assert!(
            cells[3].ends_with(" s") || cells[3] == "not within the run",
            "{row}"
        );
    }
    // Refused at once, with a reason, instead of a run that means nothing.
    let bad = Command::new(harness::binary("gossip-gray"))
        .args(["--loss", "2"])
        .output()
        .expect("gossip-gray runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--loss"));
}
