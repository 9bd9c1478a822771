//! The node's HTTP routes, driven in-process: `app(host).oneshot(request)`.
//!
//! No socket and no process: each test builds a [`Host`] around a fresh core,
//! hands requests to the same router the binary serves, and reads the
//! answers. Whatever needs a real port, a signal or real gossip between nodes
//! is in `node/testkit/tests/`.
//!
//! Bad input gets a clear 4xx with `{"error": ...}`, changes nothing, and the
//! node keeps serving.

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request};
use axum::Router;
use gossip_node::core::version::NodeId;
use gossip_node::core::{Config, NodeState};
use gossip_node::runtime::host::{Access, Host, Outgoing};
use gossip_node::runtime::http::app;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tower::ServiceExt;

mod admin;
mod reads;

const JSON: Option<&str> = Some("application/json");

/// A node with no neighbors, as `gossip-node --port 7001 --id 1` would be,
/// without the port. Requests come from `peer` (the admin routes look).
struct TestNode {
    host: Arc<Host>,
    router: Router,
    /// Kept open, so the host can queue messages as it would live.
    _outbox: Option<mpsc::Receiver<Outgoing>>,
}

impl TestNode {
    fn new() -> TestNode {
        TestNode::with(None, "127.0.0.1:50000")
    }

    fn with(admin_token: Option<&str>, peer: &str) -> TestNode {
        let config = Config::new(NodeId(1), "127.0.0.1:7001", vec![]);
        let access = Access {
            admin_token: admin_token.map(String::from),
            cluster_key: None,
        };
        let (host, outbox, _) = Host::new(config, Some(1), false, access);
        let peer: SocketAddr = peer.parse().expect("a socket address");
        let router = app(host.clone()).layer(MockConnectInfo(peer));
        TestNode {
            host,
            router,
            _outbox: Some(outbox),
        }
    }

    /// A test node around a host made by the test (called from loopback).
    fn around(host: Arc<Host>) -> TestNode {
        let peer: SocketAddr = "127.0.0.1:50000".parse().expect("a socket address");
        let router = app(host.clone()).layer(MockConnectInfo(peer));
        TestNode {
            host,
            router,
            _outbox: None,
        }
    }

