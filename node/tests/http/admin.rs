//! The admin routes: faults read, set, validated and healed; loopback only
//! unless the node has a token, and then only with it.

use crate::{TestNode, JSON};
use axum::body::Body;
use axum::http::{header, Request};
use serde_json::json;

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
        (json!([0.5]), 400, "not a JSON object"),
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

    // Admin POSTs are JSON only: a web form's text/plain is refused and
    // changes nothing.
    let (status, _) = node.post("/admin/faults", Some("text/plain"), "").await;
    assert_eq!(status, 415);
    assert_eq!(node.get("/admin/faults").await.1, now);
    let (status, healed) = node.post("/admin/faults", JSON, "{}").await;
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
    let (status, _) = node.post("/admin/crash", JSON, "{}").await;
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

/// A cross-site form (text/plain, no preflight) cannot crash a node, even
/// from this machine: the process is still here to say so.
#[tokio::test]
async fn a_crash_sent_as_a_web_form_is_refused() {
    let node = TestNode::new();
    let (status, answer) = node
        .post("/admin/crash", Some("text/plain"), "crash=1")
        .await;
    assert_eq!(status, 415, "{answer}");
    let (status, answer) = node.post("/admin/crash", None, "").await;
    assert_eq!(status, 415, "{answer}");
}

/// A page of another site gets 403 on every route, and so does a request
/// sent to a name a DNS trick points here; curl and peers send neither.
#[tokio::test]
async fn web_pages_and_rebound_names_are_refused_everywhere() {
    let node = TestNode::new();
    let from_page = |path: &str, host: &str, origin: Option<&str>| {
        let mut request = Request::post(path)
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        request.body(Body::from("{}")).unwrap()
    };
    for path in ["/update", "/admin/crash", "/admin/faults", "/gossip"] {
        let request = from_page(path, "localhost:7001", Some("https://evil.example"));
        let (status, _, text) = node.send(request).await;
        assert_eq!(status, 403, "{path}: {text}");
        assert!(text.contains("another origin"), "{text}");
        let request = from_page(path, "evil.example:7001", Some("http://evil.example:7001"));
        let (status, _, text) = node.send(request).await;
        assert_eq!(status, 403, "{path}: {text}");
        assert!(text.contains("does not answer"), "{text}");
    }
    assert!(node.host.faults_now().is_clear());
    // The sheet's bare curl still writes the demo news.
    let bare = Request::post("/update")
        .header(header::HOST, "localhost:7001")
        .body(Body::empty())
        .unwrap();
    let (status, _, text) = node.send(bare).await;
    assert_eq!(status, 200, "{text}");
}

/// The page's slow motion and the sheet's last step: the gossip interval
/// and anti-entropy change live, within their bounds, all or nothing, and a
/// watching visualizer hears the new settings in a fresh hello.
#[tokio::test]
async fn the_settings_change_live_within_bounds() {
    use gossip_node::core::event::Event;
    use gossip_node::core::version::NodeId;
    use gossip_node::core::Config;
    use gossip_node::runtime::host::{Access, Host};
    let config = Config::new(NodeId(1), "127.0.0.1:7001", vec![]);
    let (host, _outbox, events) = Host::new(config, Some(1), true, Access::default());
    let mut events = events.expect("asked for events");
    let node = TestNode::around(host);
    let (_, now) = node.get("/admin/settings").await;
    assert_eq!(now, json!({"interval_ms": 1000, "anti_entropy_ms": null}));

    let (status, answer) = node
        .post("/admin/settings", JSON, r#"{"interval_ms": 3000}"#)
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({"interval_ms": 3000, "anti_entropy_ms": null})
    );
    let hello = events.try_recv().expect("a hello went to the visualizer");
    match hello.event {
        Event::Hello { settings, .. } => assert_eq!(settings.interval_ms, 3000),
        other => panic!("expected a hello, got {other:?}"),
    }
    let (_, answer) = node
        .post("/admin/settings", JSON, r#"{"anti_entropy_ms": 2000}"#)
        .await;
    assert_eq!(
        answer,
        json!({"interval_ms": 3000, "anti_entropy_ms": 2000})
    );
    let (_, answer) = node
        .post("/admin/settings", JSON, r#"{"anti_entropy_ms": null}"#)
        .await;
    assert_eq!(
        answer,
        json!({"interval_ms": 3000, "anti_entropy_ms": null})
    );
    while events.try_recv().is_ok() {}

    for (bad, code, words) in [
        (r#"{"interval_ms": 5}"#, 422, "between"),
        (r#"{"interval_ms": 7200000}"#, 422, "between"),
        (
            r#"{"interval_ms": 500, "anti_entropy_ms": 1}"#,
            422,
            "between",
        ),
        (r#"{"interval_ms": -1}"#, 400, "invalid settings"),
        (r#"{"interval": 3000}"#, 400, "unknown field"),
        (r#"[3000]"#, 400, "not a JSON object"),
    ] {
        let (status, answer) = node.post("/admin/settings", JSON, bad).await;
        assert_eq!(status, code, "{bad}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(words), "{bad}: {answer}");
    }
    let (status, _) = node
        .post(
            "/admin/settings",
            Some("text/plain"),
            r#"{"interval_ms": 50}"#,
        )
        .await;
    assert_eq!(status, 415);
    let (_, still) = node.get("/admin/settings").await;
    assert_eq!(still, json!({"interval_ms": 3000, "anti_entropy_ms": null}));
    assert!(events.try_recv().is_err(), "refusals sent no hello");

    let remote = TestNode::with(None, "192.0.2.7:40000");
    let (status, _) = remote
        .post("/admin/settings", JSON, r#"{"interval_ms": 50}"#)
        .await;
    assert_eq!(status, 403);
}
