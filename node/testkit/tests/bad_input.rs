//! Bad input gets a clear 4xx with `{"error": ...}`, changes nothing, and the
//! node keeps serving.

use gossip_testkit::harness::{self, scratch_dir, start_node};
use serde_json::Value;

const JSON: Option<&str> = Some("application/json");

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
    let node = start_node(
        &scratch_dir("bad-input"),
        1,
        0,
        &[],
        &["--visualizer", "off"],
    );
    for (what, content_type, body, status, words) in cases() {
        let (got, answer) = harness::post(&node.url("/update"), content_type, body).await;
        assert_eq!(got, status, "{what}: {answer}");
        let error = answer["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no error field in {answer}"));
        assert!(
            error.contains(words),
            "{what}: {error:?} should mention {words:?}"
        );
    }
    let state = harness::state(&node).await.expect("still serving");
    assert!(
        state.entries.is_empty(),
        "bad input changed the store: {:?}",
        state.entries
    );

    // And good input still works afterwards.
    let (got, answer) = harness::post(
        &node.url("/update"),
        JSON,
        r#"{"key": "color", "value": "red"}"#,
    )
    .await;
    assert_eq!(got, 200, "{answer}");
    assert_eq!(answer["value"], "red");
}

#[tokio::test]
async fn a_bad_gossip_message_is_refused() {
    let node = start_node(
        &scratch_dir("bad-gossip"),
        1,
        0,
        &[],
        &["--visualizer", "off"],
    );
    let bodies = [
        "not json",
        r#"{"id": "00ff", "kind": "rumor"}"#,
        r#"{"id": "zz", "from": {"id": 2, "addr": "127.0.0.1:1", "status": "alive", "incarnation": 0}, "kind": "join", "members": []}"#,
        r#"{"id": "01", "from": {"id": 2, "addr": "127.0.0.1:1", "status": "alive", "incarnation": 0}, "kind": "gossip-bomb"}"#,
    ];
    for body in bodies {
        let (status, answer) = harness::post(&node.url("/gossip"), JSON, body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid gossip message"),
            "{answer}"
        );
    }
    let state = harness::state(&node).await.expect("still serving");
    assert_eq!(state.members.len(), 1);
    let health: Value = harness::get_json(&node.url("/health")).await.unwrap();
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let node = start_node(&scratch_dir("routes"), 1, 0, &[], &["--visualizer", "off"]);
    let response = reqwest::get(node.url("/nope")).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("/nope"));
    let (status, answer) = harness::post(&node.url("/state"), None, "").await;
    assert_eq!(status, 405, "{answer}");
    assert!(answer["error"].is_string());
}
