//! `gossip-bench` (`make bench`): the figures behind the workshop's claims.
//!
//! 1. **Simulator**: push-pull to full spread at 10^6 and 10^7 nodes (time,
//!    node-rounds per second on one core, peak memory), and the full protocol
//!    detecting a crash among 10,000 nodes.
//! 2. **Live**: real `gossip-node` processes on 127.0.0.1 — time from an
//!    update to every node holding it, time until every node marks a
//!    SIGKILLed node dead, memory and idle CPU per node — for 4 and 32 nodes.
//! 3. **Serf**, the real peer, measured the same way at the same timings
//!    (memberlist's LAN profile), printed beside ours with the ratios.
//!
//! Figures, not verdicts: nothing here fails because something was slow.
//! The benchmark only ever kills processes it started, by pid.

mod cluster;
mod ours;
mod serf;
mod sim;
mod stats;
mod systems;
mod tail;

use anyhow::Result;
use clap::Parser;
use cluster::median;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::process::ExitCode;
use std::time::Duration;
use systems::System;

#[derive(Parser)]
#[command(
    name = "gossip-bench",
    version,
    about = "Measure the simulator, the live cluster and Serf"
)]
struct Args {
    /// Live cluster sizes.
    #[arg(long, value_delimiter = ',', default_value = "4,32")]
    nodes: Vec<usize>,
    /// Fresh clusters per size and system (one crash detected in each).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Nodes killed one after another in each cluster of 8 or more
    /// (at most one in eight of them); one in smaller clusters.
    #[arg(long, default_value_t = 3)]
    kills: usize,
    /// Updates timed in each of those clusters.
    #[arg(long, default_value_t = 10)]
    trials: usize,
    /// Seconds of quiet over which memory and idle CPU are measured.
    #[arg(long, default_value_t = 10)]
    idle_seconds: u64,
    /// Leave out the simulator figures.
    #[arg(long)]
    skip_sim: bool,
    /// Leave out Serf.
    #[arg(long)]
    skip_serf: bool,
    /// Leave out the row of our node with the levers (`LEVERS`).
    #[arg(long)]
    skip_levers: bool,
    /// A row for each lever alone (and one with Lifeguard off) instead of
    /// the levers together: what each one buys.
    #[arg(long)]
    each_lever: bool,
    /// Leave out the 10,000-node full-protocol run (it needs ~5 GB of memory).
    #[arg(long)]
    skip_big: bool,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// At least this many kills timed per size and system: more fresh
    /// clusters are made when `runs` clusters would give fewer.
    #[arg(long, default_value_t = 15)]
    min_kills: usize,
    /// At least this many updates timed per size and system.
    #[arg(long, default_value_t = 40)]
    min_updates: usize,
}

/// Nodes killed one after another in one cluster of `n`.
fn kills_per_cluster(args: &Args, n: usize) -> usize {
    args.kills.min(n / 8).max(1)
}

/// Fresh clusters per system at size `n`: enough for the minimum samples.
fn runs_for(args: &Args, n: usize) -> usize {
    let for_kills = args.min_kills.div_ceil(kills_per_cluster(args, n));
    let for_updates = args.min_updates.div_ceil(args.trials.max(1));
    args.runs.max(for_kills).max(for_updates)
}

/// The live figures of one system at one size.
#[derive(Default)]
struct Live {
    propagation: Vec<Duration>,
    /// Updates that some node never logged within 60 s.
    missed: Vec<String>,
    detection: Vec<Duration>,
    rss_bytes: f64,
    idle_cpu: f64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gossip-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    if !args.skip_serf {
        serf::ensure_installed()?;
    }
    let systems = systems::chosen(!args.skip_levers, args.each_lever, !args.skip_serf);
    let sim_steps = if args.skip_sim { 0 } else { 3 };
    let live_steps: usize =
        args.nodes.iter().map(|n| runs_for(args, *n)).sum::<usize>() * systems.len();
    let bar = ProgressBar::new((sim_steps + live_steps) as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {elapsed} {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));

