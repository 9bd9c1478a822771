//! `gossip-sim`: the protocol core on a simulated network, at scale.
//!
//! ```text
//! gossip-sim spread --nodes 1000000 --mode push-pull     one rumor, round by round
//! gossip-sim theory                                       measured vs the formulas
//! gossip-sim demo gossip|membership|anti-entropy          narrated, step by step
//! ```

use clap::{Parser, Subcommand};
use gossip_node::core::dissemination::Mode;
use gossip_node::core::rumor::{Damping, StopRule};
use gossip_node::sim::epidemic::Epidemic;
use gossip_node::sim::theory::*;
use gossip_node::sim::{demos, trace};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::process::ExitCode;
use std::time::Instant;

/// Simulate gossip with the same protocol core the live nodes run.
#[derive(Parser)]
#[command(name = "gossip-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Spread one rumor through N nodes and print each round.
    Spread {
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
    },
    /// Run a scripted scenario (a write, crashes, a partition) on the full
    /// protocol and write its events for `gossip-visualizer --replay`.
    Trace {
        #[arg(long, default_value_t = 200)]
        nodes: u64,
        /// Length of the story in virtual seconds (at least 30).
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the JSON lines.
        #[arg(long, default_value = "run.jsonl")]
        out: std::path::PathBuf,
    },
    /// A narrated demonstration: gossip, membership or anti-entropy.
    Demo {
        #[arg(value_parser = ["gossip", "membership", "anti-entropy"])]
        topic: String,
    },
    /// Compare measured rounds and residues with the formulas.
    Theory {
        /// Runs per measurement.
        #[arg(long, default_value_t = 400)]
        runs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Spread {
            nodes,
            mode,
            fanout,
            rumor_stop,
            rumor_k,
            loss,
            seed,
            json,
        } => {
            if !(2..=50_000_000).contains(&nodes) || fanout == 0 || !(0.0..1.0).contains(&loss) {
                eprintln!(
                    "gossip-sim: need 2 <= nodes <= 50,000,000, fanout >= 1 and 0 <= loss < 1"
                );
                return ExitCode::from(2);
            }
            let damping = rumor_stop.map(|rule| Damping::new(rule, rumor_k));
            let epidemic = Epidemic {
                nodes,
                mode,
                fanout,
                damping,
                loss,
                max_rounds: 100_000,
            };
            let started = Instant::now();
            let spread = epidemic.run(&mut StdRng::seed_from_u64(seed));
            let took = started.elapsed();
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&spread).expect("a spread encodes")
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
                "{} messages, {} carried the rumor ({:.2} per node); {:.2} s of simulation",
                spread.messages,
                spread.transmissions,
                spread.transmissions as f64 / nodes as f64,
                took.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Command::Trace {
            nodes,
            seconds,
            seed,
            out,
        } => {
            if !(4..=10_000).contains(&nodes) {
                eprintln!("gossip-sim: a trace needs 4 to 10,000 nodes");
                return ExitCode::from(2);
            }
            let net = trace::scripted(nodes, seconds, seed);
            let written = std::fs::File::create(&out).and_then(|file| {
                let mut writer = std::io::BufWriter::new(file);
                let lines = trace::write_jsonl(&net, &mut writer)?;
                std::io::Write::flush(&mut writer)?;
                Ok(lines)
            });
            match written {
                Ok(lines) => {
                    println!(
                        "wrote {lines} events of {nodes} nodes over {seconds} s to {}",
                        out.display()
                    );
                    println!("watch it: gossip-visualizer --replay {}", out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("gossip-sim: cannot write {}: {e}", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Demo { topic } => {
            let lines = match topic.as_str() {
                "gossip" => demos::gossip(),
                "membership" => demos::membership(),
                _ => demos::anti_entropy(),
            };
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Command::Theory { runs, seed } => {
            println!("rounds to full spread, fanout 1, {runs} runs each (mean ± standard error)");
            println!(
                "{:>10} {:>10} {:>16} {:>10} {:>8}",
                "mode", "N", "measured", "formula", "diff"
            );
            for n in [100usize, 1_000, 10_000] {
                for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
                    let (mean, error) = mean_and_error(&rounds_to_full(mode, n, runs, seed));
                    let formula = match mode {
                        Mode::Push => Some(push_rounds(n)),
                        Mode::PushPull => PUSH_PULL_REFERENCE
                            .iter()
                            .find(|(m, _)| *m == n)
                            .map(|(_, r)| *r),
                        Mode::Pull => None,
                    };
                    let (shown, diff) = match formula {
                        Some(f) => (format!("{f:.2}"), format!("{:+.2}", mean - f)),
                        None => ("-".into(), "-".into()),
                    };
                    println!(
                        "{:>10} {:>10} {:>10.2} ± {:<4.2} {:>10} {:>8}",
                        mode.to_string(),
                        n,
                        mean,
                        error,
                        shown,
                        diff
                    );
                }
            }
            println!(
                "push: log2 N + ln N + 1.1; push-pull: reference means (≈ log3 N + log2 ln N)"
            );
            println!();
            println!("rumor mongering, push, feedback coin, N = 1000: residue vs Demers' s = e^(-(k+1)(1-s))");
            for k in 1..=3 {
                let measured = residue(k, 1_000, runs, seed);
                println!(
                    "  k = {k}: measured {measured:.4}, Demers {:.4}",
                    coin_residue(k)
                );
            }
            println!();
            println!("SWIM, periods until a crashed member is first probed (random targets): 1/(1-(1-1/(N-1))^(N-1))");
            for n in [4usize, 32, 1_000, 1_000_000] {
                println!("  N = {n}: {:.3}", swim_first_detection(n));
            }
            ExitCode::SUCCESS
        }
    }
}
