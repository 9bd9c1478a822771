//! Forged node streams against a real visualizer (finding 5): a connection
//! is one node, says hello first, names a plain address, and cannot speak
//! for a node another stream speaks for; with a token, only those who hold
//! it stream at all.

use futures_util::{SinkExt, StreamExt};
use gossip_node::core::event::{Event, WireEvent, SCHEMA_VERSION};
use gossip_node::core::store::Entry;
use gossip_node::core::version::NodeId;
use gossip_node::core::{Config, Node};
use gossip_testkit::harness::{self, binary, scratch_dir, wait_until, Process};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const DEADLINE: Duration = Duration::from_secs(30);

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A node's hello as its host would send it, with `addr` as its address.
fn hello(id: u64, addr: &str) -> String {
    hello_holding(id, addr, 0, "")
}

/// [`hello`] of a node that holds `keys` entries of `value` each.
fn hello_holding(id: u64, addr: &str, keys: usize, value: &str) -> String {
    let node = Node::new(Config::new(NodeId(id), addr, vec![]));
    let mut event = node.hello();
    if let Event::Hello { state, .. } = &mut event {
        for k in 0..keys {
            let entry = Entry {
                value: value.to_owned(),
                version: 1,
                origin: NodeId(id),
            };
            state.entries.insert(format!("key-{k}"), entry);
        }
    }
    let wire = WireEvent {
        v: SCHEMA_VERSION,
        node: NodeId(id),
        ts_ms: 1,
        event,
    };
    serde_json::to_string(&wire).unwrap()
}