    if !args.skip_sim {
        simulator(args, &bar)?;
    }

    let dir = gossip_testkit::harness::scratch_dir("bench");
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut results = Vec::new();
    for &n in &args.nodes {
        // The systems take turns, cluster by cluster, so a slow moment of the
        // machine falls on both alike.
        let mut lives: Vec<Live> = systems.iter().map(|_| Live::default()).collect();
        let runs = runs_for(args, n);
        for run in 0..runs {
            for (&system, live) in systems.iter().zip(lives.iter_mut()) {
                let step = format!("{} x {n}, cluster {} of {runs}", system.name(), run + 1);
                if bar.is_hidden() {
                    // No terminal (a log, CI): a line per cluster instead of the bar.
                    eprintln!("  {step}");
                }
                bar.set_message(step);
                measure_cluster(args, system, n, run, &dir, &mut rng, live)?;
                bar.inc(1);
            }
        }
        for (&system, live) in systems.iter().zip(lives) {
            let summary = format!(
                "  {} x {n}: update everywhere {:.0} ms, dead everywhere {:.2} s (medians)",
                system.name(),
                median(&live.propagation).unwrap_or(f64::NAN) * 1e3,
                median(&live.detection).unwrap_or(f64::NAN),
            );
            bar.suspend(|| eprintln!("{summary}"));
            results.push((n, system, live));
        }
    }
    bar.finish_and_clear();
    print_live(args, &systems, &results);
    Ok(())
}

/// One fresh cluster: form it, weigh it when idle (first cluster only), time
/// `trials` updates, then kill nodes one at a time and time each detection.
fn measure_cluster(
    args: &Args,
    system: System,
    n: usize,
    run: usize,
    dir: &std::path::Path,
    rng: &mut StdRng,
    live: &mut Live,
) -> Result<()> {
    // Each cluster keeps its logs in its own folder, for a look afterwards.
    let run_dir = dir.join(format!("{}-{n}-{}", system.name(), run + 1));
    std::fs::create_dir_all(&run_dir)?;
    let mut cluster = system.start(&run_dir, n)?;
    cluster::wait_formed(cluster.as_mut(), Duration::from_secs(90))?;
    std::thread::sleep(Duration::from_secs(2));
    if run == 0 {
        let window = Duration::from_secs(args.idle_seconds.max(1));
        (live.rss_bytes, live.idle_cpu) = cluster::idle(cluster.as_ref(), window)?;
    }
    let label = format!("{}-{n}-{run}", system.name());
    live.propagation.extend(cluster::propagation(
        cluster.as_mut(),
        args.trials,
        &label,
        rng,
        &mut live.missed,
    )?);
    // Several crashes in a big cluster, one at a time, from the highest id
    // down; each lands at a random moment.
    let kills = kills_per_cluster(args, n);
    for victim in (n - kills..n).rev() {
        live.detection
            .push(cluster::detection(cluster.as_mut(), victim)?);
        std::thread::sleep(Duration::from_millis(rng.random_range(0..1_000)));
    }
    Ok(())
}

