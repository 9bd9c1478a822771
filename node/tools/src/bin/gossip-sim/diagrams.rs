//! `gossip-sim diagrams`: the README's charts, from fresh simulations.
//!
//! Every point is measured on the simulator (the same core as the live
//! nodes); every dashed line is a formula from [`gossip_node::sim::theory`].

use crate::chart::{Chart, Look, Series, BLUE, GREEN, GREY, ORANGE, PURPLE};
use crate::progress;
use gossip_node::core::rumor::Mode;
use gossip_node::core::rumor::{Damping, StopRule};
use gossip_node::core::swim::ProbeOrder;
use gossip_node::sim::detection::{crash_detection, Conditions};
use gossip_node::sim::epidemic::Epidemic;
use gossip_node::sim::theory::*;
use plotters::prelude::SeriesLabelPosition;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write the SVG files into.
    #[arg(long, default_value = "docs")]
    out: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fewer runs and smaller clusters: the same charts in seconds, noisier.
    #[arg(long)]
    quick: bool,
}

/// How much work the charts do.
struct Effort {
    runs: u64,
    largest: usize,
    detection_runs: u64,
    crash_sizes: Vec<u64>,
}

const MODES: [(Mode, plotters::style::RGBColor); 3] = [
    (Mode::Push, BLUE),
    (Mode::Pull, ORANGE),
    (Mode::PushPull, GREEN),
];

