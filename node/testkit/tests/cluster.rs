//! A real cluster: `gossip-node` processes on free ports, driven over HTTP.
//!
//! These tests do what the workshop sheet does, with curl replaced by an HTTP
//! client: start four nodes, inject an update, read every `/state`, kill node
//! 3, restart it. They poll with generous deadlines instead of sleeping.

use gossip_node::core::membership::MemberStatus;
use gossip_node::core::store::Entry;
use gossip_node::story::{play, sheet_challenge, Action, Expect, Stage, Story};
use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, start_node, start_sheet_cluster, start_sheet_node,
    wait_for_state, wait_until, Process, FAST_SWIM,
};
use gossip_testkit::stage::ProcessStage;
use std::collections::BTreeMap;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);
/// Fast rounds keep the suite quick; one test runs the default 1 s.
const FAST: &[&str] = &["--visualizer", "off", "--interval", "100ms"];

/// N nodes as the sheet starts them: node i on its own port, knowing all others.
fn sheet_cluster(label: &str, n: usize, extra: &[&str]) -> Vec<Process> {
    start_sheet_cluster(&scratch_dir(label), &sheet_ports(n), extra)
}

async fn wait_all_members(nodes: &[Process], n: usize) {
    harness::wait_formed(nodes, n, DEADLINE).await;
}

async fn entries(node: &Process) -> Option<BTreeMap<String, Entry>> {
    harness::state(node).await.map(|s| s.entries)
}

/// Wait until every node's entries equal `expected`.
async fn wait_converged(nodes: &[&Process], expected: &BTreeMap<String, Entry>) {
    for node in nodes {
        wait_for_state(node, &format!("holds {expected:?}"), DEADLINE, |s| {
            &s.entries == expected
        })
        .await;
    }
}

#[tokio::test]
async fn the_sheets_four_nodes_agree_after_a_bare_curl() {
    // Default interval, exactly the sheet's command lines.
    let nodes = sheet_cluster("sheet", 4, &["--visualizer", "off"]);
    wait_all_members(&nodes, 4).await;

    let (status, stored) = harness::post(&nodes[0].url("/update"), None, "").await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["key"], "news");
    assert_eq!(stored["origin"], 1);

    let expected = entries(&nodes[0]).await.unwrap();
    assert_eq!(expected["news"].value, stored["value"].as_str().unwrap());
    wait_converged(&nodes.iter().collect::<Vec<_>>(), &expected).await;
}

#[tokio::test]
async fn a_node_started_with_one_neighbor_learns_everyone() {
    let dir = scratch_dir("one-neighbor");
    let first = start_node(&dir, 1, 0, &[], FAST);
    let mut nodes = vec![];
    for id in 2..=5 {
        nodes.push(start_node(
            &dir,
            id,
            0,
            std::slice::from_ref(&first.addr),
            FAST,
        ));
    }
    nodes.push(first);
    wait_all_members(&nodes, 5).await;
}

#[tokio::test]
async fn nodes_start_in_any_order_and_retry_neighbors_that_are_down() {
    let dir = scratch_dir("any-order");
    let ports = sheet_ports(3);
    // Node 3 starts alone: its neighbors are down, it keeps trying.
    let third = start_sheet_node(&dir, 3, &ports, FAST);
    wait_until(
        "node 3 tried its neighbors a few times",
        DEADLINE,
        || async {
            harness::metric(&third, "gossip_messages_undelivered_total")
                .await
                .filter(|n| *n >= 4)
        },
    )
    .await;
    let first = start_sheet_node(&dir, 1, &ports, FAST);
    let second = start_sheet_node(&dir, 2, &ports, FAST);
    wait_all_members(&[first, second, third], 3).await;
}

