//! Narrated demonstrations: `make gossip`, `make membership`, `make anti-entropy`.
//!
//! Each runs a small cluster of real protocol cores on the simulated network
//! and tells, step by step, what happens and why. The text is built from the
//! same events the live page shows.

use super::network::Network;
use crate::core::event::{Cause, Event, RumorState};
use crate::core::membership::MemberStatus;
use crate::core::Config;
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

fn at(t: Duration) -> String {
    format!("{:>7.3}s", t.as_secs_f64())
}

/// One rumor, eight nodes, push with fanout 2: who tells whom, round by round.
pub fn gossip() -> Vec<String> {
    let n = 8;
    let mut net = Network::formed_cluster(2026, n, |_| {});
    net.run_for(2 * SECOND);
    net.record_events();
    let start = net.now();
    let mut out = vec![
        format!("{n} nodes; every second each node that has news pushes it to 2 random peers (fanout 2)."),
        "A node that learns the rumor is infected: it spreads it for 4 rounds, then stops (removed).".into(),
        String::new(),
        format!("{}  a client writes color = red on node 1", at(Duration::ZERO)),
    ];
    net.update(1, "color", "red");
    net.run_for(12 * SECOND);
    let mut informed = 1;
    for (t, node, event) in net.events() {
        let t = at(*t - start);
        match event {
            Event::MessageSent {
                kind,
                to_id: Some(to),
                carries,
                ..
            } if kind == "rumor" && !carries.is_empty() => {
                out.push(format!("{t}  node {node} pushes color to node {to}"));
            }
            Event::EntryChanged {
                cause: Cause::Rumor,
                ..
            } => {
                informed += 1;
                out.push(format!(
                    "{t}    node {node} learns it: news! ({informed}/{n} know it)"
                ));
            }
            Event::MessageReceived { known, .. } if !known.is_empty() => {
                out.push(format!(
                    "{t}    node {node} already knew it: a redundant message"
                ));
            }
            Event::RumorState {
                state: RumorState::Removed,
                ..
            } => {
                out.push(format!("{t}  node {node} stops spreading it (removed)"));
            }
            _ => {}
        }
    }
    let redundant = (1..=n)
        .map(|id| net.node(id).counters().redundant_entries)
        .sum::<u64>();
    let sent = (1..=n)
        .map(|id| net.node(id).counters().rumors_sent)
        .sum::<u64>();
    out.push(String::new());
    out.push(format!(
        "{informed}/{n} nodes know color = red. {sent} pushes, {redundant} of them redundant: the price of not knowing who knows."
    ));
    out.push(
        "Spread grows exponentially: O(log N) rounds, no coordinator, no single point of failure."
            .into(),
    );
    out
}

/// Joining through one neighbor, and SWIM noticing a crash.
pub fn membership() -> Vec<String> {
    let mut net = Network::formed_cluster(7, 5, |_| {});
    net.run_for(2 * SECOND);
    net.record_events();
    let start = net.now();
    let mut out = vec![
        "Nodes 1-5 form a cluster. Node 6 starts knowing only node 1.".into(),
        "Membership news rides along (piggybacked) on the pings and gossip nodes send anyway."
            .into(),
        String::new(),
    ];
    let mut six = Config::new(
        crate::core::version::NodeId(6),
        super::network::addr(6),
        vec![super::network::addr(1)],
    );
    six.incarnation = 1;
    net.add(six);
    net.start(6);
    net.run_for(8 * SECOND);
    let joined_by = net.events().len();
    let crash_at = net.now();
    net.crash(4);
    net.run_for(15 * SECOND);
    let mut asks = 0;
    for (i, (t, node, event)) in net.events().iter().enumerate() {
        if i == joined_by {
            out.push(String::new());
            out.push(
                "Every second each node probes one member (SWIM): no ack in time -> ask 3 others"
                    .into(),
            );
            out.push(
                "to ping it -> still nothing -> suspect -> no refutation in time -> dead.".into(),
            );
            out.push(format!("{}  node 4 crashes", at(crash_at - start)));
        }
        let t = at(*t - start);
        match event {
            Event::MemberChanged {
                member,
                previous: None,
                by,
            } if member.id.0 == 6 || node.0 == 6 => {
                out.push(format!(
                    "{t}  node {node} learns of node {} (news from node {by})",
                    member.id
                ));
            }
            Event::MessageSent { kind, to_id, .. }
                if kind == "ping_req" && i > joined_by && asks < 3 =>
            {
                asks += 1;
                let about = to_id.map_or("?".into(), |id| id.to_string());
                out.push(format!(
                    "{t}  node {node} got no ack from node 4 and asks node {about} to ping it"
                ));
            }
            Event::MemberChanged {
                member,
                previous: Some(_),
                by,
            } if member.id.0 == 4 => {
                let status = format!("{:?}", member.status).to_lowercase();
                let why = if by == node {
                    "its own verdict".to_string()
                } else {
                    format!("news from node {by}")
                };
                out.push(format!("{t}  node {node} marks node 4 {status} ({why})"));
            }
            _ => {}
        }
    }
    let all_dead = [1, 2, 3, 5, 6].iter().all(|o| {
        net.node(*o)
            .members()
            .get(crate::core::version::NodeId(4))
            .is_some_and(|m| m.status == MemberStatus::Dead)
    });
    out.push(String::new());
    out.push(format!(
        "Node 6 knows {} members; every live node holds node 4 dead: {all_dead}.",
        net.node(6).members().len()
    ));
    out
}

