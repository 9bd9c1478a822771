//! The visualizer with real nodes: `gossip-visualizer` and `gossip-node`
//! processes on free ports, nodes streaming over real WebSockets.

use futures_util::StreamExt;
use gossip_testkit::harness::{
    self, free_port, scratch_dir, sheet_ports, start_sheet_cluster, start_sheet_node,
    start_visualizer, wait_for_state, wait_until, Process,
};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const DEADLINE: Duration = Duration::from_secs(30);

/// Flags for nodes streaming to `ingest`, with fast rounds.
fn streaming(ingest: &str) -> [&str; 4] {
    ["--visualizer", ingest, "--interval", "100ms"]
}

/// N nodes on free ports, each knowing the others, streaming to `ingest`.
fn nodes(dir: &Path, n: usize, ingest: &str) -> Vec<Process> {
    start_sheet_cluster(dir, &sheet_ports(n), &streaming(ingest))
}

fn ingest_url(visualizer: &Process) -> String {
    format!("ws://{}/ingest", visualizer.addr)
}

async fn cluster(visualizer: &Process) -> Option<Value> {
    harness::get_json(&visualizer.url("/api/cluster")).await
}

/// Wait until the visualizer shows `n` connected nodes that each know `n` members.
async fn wait_connected(visualizer: &Process, n: usize) -> Value {
    wait_until(
        &format!("the visualizer shows {n} connected nodes"),
        DEADLINE,
        || async {
            let c = cluster(visualizer).await?;
            let nodes = c["nodes"].as_array()?;
            let ready = nodes.iter().filter(|n| n["connected"] == true).count() == n
                && nodes
                    .iter()
                    .all(|node| node["members"].as_array().is_some_and(|m| m.len() == n));
            ready.then_some(c)
        },
    )
    .await
}

/// Wait until every connected node in the model holds `value` at `key` and
/// the visualizer counts them all infected.
async fn wait_all_hold(visualizer: &Process, key: &str, value: &str) -> Value {
    wait_until(
        &format!("every node holds {key} = {value:?}"),
        DEADLINE,
        || async {
            let c = cluster(visualizer).await?;
            let alive: Vec<&Value> = c["nodes"]
                .as_array()?
                .iter()
                .filter(|n| n["connected"] == true)
                .collect();
            let all = alive.iter().all(|n| n["entries"][key]["value"] == value);
            let counted =
                c["update"]["infected"] == alive.len() && c["update"]["alive"] == alive.len();
            (all && counted).then_some(c)
        },
    )
    .await
}