#[tokio::test]
async fn updates_on_different_keys_all_arrive_everywhere() {
    let nodes = sheet_cluster("keys", 4, FAST);
    wait_all_members(&nodes, 4).await;
    for (i, node) in nodes.iter().enumerate() {
        let body = format!(r#"{{"key": "k{i}", "value": "from node {}"}}"#, i + 1);
        let (status, answer) =
            harness::post(&node.url("/update"), Some("application/json"), body).await;
        assert_eq!(status, 200, "{answer}");
    }
    let expected = wait_for_state(&nodes[0], "holds all four keys", DEADLINE, |s| {
        s.entries.len() == 4
    })
    .await
    .entries;
    wait_converged(&nodes.iter().collect::<Vec<_>>(), &expected).await;
}

#[tokio::test]
async fn concurrent_writes_to_one_key_converge_to_the_same_winner() {
    let nodes = sheet_cluster("conflict", 4, FAST);
    wait_all_members(&nodes, 4).await;
    let write = |node: &Process, value: &str| {
        let url = node.url("/update");
        let body = format!(r#"{{"key": "color", "value": "{value}"}}"#);
        async move { harness::post(&url, Some("application/json"), body).await }
    };
    let ((s1, red), (s4, blue)) = tokio::join!(write(&nodes[0], "red"), write(&nodes[3], "blue"));
    assert_eq!((s1, s4), (200, 200));
    // The winner is the higher (version, origin): the same rule on every node.
    let stamp = |v: &serde_json::Value| {
        (
            v["version"].as_u64().unwrap(),
            v["origin"].as_u64().unwrap(),
        )
    };
    let winner = if stamp(&red) > stamp(&blue) {
        "red"
    } else {
        "blue"
    };
    for node in &nodes {
        wait_until(
            &format!("{} settles on {winner}", node.addr),
            DEADLINE,
            || async {
                entries(node)
                    .await
                    .filter(|e| e.get("color").is_some_and(|c| c.value == winner))
                    .map(|_| ())
            },
        )
        .await;
    }
}

/// The sheet's micro-challenge, the story the simulator and the checker
/// play too: kill 3, update 1, node 4 still hears it; restart 3, and old news
/// never comes back to it without anti-entropy.
#[test]
fn micro_challenge_kill_3_update_1_restart_3() {
    let mut stage = ProcessStage::new("micro-challenge", &["--interval", "100ms"]);
    if let Err(failure) = play(&sheet_challenge(false), &mut stage) {
        panic!("{failure}");
    }
}

/// The sheet's challenge, solved: with anti-entropy on, node 3 catches up,
/// and it learns the one entry it missed, no more.
#[test]
fn with_anti_entropy_a_restarted_node_3_catches_up() {
    let flags = ["--interval", "100ms", "--anti-entropy", "300ms"];
    let mut stage = ProcessStage::new("anti-entropy", &flags);
    if let Err(failure) = play(&sheet_challenge(true), &mut stage) {
        panic!("{failure}");
    }
    let node_3 = stage.node(3).expect("node 3 runs again");
    let repairs = stage.block_on(harness::metric(node_3, "gossip_entries_learned_total"));
    assert_eq!(repairs, Some(1), "node 3 learned the one entry it missed");
}

/// The process stage reports what it saw: a step that does not come true in
/// time, a node that is down, a write a node refuses.
#[test]
fn a_story_on_processes_that_fails_prints_the_story_so_far() {
    let story = Story::new("two nodes, one never written")
        .then(Action::Start { nodes: 2 })
        .expect(
            Expect::Knows {
                node: 2,
                members: 2,
            },
            DEADLINE,
        )
        .then(Action::Crash { node: 2 })
        .expect(
            Expect::Lacks {
                node: 1,
                key: "x".into(),
            },
            DEADLINE,
        )
        .expect(
            Expect::Holds {
                node: 1,
                key: "x".into(),
                value: None,
            },
            Duration::from_millis(300),
        );
    let failure = play(&story, &mut ProcessStage::new("failing-story", &[])).unwrap_err();
    let text = failure.to_string();
    assert!(
        text.contains("✓ 4. expect node 1 lacks x within 30s"),
        "{text}"
    );
    assert!(
        text.contains("✗ 5. expect node 1 holds x within 300ms"),
        "{text}"
    );
    assert!(text.ends_with("after 300ms: node 1 lacks x"), "{text}");

    let mut stage = ProcessStage::new("refused-steps", &[]);
    let write = |node, key: &str| Action::Write {
        node,
        key: key.into(),
        value: "v".into(),
    };
    assert_eq!(
        stage.act(&write(1, "x")),
        Err("no cluster yet: a story begins with `start`".into())
    );
    stage.act(&Action::Start { nodes: 2 }).unwrap();
    stage.act(&Action::Crash { node: 2 }).unwrap();
    assert_eq!(stage.act(&write(2, "x")), Err("node 2 is down".into()));
    assert_eq!(stage.act(&write(3, "x")), Err("there is no node 3".into()));
    let refused = stage.act(&write(1, "")).unwrap_err();
    assert!(
        refused.starts_with("node 1 answered POST /update with 422"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_killed_node_is_declared_dead_by_every_other_node() {
    let mut nodes = sheet_cluster("swim-dead", 4, FAST_SWIM);
    wait_all_members(&nodes, 4).await;
    nodes[2].kill();
    for observer in [&nodes[0], &nodes[1], &nodes[3]] {
        harness::wait_member_status(observer, 3, MemberStatus::Dead, DEADLINE).await;
    }
}

#[tokio::test]
async fn with_heartbeats_a_killed_node_is_dead_everywhere_and_alive_after_a_restart() {
    let dir = scratch_dir("heartbeat");
    let ports = sheet_ports(4);
    let flags = [FAST, &["--detector", "heartbeat"]].concat();
    let mut nodes = start_sheet_cluster(&dir, &ports, &flags);
    wait_all_members(&nodes, 4).await;
    nodes[2].kill();
    for observer in [&nodes[0], &nodes[1], &nodes[3]] {
        harness::wait_member_status(observer, 3, MemberStatus::Dead, DEADLINE).await;
    }
    // No probes ran: the verdicts came from heartbeats alone.
    assert!(
        !nodes[0].log_text().contains("suspect"),
        "{}",
        nodes[0].log_text()
    );
    nodes[2] = start_sheet_node(&dir, 3, &ports, &flags);
    for observer in [&nodes[0], &nodes[1], &nodes[3]] {
        harness::wait_member_status(observer, 3, MemberStatus::Alive, DEADLINE).await;
    }
    // And it stays alive: its new heartbeats keep coming. Watch for 2 s,
    // more than twice the timeout (8 rounds of 100 ms at 4 nodes).
    let watch = std::time::Instant::now();
    while watch.elapsed() < Duration::from_secs(2) {
        for observer in [&nodes[0], &nodes[1], &nodes[3]] {
            let status = harness::member_status(observer, 3).await;
            assert_eq!(status, Some(MemberStatus::Alive), "{}", observer.addr);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn an_unknown_detector_is_refused_with_the_choices() {
    let out = std::process::Command::new(harness::binary("gossip-node"))
        .args(["--port", "0", "--id", "1", "--detector", "gut-feeling"])
        .output()
        .expect("gossip-node runs");
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("[possible values: swim, heartbeat]"),
        "{text}"
    );
}

#[tokio::test]
async fn a_node_stopped_gracefully_is_marked_left_not_dead() {
    let mut nodes = sheet_cluster("swim-left", 4, FAST_SWIM);
    wait_all_members(&nodes, 4).await;
    assert!(nodes[1].terminate().success());
    for observer in [&nodes[0], &nodes[2], &nodes[3]] {
        harness::wait_member_status(observer, 2, MemberStatus::Left, DEADLINE).await;
    }
}

#[tokio::test]
async fn sigterm_stops_a_node_cleanly() {
    let dir = scratch_dir("sigterm");
    let mut node = start_node(&dir, 1, 0, &[], FAST);
    let status = node.terminate();
    assert!(
        status.success(),
        "exit status {status}: {}",
        node.log_text()
    );
}

#[tokio::test]
async fn a_port_in_use_is_one_clear_line_and_a_failing_exit() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = std::process::Command::new(harness::binary("gossip-node"))
        .args([
            "--port",
            &port.to_string(),
            "--id",
            "1",
            "--visualizer",
            "off",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
}