pub fn run(args: Args) -> ExitCode {
    let effort = if args.quick {
        Effort {
            runs: 10,
            largest: 10_000,
            detection_runs: 200,
            crash_sizes: vec![10, 30, 100],
        }
    } else {
        Effort {
            runs: 100,
            largest: 1_000_000,
            detection_runs: 4_000,
            crash_sizes: vec![10, 30, 100, 300, 1_000, 3_000],
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("gossip-sim: cannot create {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    type Draw<'a> = &'a dyn Fn(&Path) -> Result<(), String>;
    let charts: [(&str, Draw); 5] = [
        ("s-curve.svg", &|p| s_curve(p, &effort, args.seed)),
        ("rounds-vs-n.svg", &|p| {
            rounds_vs_n(p, &effort, args.seed, Measure::Rounds)
        }),
        ("messages-per-node.svg", &|p| {
            rounds_vs_n(p, &effort, args.seed, Measure::Messages)
        }),
        ("residue-vs-k.svg", &|p| residue_vs_k(p, &effort, args.seed)),
        ("detection-vs-n.svg", &|p| {
            detection_vs_n(p, &effort, args.seed)
        }),
    ];
    let bar = progress::bar(charts.len() as u64, "charts", false);
    for (name, draw) in charts {
        let path = args.out.join(name);
        if let Err(e) = draw(&path) {
            bar.finish_and_clear();
            eprintln!("gossip-sim: {e}");
            return ExitCode::FAILURE;
        }
        bar.inc(1);
        bar.suspend(|| println!("wrote {}", path.display()));
    }
    bar.finish_and_clear();
    ExitCode::SUCCESS
}

/// Fraction informed per round: the mean of many runs, against the mean-field curve.
fn s_curve(path: &Path, effort: &Effort, seed: u64) -> Result<(), String> {
    let n = 10_000;
    let rounds = 26;
    let mut series = Vec::new();
    for (mode, color) in MODES {
        let mut sum = vec![0.0; rounds + 1];
        for run in 0..effort.runs {
            let spread = epidemic(mode, n, None).run(&mut StdRng::seed_from_u64(seed + run));
            sum[0] += 1.0 / n as f64;
            for (r, slot) in sum.iter_mut().enumerate().skip(1) {
                let informed = spread.rounds.get(r - 1).map_or(n as u64, |x| x.informed);
                *slot += informed as f64 / n as f64;
            }
        }
        let measured = sum.iter().enumerate();
        series.push(Series {
            name: format!("{mode}, measured"),
            points: measured
                .map(|(r, s)| (r as f64, s / effort.runs as f64))
                .collect(),
            color,
            look: Look::Measured,
        });
        let expected = expected_informed(mode, n, rounds as u32);
        series.push(Series {
            name: format!("{mode}, mean-field theory"),
            points: expected
                .iter()
                .enumerate()
                .map(|(r, i)| (r as f64, *i))
                .collect(),
            color,
            look: Look::Theory,
        });
    }
    Chart {
        title: "The epidemic S-curve: fraction informed, N = 10,000, fanout 1",
        x_desc: "round",
        y_desc: "fraction informed",
        x: 0.0..rounds as f64,
        y: 0.0..1.02,
        log_x: false,
        log_y: false,
        legend: SeriesLabelPosition::LowerRight,
    }
    .draw(path, &series)
}

/// What [`rounds_vs_n`] plots.
#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Rounds,
    Messages,
}

/// Against N, for the three modes: the rounds until everyone knows, or the
/// messages each node sent (all of them, and those carrying the rumor).
fn rounds_vs_n(path: &Path, effort: &Effort, seed: u64, measure: Measure) -> Result<(), String> {
    let sizes: Vec<usize> = [100, 1_000, 10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|n| *n <= effort.largest)
        .collect();
    let mut series = Vec::new();
    for (mode, color) in MODES {
        let (mut rounds, mut sent, mut carried) = (Vec::new(), Vec::new(), Vec::new());
        for &n in &sizes {
            let runs = (effort.runs * 1_000 / n as u64).clamp(3, effort.runs);
            let spreads: Vec<_> = (0..runs)
                .map(|run| epidemic(mode, n, None).run(&mut StdRng::seed_from_u64(seed + run)))
                .collect();
            let mean = |f: &dyn Fn(&gossip_node::sim::Spread) -> f64| {
                spreads.iter().map(f).sum::<f64>() / runs as f64
            };
            let x = n as f64;
            rounds.push((x, mean(&|s| s.full_at.unwrap_or(0) as f64)));
            sent.push((x, mean(&|s| s.messages as f64 / x)));
            carried.push((x, mean(&|s| s.transmissions as f64 / x)));
        }
        let measured = |name: String, points, look| Series {
            name,
            points,
            color,
            look,
        };
        if measure == Measure::Rounds {
            series.push(measured(
                format!("{mode}, measured"),
                rounds,
                Look::Measured,
            ));
        } else {
            series.push(measured(
                format!("{mode}: messages sent"),
                sent,
                Look::Measured,
            ));
            series.push(measured(
                format!("{mode}: copies of the rumor"),
                carried,
                Look::Theory,
            ));
        }
    }
    let x = 80.0..1.25 * *sizes.last().expect("sizes") as f64;
    if measure == Measure::Messages {
        return Chart {
            title: "Messages per node until everyone knows (fanout 1)",
            x_desc: "nodes N (log scale)",
            y_desc: "per node",
            x,
            y: 0.0..26.0,
            log_x: true,
            log_y: false,
            legend: SeriesLabelPosition::UpperLeft,
        }
        .draw(path, &series);
    }
    let line = |f: fn(usize) -> f64| sizes.iter().map(|&n| (n as f64, f(n))).collect();
    series.push(Series {
        name: "push: log2 N + ln N + 1.1 (Pittel)".into(),
        points: line(push_rounds),
        color: BLUE,
        look: Look::Theory,
    });
    series.push(Series {
        name: "push-pull: log3 N + log2 ln N (Karp et al.)".into(),
        points: line(push_pull_rounds),
        color: GREEN,
        look: Look::Theory,
    });
    Chart {
        title: "Rounds until everyone knows: O(log N)",
        x_desc: "nodes N (log scale)",
        y_desc: "rounds to full spread",
        x,
        y: 0.0..36.0,
        log_x: true,
        log_y: false,
        legend: SeriesLabelPosition::UpperLeft,
    }
    .draw(path, &series)
}

/// Rumor mongering: the share of nodes that never hear, against k.
fn residue_vs_k(path: &Path, effort: &Effort, seed: u64) -> Result<(), String> {
    let n = 1_000;
    let ks = 1..=5u32;
    let measured = |rule: StopRule| -> Vec<(f64, f64)> {
        ks.clone()
            .map(|k| {
                let epidemic = epidemic(Mode::Push, n, Some(Damping::new(rule, k)));
                let total: f64 = (0..effort.runs * 4)
                    .map(|run| epidemic.run(&mut StdRng::seed_from_u64(seed + run)).residue)
                    .sum();
                // A residue of 0 cannot go on a log axis: floor it at 1/(N × runs).
                let floor = 1.0 / (n as f64 * effort.runs as f64 * 4.0);
                (k as f64, (total / (effort.runs * 4) as f64).max(floor))
            })
            .collect()
    };
    let series = vec![
        Series {
            name: "feedback coin, measured".into(),
            points: measured(StopRule::Coin),
            color: BLUE,
            look: Look::Measured,
        },
        Series {
            name: "coin: s = e^(-(k+1)(1-s)) (Demers et al.)".into(),
            points: ks.clone().map(|k| (k as f64, coin_residue(k))).collect(),
            color: BLUE,
            look: Look::Theory,
        },
        Series {
            // With fanout 1 a node sends once a round: the two blind rules agree.
            name: "blind: stop after k rounds (= k sends at fanout 1), measured".into(),
            points: measured(StopRule::Rounds),
            color: PURPLE,
            look: Look::Measured,
        },
    ];
    Chart {
        title: "Rumor mongering: who never hears (push, fanout 1, N = 1,000)",
        x_desc: "k of the stop rule",
        y_desc: "residue (log scale)",
        x: 0.8..5.2,
        y: 1e-3..1.0,
        log_x: false,
        log_y: true,
        legend: SeriesLabelPosition::UpperRight,
    }
    .draw(path, &series)
}

/// SWIM: periods until a crash is first noticed, and until every node has
/// marked it dead, against N.
fn detection_vs_n(path: &Path, effort: &Effort, seed: u64) -> Result<(), String> {
    let small = [4u64, 8, 16, 32, 64, 128];
    let first = |order| -> Vec<(f64, f64)> {
        small
            .iter()
            .map(|&n| {
                let runs = effort.detection_runs * 32 / n.max(32);
                let (mean, _) = mean_and_error(&first_detection_periods(n, order, runs, seed));
                (n as f64, mean)
            })
            .collect()
    };
    let all_dead: Vec<(f64, f64)> = effort
        .crash_sizes
        .iter()
        .map(|&n| {
            let run = crash_detection(n, seed, Conditions::default(), |_| {}, |_| {});
            (n as f64, run.all_dead_s.unwrap_or(f64::NAN))
        })
        .collect();
    let suspicion = |n: u64| 4.0 * (n as f64).log10().max(1.0);
    let largest = *effort.crash_sizes.last().expect("sizes") as f64;
    let series = vec![
        Series {
            name: "first probe of the crashed node, random targets".into(),
            points: first(ProbeOrder::Random),
            color: BLUE,
            look: Look::Measured,
        },
        Series {
            name: "1/(1-(1-1/(N-1))^(N-1)) (SWIM paper)".into(),
            points: small
                .iter()
                .map(|&n| (n as f64, swim_first_detection(n as usize)))
                .collect(),
            color: BLUE,
            look: Look::Theory,
        },
        Series {
            name: "first probe, shuffled round robin (default)".into(),
            points: first(ProbeOrder::RoundRobin),
            color: ORANGE,
            look: Look::Measured,
        },
        Series {
            name: "dead in every view (full protocol, round robin)".into(),
            points: all_dead,
            color: GREEN,
            look: Look::Measured,
        },
        Series {
            name: "suspicion timeout 4 max(1, log10 N)".into(),
            points: effort
                .crash_sizes
                .iter()
                .map(|&n| (n as f64, suspicion(n)))
                .collect(),
            color: GREY,
            look: Look::Theory,
        },
    ];
    Chart {
        title: "SWIM failure detection, 1 s protocol period",
        x_desc: "nodes N (log scale)",
        y_desc: "protocol periods (= seconds)",
        x: 3.0..largest * 1.3,
        y: 0.0..26.0,
        log_x: true,
        log_y: false,
        legend: SeriesLabelPosition::UpperLeft,
    }
    .draw(path, &series)
}

fn epidemic(mode: Mode, nodes: usize, damping: Option<Damping>) -> Epidemic {
    Epidemic {
        nodes,
        mode,
        fanout: 1,
        damping,
        loss: 0.0,
        max_rounds: 10_000,
    }
}
