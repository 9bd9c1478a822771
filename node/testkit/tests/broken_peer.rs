//! A participant's node running broken pieces, in the room: four healthy
//! laptops (127.0.0.2 to 127.0.0.5) and one `gossip-broken-node`
//! (127.0.0.6), all holding the cluster key, so nothing but the core's own
//! checks stands between the broken code and the others. It writes, joins
//! in, answers, judges members its own way; the healthy nodes' writes
//! still win everywhere, none of them stays dead or suspect in another's
//! view, and no counter of theirs is pushed out of reach.

use gossip_node::core::membership::MemberStatus;
use gossip_node::core::version::MAX_VERSION_JUMP;
use gossip_testkit::harness::{
    self, scratch_dir, sheet_ports, wait_for_state, wait_until, Process, FAST_SWIM,
};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);
const KEY: &str = "room-42-correct-horse-battery";

#[tokio::test]
async fn a_node_on_broken_pieces_cannot_poison_the_room() {
    let dir = scratch_dir("broken-peer");
    let ports = sheet_ports(5);
    let instructor = format!("127.0.0.2:{}", ports[0]);
    let nodes: Vec<Process> = (1..=5u64)
        .map(|id| {
            let ip = format!("127.0.0.{}", id + 1);
            let mut flags = FAST_SWIM.to_vec();
            flags.extend(["--bind", ip.as_str(), "--cluster-key", KEY]);
            let neighbors = if id == 1 {
                vec![]
            } else {
                vec![instructor.clone()]
            };
            let program = if id == 5 {
                "gossip-broken-node"
            } else {
                "gossip-node"
            };
            let port = ports[id as usize - 1];
            harness::start_program_node(program, &dir, id, port, &neighbors, &flags)
        })
        .collect();
    let (healthy, broken) = nodes.split_at(4);
    let broken = &broken[0];
    let mut incarnations = Vec::new();
    for node in healthy {
        let state =
            wait_for_state(node, "knows all five", DEADLINE, |s| s.members.len() == 5).await;
        incarnations.push(
            state
                .members
                .iter()
                .find(|m| m.id == state.id)
                .unwrap()
                .incarnation,
        );
    }
    // The broken node writes the lesson over and over (and takes any
    // write it hears of, even an older one).
    harness::write(&healthy[1], "lesson", "gossip").await;
    for round in 0..20 {
        harness::write(broken, "lesson", &format!("broken #{round}")).await;
    }
    // Once no laptop spreads anything any more and they agree (on whichever
    // write won: the broken node's count as writes too), a healthy laptop
    // writes again, after all of them, and wins everywhere. (The broken
    // node itself never goes quiet: it takes every copy it hears as new.)
    for node in healthy {
        harness::wait_cold(node, DEADLINE).await;
    }
    let agreed = wait_until("the laptops agree on the lesson", DEADLINE, || async {
        let mut lessons = Vec::new();
        for node in healthy {
            lessons.push(harness::state(node).await?.entries.get("lesson")?.clone());
        }
        let first = lessons[0].clone();
        lessons.iter().all(|l| *l == first).then_some(first)
    })
    .await;
    harness::write(&healthy[2], "lesson", "healed").await;
    for node in healthy {
        harness::wait_value(node, "lesson", "healed", DEADLINE).await;
    }
    // New writes on healthy nodes keep spreading and winning.
    harness::write(&healthy[3], "after", "still works").await;
    for node in healthy {
        harness::wait_value(node, "after", "still works", DEADLINE).await;
    }
    // Every healthy node sees every other one alive, each at about the
    // incarnation it started with (refuting a false verdict costs one), and
    // holds believable versions.
    for node in healthy {
        let state = wait_until(
            "every healthy laptop alive to every other",
            DEADLINE,
            || async {
                let state = harness::state(node).await?;
                let alive = |id| {
                    let member = state.members.iter().find(|m| m.id.0 == id);
                    member.is_some_and(|m| m.status == MemberStatus::Alive)
                };
                (1..=4).all(alive).then_some(state)
            },
        )
        .await;
        for (id, started) in (1..=4).zip(&incarnations) {
            let member = state.members.iter().find(|m| m.id.0 == id).unwrap();
            assert!(
                member.incarnation < started + 1_000,
                "node {id} went from incarnation {started} to {}",
                member.incarnation
            );
        }
        for (key, entry) in &state.entries {
            assert!(
                entry.version < MAX_VERSION_JUMP,
                "{key} at {}",
                entry.version
            );
        }
    }
    let mut refused = Vec::new();
    for node in healthy {
        refused.push(
            harness::metric(node, "gossip_messages_refused_total")
                .await
                .unwrap_or(0),
        );
    }
    let broken_state = harness::state(broken).await.unwrap();
    let me = broken_state
        .members
        .iter()
        .find(|m| m.id == broken_state.id);
    eprintln!(
        "a node on broken pieces among four: the laptops agreed on {:?} before healing; \
         they refused {refused:?} of its messages; it is at incarnation {:?}",
        agreed.value,
        me.map(|m| m.incarnation)
    );
}
