//! The cluster key on real nodes: those that hold it form one cluster; a
//! node without it, or with another, can neither join nor inject, and is
//! logged once; the key shows nowhere.

use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, start_sheet_node, wait_for_state, wait_until, Process,
    FAST_SWIM,
};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);
const KEY: &str = "room-42-correct-horse-battery";

fn with_key(key: &str) -> Vec<&str> {
    let mut flags = FAST_SWIM.to_vec();
    flags.extend(["--cluster-key", key]);
    flags
}

async fn untagged(node: &Process) -> u64 {
    harness::metric(node, "gossip_messages_untagged_total")
        .await
        .unwrap_or(0)
}

#[tokio::test]
async fn only_nodes_with_the_key_form_the_cluster() {
    let dir = scratch_dir("cluster-key");
    let ports = sheet_ports(5);
    // Nodes 1 to 3 hold the key; node 4 has none, node 5 another one.
    let keyed: Vec<Process> = (1..=3)
        .map(|id| start_sheet_node(&dir, id, &ports, &with_key(KEY)))
        .collect();
    for node in &keyed {
        wait_for_state(node, "knows nodes 1 to 3", DEADLINE, |s| {
            (1..=3).all(|id| s.members.iter().any(|m| m.id.0 == id))
        })
        .await;
    }
    let keyless = start_sheet_node(&dir, 4, &ports, FAST_SWIM);
    let other = start_sheet_node(&dir, 5, &ports, &with_key("another-room-entirely-7"));
    // Both keep trying to join; every try is refused.
    wait_until(
        "node 1 refused several untagged messages",
        DEADLINE,
        || async { (untagged(&keyed[0]).await >= 4).then_some(()) },
    )
    .await;
    for intruder in [&keyless, &other] {
        let body = serde_json::json!({"key": "intruder", "value": "was here"}).to_string();
        let (status, _) =
            harness::post(&intruder.url("/update"), Some("application/json"), body).await;
        assert_eq!(status, 200, "a client may still write on its own node");
    }
    // Let the intruders push their rumor at the cluster a few more times.
    let before = untagged(&keyed[1]).await;
    wait_until(
        "node 2 refused more of their messages",
        DEADLINE,
        || async { (untagged(&keyed[1]).await >= before + 4).then_some(()) },
    )
    .await;
    for node in &keyed {
        let state = harness::state(node).await.expect("/state");
        let ids: Vec<u64> = state.members.iter().map(|m| m.id.0).collect();
        assert!(!ids.contains(&4) && !ids.contains(&5), "{ids:?}");
        assert!(!state.entries.contains_key("intruder"));
        let text = serde_json::to_string(&state).unwrap();
        assert!(!text.contains(KEY), "the key is in /state");
        let log = node.log_text();
        assert!(!log.contains(KEY), "the key is in the log");
        let warnings = log.matches("without this cluster's key").count();
        assert!(
            warnings <= 2,
            "logged once per sender, not per message:\n{log}"
        );
    }
    // And an untagged message posted by hand is refused before it is read.
    let (status, answer) = harness::post(
        &keyed[0].url("/gossip"),
        Some("application/json"),
        "not even json",
    )
    .await;
    assert_eq!(status, 401, "{answer}");
}

/// The room, on one machine: nodes bound to distinct loopback addresses
/// stand in for laptops (127.0.0.2 to 127.0.0.5), each naming the
/// instructor's node by its full address. Those with the key are one
/// cluster and pass a write around; the one without is left out.
#[tokio::test]
async fn laptops_with_the_key_form_one_room_and_one_without_is_left_out() {
    let dir = scratch_dir("room");
    let laptops: Vec<(u64, String)> = (2..=5).map(|n| (n - 1, format!("127.0.0.{n}"))).collect();
    let ports = sheet_ports(laptops.len());
    let instructor = format!("{}:{}", laptops[0].1, ports[0]);
    let nodes: Vec<Process> = laptops
        .iter()
        .zip(&ports)
        .map(|((id, ip), port)| {
            let mut flags = FAST_SWIM.to_vec();
            flags.extend(["--bind", ip.as_str()]);
            if *id != 4 {
                flags.extend(["--cluster-key", KEY]);
            }
            let neighbors = if *id == 1 {
                vec![]
            } else {
                vec![instructor.clone()]
            };
            harness::start_node(&dir, *id, *port, &neighbors, &flags)
        })
        .collect();
    for node in &nodes[..3] {
        assert!(!node.addr.starts_with("127.0.0.1:"), "{}", node.addr);
        wait_for_state(node, "knows laptops 1 to 3", DEADLINE, |s| {
            (1..=3).all(|id| s.members.iter().any(|m| m.id.0 == id))
        })
        .await;
    }
    let body = serde_json::json!({"key": "lesson", "value": "gossip"}).to_string();
    let (status, _) = harness::post(&nodes[2].url("/update"), Some("application/json"), body).await;
    assert_eq!(status, 200);
    for node in &nodes[..3] {
        wait_for_state(node, "holds the lesson", DEADLINE, |s| {
            s.entries.contains_key("lesson")
        })
        .await;
    }
    wait_until(
        "the instructor refused the keyless laptop",
        DEADLINE,
        || async { (untagged(&nodes[0]).await >= 1).then_some(()) },
    )
    .await;
    for node in &nodes[..3] {
        let state = harness::state(node).await.unwrap();
        assert!(state.members.iter().all(|m| m.id.0 != 4), "laptop 4 got in");
    }
}
