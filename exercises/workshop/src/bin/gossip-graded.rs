//! `gossip-graded`: the checks, run on your files that this build holds.
//! You do not call it yourself: `make check EX=04` (`gossip-check`) first
//! compiles your module 04 on its own, then runs `gossip-graded check 04`.

use clap::{Parser, Subcommand};
use gossip_exercises::grade;
use gossip_exercises::modules::module;
use gossip_exercises::workshop::Source;
use gossip_workshop::{compiled, yours};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gossip-graded",
    version,
    about = "The checks on your compiled modules"
)]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Grade one module of yours.
    Check { module: u8 },
    /// Grade every module of yours.
    Progress {
        /// Write the modules with pieces that pass here, e.g. `01,04`.
        #[arg(long)]
        passing: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Action::Check { module: number } => match module(number) {
            Some(m) if compiled(number) => grade::check_module(m, Source::Yours, yours),
            Some(_) => {
                eprintln!(
                    "gossip-graded: this build holds no code of yours for module {number:02}"
                );
                ExitCode::from(2)
            }
            None => {
                eprintln!("gossip-graded: there is no module {number:02}");
                ExitCode::from(2)
            }
        },
        Action::Progress { passing } => {
            grade::progress(Source::Yours, yours, compiled, passing.as_deref())
        }
    }
}
