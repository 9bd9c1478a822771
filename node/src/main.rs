//! `gossip-node`: parse the command line, bind the port, run the node.

use clap::Parser;
use gossip_node::runtime::{cli::Cli, startup};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    startup::init_logging();
    startup::serve("gossip-node", Cli::parse(), None).await
}
