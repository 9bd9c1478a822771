//! Forged and buggy peers against real nodes: well-formed messages that a
//! half-finished implementation or a prank could send, posted straight to
//! `POST /gossip`. None may do lasting harm: each is refused with a clear
//! error (or, when it could be true, answered the way the protocol answers
//! it), and the cluster goes on as before.

use gossip_node::core::membership::MemberStatus;
use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, start_sheet_cluster, start_sheet_node, wait_until, Process,
    FAST_SWIM,
};
use serde_json::{json, Value};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);
const JSON: Option<&str> = Some("application/json");

async fn formed(nodes: &[Process]) {
    harness::wait_formed(nodes, nodes.len(), DEADLINE).await;
}

/// A peer nobody runs: a fake member at a port nobody listens on.
fn stranger() -> Value {
    json!({"id": 99, "addr": "127.0.0.1:9", "status": "alive", "incarnation": 1})
}

/// POST one message `body` (its kind and fields) from `from` to `node`.
async fn forge(node: &Process, from: Value, body: Value) -> (u16, Value) {
    let mut envelope = json!({"id": "00000000000000aa", "from": from});
    for (field, value) in body.as_object().expect("fields") {
        envelope[field] = value.clone();
    }
    harness::post(&node.url("/gossip"), JSON, envelope.to_string()).await
}

/// Finding 1: a rumor at version 2^64 − 1 saturated every clock, and every
/// later write lost. It is refused; writes go on spreading and winning.
#[tokio::test]
async fn a_rumor_at_the_highest_version_is_refused_and_writes_still_win() {
    let nodes = start_sheet_cluster(&scratch_dir("forged-version"), &sheet_ports(2), FAST_SWIM);
    formed(&nodes).await;
    harness::write(&nodes[0], "color", "red").await;
    harness::wait_value(&nodes[1], "color", "red", DEADLINE).await;
    let forged = json!({"kind": "rumor", "entries": {
        "color": {"value": "forged", "version": u64::MAX, "origin": 99}
    }});
    let (status, answer) = forge(&nodes[1], stranger(), forged).await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("out of reach"),
        "{answer}"
    );
    for value in ["green", "blue"] {
        harness::write(&nodes[0], "color", value).await;
        harness::wait_value(&nodes[1], "color", value, DEADLINE).await;
    }
    let refused = harness::metric(&nodes[1], "gossip_messages_refused_total").await;
    assert_eq!(refused, Some(1));
}

/// Finding 2: a `dead` at incarnation 2^64 − 1 evicted a live node for good,
/// and a forged `left` at its own incarnation could not be refuted. The
/// first is refused; the second is refuted, and the node is alive again.
#[tokio::test]
async fn forged_verdicts_about_a_live_node_are_refused_or_refuted() {
    let dir = scratch_dir("forged-verdict");
    let ports = sheet_ports(3);
    let nodes = start_sheet_cluster(&dir, &ports, FAST_SWIM);
    formed(&nodes).await;
    let state = harness::state(&nodes[1]).await.expect("/state");
    let me = state.members.iter().find(|m| m.id.0 == 2).expect("itself");
    let verdict = |status: &str, incarnation: u64| json!({"id": 2, "addr": me.addr.as_ref(), "status": status, "incarnation": incarnation});
    let (status, answer) = forge(
        &nodes[0],
        stranger(),
        json!({"kind": "welcome", "members": [verdict("dead", u64::MAX)]}),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    // A departure at node 2's own incarnation, told to node 1 and to node 2.
    for node in [&nodes[0], &nodes[1]] {
        let body = json!({"kind": "welcome", "members": [verdict("left", me.incarnation)]});
        let (status, answer) = forge(node, stranger(), body).await;
        assert_eq!(status, 202, "{answer}");
    }
    for observer in [&nodes[0], &nodes[2]] {
        harness::wait_member_status(observer, 2, MemberStatus::Alive, DEADLINE).await;
        let now = harness::state(observer).await.expect("/state");
        let seen = now.members.iter().find(|m| m.id.0 == 2).expect("node 2");
        assert!(
            seen.incarnation > me.incarnation,
            "refuted with a higher incarnation"
        );
    }
}

/// Finding 2, heartbeats: the largest generation and count made a node
/// unkillable (or un-revivable) in the heartbeat detector. Refused.
#[tokio::test]
async fn a_heartbeat_beyond_reach_is_refused() {
    let mut flags = FAST_SWIM.to_vec();
    flags.extend(["--detector", "heartbeat"]);
    let nodes = start_sheet_cluster(&scratch_dir("forged-beat"), &sheet_ports(2), &flags);
    formed(&nodes).await;
    let beats =
        json!({"kind": "heartbeats", "beats": [[2, {"generation": u64::MAX, "count": u64::MAX}]]});
    let (status, answer) = forge(&nodes[0], stranger(), beats).await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("heartbeat"),
        "{answer}"
    );
}