fn simulator(args: &Args, bar: &ProgressBar) -> Result<()> {
    let mut lines = vec!["simulator (one core; push-pull, fanout 1, to full spread)".to_owned()];
    lines.push(format!(
        "  {:>12} {:>8} {:>10} {:>16} {:>14} {:>12}",
        "nodes", "rounds", "time", "node-rounds/s", "peak memory", "per node"
    ));
    for nodes in [1_000_000u64, 10_000_000] {
        bar.set_message(format!("simulating push-pull at {nodes} nodes"));
        let run = sim::spread(nodes)?;
        bar.inc(1);
        let memory = run.peak_rss_bytes.unwrap_or(0) as f64;
        lines.push(format!(
            "  {:>12} {:>8} {:>9.2}s {:>14.1} M {:>11.1} MB {:>10.1} B",
            nodes,
            run.full_at.map_or("-".into(), |r| r.to_string()),
            run.wall_s,
            run.node_rounds_per_s / 1e6,
            memory / 1e6,
            memory / nodes as f64
        ));
        lines.push(format!("  {:>12} messages: {}", "", run.messages));
    }
    if !args.skip_big {
        bar.set_message("full protocol, 10,000 nodes, one crash");
        let run = sim::crash(10_000)?;
        bar.inc(1);
        lines.push("full protocol (membership, SWIM, anti-entropy), 10,000 nodes:".into());
        lines.push(format!(
            "  crashed node dead in every view after {} virtual s; the write everywhere after {} s",
            run.all_dead_s.map_or("never".into(), |s| format!("{s:.1}")),
            run.write_everywhere_s
                .map_or("never".into(), |s| format!("{s:.1}")),
        ));
        lines.push(format!(
            "  {} messages; wall time {:.1} s (build {:.1} s + run {:.1} s); peak memory {:.2} GB",
            run.messages,
            run.wall_setup_s + run.wall_run_s,
            run.wall_setup_s,
            run.wall_run_s,
            run.peak_rss_bytes.unwrap_or(0) as f64 / 1e9
        ));
    } else {
        bar.inc(1);
    }
    bar.suspend(|| {
        for line in lines {
            println!("{line}");
        }
        println!();
    });
    Ok(())
}

