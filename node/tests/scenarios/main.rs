//! The workshop's stories, run deterministically on the simulated network.
//!
//! Each test drives real protocol cores through `gossip_node::sim`, in virtual
//! time with a seeded RNG: the same code as the live node, without waiting.

use gossip_node::core::rumor::StopRule;
use gossip_node::core::{Config, Mode};
use gossip_node::sim::{Network, SimStage};
use gossip_node::story::{play, sheet_challenge};
use std::time::Duration;

mod membership;

const SECOND: Duration = Duration::from_secs(1);

fn everyone_holds(net: &Network, ids: &[u64], key: &str, value: &str) -> bool {
    ids.iter().all(|id| net.value(*id, key) == Some(value))
}

/// Wait for the cluster to form and its membership rumors to die down.
fn settled(mut net: Network) -> Network {
    net.run_for(10 * SECOND);
    net
}

fn with_anti_entropy(config: &mut Config) {
    config.anti_entropy = Some(2 * SECOND);
}

/// The sheet's micro-challenge, the one story the live tests and the
/// checker play too: node 4 gets the update while node 3 is down; node 3,
/// restarted, hears fresh news but never the old.
#[test]
fn kill_3_update_1_node_4_still_gets_it_but_a_restarted_3_does_not_catch_up() {
    for seed in 1..=5 {
        let played = play(&sheet_challenge(false), &mut SimStage::new(seed, |_| {}));
        assert!(played.is_ok(), "seed {seed}: {}", played.unwrap_err());
    }
}

/// The sheet's challenge, solved: with anti-entropy node 3 catches up.
#[test]
fn with_anti_entropy_a_restarted_node_3_catches_up() {
    for seed in 1..=5 {
        let mut stage = SimStage::new(seed, with_anti_entropy);
        let played = play(&sheet_challenge(true), &mut stage).unwrap_or_else(|f| panic!("{f}"));
        let took = played.took.last().copied().flatten().unwrap();
        assert!(took < 20 * SECOND, "seed {seed}: took {took:?}");
    }
}

#[test]
fn with_thirty_percent_loss_anti_entropy_still_converges() {
    let ids: Vec<u64> = (1..=8).collect();
    let mut net = settled(Network::cluster(3, 8, with_anti_entropy));
    net.set_loss(0.3);
    for i in 0..10 {
        net.update(1 + i % 8, &format!("k{i}"), "v");
    }
    let converged = net.run_until(120 * SECOND, |n| {
        (0..10).all(|i| everyone_holds(n, &ids, &format!("k{i}"), "v"))
    });
    assert!(
        converged.is_some(),
        "still diverged after 120 s at 30 % loss"
    );
    assert!(net.stats.lost > 0);
}

#[test]
fn with_thirty_percent_loss_rumors_alone_leave_nodes_behind() {
    // The contrast: weak rumors (fanout 1, 2 rounds) without anti-entropy.
    let ids: Vec<u64> = (1..=8).collect();
    let weak = |c: &mut Config| {
        c.fanout = 1;
        c.rumor_k = 2;
    };
    let behind = (0..20)
        .filter(|seed| {
            let mut net = settled(Network::cluster(*seed, 8, weak));
            net.set_loss(0.3);
            net.update(1, "k", "v");
            net.run_for(30 * SECOND);
            !everyone_holds(&net, &ids, "k", "v")
        })
        .count();
    assert!(
        behind > 0,
        "some of 20 runs should leave a node without the update"
    );

    let with_repair = |c: &mut Config| {
        weak(c);
        with_anti_entropy(c);
    };
    for seed in 0..20 {
        let mut net = settled(Network::cluster(seed, 8, with_repair));
        net.set_loss(0.3);
        net.update(1, "k", "v");
        let done = net.run_until(120 * SECOND, |n| everyone_holds(n, &ids, "k", "v"));
        assert!(done.is_some(), "seed {seed}: anti-entropy did not repair");
    }
}

