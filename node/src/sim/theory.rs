//! The workshop's claims, measured: the simulator against the formulas.
//!
//! * push, fanout 1: rounds to full spread ≈ log2 N + ln N (Pittel 1987);
//! * push-pull: ≈ log3 N + O(log log N) (Karp et al. 2000), reference means
//!   measured for this synchronous model;
//! * pull: exactly N − 1 transmissions of the rumor, and fewer rounds than push;
//! * rumor mongering with the feedback coin: residue s = e^{-(k+1)(1-s)}
//!   (Demers et al. 1987);
//! * SWIM: the expected number of protocol periods until a crashed member is
//!   first probed is 1 / (1 − (1 − 1/(N−1))^(N−1)) → e/(e−1) ≈ 1.582.

use super::epidemic::Epidemic;
use super::network::Network;
use crate::core::rumor::Mode;
use crate::core::rumor::{Damping, StopRule};
use crate::core::swim::ProbeOrder;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

/// Mean and standard error of a sample.
pub fn mean_and_error(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (variance / n).sqrt())
}

/// Push-pull reference means (rounds to full spread, fanout 1).
pub const PUSH_PULL_REFERENCE: [(usize, f64); 4] = [
    (100, 6.53),
    (1_000, 9.15),
    (10_000, 11.61),
    (1_000_000, 16.29),
];

/// log2 N + ln N + 1.1: push rounds to full spread, fanout 1.
pub fn push_rounds(n: usize) -> f64 {
    let n = n as f64;
    n.log2() + n.ln() + 1.1
}

/// log3 N + log2 ln N: the leading terms for push-pull.
pub fn push_pull_rounds(n: usize) -> f64 {
    let n = n as f64;
    n.ln() / 3f64.ln() + n.ln().log2()
}

/// Demers' residue for the feedback coin: the root of s = e^{-(k+1)(1-s)} in (0, 1).
pub fn coin_residue(k: u32) -> f64 {
    let mut s = 0.5f64;
    for _ in 0..200 {
        s = (-(k as f64 + 1.0) * (1.0 - s)).exp();
    }
    s
}

/// Expected protocol periods until a crashed member is first probed by someone.
pub fn swim_first_detection(n: usize) -> f64 {
    let m = (n - 1) as f64;
    1.0 / (1.0 - (1.0 - 1.0 / m).powf(m))
}

/// Rounds to full spread over `runs` seeded runs, fanout 1, no stop rule.
pub fn rounds_to_full(mode: Mode, nodes: usize, runs: u64, seed: u64) -> Vec<f64> {
    let epidemic = Epidemic {
        nodes,
        mode,
        fanout: 1,
        damping: None,
        loss: 0.0,
        max_rounds: 10_000,
    };
    (0..runs)
        .map(|run| {
            let mut rng = StdRng::seed_from_u64(seed.wrapping_add(run));
            epidemic
                .run(&mut rng)
                .full_at
                .expect("an undamped epidemic reaches everyone") as f64
        })
        .collect()
}

/// Mean residue of push rumor mongering with the feedback coin.
pub fn residue(k: u32, nodes: usize, runs: u64, seed: u64) -> f64 {
    let epidemic = Epidemic {
        nodes,
        mode: Mode::Push,
        fanout: 1,
        damping: Some(Damping::new(StopRule::Coin, k)),
        loss: 0.0,
        max_rounds: 100_000,
    };
    let total: f64 = (0..runs)
        .map(|run| {
            epidemic
                .run(&mut StdRng::seed_from_u64(seed.wrapping_add(run)))
                .residue
        })
        .sum();
    total / runs as f64
}

/// Protocol periods until a crashed member is first probed, measured on the
/// full protocol (SWIM with `order`; the formula is for random targets): per
/// run, a fresh cluster of
/// `nodes`, one member crashed at a random moment, and the count of protocol
/// periods (of the node that got there first) until a ping finds it silent.
/// Gossip rounds are switched off so only probes can reach the crashed member.
pub fn first_detection_periods(nodes: u64, order: ProbeOrder, runs: u64, seed: u64) -> Vec<f64> {
    let period = Duration::from_secs(1);
    (0..runs)
        .map(|run| {
            let run_seed = seed.wrapping_mul(1_000_003).wrapping_add(run);
            let mut net = Network::formed_cluster(run_seed, nodes, |config| {
                config.interval = Duration::from_secs(3600);
                config.swim.probe_interval = period;
                config.swim.probe_order = order;
            });
            net.set_latency(Duration::ZERO, Duration::ZERO);
            let mut rng = StdRng::seed_from_u64(run_seed);
            // Every node's first period starts within one period of its start.
            net.run_for(period.mul_f64(1.0 + rng.random::<f64>()));
            net.crash(rng.random_range(1..=nodes));
            let blocked = net.stats.blocked;
            let took = net
                .run_until(period * 1000, |net| net.stats.blocked > blocked)
                .expect("some member probes the crashed one");
            (took.as_secs_f64() / period.as_secs_f64()).ceil()
        })
        .collect()
}

/// The mean-field S-curves: the expected fraction informed after each of
/// `rounds` rounds, fanout 1, starting from one node of `n`. An uninformed
/// node stays uninformed through a round if no push reaches it (e^{-i}) and,
/// when pulling, if the member it asks is uninformed too (s).
pub fn expected_informed(mode: Mode, n: usize, rounds: u32) -> Vec<f64> {
    expected_informed_with_fanout(mode, n, 1, rounds)
}

/// [`expected_informed`] with `fanout` peers a round: a push reaches an
/// uninformed node unless all of the informed nodes' `fanout` pushes miss it
/// (e^{-fanout·i}), and a pull brings nothing only if all `fanout` members
/// asked are uninformed (s^fanout). The visualizer draws this curve beside
/// the measured one.
pub fn expected_informed_with_fanout(mode: Mode, n: usize, fanout: usize, rounds: u32) -> Vec<f64> {
    let n = n.max(1);
    let f = fanout.max(1) as f64;
    let mut informed = 1.0 / n as f64;
    let mut curve = vec![informed];
    for _ in 0..rounds {
        let s = 1.0 - informed;
        let missed_push = if mode.pushes() {
            (-f * informed).exp()
        } else {
            1.0
        };
        let missed_pull = if mode.pulls() { s.powf(f) } else { 1.0 };
        informed = 1.0 - s * missed_push * missed_pull;
        curve.push(informed);
    }
    curve
}
