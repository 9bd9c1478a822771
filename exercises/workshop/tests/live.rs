//! The live cluster on workshop pieces: real `gossip-node-workshop`
//! processes, started as `make run IMPL=solutions` (or `IMPL=workshop`) does.
//! No node grades anything while a test waits for it: the solutions need no
//! grading, and for your code the test grades once, in-process, and hands
//! the verdicts over with `--modules`, as `make run IMPL=workshop` does.

use gossip_exercises::check;
use gossip_exercises::modules::MODULES;
use gossip_exercises::workshop::Source;
use gossip_node::story::{play, sheet_challenge};
use gossip_testkit::harness::{self, Process};
use gossip_testkit::stage::ProcessStage;
use gossip_workshop::yours;
use std::time::Duration;

fn start(dir: &std::path::Path, id: u64, ports: &[u16], pieces: &str) -> Process {
    let mut extra = vec!["--anti-entropy", "1s"];
    extra.extend(pieces.split(' '));
    extra.extend(harness::FAST_SWIM);
    harness::start_sheet_program_node("gossip-node-workshop", dir, id, ports, &extra)
}

async fn implementation(node: &Process) -> String {
    let health: serde_json::Value = harness::get_json(&node.url("/health"))
        .await
        .expect("/health answers");
    health["implementation"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The sheet's challenge, the one story every stage plays, on the
/// solutions: kill 3, update 1, restart 3, and node 3 catches up by the
/// solution's anti-entropy.
#[test]
fn the_cluster_runs_on_the_solutions_and_node_3_catches_up() {
    let mut flags = vec!["--anti-entropy", "1s", "--pieces", "solutions"];
    flags.extend(harness::FAST_SWIM);
    let mut stage = ProcessStage::of_program("gossip-node-workshop", "workshop-solutions", &flags);
    if let Err(failure) = play(&sheet_challenge(true), &mut stage) {
        panic!("{failure}");
    }
    let with_pieces: Vec<String> = MODULES
        .iter()
        .filter(|m| m.has_pieces)
        .map(|m| format!("{:02}", m.number))
        .collect();
    let expected = format!(
        "solutions: {}; reference for the rest",
        with_pieces.join(", ")
    );
    for id in 1..=4 {
        let node = stage.node(id).expect("every node runs at the end");
        assert_eq!(stage.block_on(implementation(node)), expected);
        assert!(node
            .log_text()
            .contains("running the solutions of every module with pieces"));
    }
    let node_3 = stage.node(3).expect("node 3 runs again");
    assert!(
        node_3.log_text().contains("from anti-entropy"),
        "{}",
        node_3.log_text()
    );
}

#[tokio::test]
async fn unfinished_modules_fall_back_to_the_reference_and_say_so() {
    // Grade once, here, as `make run IMPL=workshop` does before any node starts.
    let passing: Vec<String> = MODULES
        .iter()
        .filter(|m| m.has_pieces)
        .filter(|m| check::run(m, Source::Yours, yours).passed())
        .map(|m| format!("{:02}", m.number))
        .collect();
    let dir = harness::scratch_dir("workshop-starters");
    let ports = harness::sheet_ports(4);
    let handed = format!("--pieces yours --modules={}", passing.join(","));
    let node = start(&dir, 1, &ports, &handed);
    let said = implementation(&node).await;
    let log = node.log_text();
    assert!(
        !log.contains("grading your modules"),
        "the node graded again:\n{log}"
    );
    if passing.is_empty() {
        // The starters as shipped: every module runs the reference.
        assert_eq!(said, "reference (no module of yours passes yet)");
        assert!(
            log.contains("module 04 (04_anti_entropy): not passing yet: running the reference (make check EX=04)"),
            "{log}"
        );
    } else {
        // A participant's finished modules run live instead.
        assert_eq!(
            said,
            format!("yours: {}; reference for the rest", passing.join(", "))
        );
    }
}

#[tokio::test]
async fn a_module_list_that_names_no_module_is_refused_with_a_clear_error() {
    let dir = harness::scratch_dir("workshop-bad-modules");
    let out = std::process::Command::new(harness::binary("gossip-node-workshop"))
        .args([
            "--port",
            "0",
            "--id",
            "1",
            "--visualizer",
            "off",
            "--modules=04,42",
        ])
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("there is no module 42"), "{said}");
}

#[tokio::test]
async fn the_solutions_run_plumtree_and_heartbeats_live() {
    let dir = harness::scratch_dir("workshop-tree");
    let ports = harness::sheet_ports(4);
    let start = |id| {
        let mut extra = vec!["--pieces", "solutions"];
        extra.extend(harness::FAST_SWIM);
        extra.extend(["--mode", "plumtree", "--detector", "heartbeat"]);
        harness::start_sheet_program_node("gossip-node-workshop", &dir, id, &ports, &extra)
    };
    let mut nodes: Vec<Process> = (1..=4).map(start).collect();
    for (i, key) in ["first", "second", "third"].into_iter().enumerate() {
        let body = format!(r#"{{"key":"{key}","value":"v"}}"#);
        let (status, _) =
            harness::post(&nodes[i].url("/update"), Some("application/json"), body).await;
        assert_eq!(status, 200);
        for node in &nodes {
            harness::wait_for_state(
                node,
                &format!("holds {key}"),
                Duration::from_secs(20),
                |s| s.entries.contains_key(key),
            )
            .await;
        }
    }
    // The first update flooded; the duplicates pruned links into a tree.
    let mut prunes = 0;
    for node in &nodes {
        prunes += harness::metric(node, "gossip_tree_prunes_total")
            .await
            .expect("metrics answer");
    }
    assert!(prunes > 0, "no link was pruned");
    // Heartbeats, not probes, find the crash.
    nodes[3].kill();
    for observer in &nodes[..3] {
        harness::wait_member_status(
            observer,
            4,
            gossip_node::core::membership::MemberStatus::Dead,
            Duration::from_secs(30),
        )
        .await;
    }
    let (status, _) = harness::post(
        &nodes[1].url("/update"),
        Some("application/json"),
        r#"{"key":"after","value":"v"}"#,
    )
    .await;
    assert_eq!(status, 200);
    for node in &nodes[..3] {
        harness::wait_for_state(node, "holds after", Duration::from_secs(20), |s| {
            s.entries.contains_key("after")
        })
        .await;
    }
}