fn print_live(args: &Args, systems: &[System], results: &[(usize, System, Live)]) {
    println!("live, real processes on 127.0.0.1: gossip every 200 ms to 3, probe every 1 s (timeout 500 ms), multipliers 4");
    println!("  {}", systems::describe(systems));
    println!(
        "  per size and system: at least {} kills and {} updates ({} updates per fresh cluster; \
         up to {} kills one after another in clusters of 8 or more); medians with 95 % bootstrap intervals",
        args.min_kills, args.min_updates, args.trials, args.kills
    );
    // Each column as wide as its head: rows of ours have long names.
    let col = systems
        .iter()
        .map(|s| s.name().len() + 2)
        .max()
        .unwrap_or(0)
        .max(30);
    let ratio = systems
        .iter()
        .map(|s| s.short().len() + 16)
        .max()
        .unwrap_or(0)
        .max(26);
    let mut header = format!("  {:<30}", "");
    for system in systems {
        header.push_str(&format!("{:>col$}", system.name()));
    }
    // One ratio column per other row, against the baseline.
    let base = systems::baseline(systems);
    let others: Vec<usize> = (0..systems.len()).filter(|i| Some(*i) != base).collect();
    if let Some(base) = base {
        for i in &others {
            let head = format!("{}/{} [95 %]", systems[*i].short(), systems[base].short());
            header.push_str(&format!("{head:>ratio$}"));
        }
    }
    println!("{header}");
    let rtt = loopback_round_trip();
    for &n in &args.nodes {
        let lives: Vec<&Live> = systems
            .iter()
            .filter_map(|s| results.iter().find(|(m, t, _)| *m == n && t == s))
            .map(|(_, _, live)| live)
            .collect();
        // A timed row: each system's median [interval] (samples), then the
        // ratio of medians and its interval.
        let timed_row =
            |label: &str, values: &dyn Fn(&Live) -> Vec<f64>, scale: f64, unit: &str| {
                let digits = if scale > 1.0 { 0 } else { 2 };
                let mut line = format!("  {:<30}", format!("{n} nodes, {label}"));
                let samples: Vec<Vec<f64>> = lives.iter().map(|l| values(l)).collect();
                for (i, values) in samples.iter().enumerate() {
                    let shown = match (
                        stats::median(values),
                        stats::median_interval(values, i as u64),
                    ) {
                        (Some(mid), Some((lo, hi))) => format!(
                            "{:.digits$} [{:.digits$}-{:.digits$}] {unit} ({})",
                            mid * scale,
                            lo * scale,
                            hi * scale,
                            values.len()
                        ),
                        _ => "-".to_owned(),
                    };
                    line.push_str(&format!("{shown:>col$}"));
                }
                if let Some(base) = base {
                    let under = &samples[base];
                    for &i in &others {
                        let seed = n as u64 * 10 + i as u64;
                        let over = &samples[i];
                        let shown = match (
                            stats::median(over),
                            stats::median(under),
                            stats::ratio_interval(over, under, seed),
                        ) {
                            (Some(o), Some(s), Some((lo, hi))) => {
                                format!("{:.2} [{lo:.2}-{hi:.2}]", o / s)
                            }
                            _ => "-".to_owned(),
                        };
                        line.push_str(&format!("{shown:>ratio$}"));
                    }
                }
                println!("{line}");
            };
        let secs = |d: &[Duration]| d.iter().map(Duration::as_secs_f64).collect::<Vec<_>>();
        timed_row("update everywhere", &|l| secs(&l.propagation), 1e3, "ms");
        timed_row("killed node dead", &|l| secs(&l.detection), 1.0, "s");
        let mut line = format!("  {:<30}", format!("{n} nodes, updates not all arrived"));
        for live in &lives {
            let tried = live.propagation.len() + live.missed.len();
            line.push_str(&format!(
                "{:>col$}",
                format!("{} of {tried}", live.missed.len())
            ));
        }
        println!("{line}");
        let plain_row = |label: &str, figure: &dyn Fn(&Live) -> (f64, String)| {
            let mut line = format!("  {:<30}", format!("{n} nodes, {label}"));
            let figures: Vec<(f64, String)> = lives.iter().map(|l| figure(l)).collect();
            for (_, shown) in &figures {
                line.push_str(&format!("{shown:>col$}"));
            }
            if let Some(base) = base {
                for &i in &others {
                    line.push_str(&format!("{:>ratio$.2}", figures[i].0 / figures[base].0));
                }
            }
            println!("{line}");
        };
        plain_row("memory (RSS) per node", &|l| {
            (l.rss_bytes, format!("{:.1} MB", l.rss_bytes / 1e6))
        });
        plain_row("idle CPU per node", &|l| {
            (l.idle_cpu, format!("{:.2} %", l.idle_cpu * 100.0))
        });
        // The floor under any gossip: every informed node tells 3 more at
        // once, so the news needs ceil(log4 n) hops, each a loopback trip.
        let hops = (n as f64).log(4.0).ceil().max(1.0);
        if let Some(rtt) = rtt {
            println!(
                "  {:<30}{:>30}",
                format!("{n} nodes, physical limit"),
                format!(
                    "{:.2} ms ({hops:.0} hops x {:.0} us loopback)",
                    hops * rtt * 1e3,
                    rtt * 1e6
                )
            );
        }
    }
    println!("  (times from the request to the last node; updates watched in each node's log, deaths by polling members)");
}

/// The median round trip of one byte over a loopback TCP connection, in
/// seconds, over 500 trips.
fn loopback_round_trip() -> Option<f64> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
    let addr = listener.local_addr().ok()?;
    let echo = std::thread::spawn(move || -> Option<()> {
        let (mut socket, _) = listener.accept().ok()?;
        let mut byte = [0u8; 1];
        while socket.read_exact(&mut byte).is_ok() {
            socket.write_all(&byte).ok()?;
        }
        Some(())
    });
    let mut socket = std::net::TcpStream::connect(addr).ok()?;
    socket.set_nodelay(true).ok()?;
    let mut trips = Vec::with_capacity(500);
    let mut byte = [7u8; 1];
    for _ in 0..500 {
        let started = std::time::Instant::now();
        socket.write_all(&byte).ok()?;
        socket.read_exact(&mut byte).ok()?;
        trips.push(started.elapsed().as_secs_f64());
    }
    drop(socket);
    let _ = echo.join();
    stats::median(&trips)
}
