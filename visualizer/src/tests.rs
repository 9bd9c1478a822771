//! The visualizer's router, driven in-process: `app(...).oneshot(request)`.
//!
//! The nodes here are real hosts of the node library, without a port: their
//! `hello` events go into the model exactly as `/ingest` would put them
//! there, so `GET /api/cluster` can be compared with what each node's own
//! `GET /state` says. What needs sockets (nodes streaming over WebSockets,
//! the page's forms forwarded to a node, a browser) is in `tests/`.

use super::*;
use axum::body::Body;
use axum::http::{header, Request};
use gossip_node::core::version::NodeId;
use gossip_node::core::Config;
use gossip_node::runtime::host::Host;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The visualizer's router and what it shares, with the page from `static/`.
fn visualizer() -> (Arc<Shared>, Router) {
    let shared = Shared::new();
    let router = app(shared.clone(), default_static_dir());
    (shared, router)
}

/// A node's host, as `gossip-node --id <id> --port <7000 + id>` would run it.
fn host(id: u64) -> Arc<Host> {
    let config = Config::new(NodeId(id), format!("127.0.0.1:{}", 7000 + id), vec![]);
    Host::new(config, Some(id), false, Default::default()).0
}

/// What `/ingest` does with a node's first frame: its hello into the model.
fn connect(shared: &Arc<Shared>, connection: u64, node: &Host) {
    let hello = node.hello();
    let text = serde_json::to_string(&hello).unwrap();
    ingest::ingest(shared, connection, &hello, &text);
}

async fn send(router: &Router, request: Request<Body>) -> (u16, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(router: &Router, path: &str) -> (u16, Value) {
    let (status, text) = send(router, Request::get(path).body(Body::empty()).unwrap()).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn post(router: &Router, path: &str) -> (u16, Value) {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::empty())
        .unwrap();
    let (status, text) = send(router, request).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn before_any_node_connects_the_cluster_is_empty() {
    let (_, router) = visualizer();
    let (status, cluster) = get(&router, "/api/cluster").await;
    assert_eq!(status, 200);
    assert_eq!(
        cluster,
        json!({"nodes": [], "update": null, "spread": null})
    );
}

/// `GET /api/cluster`: `{"nodes": [{"id", "addr", "connected", "entries"}]}`,
/// each node's entries in the very shape of its own `/state`.
#[tokio::test]
async fn the_cluster_shows_every_node_with_the_entries_of_its_state() {
    let (shared, router) = visualizer();
    let (one, two) = (host(1), host(2));
    one.client_update("color", "red").unwrap();
    connect(&shared, 1, &one);
    connect(&shared, 2, &two);

    let (status, cluster) = get(&router, "/api/cluster").await;
    assert_eq!(status, 200);
    let nodes = cluster["nodes"].as_array().expect("nodes is a list");
    assert_eq!(nodes.len(), 2, "{cluster}");
    for (shown, node) in nodes.iter().zip([&one, &two]) {
        let state = node.state();
        assert_eq!(shown["id"], state.id.0);
        assert_eq!(shown["addr"], state.addr);
        assert_eq!(shown["connected"], true);
        assert_eq!(
            shown["entries"],
            serde_json::to_value(&state.entries).unwrap(),
            "the model agrees with what node {} says itself",
            state.id
        );
    }
    assert_eq!(nodes[0]["entries"]["color"]["value"], "red");
    assert_eq!(nodes[1]["entries"], json!({}));

    // Node 2's stream closes: it is still shown, as gone.
    assert!(shared.model().disconnected(NodeId(2), 2, 0));
    let (_, cluster) = get(&router, "/api/cluster").await;
    assert_eq!(cluster["nodes"][1]["connected"], false);
    assert_eq!(cluster["nodes"][0]["connected"], true);
}

#[tokio::test]
async fn the_inject_form_route_names_its_errors() {
    let (shared, router) = visualizer();
    connect(&shared, 1, &host(1));
    connect(&shared, 3, &host(3));
    shared.model().disconnected(NodeId(3), 3, 0);

    let (status, answer) = post(&router, "/api/nodes/9/update").await;
    assert_eq!(status, 404, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("no node 9"));
    let (status, answer) = post(&router, "/api/nodes/one/update").await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("not a node id"));
    let (status, answer) = post(&router, "/api/nodes/1/explode").await;
    assert_eq!(status, 404, "{answer}");
    assert!(answer["error"]
        .as_str()
        .unwrap()
        .contains("update, faults, crash, kill or restart"));
    let (status, answer) = post(&router, "/api/nodes/3/update").await;
    assert_eq!(status, 503, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("down"));
}

#[tokio::test]
async fn the_page_is_served_at_the_root() {
    let (_, router) = visualizer();
    let (status, page) = send(&router, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains("Gossip Workshop"));
}

#[tokio::test]
async fn a_live_visualizer_says_it_is_not_replaying() {
    let (_, router) = visualizer();
    // Asked by every page: an answer, not a 404 in the browser's console.
    let (status, answer) = get(&router, "/api/replay").await;
    assert_eq!(status, 200);
    assert_eq!(answer["replaying"], false);
    // Told to play, it says why it cannot.
    let (status, answer) = post(&router, "/api/replay").await;
    assert_eq!(status, 404);
    assert!(answer["error"].as_str().unwrap().contains("not replaying"));
}