    /// One request through the router: status, content type, body text.
    async fn send(&self, request: Request<Body>) -> (u16, String, String) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body is read");
        let text = String::from_utf8(bytes.to_vec()).expect("answers are UTF-8");
        (status, content_type, text)
    }

    /// POST `body` to `path`; status and the JSON answer (or its text).
    async fn post(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> (u16, Value) {
        let mut request = Request::post(path);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        self.json(request.body(body.into()).unwrap()).await
    }

    /// GET `path`; status and the JSON answer (or its text).
    async fn get(&self, path: &str) -> (u16, Value) {
        self.json(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    async fn json(&self, request: Request<Body>) -> (u16, Value) {
        let (status, _, text) = self.send(request).await;
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    async fn state(&self) -> NodeState {
        let (status, state) = self.get("/state").await;
        assert_eq!(status, 200, "{state}");
        serde_json::from_value(state).expect("/state decodes as NodeState")
    }
}

/// (what, content type, body, expected status, words the error must contain)
fn cases() -> Vec<(
    &'static str,
    Option<&'static str>,
    String,
    u16,
    &'static str,
)> {
    vec![
        (
            "malformed JSON",
            JSON,
            r#"{"key": "color", "value": "#.into(),
            400,
            "invalid update",
        ),
        (
            "not an object",
            JSON,
            r#"["color", "red"]"#.into(),
            400,
            "invalid update",
        ),
        (
            "value of the wrong type",
            JSON,
            r#"{"key": "color", "value": 5}"#.into(),
            400,
            "expected a string",
        ),
        (
            "key of the wrong type",
            JSON,
            r#"{"key": true, "value": "red"}"#.into(),
            400,
            "expected a string",
        ),
        (
            "missing key",
            JSON,
            r#"{"value": "red"}"#.into(),
            400,
            "missing field `key`",
        ),
        (
            "missing value",
            JSON,
            r#"{"key": "color"}"#.into(),
            400,
            "missing field `value`",
        ),
        (
            "empty key",
            JSON,
            r#"{"key": "", "value": "red"}"#.into(),
            422,
            "key must not be empty",
        ),
        (
            "key too long",
            JSON,
            format!(r#"{{"key": "{}", "value": "red"}}"#, "k".repeat(300)),
            422,
            "more than the 256 allowed",
        ),
        (
            "unknown field",
            JSON,
            r#"{"key": "color", "value": "red", "ttl": 5}"#.into(),
            400,
            "unknown field `ttl`",
        ),
        (
            "form content type",
            Some("application/x-www-form-urlencoded"),
            r#"{"key": "color", "value": "red"}"#.into(),
            415,
            "application/json",
        ),
        (
            "no content type",
            None,
            r#"{"key": "color", "value": "red"}"#.into(),
            415,
            "application/json",
        ),
        (
            "entry over 48 KiB",
            JSON,
            format!(r#"{{"key": "big", "value": "{}"}}"#, "\\u0001".repeat(9000)),
            422,
            "more than the 49152 allowed",
        ),
        (
            "body over 64 KiB",
            JSON,
            format!(r#"{{"key": "big", "value": "{}"}}"#, "x".repeat(64 * 1024)),
            413,
            "64 KiB",
        ),
        (
            "not UTF-8",
            JSON,
            "{\"key\": \"a\", \"value\": \"\u{fffd}\"}".replace('\u{fffd}', "\\udc00"),
            400,
            "invalid update",
        ),
    ]
}

#[tokio::test]
async fn every_bad_update_is_refused_and_changes_nothing() {
    let node = TestNode::new();
    for (what, content_type, body, status, words) in cases() {
        let (got, answer) = node.post("/update", content_type, body).await;
        assert_eq!(got, status, "{what}: {answer}");
        let error = answer["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no error field in {answer}"));
        assert!(
            error.contains(words),
            "{what}: {error:?} should mention {words:?}"
        );
    }
    let state = node.state().await;
    assert!(
        state.entries.is_empty(),
        "bad input changed the store: {:?}",
        state.entries
    );

    // And good input still works afterwards.
    let (got, answer) = node
        .post("/update", JSON, r#"{"key": "color", "value": "red"}"#)
        .await;
    assert_eq!(got, 200, "{answer}");
    assert_eq!(answer["value"], "red");
}

#[tokio::test]
async fn a_bad_gossip_message_is_refused() {
    let node = TestNode::new();
    let bodies = [
        "not json",
        r#"{"id": "00ff", "kind": "rumor"}"#,
        r#"{"id": "zz", "from": {"id": 2, "addr": "127.0.0.1:1", "status": "alive", "incarnation": 0}, "kind": "join", "members": []}"#,
        r#"{"id": "01", "from": {"id": 2, "addr": "127.0.0.1:1", "status": "alive", "incarnation": 0}, "kind": "gossip-bomb"}"#,
    ];
    for body in bodies {
        let (status, answer) = node.post("/gossip", JSON, body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid gossip message"),
            "{answer}"
        );
    }
    let state = node.state().await;
    assert_eq!(state.members.len(), 1);
    let (status, health) = node.get("/health").await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn every_body_over_64_kib_gets_413_before_it_is_read() {
    let node = TestNode::new();
    let big = "x".repeat(64 * 1024 + 1);
    for path in ["/update", "/gossip", "/admin/faults"] {
        let (status, answer) = node.post(path, JSON, big.clone()).await;
        assert_eq!(status, 413, "{path}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains("64 KiB"),
            "{path}: {answer}"
        );
    }
    assert!(node.state().await.entries.is_empty());
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let node = TestNode::new();
    let (status, body) = node.get("/nope").await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("/nope"));
    let (status, answer) = node.post("/state", None, "").await;
    assert_eq!(status, 405, "{answer}");
    assert!(answer["error"].is_string());
}
