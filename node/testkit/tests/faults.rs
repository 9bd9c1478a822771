//! Fault injection on real nodes: what SWIM and gossip make of loss,
//! partitions, pauses and crashes. (The admin routes themselves, their
//! validation and their loopback and token checks, are tested in-process in
//! `node/tests/http/`.)

use gossip_node::core::membership::MemberStatus;
use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, start_sheet_cluster, wait_for_state, wait_until, Process,
    FAST_SWIM,
};
use serde_json::{json, Value};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);
const JSON: Option<&str> = Some("application/json");

fn cluster(label: &str, n: usize) -> Vec<Process> {
    start_sheet_cluster(&scratch_dir(label), &sheet_ports(n), FAST_SWIM)
}

async fn formed(nodes: &[Process]) {
    harness::wait_formed(nodes, nodes.len(), DEADLINE).await;
}

async fn set_faults(node: &Process, faults: Value) -> (u16, Value) {
    harness::post(&node.url("/admin/faults"), JSON, faults.to_string()).await
}

#[tokio::test]
async fn a_partition_between_1_and_3_alone_does_not_get_3_suspected() {
    let nodes = cluster("partition", 4);
    formed(&nodes).await;
    let (status, _) = set_faults(&nodes[0], json!({"partition": [3], "direction": "both"})).await;
    assert_eq!(status, 200);
    // Node 1 probes 3 directly and fails; 2 and 4 ping it for node 1.
    wait_until(
        "node 1 dropped messages to or from node 3",
        DEADLINE,
        || async {
            harness::metric(&nodes[0], "gossip_messages_dropped_total")
                .await
                .filter(|n| *n >= 5)
        },
    )
    .await;
    // Watch for thirty gossip rounds (about fifteen probe periods).
    let start = harness::metric(&nodes[0], "gossip_rounds_total")
        .await
        .unwrap();
    wait_until("thirty more rounds on node 1", DEADLINE, || async {
        harness::metric(&nodes[0], "gossip_rounds_total")
            .await
            .filter(|r| *r >= start + 30)
    })
    .await;
    for observer in &nodes {
        if observer.port() != nodes[2].port() {
            assert_eq!(
                harness::member_status(observer, 3).await,
                Some(MemberStatus::Alive),
                "{}",
                observer.addr
            );
        }
    }
    // And news written on node 1 still reaches node 3, through 2 and 4.
    harness::post(
        &nodes[0].url("/update"),
        JSON,
        r#"{"key": "k", "value": "around"}"#,
    )
    .await;
    wait_for_state(&nodes[2], "hears it the long way", DEADLINE, |s| {
        s.entries.contains_key("k")
    })
    .await;
}

#[tokio::test]
async fn a_paused_node_is_suspected_declared_dead_and_refutes_when_it_wakes() {
    let nodes = cluster("pause", 4);
    formed(&nodes).await;
    let (status, _) = set_faults(&nodes[1], json!({"paused": true})).await;
    assert_eq!(status, 200);
    for observer in [&nodes[0], &nodes[2], &nodes[3]] {
        harness::wait_member_status(observer, 2, MemberStatus::Dead, DEADLINE).await;
    }
    let (status, _) = set_faults(&nodes[1], json!({})).await;
    assert_eq!(status, 200, "healed");
    // Node 2 hears it was declared dead and says, fresher, that it is alive.
    for observer in [&nodes[0], &nodes[2], &nodes[3]] {
        harness::wait_member_status(observer, 2, MemberStatus::Alive, DEADLINE).await;
    }
}

#[tokio::test]
async fn a_crashed_node_is_declared_dead() {
    let mut nodes = cluster("crash", 4);
    formed(&nodes).await;
    let (status, answer) = harness::post(&nodes[3].url("/admin/crash"), JSON, "{}").await;
    assert_eq!(status, 200, "{answer}");
    let exit = nodes[3].wait_exit(DEADLINE);
    assert!(!exit.success(), "a crash is not a clean exit: {exit}");
    for observer in &nodes[..3] {
        harness::wait_member_status(observer, 4, MemberStatus::Dead, DEADLINE).await;
    }
}

#[tokio::test]
async fn with_loss_and_anti_entropy_the_cluster_still_converges() {
    let dir = scratch_dir("lossy");
    let flags: Vec<&str> = FAST_SWIM
        .iter()
        .copied()
        .chain(["--anti-entropy", "300ms"])
        .collect();
    let nodes = start_sheet_cluster(&dir, &sheet_ports(4), &flags);
    formed(&nodes).await;
    for node in &nodes {
        let (status, _) = set_faults(node, json!({"loss": 0.3})).await;
        assert_eq!(status, 200);
    }
    for i in 0..8 {
        let body = format!(r#"{{"key": "k{i}", "value": "v{i}"}}"#);
        harness::post(&nodes[i % 4].url("/update"), JSON, body).await;
    }
    for node in &nodes {
        wait_for_state(node, "holds all eight keys", DEADLINE, |s| {
            s.entries.len() == 8
        })
        .await;
    }
}