async fn stream(visualizer: &Process, query: &str) -> Result<Stream, String> {
    let url = format!("ws://{}/ingest{query}", visualizer.addr);
    match tokio_tungstenite::connect_async(url).await {
        Ok((stream, _)) => Ok(stream),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether the visualizer closes `stream` (within the deadline).
async fn closed(stream: &mut Stream) -> bool {
    let wait = async {
        while let Some(frame) = stream.next().await {
            match frame {
                Ok(Message::Close(_)) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait).await.is_ok()
}

/// The nodes the page shows: (id, address, connected).
async fn shown(visualizer: &Process) -> Vec<(u64, String, bool)> {
    let cluster: Value = harness::get_json(&visualizer.url("/api/cluster"))
        .await
        .expect("/api/cluster");
    cluster["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let id = n["id"].as_u64().unwrap();
            let addr = n["addr"].as_str().unwrap().to_owned();
            (id, addr, n["connected"].as_bool().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn a_stream_is_one_node_with_a_plain_address_that_nobody_else_takes_over() {
    let visualizer = harness::start_visualizer(&scratch_dir("forged-streams"), 0);
    let mut real = stream(&visualizer, "").await.unwrap();
    real.send(Message::text(hello(1, "127.0.0.1:7001")))
        .await
        .unwrap();
    wait_until("the page shows node 1", DEADLINE, || async {
        (shown(&visualizer).await.len() == 1).then_some(())
    })
    .await;

    // One stream announcing a crowd: the second hello closes it.
    let mut crowd = stream(&visualizer, "").await.unwrap();
    for id in 1001..=1003 {
        let _ = crowd.send(Message::text(hello(id, "127.0.0.1:9"))).await;
    }
    assert!(
        closed(&mut crowd).await,
        "a stream that speaks for two nodes is closed"
    );

    // Another stream saying hello for node 1, with its own address.
    let mut thief = stream(&visualizer, "").await.unwrap();
    thief
        .send(Message::text(hello(1, "127.0.0.1:9")))
        .await
        .unwrap();
    assert!(
        closed(&mut thief).await,
        "node 1 is taken by a stream already"
    );

    // A hello whose address is not a plain host:port.
    let mut odd = stream(&visualizer, "").await.unwrap();
    odd.send(Message::text(hello(7, "127.0.0.1:9/admin/crash?")))
        .await
        .unwrap();
    assert!(closed(&mut odd).await, "a bad address is refused");

    // A node may say hello again (new settings), but not with a bad address.
    let mut later = stream(&visualizer, "").await.unwrap();
    later
        .send(Message::text(hello(8, "127.0.0.1:7008")))
        .await
        .unwrap();
    later
        .send(Message::text(hello(8, "127.0.0.1:7008/admin/crash?")))
        .await
        .unwrap();
    assert!(closed(&mut later).await, "a later bad address is refused");

    let nodes = shown(&visualizer).await;
    assert!(
        nodes.contains(&(1, "127.0.0.1:7001".into(), true)),
        "{nodes:?}"
    );
    assert!(
        nodes.iter().all(|(id, ..)| [1, 1001, 8].contains(id)),
        "{nodes:?}"
    );
    // The crowd's one node went with its stream.
    if let Some(first) = nodes.iter().find(|(id, ..)| *id == 1001) {
        assert!(!first.2, "node 1001 is shown gone: {nodes:?}");
    }
    assert!(
        nodes.iter().all(|(_, addr, _)| !addr.contains('/')),
        "{nodes:?}"
    );
    drop(real);
}

#[tokio::test]
async fn with_a_token_only_those_who_hold_it_stream() {
    let dir = scratch_dir("ingest-token");
    let args = ["--port", "0", "--ingest-token", "room-token-5"].map(String::from);
    let visualizer = Process::start(&binary("gossip-visualizer"), &args, dir.join("viz.log"));
    let refused = stream(&visualizer, "").await.unwrap_err();
    assert!(refused.contains("401"), "{refused}");
    let wrong = stream(&visualizer, "?token=guess").await.unwrap_err();
    assert!(wrong.contains("401"), "{wrong}");
    let mut holder = stream(&visualizer, "?token=room-token-5").await.unwrap();
    holder
        .send(Message::text(hello(2, "127.0.0.1:7002")))
        .await
        .unwrap();
    wait_until("the page shows node 2", DEADLINE, || async {
        (shown(&visualizer).await.len() == 1).then_some(())
    })
    .await;
    assert!(
        !visualizer.log_text().contains("room-token-5"),
        "the token is not logged"
    );
}

/// Four hundred hellos of 900 KB each, one stream each: the page shows at
/// most `MAX_NODES`, with values clipped, and the visualizer's memory stays
/// bounded (printed: run with --no-capture).
#[tokio::test]
async fn four_hundred_big_hellos_leave_the_visualizer_bounded() {
    let visualizer = harness::start_visualizer(&scratch_dir("big-hellos"), 0);
    let big = "x".repeat(900 * 1024);
    let (mut open, mut refused) = (Vec::new(), 0);
    for id in 1..=400u64 {
        let text = hello_holding(id, &format!("127.0.0.1:{}", 10000 + id), 1, &big);
        // Each stream stays open, as a node's would; past the server's
        // connection bound a stream is closed as soon as it is accepted.
        match stream(&visualizer, "").await {
            Ok(mut one) => {
                let _ = one.send(Message::text(text)).await;
                open.push(one);
            }
            Err(_) => refused += 1,
        }
    }
    let nodes = wait_until("the visualizer took the hellos in", DEADLINE, || async {
        let nodes = shown(&visualizer).await;
        (nodes.len() >= 300).then_some(nodes)
    })
    .await;
    assert_eq!(nodes.len(), 300, "at most MAX_NODES nodes are shown");
    let rss = harness::rss_kib(&visualizer).unwrap_or(0);
    eprintln!(
        "after 400 hellos of 900 KB: {} nodes shown, {refused} streams refused at accept, \
         visualizer RSS {rss} KiB",
        nodes.len()
    );
}

#[test]
fn listening_beyond_this_machine_needs_a_token() {
    let output = std::process::Command::new(binary("gossip-visualizer"))
        .args(["--bind", "0.0.0.0", "--port", "0"])
        .output()
        .expect("the visualizer runs");
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("needs --ingest-token"), "{said}");
}

/// Browsers that never read (finding 5): ten of them, a model of 50 nodes
/// with 500 entries each, and a real node streaming all the while. The
/// real node stays on the page, the visualizer keeps answering, and its
/// memory is printed (run with --no-capture).
#[tokio::test]
async fn browsers_that_never_read_slow_nobody() {
    let dir = scratch_dir("idle-browsers");
    let visualizer = harness::start_visualizer(&dir, 0);
    let value = "v".repeat(500);
    let mut fakes = Vec::new();
    for id in 100..150u64 {
        let text = hello_holding(id, &format!("127.0.0.1:{}", 20000 + id), 500, &value);
        let mut one = stream(&visualizer, "").await.unwrap();
        one.send(Message::text(text)).await.unwrap();
        fakes.push(one);
    }
    let ingest = format!("ws://{}/ingest", visualizer.addr);
    let real = harness::start_node(&dir, 1, 0, &[], &["--visualizer", ingest.as_str()]);
    let on_page = |nodes: &[(u64, String, bool)]| nodes.iter().any(|(id, _, up)| *id == 1 && *up);
    wait_until("the real node is on the page", DEADLINE, || async {
        on_page(&shown(&visualizer).await).then_some(())
    })
    .await;
    // Ten browsers connect and never read a byte.
    let mut idle = Vec::new();
    for _ in 0..10 {
        let url = format!("ws://{}/ws", visualizer.addr);
        let socket = tokio::net::TcpStream::connect(&visualizer.addr)
            .await
            .unwrap();
        let (ws, _) = tokio_tungstenite::client_async(url, socket).await.unwrap();
        idle.push(ws);
    }
    // Meanwhile the real node keeps writing, and stays on the page.
    for i in 0..10 {
        let body = serde_json::json!({"key": format!("k{i}"), "value": "x"}).to_string();
        let (status, _) = harness::post(&real.url("/update"), Some("application/json"), body).await;
        assert_eq!(status, 200);
        let nodes = shown(&visualizer).await;
        assert!(
            on_page(&nodes),
            "the real node was dropped while browsers idled"
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let rss = harness::rss_kib(&visualizer).unwrap_or(0);
    eprintln!("10 idle browsers, 51 nodes of 500 entries: visualizer RSS {rss} KiB");
    drop((idle, fakes));
}