#[test]
fn concurrent_writes_converge_everywhere_to_the_same_winner() {
    let ids = [1, 2, 3, 4];
    let mut net = settled(Network::cluster(4, 4, |_| {}));
    let red = net.update(1, "color", "red");
    let blue = net.update(4, "color", "blue");
    assert_eq!(red.version, blue.version, "neither had seen the other");
    let winner = if red.stamp() > blue.stamp() {
        "red"
    } else {
        "blue"
    };
    let done = net.run_until(30 * SECOND, |n| everyone_holds(n, &ids, "color", winner));
    assert!(done.is_some(), "nodes disagree on color");
}

#[test]
fn a_converged_anti_entropy_exchange_costs_a_digest_not_the_state() {
    let mut net = settled(Network::cluster(5, 4, with_anti_entropy));
    let value = "x".repeat(100);
    for i in 0..200 {
        net.update(1 + i % 4, &format!("key-{i:03}"), &value);
    }
    net.run_for(30 * SECOND);
    assert!((1..=4).all(|id| net.node(id).store().entries() == net.node(1).store().entries()));
    assert!(
        (1..=4).all(|id| net.node(id).hot_rumors() == 0),
        "only anti-entropy talks now"
    );

    // Converged and quiet: from here on, every byte is anti-entropy.
    let syncs = |net: &Network| {
        (1..=4)
            .map(|id| net.node(id).counters().syncs_started)
            .sum::<u64>()
    };
    let (bytes_before, syncs_before) = (net.stats.bytes, syncs(&net));
    net.run_for(20 * SECOND);
    let exchanges = syncs(&net) - syncs_before;
    let per_exchange = (net.stats.bytes - bytes_before) / exchanges;
    let state = serde_json::to_vec(net.node(1).store().entries())
        .unwrap()
        .len() as u64;
    assert!(exchanges >= 30, "4 nodes every 2 s for 20 s: {exchanges}");
    assert!(
        per_exchange * 4 < state,
        "{per_exchange} B per exchange vs {state} B of state"
    );
}

#[test]
fn a_broken_link_loses_messages_on_that_link_only() {
    let ids = [1, 2, 3, 4];
    // Fanout 3 among 4 nodes: node 1 tries node 3 every round, and fails.
    let mut net = settled(Network::cluster(6, 4, |c| c.fanout = 3));
    net.cut(1, 3);
    net.cut(3, 1);
    net.update(1, "k", "v");
    let done = net.run_until(30 * SECOND, |n| everyone_holds(n, &ids, "k", "v"));
    assert!(done.is_some(), "node 3 hears it through 2 or 4");
    assert!(net.stats.blocked > 0, "the cut link dropped messages");
}

#[test]
fn same_seed_same_run() {
    let run = |seed| {
        let mut net = settled(Network::cluster(seed, 16, with_anti_entropy));
        net.set_loss(0.1);
        net.update(3, "k", "v");
        net.run_for(30 * SECOND);
        (net.stats, net.now())
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).0, run(8).0);
}

/// Nodes among 1..=n holding `key`.
fn holders(net: &Network, n: u64, key: &str) -> u64 {
    (1..=n).filter(|id| net.value(*id, key).is_some()).count() as u64
}

#[test]
fn pull_and_push_pull_reach_everyone_too() {
    for mode in [Mode::Pull, Mode::PushPull] {
        let mut net = Network::formed_cluster(8, 64, |c| c.mode = mode);
        net.update(1, "k", "v");
        let done = net.run_until(60 * SECOND, |n| holders(n, 64, "k") == 64);
        assert!(
            done.is_some(),
            "{mode}: only {} of 64",
            holders(&net, 64, "k")
        );
    }
}

