//! Finding 4 of the room issue: a 190-byte `sync_digest` made a node send
//! its whole store back (16,000 times the bytes), and `join` and `ping_req`
//! amplified too. Here a real node holding 400 entries and some 60 members
//! is asked every kind of question by a fake peer that keeps what comes
//! back, and no answer may weigh more than three times its question
//! (`REPLY_FACTOR`). Run with `--no-capture` for the table.

use gossip_node::core::node::REPLY_FACTOR;
use gossip_testkit::fake_peer::FakePeer;
use gossip_testkit::harness::{self, free_port, scratch_dir, start_node, wait_until, Process};
use serde_json::{json, Value};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(20);
const JSON: Option<&str> = Some("application/json");
/// No rounds and no probes of its own: everything the node sends answers us.
const QUIET: &[&str] = &[
    "--visualizer",
    "off",
    "--interval",
    "3600s",
    "--probe-interval",
    "3600s",
];

fn member(id: u64, addr: &str) -> Value {
    json!({"id": id, "addr": addr, "status": "alive", "incarnation": 1})
}

/// POST a message from `from`; the bytes of the body posted.
async fn ask(node: &Process, from: &Value, body: Value) -> usize {
    let mut envelope = json!({"id": "00000000000000aa", "from": from});
    for (field, value) in body.as_object().expect("fields") {
        envelope[field] = value.clone();
    }
    let text = envelope.to_string();
    let (status, answer) = harness::post(&node.url("/gossip"), JSON, text.clone()).await;
    assert_eq!(status, 202, "{answer}");
    text.len()
}

/// Every byte the peers have been sent so far.
fn received_bytes(peers: &[&FakePeer]) -> usize {
    let bodies = peers.iter().flat_map(|peer| peer.received());
    bodies.map(|body| body.len()).sum()
}

fn key(i: usize) -> String {
    format!("key{i:03}")
}

#[tokio::test]
async fn no_question_is_answered_with_more_than_three_times_its_bytes() {
    let asker = FakePeer::start().await;
    let other = FakePeer::start().await;
    let node = start_node(&scratch_dir("answers"), 1, free_port(), &[], QUIET);
    for i in 0..400 {
        let value =
            format!("{i}: a value of about a hundred bytes, as a participant might write one...");
        let body = json!({"key": key(i), "value": value}).to_string();
        let (status, answer) = harness::post(&node.url("/update"), JSON, body).await;
        assert_eq!(status, 200, "{answer}");
    }
    // Another peer introduces itself and 70 members (some 60 are kept).
    let fakes: Vec<Value> = (1000..1070)
        .map(|id| member(id, &format!("127.0.0.1:{}", 20000 + id)))
        .collect();
    let them = member(98, &other.addr);
    ask(&node, &them, json!({"kind": "welcome", "members": fakes})).await;
    let me = member(99, &asker.addr);
    let held = |i: usize| json!({"key": key(i), "version": i + 1, "origin": 1});
    let empty = json!({"versions": {}});
    let questions = [
        ("join", json!({"kind": "join", "members": [me.clone()]})),
        (
            "sync_digest",
            json!({"kind": "sync_digest", "digest": empty}),
        ),
        ("pull", json!({"kind": "pull", "have": empty})),
        (
            "rumor (pull)",
            json!({"kind": "rumor", "entries": {}, "pull": empty}),
        ),
        ("rumor (feedback)", {
            let entries: serde_json::Map<String, Value> = (0..20)
                .map(|i| {
                    let entry = json!({"value": "stale", "version": i + 1, "origin": 1});
                    (key(i), entry)
                })
                .collect();
            json!({"kind": "rumor", "entries": entries, "feedback": true})
        }),
        ("sync_delta (want)", {
            let want: Vec<String> = (0..200).map(key).collect();
            json!({"kind": "sync_delta", "entries": {}, "want": want})
        }),
        ("graft", {
            let ids: Vec<Value> = (0..200).map(held).collect();
            json!({"kind": "graft", "ids": ids})
        }),
        ("ping", json!({"kind": "ping", "seq": 5})),
        (
            "ping_req",
            json!({"kind": "ping_req", "seq": 6, "target": them}),
        ),
    ];
    let mut table = vec![format!(
        "{:<18} {:>8} {:>8} {:>6}",
        "question", "bytes", "answer", "ratio"
    )];
    for (label, question) in questions {
        let seen = asker.count() + other.count();
        let before = received_bytes(&[&asker, &other]);
        let asked = ask(&node, &me, question).await;
        // Until something came, and everything the node says it sent did.
        let what = format!("the answers to {label}");
        wait_until(&what, DEADLINE, || async {
            let sent = harness::metric(&node, "gossip_messages_sent_total").await?;
            let arrived = (asker.count() + other.count()) as u64;
            (arrived > seen as u64 && arrived == sent).then_some(())
        })
        .await;
        let answered = received_bytes(&[&asker, &other]) - before;
        let ratio = answered as f64 / asked as f64;
        table.push(format!("{label:<18} {asked:>8} {answered:>8} {ratio:>6.2}"));
        assert!(
            answered <= REPLY_FACTOR * asked,
            "{label}: {asked} bytes asked, {answered} answered\n{}",
            table.join("\n")
        );
    }
    eprintln!("{}", table.join("\n"));
}