/// Node 3 misses an update; rumors never repeat it; anti-entropy repairs it.
pub fn anti_entropy() -> Vec<String> {
    let mut out = vec![
        "Node 3 is down while node 1 writes news; then node 3 restarts with an empty store.".into(),
        String::new(),
    ];
    for with in [false, true] {
        let mut net = Network::formed_cluster(3, 4, |c| {
            if with {
                c.anti_entropy = Some(2 * SECOND);
            }
        });
        net.run_for(2 * SECOND);
        net.crash(3);
        net.update(1, "news", "while 3 was down");
        net.run_for(10 * SECOND);
        net.restart(3);
        net.record_events();
        let start = net.now();
        net.run_for(20 * SECOND);
        if !with {
            let got = net.value(3, "news").is_some();
            out.push(format!(
                "Rumor spreading only: after 20 s node 3 has the news: {got}."
            ));
            out.push(
                "Every node stopped spreading it long ago, so nobody mentions it again.".into(),
            );
            out.push(String::new());
            out.push(
                "With anti-entropy every 2 s: a digest (key -> version) goes to a random peer,"
                    .into(),
            );
            out.push("and only the difference comes back.".into());
            out.push(String::new());
            continue;
        }
        for (t, node, event) in net.events() {
            if net.value(3, "news").is_some() && out.last().is_some_and(|l| l.contains("repaired"))
            {
                break;
            }
            let t = at(*t - start);
            match event {
                Event::MessageSent {
                    kind,
                    to_id: Some(to),
                    bytes,
                    carries,
                    ..
                } if kind.starts_with("sync") && (node.0 == 3 || to.0 == 3) => {
                    let what = if kind == "sync_digest" {
                        "digest".to_string()
                    } else {
                        format!(
                            "delta with {} entr{}",
                            carries.len(),
                            if carries.len() == 1 { "y" } else { "ies" }
                        )
                    };
                    out.push(format!(
                        "{t}  node {node} -> node {to}: {what}, {bytes} bytes"
                    ));
                }
                Event::EntryChanged {
                    key,
                    cause: Cause::AntiEntropy,
                    ..
                } => {
                    out.push(format!("{t}    node {node} repaired {key} by anti-entropy"));
                }
                _ => {}
            }
        }
        let got = net.value(3, "news").is_some();
        out.push(String::new());
        out.push(
            "From then on, converged nodes exchange a digest and an empty delta: bytes grow with"
                .into(),
        );
        out.push("the number of keys and the difference, not with the values held.".into());
        out.push(format!(
            "With anti-entropy node 3 has the news: {got}. That is the workshop sheet's challenge."
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gossip_demo_reaches_everyone() {
        let text = gossip().join("\n");
        assert!(text.contains("8/8 nodes know color = red"), "{text}");
        assert!(text.contains("stops spreading"));
    }

    #[test]
    fn the_membership_demo_joins_and_detects_the_crash() {
        let text = membership().join("\n");
        assert!(text.contains("Node 6 knows 6 members"), "{text}");
        assert!(
            text.contains("marks node 4 suspect") && text.contains("marks node 4 dead"),
            "{text}"
        );
        assert!(
            text.contains("every live node holds node 4 dead: true"),
            "{text}"
        );
    }

    #[test]
    fn the_anti_entropy_demo_repairs_node_3() {
        let text = anti_entropy().join("\n");
        assert!(text.contains("node 3 has the news: false"), "{text}");
        assert!(text.contains("repaired news by anti-entropy"), "{text}");
        assert!(
            text.contains("With anti-entropy node 3 has the news: true"),
            "{text}"
        );
    }
}
