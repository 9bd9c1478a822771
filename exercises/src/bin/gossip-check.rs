//! `gossip-check`: grade a module (`make check EX=04`), show its hints
//! (`make hint EX=04`), list what passes (`make progress`), or re-check on
//! every save (`make watch EX=04`).

use clap::{Parser, Subcommand};
use gossip_exercises::check;
use gossip_exercises::modules::{module, Module, MODULES};
use gossip_exercises::workshop::Source;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, SystemTime};

#[derive(Parser)]
#[command(name = "gossip-check", version, about = "Check your exercises")]
struct Cli {
    #[command(subcommand)]
    command: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Run a module's graded scenarios on your code.
    Check {
        /// The module number, e.g. 04.
        module: String,
        /// Check the solutions instead of your code.
        #[arg(long)]
        solutions: bool,
    },
    /// The next hints for a module.
    Hint { module: String },
    /// Which modules pass.
    Progress {
        #[arg(long)]
        solutions: bool,
    },
    /// Check a module again each time you save its file.
    Watch { module: String },
}

fn find(text: &str) -> Result<&'static Module, String> {
    let number: u8 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a module number: try EX=04"))?;
    module(number).ok_or_else(|| {
        let known: Vec<String> = MODULES.iter().map(|m| format!("{:02}", m.number)).collect();
        format!(
            "there is no module {number:02} with a check yet; modules: {}",
            known.join(", ")
        )
    })
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Action::Check { module, solutions } => find(&module).map(|m| {
            let source = if solutions {
                Source::Solutions
            } else {
                Source::Yours
            };
            let report = check::run(m, source, source.layer());
            print!("{}", report.render());
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }),
        Action::Hint { module } => find(&module).map(|m| {
            println!("Hints for module {:02} — {}\n", m.number, m.title);
            println!("{}", m.hints().unwrap_or("(no hints yet)"));
            ExitCode::SUCCESS
        }),
        Action::Progress { solutions } => {
            let source = if solutions {
                Source::Solutions
            } else {
                Source::Yours
            };
            let mut done = 0;
            for m in MODULES {
                let report = check::run(m, source, source.layer());
                let held = report.held();
                let mark = if report.passed() { "✓" } else { " " };
                done += usize::from(report.passed());
                println!(
                    "  {mark} {:02} {:<18} {held}/{} checks   {}",
                    m.number,
                    m.folder,
                    report.results.len(),
                    m.title
                );
            }
            println!("{done} of {} modules done", MODULES.len());
            Ok(ExitCode::SUCCESS)
        }
        Action::Watch { module } => find(&module).map(watch),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gossip-check: {e}");
        ExitCode::from(2)
    })
}

/// The newest modification time of the module's files.
fn last_change(module: &Module) -> Option<SystemTime> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(module.folder);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
        .max()
}

/// Re-run `make check` (which rebuilds your code) whenever a file changes.
fn watch(module: &'static Module) -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = None;
    println!(
        "watching exercises/{}/ — save a file to check again, Ctrl+C to stop",
        module.folder
    );
    loop {
        let now = last_change(module);
        if now != seen {
            seen = now;
            let status = Command::new("cargo")
                .args([
                    "run",
                    "--quiet",
                    "-p",
                    "gossip-exercises",
                    "--bin",
                    "gossip-check",
                    "--",
                    "check",
                ])
                .arg(format!("{:02}", module.number))
                .current_dir(&root)
                .status();
            if let Err(e) = status {
                eprintln!("gossip-check: cannot run cargo: {e}");
                return ExitCode::FAILURE;
            }
            println!("— waiting for your next save —");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
