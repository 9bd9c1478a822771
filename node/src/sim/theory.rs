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
use crate::core::dissemination::Mode;
use crate::core::rumor::{Damping, StopRule};
use rand::rngs::StdRng;
use rand::SeedableRng;

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
