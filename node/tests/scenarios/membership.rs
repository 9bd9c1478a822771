//! Membership on the simulated network: crashes found, suspects refuting,
//! restarts and leaves told apart, partitions healed.

use crate::SECOND;
use gossip_node::core::event::Event;
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::version::NodeId;
use gossip_node::sim::Network;
use std::time::Duration;

/// What node `observer` believes about node `id`.
fn status(net: &Network, observer: u64, id: u64) -> Option<MemberStatus> {
    net.node(observer)
        .members()
        .get(NodeId(id))
        .map(|m| m.status)
}

/// Whether any node ever reported `id` with `status`.
fn ever_reported(net: &Network, id: u64, status: MemberStatus) -> bool {
    net.events().iter().any(|(_, _, event)| {
        matches!(event, Event::MemberChanged { member, .. } if member.id == NodeId(id) && member.status == status)
    })
}

#[test]
fn a_crashed_node_is_declared_dead_by_every_live_node() {
    let n = 8;
    let mut net = Network::formed_cluster(11, n, |_| {});
    net.run_for(5 * SECOND);
    net.crash(5);
    let live: Vec<u64> = (1..=n).filter(|id| *id != 5).collect();
    let took = net.run_until(60 * SECOND, |net| {
        live.iter()
            .all(|o| status(net, *o, 5) == Some(MemberStatus::Dead))
    });
    let took = took.expect("every live node marks node 5 dead");
    // Bound from the timings: probed within N-1 periods of round robin, one
    // period to judge the probe, the suspicion timeout (4 s), then a few
    // periods for the news to spread.
    assert!(took <= (n as u32 - 1 + 1 + 4 + 6) * SECOND, "took {took:?}");
}

#[test]
fn a_broken_link_alone_does_not_get_a_node_declared_dead() {
    let mut net = Network::formed_cluster(12, 4, |_| {});
    net.record_events();
    net.cut(1, 3);
    net.cut(3, 1);
    net.run_for(60 * SECOND);
    // Node 1 cannot reach node 3, but 2 and 4 ping it on 1's behalf.
    assert!(
        !ever_reported(&net, 3, MemberStatus::Suspect),
        "indirect pings should have saved node 3"
    );
    assert!((1..=4).all(|o| o == 3 || status(&net, o, 3) == Some(MemberStatus::Alive)));
}

#[test]
fn a_suspect_refutes_with_a_higher_incarnation() {
    let mut net = Network::formed_cluster(13, 5, |_| {});
    net.record_events();
    net.run_for(3 * SECOND);
    // Node 3 is cut off long enough to be suspected, not long enough to die.
    for other in [1, 2, 4, 5] {
        net.cut(3, other);
        net.cut(other, 3);
    }
    let suspected = net.run_until(30 * SECOND, |net| {
        (1..=5).any(|o| status(net, o, 3) == Some(MemberStatus::Suspect))
    });
    assert!(suspected.is_some(), "node 3 was never suspected");
    net.heal();
    let refuted = net.run_until(30 * SECOND, |net| {
        (1..=5).all(|o| {
            net.node(o)
                .members()
                .get(NodeId(3))
                .is_some_and(|m| m.status == MemberStatus::Alive && m.incarnation > 0)
        })
    });
    assert!(
        refuted.is_some(),
        "node 3 refuted: alive everywhere with a higher incarnation"
    );
    assert!(
        !ever_reported(&net, 3, MemberStatus::Dead),
        "refuted before the suspicion timeout"
    );
}

#[test]
fn a_restarted_node_comes_back_with_a_higher_incarnation() {
    let mut net = Network::formed_cluster(14, 4, |_| {});
    net.run_for(3 * SECOND);
    net.crash(2);
    let dead = net.run_until(60 * SECOND, |net| {
        [1, 3, 4]
            .iter()
            .all(|o| status(net, *o, 2) == Some(MemberStatus::Dead))
    });
    assert!(dead.is_some());
    // Restart node 2 with node 1 as its only neighbor, as `--neighbors` would.
    let mut config = net.node(2).config().clone();
    config.neighbors = vec![gossip_node::sim::network::addr(1)];
    net.add(config);
    net.restart(2);
    let back = net.run_until(60 * SECOND, |net| {
        [1, 3, 4]
            .iter()
            .all(|o| status(net, *o, 2) == Some(MemberStatus::Alive))
    });
    assert!(
        back.is_some(),
        "the new life of node 2 is accepted everywhere"
    );
}

