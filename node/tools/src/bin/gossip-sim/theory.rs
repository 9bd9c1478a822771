//! `gossip-sim theory`: the measured figures next to the formulas.

use crate::progress;
use gossip_node::core::broadcast::{retransmit_limit, suspicion_timeout};
use gossip_node::core::rumor::Mode;
use gossip_node::core::swim::ProbeOrder;
use gossip_node::sim::theory::*;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// Runs per spread measurement (the SWIM check uses 40 times as many).
    #[arg(long, default_value_t = 400)]
    runs: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(Args { runs, seed }: Args) {
    let runs = runs.max(2);
    println!("rounds to full spread, fanout 1, {runs} runs each (mean ± standard error)");
    println!(
        "{:>10} {:>10} {:>16} {:>10} {:>8}",
        "mode", "N", "measured", "formula", "diff"
    );
    let sizes = [100usize, 1_000, 10_000];
    let bar = progress::bar(sizes.len() as u64 * 3, "spreads", false);
    for n in sizes {
        for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
            let (mean, error) = mean_and_error(&rounds_to_full(mode, n, runs, seed));
            bar.inc(1);
            let formula = match mode {
                Mode::Push => Some(push_rounds(n)),
                Mode::PushPull => PUSH_PULL_REFERENCE
                    .iter()
                    .find(|(m, _)| *m == n)
                    .map(|(_, r)| *r),
                Mode::Pull | Mode::Plumtree => None,
            };
            let (shown, diff) = match formula {
                Some(f) => (format!("{f:.2}"), format!("{:+.2}", mean - f)),
                None => ("-".into(), "-".into()),
            };
            bar.suspend(|| {
                println!(
                    "{:>10} {:>10} {:>10.2} ± {:<4.2} {:>10} {:>8}",
                    mode.to_string(),
                    n,
                    mean,
                    error,
                    shown,
                    diff
                )
            });
        }
    }
    bar.finish_and_clear();
    println!("push: log2 N + ln N + 1.1; push-pull: reference means (≈ log3 N + log2 ln N)");
    println!();
    println!(
        "rumor mongering, push, feedback coin, N = 1000: residue vs Demers' s = e^(-(k+1)(1-s))"
    );
    for k in 1..=3 {
        let measured = residue(k, 1_000, runs, seed);
        let expected = coin_residue(k);
        println!(
            "  k = {k}: measured {measured:.4}, Demers {expected:.4} ({:+.1} %)",
            100.0 * (measured - expected) / expected
        );
    }
    println!();
    let swim_runs = runs * 40;
    println!(
        "SWIM, random probe targets, periods until a crashed member is first probed \
         ({swim_runs} crashes on the full protocol) vs 1/(1-(1-1/(N-1))^(N-1))"
    );
    let bar = progress::bar(2, "crashes", false);
    for n in [8u64, 32] {
        let (mean, error) = mean_and_error(&first_detection_periods(
            n,
            ProbeOrder::Random,
            swim_runs,
            seed,
        ));
        bar.inc(1);
        let expected = swim_first_detection(n as usize);
        bar.suspend(|| {
            println!(
                "  N = {n:>2}: measured {mean:.3} ± {error:.3}, formula {expected:.3} ({:+.1} %)",
                100.0 * (mean - expected) / expected
            )
        });
    }
    bar.finish_and_clear();
    println!(
        "  (the limit for large N is e/(e-1) = {:.3})",
        std::f64::consts::E / (std::f64::consts::E - 1.0)
    );
    println!();
    println!("memberlist's formulas, multipliers 4, 1 s period:");
    println!(
        "{:>8} {:>18} {:>20}",
        "N", "retransmit limit", "suspicion timeout"
    );
    for n in [4usize, 100, 1_000, 10_000] {
        let timeout = suspicion_timeout(4, n, Duration::from_secs(1));
        println!(
            "{n:>8} {:>18} {:>19.1}s",
            retransmit_limit(4, n),
            timeout.as_secs_f64()
        );
    }
}
