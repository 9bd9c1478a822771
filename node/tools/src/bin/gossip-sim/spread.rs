//! `gossip-sim spread`: one rumor through up to 50 million nodes.

use crate::progress;
use gossip_node::core::rumor::Mode;
use gossip_node::core::rumor::{Damping, StopRule};
use gossip_node::sim::epidemic::Epidemic;
use gossip_tools::procfs;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Number of nodes (2 to 50,000,000).
    #[arg(long, default_value_t = 10_000)]
    nodes: usize,
    /// push, pull or push-pull.
    #[arg(long, default_value = "push")]
    mode: Mode,
    /// Peers contacted per round.
    #[arg(long, default_value_t = 1)]
    fanout: usize,
    /// Stop rule (rounds, counter, coin); none: spread until everyone knows.
    #[arg(long)]
    rumor_stop: Option<StopRule>,
    /// The k of the stop rule.
    #[arg(long, default_value_t = 2)]
    rumor_k: u32,
    /// Probability that a message is lost.
    #[arg(long, default_value_t = 0.0)]
    loss: f64,
    /// Seed: the same seed gives the same run, bit for bit.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the run as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// What `--json` prints: the spread, and what it cost.
#[derive(serde::Serialize)]
struct Report<'a> {
    nodes: usize,
    mode: Mode,
    #[serde(flatten)]
    spread: &'a gossip_node::sim::Spread,
    /// Node-rounds (one node's turn in one round) per second of wall time.
    node_rounds_per_s: f64,
    wall_s: f64,
    /// Peak resident memory of this process, where Linux reports it.
    peak_rss_bytes: Option<u64>,
}

pub fn run(args: Args) -> ExitCode {
    let Args {
        nodes,
        mode,
        fanout,
        rumor_stop,
        rumor_k,
        loss,
        seed,
        json,
    } = args;
    if !(2..=50_000_000).contains(&nodes) || fanout == 0 || !(0.0..1.0).contains(&loss) {
        eprintln!("gossip-sim: need 2 <= nodes <= 50,000,000, fanout >= 1 and 0 <= loss < 1");
        return ExitCode::from(2);
    }
    if mode == Mode::Plumtree {
        eprintln!(
            "gossip-sim spread: a tree is not a round-by-round epidemic; spread models push, \
             pull and push-pull (Plumtree runs on the full protocol: exercise 09's check)"
        );
        return ExitCode::from(2);
    }
    let epidemic = Epidemic {
        nodes,
        mode,
        fanout,
        damping: rumor_stop.map(|rule| Damping::new(rule, rumor_k)),
        loss,
        max_rounds: 100_000,
    };
    let bar = progress::bar(nodes as u64, "informed", json || nodes < 1_000_000);
    let started = Instant::now();
    let spread = epidemic.run_watched(&mut StdRng::seed_from_u64(seed), |round| {
        bar.set_position(round.informed)
    });
    let took = started.elapsed();
    bar.finish_and_clear();
    let node_rounds = nodes as f64 * spread.rounds.len() as f64;
    if json {
        let report = Report {
            nodes,
            mode,
            spread: &spread,
            node_rounds_per_s: node_rounds / took.as_secs_f64(),
            wall_s: took.as_secs_f64(),
            peak_rss_bytes: procfs::own_peak_rss(),
        };
        println!(
            "{}",
            serde_json::to_string(&report).expect("a report encodes")
        );
        return ExitCode::SUCCESS;
    }
    println!("{mode}, fanout {fanout}, {nodes} nodes, seed {seed}");
    println!(
        "{:>6} {:>12} {:>8} {:>12} {:>12}",
        "round", "informed", "%", "spreading", "messages"
    );
    for r in &spread.rounds {
        let pct = 100.0 * r.informed as f64 / nodes as f64;
        println!(
            "{:>6} {:>12} {:>7.2}% {:>12} {:>12}",
            r.round, r.informed, pct, r.spreading, r.messages
        );
    }
    match spread.full_at {
        Some(round) => println!("everyone knew after {round} rounds"),
        None => println!("residue: {:.4} of the nodes never heard it", spread.residue),
    }
    println!(
        "{} messages, {} carried the rumor ({:.2} per node)",
        spread.messages,
        spread.transmissions,
        spread.transmissions as f64 / nodes as f64,
    );
    let memory = procfs::own_peak_rss()
        .map(|b| format!(", peak memory {:.1} MB", b as f64 / 1e6))
        .unwrap_or_default();
    println!(
        "{:.2} s of simulation, {:.1} million node-rounds/s{memory}",
        took.as_secs_f64(),
        node_rounds / took.as_secs_f64() / 1e6,
    );
    ExitCode::SUCCESS
}