#[test]
fn a_node_that_leaves_is_marked_left_not_dead() {
    let mut net = Network::formed_cluster(15, 6, |_| {});
    net.record_events();
    net.run_for(3 * SECOND);
    net.leave(4);
    let others = [1, 2, 3, 5, 6];
    let left = net.run_until(30 * SECOND, |net| {
        others
            .iter()
            .all(|o| status(net, *o, 4) == Some(MemberStatus::Left))
    });
    assert!(left.is_some(), "everyone marks node 4 left");
    net.run_for(30 * SECOND);
    assert!(
        !ever_reported(&net, 4, MemberStatus::Dead)
            && !ever_reported(&net, 4, MemberStatus::Suspect)
    );
}

#[test]
fn after_a_long_partition_both_sides_find_each_other_again() {
    let n = 5;
    let mut net = Network::formed_cluster(16, n, |_| {});
    net.run_for(3 * SECOND);
    // Node 3 is cut off so long that it declares everyone dead, and they it.
    for other in [1, 2, 4, 5] {
        net.cut(3, other);
        net.cut(other, 3);
    }
    let split = net.run_until(120 * SECOND, |net| {
        [1, 2, 4, 5]
            .iter()
            .all(|o| status(net, *o, 3) == Some(MemberStatus::Dead))
            && [1, 2, 4, 5]
                .iter()
                .all(|o| status(net, 3, *o) == Some(MemberStatus::Dead))
    });
    assert!(split.is_some(), "both sides gave each other up");
    net.heal();
    // Probing the dead now and then finds them; they refute; all alive again.
    let whole = net.run_until(120 * SECOND, |net| {
        (1..=n)
            .all(|o| (1..=n).all(|id| o == id || status(net, o, id) == Some(MemberStatus::Alive)))
    });
    assert!(
        whole.is_some(),
        "the cluster is whole again after the partition heals"
    );
}

/// The bench's formation: 32 nodes started one after another, each joining
/// through node 1, at memberlist's LAN timings. Every node learns most
/// others second-hand; a member it never probed is unproven and gets no
/// rumors. Proof pings prove them within seconds, not the N probe periods
/// the round-robin order would take (a rumor made meanwhile, without
/// anti-entropy, could miss a newcomer for good).
#[test]
fn newcomers_are_proven_everywhere_within_seconds_of_joining() {
    use gossip_node::core::Config;
    use gossip_node::sim::network::addr;
    let n = 32;
    let lan = |config: &mut Config| {
        config.interval = Duration::from_millis(200);
        config.fanout = 3;
    };
    let mut net = Network::new(31);
    for id in 1..=n {
        let seeds = if id == 1 { Vec::new() } else { vec![addr(1)] };
        let mut config = Config::new(NodeId(id), addr(id), seeds);
        lan(&mut config);
        net.add(config);
        net.start(id);
        net.run_for(Duration::from_millis(40));
    }
    let everyone_proven = |net: &Network| {
        (1..=n).all(|o| {
            let members = net.node(o).members();
            (1..=n).all(|id| id == o || members.get(NodeId(id)).is_some_and(|m| members.is_peer(m)))
        })
    };
    let took = net.run_until(60 * SECOND, everyone_proven);
    let took = took.expect("every node proves every other");
    // One probe period each would be 31 s; proof pings go 3 a round.
    assert!(took <= 5 * SECOND, "took {took:?}");
    // And an update made now reaches all.
    net.update(7, "late", "x");
    let all = net.run_until(10 * SECOND, |net| {
        (1..=n).all(|id| net.value(id, "late") == Some("x"))
    });
    assert!(all.is_some(), "the update reached every node");
}
