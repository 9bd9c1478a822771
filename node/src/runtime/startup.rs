//! What every workshop binary does first: set up logging and bind its port,
//! turning the common failures into one clear line instead of a backtrace.

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use tokio::net::TcpListener;

/// Log to stderr, `info` unless `RUST_LOG` says otherwise (a level, or
/// targets with levels: `debug`, `gossip_node=debug,warn`); colors only on a
/// terminal. (A plain target filter, not `EnvFilter`: no regex engine in the
/// binary, which keeps each node's memory small.)
pub fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|text| text.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    let output = tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    tracing_subscriber::registry()
        .with(output)
        .with(filter)
        .init();
}

/// Bind `ip:port`. On failure returns the sentence to print; `busy_hint`
/// says what to do when the port is taken.
pub async fn bind(
    program: &str,
    ip: IpAddr,
    port: u16,
    busy_hint: &str,
) -> Result<(TcpListener, SocketAddr), String> {
    let listener = TcpListener::bind((ip, port)).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("{program}: port {port} is already in use on {ip}: {busy_hint}")
        } else {
            format!("{program}: cannot listen on {ip}:{port}: {e}")
        }
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("{program}: cannot read the bound address: {e}"))?;
    Ok((listener, bound))
}

/// A node binary's whole life: bind the port, run the node (with `pieces`,
/// or the reference), stop on Ctrl+C or SIGTERM. Returns the exit code.
pub async fn serve(
    program: &str,
    cli: super::cli::Cli,
    pieces: Option<crate::core::pieces::Implementation>,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let busy = "is another node still running? (`make stop` stops the workshop's)";
    let (listener, bound) = match bind(program, cli.bind, cli.port, busy).await {
        Ok(bound) => bound,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let mut options = cli.into_options(bound);
    if let Err(why) = crate::core::plain_addr(&options.core.addr) {
        eprintln!("{program}: --advertise: {why}; peers would refuse every message");
        return ExitCode::from(2);
    }
    if let Some(pieces) = pieces {
        options.core.pieces = pieces;
    }
    let neighbors = match options.core.neighbors.as_slice() {
        [] => "none".to_string(),
        list => list.join(", "),
    };
    tracing::info!(
        "node {} listening on http://{bound} (neighbors: {neighbors})",
        options.core.id
    );
    match super::run(listener, options, super::shutdown::signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{program}: server failed: {e}");
            ExitCode::FAILURE
        }
    }
}
