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
use gossip_node::runtime::host::{Host, Outgoing};
use gossip_node::runtime::http::app;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tower::ServiceExt;

const JSON: Option<&str> = Some("application/json");

/// A node with no neighbors, as `gossip-node --port 7001 --id 1` would be,
/// without the port. Requests come from `peer` (the admin routes look).
struct TestNode {
    host: Arc<Host>,
    router: Router,
    /// Kept open, so the host can queue messages as it would live.
    _outbox: mpsc::Receiver<Outgoing>,
}

impl TestNode {
    fn new() -> TestNode {
        TestNode::with(None, "127.0.0.1:50000")
    }

    fn with(admin_token: Option<&str>, peer: &str) -> TestNode {
        let config = Config::new(NodeId(1), "127.0.0.1:7001", vec![]);
        let (host, outbox, _) = Host::new(config, Some(1), false, admin_token.map(String::from));
        let peer: SocketAddr = peer.parse().expect("a socket address");
        let router = app(host.clone()).layer(MockConnectInfo(peer));
        TestNode {
            host,
            router,
            _outbox: outbox,
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

#[tokio::test]
async fn a_bare_update_stores_the_demo_news_and_state_shows_it() {
    let node = TestNode::new();
    let (status, stored) = node.post("/update", None, "").await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["key"], "news");
    assert_eq!(stored["origin"], 1);
    assert_eq!(stored["value"], "news #1 from node 1");
    let (_, second) = node.post("/update", None, "  \n").await;
    assert_eq!(second["value"], "news #2 from node 1");
    assert!(second["version"].as_u64() > stored["version"].as_u64());
}

/// `GET /state` has exactly the shape DESIGN.md and the README document.
#[tokio::test]
async fn state_has_the_documented_shape() {
    let node = TestNode::new();
    let (status, stored) = node
        .post("/update", JSON, r#"{"key": "color", "value": "red"}"#)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        keys(&stored),
        ["key", "origin", "value", "version"],
        "{stored}"
    );

    let (status, state) = node.get("/state").await;
    assert_eq!(status, 200);
    for field in ["id", "addr", "entries", "members"] {
        assert!(state.get(field).is_some(), "no {field} in {state}");
    }
    assert_eq!(state["id"], 1);
    assert_eq!(state["addr"], "127.0.0.1:7001");
    let color = &state["entries"]["color"];
    assert_eq!(keys(color), ["origin", "value", "version"], "{color}");
    assert_eq!(color["value"], "red");
    assert_eq!(color["origin"], 1);
    assert_eq!(color["version"], stored["version"]);
    let members = state["members"].as_array().expect("members is a list");
    assert_eq!(members.len(), 1, "only itself: {state}");
    assert_eq!(
        keys(&members[0]),
        ["addr", "id", "incarnation", "status"],
        "{}",
        members[0]
    );
    assert_eq!(members[0]["status"], "alive");
    // The same entries as the host holds, nothing lost on the way out.
    assert_eq!(
        state["entries"],
        serde_json::to_value(node.host.state().entries).unwrap()
    );
}

#[tokio::test]
async fn health_says_ok_who_and_whose_pieces() {
    let node = TestNode::new();
    let (status, health) = node.get("/health").await;
    assert_eq!(status, 200);
    assert_eq!(
        health,
        json!({"status": "ok", "id": 1, "implementation": "reference"})
    );
}

/// Every figure the tests, the bench and the README read, in valid
/// Prometheus text: `# HELP`, `# TYPE`, then samples of that metric.
#[tokio::test]
async fn metrics_are_prometheus_text_with_every_documented_name() {
    let node = TestNode::new();
    node.post("/update", JSON, r#"{"key": "color", "value": "red"}"#)
        .await;
    // A peer joins: the node answers with a welcome, one message sent.
    let join = r#"{"id": "0000000000000001", "from": {"id": 2, "addr": "127.0.0.1:1", "status": "alive", "incarnation": 0}, "kind": "join", "members": []}"#;
    let (status, answer) = node.post("/gossip", JSON, join).await;
    assert_eq!(status, 202, "{answer}");
    let (status, content_type, text) = node
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/openmetrics-text; version=1.0.0"),
        "{content_type}"
    );
    assert!(
        text.ends_with("# EOF\n"),
        "OpenMetrics text ends with # EOF"
    );

    let samples = prometheus_samples(&text);
    let value = |name: &str| {
        samples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
    };
    for (name, kind) in [
        ("gossip_messages_sent_total", "counter"),
        ("gossip_bytes_sent_total", "counter"),
        ("gossip_messages_received_total", "counter"),
        ("gossip_bytes_received_total", "counter"),
        ("gossip_messages_dropped_total", "counter"),
        ("gossip_messages_undelivered_total", "counter"),
        ("gossip_rounds_total", "counter"),
        ("gossip_updates_total", "counter"),
        ("gossip_entries_learned_total", "counter"),
        ("gossip_redundant_entries_total", "counter"),
        ("gossip_tree_ids_announced_total", "counter"),
        ("gossip_tree_grafts_total", "counter"),
        ("gossip_tree_prunes_total", "counter"),
        ("gossip_visualizer_events_dropped_total", "counter"),
        ("gossip_hot_rumors", "gauge"),
        ("gossip_entries", "gauge"),
        ("gossip_members", "gauge"),
    ] {
        // OpenMetrics names a counter's family without `_total`; its sample
        // carries the suffix.
        let family = name.strip_suffix("_total").unwrap_or(name);
        assert!(
            text.contains(&format!("# TYPE {family} {kind}\n")),
            "{name} is not declared a {kind}:\n{text}"
        );
        assert!(
            text.contains(&format!("# HELP {family} ")),
            "{name} has no help"
        );
        value(name);
    }
    for family in ["gossip_messages_sent_by_kind", "gossip_bytes_sent_by_kind"] {
        assert!(
            text.contains(&format!("# TYPE {family} counter\n")),
            "{text}"
        );
    }
    assert_eq!(value("gossip_updates_total"), 1.0);
    assert_eq!(value("gossip_entries"), 1.0);
    assert_eq!(value("gossip_members"), 2.0);
    assert_eq!(value("gossip_messages_received_total"), 1.0);
    assert!(
        text.contains("gossip_messages_sent_by_kind_total{kind=\"welcome\"} 1\n"),
        "{text}"
    );
}

#[tokio::test]
async fn the_admin_routes_read_set_validate_and_heal() {
    let node = TestNode::new();
    let (status, healthy) = node.get("/admin/faults").await;
    assert_eq!(status, 200, "{healthy}");
    assert_eq!(healthy["loss"], 0.0);
    assert_eq!(healthy["paused"], false);

    let (status, set) = node
        .post(
            "/admin/faults",
            JSON,
            json!({"loss": 0.25, "delay_ms": 50, "partition": [2], "direction": "out"}).to_string(),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    let (_, now) = node.get("/admin/faults").await;
    assert_eq!(
        (now["loss"].as_f64(), now["direction"].as_str()),
        (Some(0.25), Some("out"))
    );

    for (bad, code, words) in [
        (json!({"loss": 2}), 422, "between 0 and 1"),
        (json!({"lose": 0.1}), 400, "unknown field"),
        (json!({"partition": "2"}), 400, "invalid faults"),
        (json!({"direction": "sideways"}), 400, "invalid faults"),
        (json!({"delay_ms": 999999999}), 422, "at most"),
    ] {
        let (status, answer) = node.post("/admin/faults", JSON, bad.to_string()).await;
        assert_eq!(status, code, "{bad}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(words),
            "{bad}: {answer}"
        );
    }
    // Refused settings changed nothing.
    let (_, still) = node.get("/admin/faults").await;
    assert_eq!(still, now);

    let (status, healed) = node.post("/admin/faults", None, "").await;
    assert_eq!(status, 200);
    assert_eq!(healed["loss"], 0.0);
    assert_eq!(healed["partition"], json!([]));
}

/// Without a token, only callers on this machine may inject faults or crash
/// the node; anyone else gets 403 and changes nothing.
#[tokio::test]
async fn the_admin_routes_answer_only_loopback_without_a_token() {
    let node = TestNode::with(None, "192.0.2.7:40000");
    let (status, answer) = node.get("/admin/faults").await;
    assert_eq!(status, 403, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("loopback"));
    let (status, _) = node
        .post("/admin/faults", JSON, r#"{"paused": true}"#)
        .await;
    assert_eq!(status, 403);
    // Refused before anything happens: this test's process is still here.
    let (status, _) = node.post("/admin/crash", None, "").await;
    assert_eq!(status, 403);
    assert!(node.host.faults_now().is_clear());
    // The other routes answer anyone.
    assert_eq!(node.get("/health").await.0, 200);

    // IPv6 loopback counts as this machine too.
    let local = TestNode::with(None, "[::1]:40000");
    assert_eq!(local.get("/admin/faults").await.0, 200);
}

#[tokio::test]
async fn with_a_token_the_admin_routes_want_it() {
    let node = TestNode::with(Some("s3cret"), "127.0.0.1:40000");
    let (status, answer) = node
        .post("/admin/faults", JSON, r#"{"paused": true}"#)
        .await;
    assert_eq!(status, 401, "{answer}");
    let with_token = |token: &str| {
        Request::post("/admin/faults")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"paused": true}"#))
            .unwrap()
    };
    let (status, _) = node.json(with_token("wrong")).await;
    assert_eq!(status, 401);
    assert!(node.host.faults_now().is_clear());
    let (status, answer) = node.json(with_token("s3cret")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["paused"], true);

    // With the token, another machine may come in too.
    let remote = TestNode::with(Some("s3cret"), "192.0.2.7:40000");
    assert_eq!(remote.json(with_token("s3cret")).await.0, 200);
}

/// The names of a JSON object's fields, sorted.
fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("{value} is not an object"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// Parse Prometheus text: every line a comment (`# HELP`/`# TYPE`) or a
/// sample `name{labels} value`, every sample of a declared metric. Returns
/// the samples without labels.
fn prometheus_samples(text: &str) -> Vec<(String, f64)> {
    let mut declared = std::collections::HashSet::new();
    let mut samples = vec![];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "the text ends with # EOF");
    for &line in &lines[..lines.len() - 1] {
        assert!(!line.is_empty(), "OpenMetrics has no empty lines");
        if let Some(rest) = line.strip_prefix("# ") {
            let mut words = rest.splitn(3, ' ');
            let (what, name) = (words.next(), words.next());
            assert!(
                matches!(what, Some("HELP" | "TYPE")) && name.is_some(),
                "not a HELP or TYPE line: {line:?}"
            );
            if what == Some("TYPE") {
                let kind = words.next().unwrap_or("");
                assert!(
                    ["counter", "gauge"].contains(&kind),
                    "unknown type: {line:?}"
                );
                let name = name.unwrap().to_owned();
                if kind == "counter" {
                    declared.insert(format!("{name}_total"));
                } else {
                    declared.insert(name);
                }
            }
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line:?}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line:?}"));
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name: {line:?}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            if !labels.is_empty() {
                assert!(
                    labels.starts_with('{') && labels.ends_with('}') && labels.contains("=\""),
                    "bad labels: {line:?}"
                );
            }
        }
        assert!(declared.contains(name), "{name} has no TYPE line before it");
        if !series.contains('{') {
            samples.push((name.to_owned(), value));
        }
    }
    samples
}