/// Finding 8: two shares of 1.7e308 made a node's sum infinite, and a share
/// sent to a node without a value switched push-sum on there. Both refused.
#[tokio::test]
async fn push_sum_shares_out_of_range_or_unasked_are_refused() {
    let dir = scratch_dir("forged-push-sum");
    let ports = sheet_ports(2);
    let mut flags = FAST_SWIM.to_vec();
    flags.extend(["--value", "1"]);
    let with_value = start_sheet_node(&dir, 1, &ports, &flags);
    let without = start_sheet_node(&dir, 2, &ports, FAST_SWIM);
    let nodes = [with_value, without];
    formed(&nodes).await;
    let huge = json!({"kind": "push_sum", "sum": 1.7e308, "weight": 0.5});
    for _ in 0..2 {
        let (status, answer) = forge(&nodes[0], stranger(), huge.clone()).await;
        assert_eq!(status, 422, "{answer}");
    }
    let pair = harness::state(&nodes[0]).await.unwrap().push_sum.unwrap();
    assert!(pair.sum.is_finite() && pair.weight.is_finite(), "{pair:?}");
    let share = json!({"kind": "push_sum", "sum": 1.0, "weight": 0.5});
    let (status, answer) = forge(&nodes[1], stranger(), share).await;
    assert_eq!(status, 422, "{answer}");
    assert!(harness::state(&nodes[1]).await.unwrap().push_sum.is_none());
}

/// Finding 9: peers' entries skipped the checks a client write gets, and
/// nothing bounded the store. Bad entries are refused; the store stops at
/// its bound, and says so.
#[tokio::test]
async fn peer_entries_get_a_clients_checks_and_the_store_a_bound() {
    let nodes = start_sheet_cluster(&scratch_dir("forged-entries"), &sheet_ports(1), FAST_SWIM);
    let node = &nodes[0];
    let entry = |value: String| json!({"value": value, "version": 1, "origin": 99});
    for (key, value) in [
        (String::new(), "v".to_owned()),
        ("k".repeat(2048), "v".to_owned()),
        ("big".to_owned(), "x".repeat(62 * 1024)),
    ] {
        let body =
            json!({"kind": "sync_delta", "entries": {key.clone(): entry(value)}, "want": []});
        let (status, answer) = forge(node, stranger(), body).await;
        assert!(matches!(status, 413 | 422), "{status}: {answer}");
    }
    assert!(harness::state(node).await.unwrap().entries.is_empty());
    // Nine messages of 1,200 fresh keys each: more than a store holds.
    for batch in 0..9 {
        let entries: serde_json::Map<String, Value> = (0..1200)
            .map(|i| (format!("k{batch}-{i}"), entry("v".into())))
            .collect();
        let body = json!({"kind": "sync_delta", "entries": entries, "want": []});
        let (status, answer) = forge(node, stranger(), body).await;
        assert_eq!(status, 202, "{answer}");
    }
    let held = harness::metric(node, "gossip_entries").await.unwrap();
    assert_eq!(held, gossip_node::core::store::MAX_STORE_KEYS as u64);
    let full = harness::metric(node, "gossip_entries_refused_full_total").await;
    assert_eq!(full, Some(9 * 1200 - held));
    let body = json!({"key": "one-more", "value": "v"}).to_string();
    let (status, answer) = harness::post(&node.url("/update"), JSON, body).await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("store is full"),
        "{answer}"
    );
}

