//! `gossip-check`: grade a module (`make check EX=04`), show its next hint
//! (`make hint EX=04`), list what passes (`make progress`), re-check on
//! every save (`make watch EX=04`), and prepare `make run IMPL=workshop`.
//!
//! Your files are compiled one module at a time (see `compile.rs`), so a
//! module that does not compile yet is reported with the compiler's words
//! and never stops the others.

use clap::{Parser, Subcommand};
use gossip_exercises::compile::{self, Build};
use gossip_exercises::grade;
use gossip_exercises::hints::Seen;
use gossip_exercises::modules::{module, Module, MODULES};
use gossip_exercises::workshop::{solutions, Source};
use std::path::{Path, PathBuf};
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
    /// The next hint for a module (one at a time).
    Hint {
        module: String,
        /// Every hint of the module at once.
        #[arg(long)]
        all: bool,
        /// Start the module's hints again from the first.
        #[arg(long)]
        reset: bool,
    },
    /// Which modules pass.
    Progress {
        #[arg(long)]
        solutions: bool,
    },
    /// Check a module again each time you save its file.
    Watch { module: String },
    /// Build the live node on your modules (release), grade them once, and
    /// write the list of those that pass to `passing` for the nodes.
    Workshop {
        #[arg(long)]
        passing: PathBuf,
    },
}

/// The workspace: the folder above `exercises/`.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
        Action::Check {
            module,
            solutions: true,
        } => find(&module).map(|m| grade::check_module(m, Source::Solutions, solutions)),
        Action::Check { module, .. } => find(&module).and_then(check_yours),
        Action::Hint { module, all, reset } => find(&module).map(|m| {
            let mut seen = Seen::load(&root());
            if reset {
                if let Err(e) = seen.reset(m) {
                    eprintln!("gossip-check: {e}");
                }
            }
            print!("{}", seen.next(m, all));
            ExitCode::SUCCESS
        }),
        Action::Progress { solutions: true } => Ok(grade::progress(
            Source::Solutions,
            solutions,
            |_| true,
            None,
        )),
        Action::Progress { .. } => progress_yours(),
        Action::Watch { module } => find(&module).map(watch),
        Action::Workshop { passing } => workshop(&passing),
    };
    result.unwrap_or_else(|e| {
        eprintln!("gossip-check: {e}");
        ExitCode::from(2)
    })
}

/// Say what is happening before a build that may take minutes.
fn announce(what: &str, release: bool) {
    let profile = if release { "release" } else { "debug" };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    if target.join(profile).join("gossip-graded").exists() {
        println!("Compiling {what}...");
    } else {
        println!(
            "Compiling {what} (cargo shows its progress below): the first {profile} build of \
             the protocol core takes a few minutes on a laptop; from then on, seconds."
        );
    }
}

/// Compile your module alone and, if it compiles, grade it.
fn check_yours(module: &'static Module) -> Result<ExitCode, String> {
    announce(&format!("{} and the checker", module.path()), false);
    let build = compile::build(&root(), &[module.number], &["gossip-graded"], false)?;
    if let Some(errors) = build.broken.get(&module.number) {
        print!("{}", compile::render_broken(module, errors));
        return Ok(ExitCode::from(1));
    }
    let number = format!("{:02}", module.number);
    run(&build, "gossip-graded", &["check", &number])
}

/// Compile every module of yours (each alone) and grade those that compile.
fn progress_yours() -> Result<ExitCode, String> {
    let all: Vec<u8> = MODULES.iter().map(|m| m.number).collect();
    announce("your modules and the checker", false);
    let build = compile::build(&root(), &all, &["gossip-graded"], false)?;
    run(&build, "gossip-graded", &["progress"])
}

/// `make run IMPL=workshop`: the node and the checks in release, built with
/// every module of yours that compiles; grade once; write the verdicts.
fn workshop(passing: &Path) -> Result<ExitCode, String> {
    let all: Vec<u8> = MODULES.iter().map(|m| m.number).collect();
    announce("your modules into the workshop node", true);
    let binaries = ["gossip-graded", "gossip-node-workshop"];
    let build = compile::build(&root(), &all, &binaries, true)?;
    for number in build.broken.keys() {
        println!(
            "module {}: your file does not compile: the nodes run the reference for it \
             (make check EX={number:02} shows the compiler's error)",
            compile::name(*number)
        );
    }
    println!("Grading your modules once, for every node:");
    let passing_arg = passing.to_string_lossy().into_owned();
    let code = run(
        &build,
        "gossip-graded",
        &["progress", "--passing", &passing_arg],
    )?;
    let list = std::fs::read_to_string(passing).unwrap_or_default();
    match list.trim() {
        "" => println!("No module of yours passes yet: the nodes run the reference."),
        list => println!("Your code runs live for modules {list}; the reference for the rest."),
    }
    Ok(code)
}

/// Run one of the binaries `build` made, passing its exit code on.
fn run(build: &Build, binary: &str, args: &[&str]) -> Result<ExitCode, String> {
    let path = build
        .binaries
        .get(binary)
        .ok_or_else(|| format!("cargo built no {binary}"))?;
    let status = Command::new(path)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    Ok(ExitCode::from(
        status.code().unwrap_or(1).clamp(0, 255) as u8
    ))
}

/// The newest modification time of the module's files.
fn last_change(module: &Module) -> Option<SystemTime> {
    let dir = root().join("exercises").join(module.folder);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
        .max()
}

/// Check the module again whenever one of its files changes.
fn watch(module: &'static Module) -> ExitCode {
    let mut seen = None;
    println!(
        "watching exercises/{}/ — save a file to check again, Ctrl+C to stop",
        module.folder
    );
    loop {
        let now = last_change(module);
        if now != seen {
            seen = now;
            if let Err(e) = check_yours(module) {
                eprintln!("gossip-check: {e}");
            }
            println!("— waiting for your next save —");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
