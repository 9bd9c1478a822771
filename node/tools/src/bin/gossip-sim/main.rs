//! `gossip-sim`: the protocol core on a simulated network, at scale.
//!
//! ```text
//! gossip-sim spread --nodes 1000000 --mode push-pull     one rumor, round by round
//! gossip-sim crash --nodes 10000                          the full protocol: detect a crash
//! gossip-sim theory                                       measured vs the formulas
//! gossip-sim demo gossip|membership|anti-entropy          narrated, step by step
//! gossip-sim trace --out run.jsonl                        a run to replay in the page
//! gossip-sim --trace run.jsonl                            the same, the scripted 200 nodes
//! gossip-sim diagrams --out docs                          the charts of the README
//! ```

mod chart;
mod crash;
mod diagrams;
mod progress;
mod spread;
mod theory;

use clap::{Parser, Subcommand};
use gossip_node::sim::{demos, trace};
use std::process::ExitCode;

/// Simulate gossip with the same protocol core the live nodes run.
#[derive(Parser)]
#[command(name = "gossip-sim", version)]
struct Cli {
    /// Shorthand for `trace --out FILE`: record the scripted 200-node run.
    #[arg(long, value_name = "FILE")]
    trace: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Spread one rumor through N nodes (up to 50 million) and print each round.
    Spread(spread::Args),
    /// The full protocol on up to 10,000 nodes: a write and a crash, and how
    /// long until every node agrees on both.
    Crash(crash::Args),
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
    /// Compare measured rounds, residues and detection times with the formulas.
    Theory(theory::Args),
    /// Draw the README's charts (SVG) from fresh simulations.
    Diagrams(diagrams::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match (cli.command, cli.trace) {
        (Some(command), None) => command,
        (None, Some(out)) => Command::Trace {
            nodes: 200,
            seconds: 60,
            seed: 1,
            out,
        },
        (Some(_), Some(_)) => {
            eprintln!(
                "gossip-sim: --trace FILE stands alone; with a command, use `trace --out FILE`"
            );
            return ExitCode::from(2);
        }
        (None, None) => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Spread(args) => spread::run(args),
        Command::Crash(args) => crash::run(args),
        Command::Theory(args) => {
            theory::run(args);
            ExitCode::SUCCESS
        }
        Command::Diagrams(args) => diagrams::run(args),
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
    }
}
