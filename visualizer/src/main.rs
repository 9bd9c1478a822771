//! `gossip-visualizer`: parse the command line, bind the port, serve.

use clap::Parser;
use gossip_node::runtime::startup;
use gossip_visualizer::control::Launcher;
use gossip_visualizer::Options;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The Gossip Workshop's visualizer: nodes stream events to /ingest, browsers
/// watch the rumor spread at /.
#[derive(Debug, Parser)]
#[command(name = "gossip-visualizer", version, about)]
struct Cli {
    /// Port to serve on (0 picks a free port; the first log line names it).
    #[arg(long, env = "GOSSIP_VIS_PORT", default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, env = "GOSSIP_VIS_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Folder with the page (index.html and its modules).
    #[arg(long, env = "GOSSIP_STATIC_DIR")]
    static_dir: Option<PathBuf>,
    /// Play a recorded run (from `gossip-sim trace`) in the page.
    #[arg(long)]
    replay: Option<PathBuf>,
    /// What nodes must present to stream here (`--visualizer
    /// ws://HOST:PORT/ingest?token=...`). Needed when listening beyond this
    /// machine, so that nobody else's program can put nodes on the page.
    #[arg(long, env = "GOSSIP_INGEST_TOKEN", hide_env_values = true)]
    ingest_token: Option<String>,
    /// The folder where `make run` keeps its nodes' pids, logs and command
    /// (`.run`): lets the page kill, restart and add nodes. Loopback only.
    #[arg(long, env = "GOSSIP_CLUSTER_DIR")]
    cluster_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    startup::init_logging();
    let static_dir = cli
        .static_dir
        .unwrap_or_else(gossip_visualizer::default_static_dir);
    if !static_dir.join("index.html").is_file() {
        eprintln!(
            "gossip-visualizer: no index.html in {}; pass --static-dir",
            static_dir.display()
        );
        return ExitCode::from(2);
    }
    let replay = match cli.replay.as_deref().map(gossip_visualizer::replay::load) {
        None => None,
        Some(Ok(events)) => {
            tracing::info!("replaying {} events", events.len());
            Some(events)
        }
        Some(Err(e)) => {
            eprintln!("gossip-visualizer: {e}");
            return ExitCode::from(2);
        }
    };
    if !cli.bind.is_loopback() && cli.ingest_token.is_none() {
        eprintln!(
            "gossip-visualizer: listening on {} (beyond this machine) needs --ingest-token; \
             nodes then stream to ws://HOST:{}/ingest?token=THE-TOKEN",
            cli.bind, cli.port
        );
        return ExitCode::from(2);
    }
    if cli.cluster_dir.is_some() && !cli.bind.is_loopback() {
        eprintln!(
            "gossip-visualizer: --cluster-dir lets the page start and kill processes; \
             it works only with a loopback --bind, not {}",
            cli.bind
        );
        return ExitCode::from(2);
    }
    let busy = "is another visualizer running? (`make stop`, or VIS_PORT=8081)";
    let (listener, bound) = match startup::bind("gossip-visualizer", cli.bind, cli.port, busy).await
    {
        Ok(bound) => bound,
        Err(line) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    tracing::info!("visualizer listening on http://{bound}");
    let control = match cli
        .cluster_dir
        .as_deref()
        .map(|dir| Launcher::load(dir, bound.port()))
    {
        None => None,
        Some(Ok(launcher)) => Some(launcher),
        Some(Err(e)) => {
            eprintln!("gossip-visualizer: --cluster-dir: {e}");
            return ExitCode::from(2);
        }
    };
    let options = Options {
        replay,
        ingest_token: cli.ingest_token,
        control,
    };
    match gossip_visualizer::run(
        listener,
        static_dir,
        options,
        gossip_node::runtime::shutdown::signal(),
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gossip-visualizer: server failed: {e}");
            ExitCode::FAILURE
        }
    }
}