#[test]
fn pull_sends_the_rumor_exactly_once_to_each_other_node() {
    let n = 100;
    let mut net = Network::formed_cluster(9, n, |c| {
        c.mode = Mode::Pull;
        c.fanout = 1;
        c.rumor_k = 1000; // never stop: pull finishes by itself
    });
    net.update(1, "k", "v");
    let done = net.run_until(120 * SECOND, |net| holders(net, n, "k") == n);
    assert!(done.is_some());
    net.run_for(10 * SECOND);
    let learned: u64 = (1..=n)
        .map(|id| net.node(id).counters().entries_learned)
        .sum();
    let redundant: u64 = (1..=n)
        .map(|id| net.node(id).counters().redundant_entries)
        .sum();
    assert_eq!(
        (learned, redundant),
        (n - 1, 0),
        "N-1 transmissions, none wasted"
    );
}

/// Fraction of nodes never reached, averaged over `runs` runs of push with
/// fanout 1 and the feedback coin (Demers' rumor mongering).
fn coin_residue(k: u32, n: u64, runs: u64) -> f64 {
    let mut missed = 0;
    for seed in 0..runs {
        let mut net = Network::formed_cluster(seed, n, |c| {
            c.fanout = 1;
            c.rumor_stop = StopRule::Coin;
            c.rumor_k = k;
        });
        net.update(1, "k", "v");
        net.run_until(600 * SECOND, |net| {
            (1..=n).all(|id| net.node(id).hot_rumors() == 0)
        });
        missed += n - holders(&net, n, "k");
    }
    missed as f64 / (n * runs) as f64
}

#[test]
fn feedback_coin_residue_is_close_to_demers() {
    // s = e^{-(k+1)(1-s)}: 0.2032, 0.0595, 0.0198 for k = 1, 2, 3.
    for (k, expected) in [(1, 0.2032), (2, 0.0595), (3, 0.0198)] {
        let residue = coin_residue(k, 1000, 4);
        assert!(
            (residue - expected).abs() < 0.03,
            "k = {k}: residue {residue:.4}, Demers {expected}"
        );
    }
}

#[test]
fn counter_stops_after_k_sends() {
    let n = 32;
    let mut net = Network::formed_cluster(10, n, |c| {
        c.rumor_stop = StopRule::Counter;
        c.rumor_k = 6;
    });
    net.update(1, "k", "v");
    net.run_until(60 * SECOND, |net| {
        (1..=n).all(|id| net.node(id).hot_rumors() == 0)
    });
    // Each holder sent the rumor exactly 6 times (fanout 2: three rounds).
    let sent: u64 = (1..=n).map(|id| net.node(id).counters().rumors_sent).sum();
    assert_eq!(
        sent,
        6 * holders(&net, n, "k"),
        "every infected node sent it k times"
    );
}

#[test]
fn push_sum_finds_the_average_and_the_size_and_conserves_mass() {
    // Values 1..=40: the average is 20.5.
    let n = 40;
    let mut net = Network::formed_cluster(31, n, |c| c.push_sum = Some(c.id.0 as f64));
    // Half a round past a round: no share is in flight (mass in flight
    // would be missing from the totals).
    net.run_for(30 * SECOND + SECOND / 2);
    let states: Vec<_> = (1..=n)
        .map(|id| net.node(id).state().push_sum.expect("on"))
        .collect();
    let total_sum: f64 = states.iter().map(|p| p.sum).sum();
    let total_weight: f64 = states.iter().map(|p| p.weight).sum();
    assert!(
        (total_sum - 820.0).abs() < 1e-6,
        "sum conserved: {total_sum}"
    );
    assert!(
        (total_weight - 40.0).abs() < 1e-6,
        "weight conserved: {total_weight}"
    );
    for p in &states {
        let estimate = p.estimate.expect("holds weight");
        assert!((estimate - 20.5).abs() < 0.01, "estimate {estimate}");
    }
    // One node holds 1, the others 0: 1 / average is the size.
    let mut net = Network::formed_cluster(32, n, |c| {
        c.push_sum = Some(if c.id.0 == 1 { 1.0 } else { 0.0 })
    });
    net.run_for(40 * SECOND + SECOND / 2);
    let size = 1.0 / net.node(17).state().push_sum.unwrap().estimate.unwrap();
    assert!((size - 40.0).abs() < 0.5, "size estimate {size}");
}
