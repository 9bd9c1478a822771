//! `gossip-gray` (`make gray`): gray failure on real processes, with and
//! without Lifeguard, side by side.
//!
//! Two clusters of `gossip-node` processes run at once on 127.0.0.1, one
//! with `--lifeguard on`, one with `--lifeguard off`, under the same
//! trouble: injected message loss on every node, and one node stopped with
//! SIGSTOP for a few seconds at regular intervals (alive, but silent: a
//! stalled process). Two thirds into the run one other node of each cluster
//! is SIGKILLed. Every node's `/state` is read four times a second, and the
//! tool counts:
//!
//! * **false deaths**: a node that was running declared dead by some node
//!   (each member and incarnation counted once, however many nodes say it);
//!   the paused node is counted apart from the healthy ones;
//! * **detection**: how long until every other running node holds the
//!   killed one dead.
//!
//! Figures, not verdicts: nothing here fails because of what it measures.

use anyhow::{Context, Result};
use clap::Parser;
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::NodeState;
use gossip_testkit::harness::{scratch_dir, sheet_ports, start_sheet_cluster, Process};
use std::collections::BTreeSet;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "gossip-gray",
    version,
    about = "False deaths and detection under gray failure, Lifeguard on and off"
)]
struct Args {
    /// Nodes per cluster.
    #[arg(long, default_value_t = 8)]
    nodes: usize,
    /// Message loss injected on every node (0 to 1).
    #[arg(long, default_value_t = 0.1)]
    loss: f64,
    /// Length of the run.
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
    duration: Duration,
    /// The paused node is stopped this often...
    #[arg(long, default_value = "20s", value_parser = humantime::parse_duration)]
    pause_every: Duration,
    /// ...for this long (SIGSTOP, then SIGCONT).
    #[arg(long, default_value = "3s", value_parser = humantime::parse_duration)]
    pause_for: Duration,
}

/// One cluster under test and what was seen of it.
struct Run {
    lifeguard: &'static str,
    nodes: Vec<Process>,
    /// (member, incarnation) declared dead while running: healthy, paused.
    false_dead: BTreeSet<(u64, u64)>,
    paused_dead: BTreeSet<(u64, u64)>,
    killed_at: Option<Instant>,
    detected_after: Option<Duration>,
}

fn signal(process: &Process, name: &str) {
    let _ = Command::new("kill")
        .args([name, &process.pid().to_string()])
        .status();
}

fn main() -> ExitCode {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.loss) || args.nodes < 4 {
        eprintln!("gossip-gray: --loss must be within 0..1 and --nodes at least 4");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gossip-gray: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<()> {
    let dir = scratch_dir("gray");
    let mut runs = Vec::new();
    for lifeguard in ["on", "off"] {
        let flags = ["--visualizer", "off", "--lifeguard", lifeguard];
        let logs = dir.join(format!("lifeguard-{lifeguard}"));
        std::fs::create_dir_all(&logs)?;
        let nodes = start_sheet_cluster(&logs, &sheet_ports(args.nodes), &flags);
        runs.push(Run {
            lifeguard,
            nodes,
            false_dead: BTreeSet::new(),
            paused_dead: BTreeSet::new(),
            killed_at: None,
            detected_after: None,
        });
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()?;
    for run in &runs {
        for node in &run.nodes {
            let faults = serde_json::json!({ "loss": args.loss }).to_string();
            http.post(node.url("/admin/faults"))
                .header("Content-Type", "application/json")
                .body(faults)
                .send()
                .await
                .context("injecting loss")?;
        }
    }
    let (paused, victim) = (args.nodes, args.nodes - 1); // node ids
    let started = Instant::now();
    let kill_at = args.duration.mul_f64(2.0 / 3.0);
    let mut stopped_until: Option<Instant> = None;
    let mut next_pause = args.pause_every;
    eprintln!(
        "{} nodes per cluster, {:.0} % loss, node {paused} stopped {:?} every {:?}, node {victim} killed at {:?}; running {:?}…",
        args.nodes,
        args.loss * 100.0,
        args.pause_for,
        args.pause_every,
        kill_at,
        args.duration
    );
    while started.elapsed() < args.duration {
        let now = started.elapsed();
        if stopped_until.is_none() && now >= next_pause {
            runs.iter()
                .for_each(|r| signal(&r.nodes[paused - 1], "-STOP"));
            stopped_until = Some(Instant::now() + args.pause_for);
            next_pause += args.pause_every;
        }
        if stopped_until.is_some_and(|until| Instant::now() >= until) {
            runs.iter()
                .for_each(|r| signal(&r.nodes[paused - 1], "-CONT"));
            stopped_until = None;
        }
        for run in &mut runs {
            if run.killed_at.is_none() && now >= kill_at {
                run.nodes[victim - 1].kill();
                run.killed_at = Some(Instant::now());
            }
            observe(run, &http, paused, victim).await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    if stopped_until.is_some() {
        runs.iter()
            .for_each(|r| signal(&r.nodes[paused - 1], "-CONT"));
    }
    println!();
    println!("| lifeguard | healthy nodes declared dead | paused node declared dead | killed node dead everywhere after |");
    println!("|---|---|---|---|");
    for run in &runs {
        let detected = run
            .detected_after
            .map_or("not within the run".to_owned(), |d| {
                format!("{:.1} s", d.as_secs_f64())
            });
        println!(
            "| {} | {} | {} | {detected} |",
            run.lifeguard,
            run.false_dead.len(),
            run.paused_dead.len()
        );
    }
    println!(
        "({} nodes, {:.0} % loss, node {paused} stopped {:?} every {:?}, {:?} in all; logs in {})",
        args.nodes,
        args.loss * 100.0,
        args.pause_for,
        args.pause_every,
        args.duration,
        dir.display()
    );
    Ok(())
}

/// Read every running node's view once: note dead verdicts about running
/// nodes, and whether the killed one is dead everywhere yet.
async fn observe(run: &mut Run, http: &reqwest::Client, paused: usize, victim: usize) {
    let mut victim_dead_everywhere = run.killed_at.is_some();
    for (i, node) in run.nodes.iter().enumerate() {
        let id = i + 1;
        if run.killed_at.is_some() && id == victim {
            continue;
        }
        let Ok(answer) = http.get(node.url("/state")).send().await else {
            if id != paused {
                victim_dead_everywhere = false;
            }
            continue; // the paused node cannot answer
        };
        let Ok(state) = answer.json::<NodeState>().await else {
            continue;
        };
        for member in state
            .members
            .iter()
            .filter(|m| m.status == MemberStatus::Dead)
        {
            let who = member.id.0 as usize;
            let killed = run.killed_at.is_some() && who == victim;
            if killed {
                continue;
            }
            let verdict = (member.id.0, member.incarnation);
            if who == paused {
                run.paused_dead.insert(verdict);
            } else {
                run.false_dead.insert(verdict);
            }
        }
        if run.killed_at.is_some() && id != paused {
            let dead = state
                .members
                .iter()
                .any(|m| m.id.0 as usize == victim && m.status == MemberStatus::Dead);
            victim_dead_everywhere &= dead;
        }
    }
    if victim_dead_everywhere && run.detected_after.is_none() {
        run.detected_after = run.killed_at.map(|at| at.elapsed());
    }
}
