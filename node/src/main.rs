//! `gossip-node`: parse the command line, bind the port, run the node.

use clap::Parser;
use gossip_node::runtime::{self, cli::Cli};
use std::io::IsTerminal;
use std::process::ExitCode;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();

    let listener = match TcpListener::bind((cli.bind, cli.port)).await {
        Ok(listener) => listener,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "gossip-node: port {} is already in use on {}: is another node still running? (`make stop` stops the workshop's)",
                cli.port, cli.bind
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!(
                "gossip-node: cannot listen on {}:{}: {e}",
                cli.bind, cli.port
            );
            return ExitCode::from(2);
        }
    };
    let bound = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("gossip-node: cannot read the bound address: {e}");
            return ExitCode::from(2);
        }
    };
    let options = cli.into_options(bound);
    tracing::info!(
        "node {} listening on http://{} (neighbors: {})",
        options.core.id,
        bound,
        if options.core.neighbors.is_empty() {
            "none".to_string()
        } else {
            options.core.neighbors.join(", ")
        }
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
