//! `gossip-node`: parse the command line, bind the port, run the node.

use clap::Parser;
use gossip_node::runtime::{self, cli::Cli, startup};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    startup::init_logging();
    let busy = "is another node still running? (`make stop` stops the workshop's)";
    let (listener, bound) = match startup::bind("gossip-node", cli.bind, cli.port, busy).await {
        Ok(bound) => bound,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let options = cli.into_options(bound);
    let neighbors = match options.core.neighbors.as_slice() {
        [] => "none".to_string(),
        list => list.join(", "),
    };
    tracing::info!(
        "node {} listening on http://{bound} (neighbors: {neighbors})",
        options.core.id
    );
    match runtime::run(listener, options, runtime::shutdown::signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gossip-node: server failed: {e}");
            ExitCode::FAILURE
        }
    }
}