#[tokio::test]
async fn the_visualizer_watches_an_update_spread_to_all_four() {
    let dir = scratch_dir("vis-spread");
    let visualizer = start_visualizer(&dir, 0);
    let nodes = nodes(&dir, 4, &ingest_url(&visualizer));
    wait_connected(&visualizer, 4).await;

    // The page's form goes through the visualizer to node 1's POST /update.
    let (status, stored) = harness::post(
        &visualizer.url("/api/nodes/1/update"),
        Some("application/json"),
        r#"{"key": "color", "value": "red"}"#,
    )
    .await;
    assert_eq!(status, 200, "{stored}");
    let c = wait_all_hold(&visualizer, "color", "red").await;
    assert_eq!(c["update"]["key"], "color");
    assert_eq!(c["update"]["origin"], 1);
    assert!(c["update"]["messages_sent"].as_u64().unwrap() >= 3, "{c}");
    assert_eq!(
        c["update"]["messages_new"], 3,
        "three nodes learned it, once each"
    );
    assert!(c["update"]["all_infected_at_ms"].as_u64().is_some());

    // The model agrees with what each node says itself.
    for node in &nodes {
        let state = harness::state(node).await.unwrap();
        let shown = c["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == state.id.0)
            .unwrap();
        assert_eq!(
            shown["entries"],
            serde_json::to_value(&state.entries).unwrap()
        );
    }
}

#[tokio::test]
async fn a_killed_node_is_shown_gone_and_comes_back_empty() {
    let dir = scratch_dir("vis-kill");
    let visualizer = start_visualizer(&dir, 0);
    let mut nodes = nodes(&dir, 4, &ingest_url(&visualizer));
    wait_connected(&visualizer, 4).await;
    let (status, _) = harness::post(&visualizer.url("/api/nodes/2/update"), None, "").await;
    assert_eq!(status, 200);
    wait_all_hold(&visualizer, "news", "news #1 from node 2").await;

    let ports: Vec<u16> = nodes.iter().map(|n| n.port()).collect();
    nodes[2].kill();
    wait_until("node 3 is shown as gone", DEADLINE, || async {
        let c = cluster(&visualizer).await?;
        let three = c["nodes"]
            .as_array()?
            .iter()
            .find(|n| n["id"] == 3)?
            .clone();
        (three["connected"] == false).then_some(())
    })
    .await;
    let (status, answer) = harness::post(&visualizer.url("/api/nodes/3/update"), None, "").await;
    assert_eq!(status, 503, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("down"));

    // Once nobody spreads the old news any more, a restarted node 3 stays
    // empty, and the visualizer must show it so (its hello replaces the past).
    for (_, node) in nodes.iter().enumerate().filter(|(i, _)| *i != 2) {
        harness::wait_cold(node, DEADLINE).await;
    }
    nodes[2] = start_sheet_node(&dir, 3, &ports, &streaming(&ingest_url(&visualizer)));
    wait_until("node 3 is back, with an empty store", DEADLINE, || async {
        let c = cluster(&visualizer).await?;
        let three = c["nodes"]
            .as_array()?
            .iter()
            .find(|n| n["id"] == 3)?
            .clone();
        (three["connected"] == true && three["entries"] == serde_json::json!({})).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_late_browser_gets_the_snapshot_then_the_live_stream() {
    let dir = scratch_dir("vis-late");
    let visualizer = start_visualizer(&dir, 0);
    let _nodes = nodes(&dir, 3, &ingest_url(&visualizer));
    wait_connected(&visualizer, 3).await;
    harness::post(&visualizer.url("/api/nodes/1/update"), None, "").await;
    wait_all_hold(&visualizer, "news", "news #1 from node 1").await;

    let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", visualizer.addr))
        .await
        .unwrap();
    let first = next_json(&mut socket).await;
    assert_eq!(first["type"], "snapshot");
    assert_eq!(first["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(first["update"]["infected"], 3);

    harness::post(&visualizer.url("/api/nodes/3/update"), None, "").await;
    // Each read has its own deadline; the node's other events come first.
    loop {
        let event = next_json(&mut socket).await;
        if event["type"] == "entry_changed" && event["cause"] == "client" && event["node"] == 3 {
            break;
        }
    }
}

/// What the page asks for: `/ws?batch=1`, every frame a JSON array of the
/// messages that were waiting, the snapshot first; one message a frame
/// stays the default for anyone else.
#[tokio::test]
async fn the_page_gets_its_messages_in_batches() {
    let dir = scratch_dir("vis-batch");
    let visualizer = start_visualizer(&dir, 0);
    let _nodes = nodes(&dir, 3, &ingest_url(&visualizer));
    wait_connected(&visualizer, 3).await;
    let url = format!("ws://{}/ws?batch=1", visualizer.addr);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let first = next_json(&mut socket).await;
    let first = first.as_array().expect("a batch is an array");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["type"], "snapshot");
    harness::post(&visualizer.url("/api/nodes/2/update"), None, "").await;
    let mut seen = 0;
    loop {
        let batch = next_json(&mut socket).await;
        let batch = batch.as_array().expect("every frame is an array");
        assert!(!batch.is_empty());
        seen += batch.len();
        let client_write = |e: &Value| e["type"] == "entry_changed" && e["cause"] == "client";
        if batch.iter().any(client_write) {
            break;
        }
    }
    assert!(seen >= 1);
}

async fn next_json<S>(socket: &mut tokio_tungstenite::WebSocketStream<S>) -> Value
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        let frame = tokio::time::timeout(DEADLINE, socket.next())
            .await
            .expect("a message within the deadline")
            .expect("the stream stays open")
            .expect("a valid frame");
        if let Message::Text(text) = frame {
            return serde_json::from_str(&text).expect("browser messages are JSON");
        }
    }
}

#[tokio::test]
async fn nodes_gossip_without_a_visualizer_and_connect_when_it_appears() {
    let dir = scratch_dir("vis-late-start");
    let port = free_port();
    let ingest = format!("ws://127.0.0.1:{port}/ingest");
    let nodes = nodes(&dir, 4, &ingest);
    // No visualizer: they gossip anyway.
    harness::wait_formed(&nodes, 4, DEADLINE).await;
    let (status, _) = harness::post(
        &nodes[0].url("/update"),
        Some("application/json"),
        r#"{"key": "k", "value": "before"}"#,
    )
    .await;
    assert_eq!(status, 200);
    for node in &nodes {
        wait_for_state(node, "holds k", DEADLINE, |s| s.entries.contains_key("k")).await;
    }
    // The visualizer appears; the nodes find it (backoff is at most 5 s) and
    // their hellos bring it up to date.
    let visualizer = start_visualizer(&dir, port);
    wait_connected(&visualizer, 4).await;
    let c = wait_all_hold(&visualizer, "k", "before").await;
    assert_eq!(
        c["update"]["injected_at_ms"],
        Value::Null,
        "the write predates the visualizer"
    );
}

#[tokio::test]
async fn a_browser_that_never_reads_does_not_hold_up_the_cluster() {
    let dir = scratch_dir("vis-slow-browser");
    let visualizer = start_visualizer(&dir, 0);
    let nodes = nodes(&dir, 4, &ingest_url(&visualizer));
    wait_connected(&visualizer, 4).await;
    // This socket is opened and never read from again.
    let (_stuck, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", visualizer.addr))
        .await
        .unwrap();
    let big = "x".repeat(16 * 1024);
    for i in 0..200 {
        let body = format!(r#"{{"key": "k{}", "value": "{big}"}}"#, i % 20);
        let (status, answer) =
            harness::post(&nodes[i % 4].url("/update"), Some("application/json"), body).await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, _) = harness::post(
        &nodes[0].url("/update"),
        Some("application/json"),
        r#"{"key": "last", "value": "done"}"#,
    )
    .await;
    assert_eq!(status, 200);
    wait_all_hold(&visualizer, "last", "done").await;
    for node in &nodes {
        wait_for_state(node, "holds the last write", DEADLINE, |s| {
            s.entries.contains_key("last")
        })
        .await;
    }
}

/// The page's form forwards to the node, and the node's own answer to bad
/// input comes back unchanged. (The visualizer's own refusals, unknown and
/// disconnected nodes, are tested in-process in `src/tests.rs`.)
#[tokio::test]
async fn the_inject_form_route_passes_the_nodes_own_error_through() {
    let dir = scratch_dir("vis-errors");
    let visualizer = start_visualizer(&dir, 0);
    let _nodes = nodes(&dir, 1, &ingest_url(&visualizer));
    wait_connected(&visualizer, 1).await;
    let (status, answer) = harness::post(
        &visualizer.url("/api/nodes/1/update"),
        Some("application/json"),
        "{",
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid update"));
}

/// A simulated run, written by `gossip-sim trace`, replayed in the visualizer.
#[tokio::test]
async fn a_simulated_trace_replays_with_play_pause_speed_and_seek() {
    let dir = scratch_dir("replay");
    let visualizer = harness::start_replay(&dir, 30, 30);

    let position: Value = harness::get_json(&visualizer.url("/api/replay"))
        .await
        .unwrap();
    let duration = position["duration_ms"].as_u64().unwrap();
    assert!(
        (29_000..=30_000).contains(&duration),
        "the last event is near the end: {duration}"
    );
    // Jump to the end: every node was seen, the crashed one is down, and both
    // writes reached the cluster.
    let (code, answer) = harness::post(
        &visualizer.url("/api/replay"),
        Some("application/json"),
        r#"{"seek_ms": 30000, "play": false}"#,
    )
    .await;
    assert_eq!(code, 200, "{answer}");
    assert_eq!(answer["position_ms"], duration);
    let c = cluster(&visualizer).await.unwrap();
    let nodes = c["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 30);
    assert_eq!(
        nodes.iter().filter(|n| n["connected"] == false).count(),
        1,
        "one node crashed"
    );
    assert_eq!(c["update"]["key"], "color");
    // Back to the start and play fast: the position moves.
    let (code, _) = harness::post(
        &visualizer.url("/api/replay"),
        Some("application/json"),
        r#"{"seek_ms": 0, "play": true, "speed": 10}"#,
    )
    .await;
    assert_eq!(code, 200);
    wait_until("the replay advances", DEADLINE, || async {
        let p: Value = harness::get_json(&visualizer.url("/api/replay")).await?;
        (p["position_ms"].as_u64()? > 2_000).then_some(())
    })
    .await;
    // Nonsense is refused with a reason.
    let (code, answer) = harness::post(
        &visualizer.url("/api/replay"),
        Some("application/json"),
        r#"{"speed": 0}"#,
    )
    .await;
    assert_eq!(code, 422, "{answer}");
    let (code, _) = harness::post(
        &visualizer.url("/api/replay"),
        Some("application/json"),
        r#"{"rewind": true}"#,
    )
    .await;
    assert_eq!(code, 400);
}

#[tokio::test]
async fn a_broken_trace_is_refused_with_its_line_number() {
    let dir = scratch_dir("bad-trace");
    let trace = dir.join("bad.jsonl");
    std::fs::write(
        &trace,
        "{\"v\":1,\"node\":1,\"ts_ms\":0,\"type\":\"node_down\"}\nnot json\n",
    )
    .unwrap();
    let output = std::process::Command::new(harness::binary("gossip-visualizer"))
        .args(["--port", "0", "--replay"])
        .arg(&trace)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
}
