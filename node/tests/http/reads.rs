//! What the node shows: `/state`, `/health`, `/metrics`, each in its
//! documented shape.

use crate::{TestNode, JSON};
use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};

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
