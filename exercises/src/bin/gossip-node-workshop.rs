//! `gossip-node-workshop`: `gossip-node` running **your** protocol pieces.
//!
//! Same command line as `gossip-node`, plus `--pieces yours|solutions`. At
//! start it checks each module that has pieces; the ones that pass run your
//! code, the others run the reference, and the log and the page say which.
//! `make run IMPL=workshop` starts the cluster with it.

use clap::Parser;
use gossip_exercises::check;
use gossip_exercises::modules::MODULES;
use gossip_exercises::workshop::{Source, Workshop};
use gossip_node::core::heartbeat::DetectorKind;
use gossip_node::core::Mode;
use gossip_node::runtime::{cli::Cli, startup};
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
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    startup::init_logging();
    let source = match args.pieces.as_str() {
        "solutions" => Source::Solutions,
        _ => Source::Yours,
    };
    // The modules' checks are independent: run them side by side.
    let reports: Vec<check::Report> = std::thread::scope(|scope| {
        let running: Vec<_> = MODULES
            .iter()
            .filter(|m| m.has_pieces)
            .map(|module| scope.spawn(move || check::run(module, source, source.layer())))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().expect("a check's panics are caught inside it"))
            .collect()
    });
    let mut passing = Vec::new();
    for report in reports {
        let module = report.module;
        let held = report.held();
        if report.passed() {
            tracing::info!(
                "module {:02} ({}): {} code passes all {} checks: running it",
                module.number,
                module.folder,
                source.name(),
                held
            );
            passing.push(module.number);
        } else {
            tracing::warn!(
                "module {:02} ({}): not done yet ({held} of {} checks hold): running the reference instead (make check EX={:02})",
                module.number,
                module.folder,
                report.results.len(),
                module.number
            );
        }
    }
    for (module, flag) in unused_here(&args.node) {
        if passing.contains(&module) {
            tracing::info!(
                "module {module:02}'s pieces take part only with {flag} (NODE_ARGS=\"{flag}\")"
            );
        }
    }
    let pieces = Workshop::new(source, source.layer(), passing).implementation();
    startup::serve("gossip-node-workshop", args.node, Some(pieces)).await
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