/// Finding 4: a message naming a third party's address (or a path) made a
/// node send there, up to its whole store. Refused: answers go to the
/// sender's own address.
#[tokio::test]
async fn a_message_cannot_aim_the_answers_at_another_address() {
    let nodes = start_sheet_cluster(&scratch_dir("forged-aim"), &sheet_ports(1), FAST_SWIM);
    let digest =
        json!({"kind": "sync_digest", "digest": {"first": null, "last": null, "versions": {}}});
    for addr in [
        "10.9.9.9:80",
        "victim.example:80",
        "127.0.0.1:9/admin/crash?",
        "user@127.0.0.1:9",
    ] {
        let from = json!({"id": 77, "addr": addr, "status": "alive", "incarnation": 1});
        let (status, answer) = forge(&nodes[0], from, digest.clone()).await;
        assert_eq!(status, 422, "{addr}: {answer}");
    }
    let state = harness::state(&nodes[0]).await.unwrap();
    assert!(
        state.members.iter().all(|m| m.id.0 != 77),
        "nothing was learned"
    );
}

/// Finding 3: ten thousand fake members, in a few welcomes, made a node
/// gossip almost only to members that never answered, for about 100
/// minutes, and its member list grew without bound. Now 80 strangers each
/// send 128 fakes, all at the address of a trap that keeps what it is
/// sent: at most `MAX_SECOND_HAND` are kept, the real members stay, a new
/// write reaches them, and not one rumor goes to the trap (probes do: that
/// is how the fakes are found dead).
#[tokio::test]
async fn ten_thousand_fake_members_are_capped_and_never_crowd_out_the_real_ones() {
    use gossip_node::core::membership::MAX_SECOND_HAND;
    use gossip_testkit::fake_peer::FakePeer;
    let trap = FakePeer::start().await;
    let nodes = start_sheet_cluster(&scratch_dir("forged-crowd"), &sheet_ports(3), FAST_SWIM);
    formed(&nodes).await;
    let node = &nodes[0];
    // Until node 1 has heard nodes 2 and 3 answer.
    wait_until("node 1 has heard everyone answer", DEADLINE, || async {
        let unproven = harness::metric(node, "gossip_members_unproven").await?;
        (unproven == 0).then_some(())
    })
    .await;
    let (rss_before, cpu_before) = (harness::rss_kib(node), harness::cpu_time(node));
    for sender in 0..80u64 {
        let members: Vec<Value> = (0..128u64)
            .map(|i| {
                let id = 1000 + sender * 128 + i;
                json!({"id": id, "addr": trap.addr, "status": "alive", "incarnation": 1})
            })
            .collect();
        let from =
            json!({"id": 100 + sender, "addr": trap.addr, "status": "alive", "incarnation": 1});
        let (status, answer) =
            forge(node, from, json!({"kind": "welcome", "members": members})).await;
        assert_eq!(status, 202, "{answer}");
    }
    let cpu_flood = harness::cpu_time(node);
    let state = harness::state(node).await.unwrap();
    let known = state.members.len();
    // Itself, nodes 2 and 3, and the unproven: senders and fakes.
    assert!(known <= 3 + MAX_SECOND_HAND, "{known} members known");
    for id in [2, 3] {
        assert!(
            state.members.iter().any(|m| m.id.0 == id),
            "node {id} is still known"
        );
    }
    let refused = harness::metric(node, "gossip_members_refused_total")
        .await
        .unwrap();
    assert!(
        refused >= 80 * 128 - MAX_SECOND_HAND as u64,
        "{refused} refused"
    );
    harness::write(node, "after-the-crowd", "still spreads").await;
    for other in &nodes[1..] {
        harness::wait_value(other, "after-the-crowd", "still spreads", DEADLINE).await;
    }
    let kinds: Vec<String> = trap
        .received()
        .iter()
        .filter_map(|body| serde_json::from_slice::<Value>(body).ok())
        .map(|message| message["kind"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert!(
        kinds.iter().all(|kind| kind == "ping"),
        "the trap got {kinds:?}"
    );
    // The figures: what the flood cost, and what probing the fakes costs
    // in the seconds after (a measurement window, not a wait for anything).
    tokio::time::sleep(Duration::from_secs(5)).await;
    let cpu_after = harness::cpu_time(node);
    let ms = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) => (b - a).as_millis(),
        _ => 0,
    };
    eprintln!(
        "10,240 fake members from 80 senders: {known} known, {refused} left out; \
         RSS {} -> {} KiB; CPU {} ms for the flood, {} ms in the next 5 s \
         ({} pings to fakes so far, no rumor)",
        rss_before.unwrap_or(0),
        harness::rss_kib(node).unwrap_or(0),
        ms(cpu_before, cpu_flood),
        ms(cpu_flood, cpu_after),
        trap.count(),
    );
}
