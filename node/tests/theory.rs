//! The O(log N) claims, checked: simulated spreads against the formulas, at
//! sizes that run in seconds. Each tolerance is at least four standard errors
//! of the measured mean, so a pass is meaningful and a fail is not bad luck.

use gossip_node::core::rumor::Mode;
use gossip_node::core::swim::ProbeOrder;
use gossip_node::sim::epidemic::Epidemic;
use gossip_node::sim::theory::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

fn check(what: &str, values: &[f64], expected: f64, tolerance: f64) {
    let (mean, error) = mean_and_error(values);
    assert!(
        tolerance >= 4.0 * error,
        "{what}: tolerance {tolerance} is less than 4 standard errors ({error:.4})"
    );
    assert!(
        (mean - expected).abs() <= tolerance,
        "{what}: mean {mean:.3}, expected {expected:.3} ± {tolerance}"
    );
}

#[test]
fn push_takes_log2_n_plus_ln_n_rounds() {
    for n in [100, 1_000] {
        let rounds = rounds_to_full(Mode::Push, n, 400, 11);
        check(&format!("push, N = {n}"), &rounds, push_rounds(n), 0.3);
    }
}

#[test]
fn push_pull_takes_about_log3_n_rounds() {
    for &(n, reference) in &PUSH_PULL_REFERENCE[..3] {
        let runs = if n >= 10_000 { 100 } else { 300 };
        let rounds = rounds_to_full(Mode::PushPull, n, runs, 12);
        check(&format!("push-pull, N = {n}"), &rounds, reference, 0.25);
        // And the leading terms of the formula are close to the reference.
        assert!((push_pull_rounds(n) - reference).abs() < 0.2);
    }
}

#[test]
fn pull_sends_the_rumor_n_minus_1_times_and_beats_push() {
    let n = 1_000;
    let pull = Epidemic {
        nodes: n,
        mode: Mode::Pull,
        fanout: 1,
        damping: None,
        loss: 0.0,
        max_rounds: 10_000,
    };
    for seed in 0..50 {
        let spread = pull.run(&mut StdRng::seed_from_u64(seed));
        assert_eq!(spread.transmissions, n as u64 - 1, "seed {seed}");
    }
    let (pull_mean, _) = mean_and_error(&rounds_to_full(Mode::Pull, n, 200, 13));
    let (push_mean, _) = mean_and_error(&rounds_to_full(Mode::Push, n, 200, 13));
    assert!(
        pull_mean < push_mean,
        "pull {pull_mean:.2} rounds, push {push_mean:.2}"
    );
}

#[test]
fn feedback_coin_residue_matches_demers_within_5_percent() {
    for (k, runs) in [(1, 100), (2, 200), (3, 600)] {
        let expected = coin_residue(k);
        let values: Vec<f64> = (0..runs)
            .map(|run| residue(k, 1_000, 1, 1_000 * k as u64 + run))
            .collect();
        check(
            &format!("coin residue, k = {k}"),
            &values,
            expected,
            0.05 * expected,
        );
    }
}

#[test]
fn the_formulas_have_the_textbook_values() {
    assert!((coin_residue(1) - 0.2032).abs() < 1e-4);
    assert!((coin_residue(2) - 0.0595).abs() < 1e-4);
    assert!((coin_residue(3) - 0.0198).abs() < 1e-4);
    assert!(
        (swim_first_detection(1_000_000) - std::f64::consts::E / (std::f64::consts::E - 1.0)).abs()
            < 1e-3
    );
}

#[test]
fn same_seed_same_spread_bit_for_bit() {
    let run = |seed| {
        let epidemic = Epidemic {
            nodes: 5_000,
            mode: Mode::PushPull,
            fanout: 1,
            damping: None,
            loss: 0.1,
            max_rounds: 1_000,
        };
        let spread = epidemic.run(&mut StdRng::seed_from_u64(seed));
        let counts: Vec<u64> = spread.rounds.iter().map(|r| r.informed).collect();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&counts, &mut hasher);
        std::hash::Hasher::finish(&hasher)
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn swim_first_detection_matches_the_paper_within_2_percent() {
    // Full protocol, random probe targets: 16,000 crashes make 4 standard
    // errors fit inside 2 % of the expected ~1.6 periods.
    let n = 32;
    let periods = first_detection_periods(n, ProbeOrder::Random, 16_000, 14);
    let expected = swim_first_detection(n as usize);
    check(
        &format!("SWIM first detection, N = {n}"),
        &periods,
        expected,
        0.02 * expected,
    );
}

#[test]
fn the_mean_field_curves_start_at_one_node_and_reach_everyone() {
    for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
        let curve = expected_informed(mode, 1_000, 40);
        assert!((curve[0] - 0.001).abs() < 1e-12);
        assert!(
            curve.windows(2).all(|w| w[1] >= w[0]),
            "{mode}: never shrinks"
        );
        assert!(curve[40] > 0.999, "{mode}: {}", curve[40]);
    }
    // Push-pull is fastest; pull finishes faster than push (its uninformed
    // fraction squares each round, push's only shrinks by e^{-i}).
    let at = |mode, round| expected_informed(mode, 1_000, round)[round as usize];
    assert!(at(Mode::PushPull, 6) > at(Mode::Push, 6).max(at(Mode::Pull, 6)));
    assert!(1.0 - at(Mode::Pull, 14) < (1.0 - at(Mode::Push, 14)) / 10.0);
}
