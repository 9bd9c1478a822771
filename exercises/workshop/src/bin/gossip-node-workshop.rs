//! `gossip-node-workshop`: `gossip-node` running **your** protocol pieces.
//!
//! Same command line as `gossip-node`, plus `--pieces yours|solutions` and
//! `--modules`. `make run IMPL=workshop` grades your modules once, before
//! any node starts, and hands the list of those that pass to every node
//! (`--modules 01,04`): those run your code, the others run the reference,
//! and the log and the page say which. Started by hand without
//! `--modules`, a node grades your modules itself before it serves.

use clap::Parser;
use gossip_exercises::grade;
use gossip_exercises::modules::MODULES;
use gossip_exercises::workshop::{solutions, Source, Workshop};
use gossip_node::core::heartbeat::DetectorKind;
use gossip_node::core::Mode;
use gossip_node::runtime::{cli::Cli, startup};
use gossip_workshop::{compiled, yours};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gossip-node-workshop",
    version,
    about = "A gossip node running your protocol pieces"
)]
struct Args {
    #[command(flatten)]
    node: Cli,
    /// Whose pieces: yours (the files in exercises/) or solutions.
    #[arg(long, env = "GOSSIP_PIECES", default_value = "yours", value_parser = ["yours", "solutions"])]
    pieces: String,
    /// The modules of yours that passed their checks, e.g. 01,04 (`make run
    /// IMPL=workshop` grades them once and passes the list); without it the
    /// node grades them itself at start.
    /// (An empty list, `--modules=`, means none passes yet.)
    #[arg(long, env = "GOSSIP_MODULES", value_parser = parse_modules)]
    modules: Option<Passing>,
}

/// The modules handed over as passing.
#[derive(Clone, Debug)]
struct Passing(Vec<u8>);

fn parse_modules(text: &str) -> Result<Passing, String> {
    let mut list = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let number: u8 = part
            .parse()
            .map_err(|_| format!("{part:?} is not a module number (e.g. 04)"))?;
        match MODULES.iter().find(|m| m.number == number) {
            Some(m) if m.has_pieces => list.push(number),
            Some(_) => return Err(format!("module {number:02} has no pieces a node runs")),
            None => return Err(format!("there is no module {number:02}")),
        }
    }
    Ok(Passing(list))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    startup::init_logging();
    let with_pieces = || MODULES.iter().filter(|m| m.has_pieces);
    let pieces = if args.pieces == "solutions" {
        // The test suite proves every solution passes its check.
        let all: Vec<u8> = with_pieces().map(|m| m.number).collect();
        tracing::info!("running the solutions of every module with pieces");
        Workshop::new(Source::Solutions, solutions, all)
    } else {
        let passing = match args.modules {
            Some(Passing(list)) => handed_over(list),
            None => grade_here(),
        };
        for (module, flag) in unused_here(&args.node) {
            if passing.contains(&module) {
                tracing::info!(
                    "module {module:02}'s pieces take part only with {flag} (NODE_ARGS=\"{flag}\")"
                );
            }
        }
        Workshop::new(Source::Yours, yours, passing)
    };
    startup::serve(
        "gossip-node-workshop",
        args.node,
        Some(pieces.implementation()),
    )
    .await
}

/// The verdicts `make run IMPL=workshop` handed over: trust them, but only
/// for modules whose file this binary was built with.
fn handed_over(list: Vec<u8>) -> Vec<u8> {
    let mut passing = Vec::new();
    for module in MODULES.iter().filter(|m| m.has_pieces) {
        let number = module.number;
        if !compiled(number) {
            tracing::warn!(
                "module {number:02} ({}): your file is not in this build (it did not compile: make check EX={number:02} shows why): running the reference",
                module.folder
            );
        } else if !list.contains(&number) {
            tracing::info!(
                "module {number:02} ({}): not passing yet: running the reference (make check EX={number:02})",
                module.folder
            );
        } else {
            tracing::info!(
                "module {number:02} ({}): your code passes: running it",
                module.folder
            );
            passing.push(number);
        }
    }
    passing
}

/// Grade every compiled module of yours, side by side, and keep those with
/// pieces that pass.
fn grade_here() -> Vec<u8> {
    tracing::info!("grading your modules before serving (make run IMPL=workshop does this once for every node)");
    let reports = grade::side_by_side(MODULES, Source::Yours, yours, compiled);
    let mut passing = Vec::new();
    for (module, report) in MODULES.iter().zip(reports) {
        if !module.has_pieces {
            continue;
        }
        let number = module.number;
        match report {
            None => tracing::warn!(
                "module {number:02} ({}): your file is not in this build (does it compile? make check EX={number:02}): running the reference",
                module.folder
            ),
            Some(report) if report.passed() => {
                tracing::info!(
                    "module {number:02} ({}): your code passes all {} checks: running it",
                    module.folder,
                    report.held()
                );
                passing.push(number);
            }
            Some(report) => tracing::warn!(
                "module {number:02} ({}): not done yet ({} of {} checks hold): running the reference instead (make check EX={number:02})",
                module.folder,
                report.held(),
                report.results.len()
            ),
        }
    }
    passing
}

/// Modules whose pieces this node's options leave idle, with the flag that
/// brings them in: the heartbeat detector, push-sum, Plumtree.
fn unused_here(node: &Cli) -> Vec<(u8, &'static str)> {
    let mut idle = Vec::new();
    if node.detector != DetectorKind::Heartbeat {
        idle.push((5, "--detector heartbeat"));
    }
    if node.value.is_none() {
        idle.push((8, "--value 1"));
    }
    if node.mode != Mode::Plumtree {
        idle.push((9, "--mode plumtree"));
    }
    idle
}
