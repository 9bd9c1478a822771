//! What `make check` and `make progress` print, for any source of code:
//! the solutions (compiled into this crate) or your files (compiled apart,
//! module by module, into `gossip-graded`).

use crate::check;
use crate::modules::{Module, MODULES};
use crate::workshop::{Layer, Source};
use std::path::Path;
use std::process::ExitCode;

/// Grade one module and print its report; success if every check holds.
pub fn check_module(module: &'static Module, source: Source, layer: Layer) -> ExitCode {
    let report = check::run(module, source, layer);
    print!("{}", report.render());
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Grade `modules` side by side (their checks are independent), one thread
/// each; `None` for a module whose file `compiled` says is not in the build.
pub fn side_by_side(
    modules: &'static [Module],
    source: Source,
    layer: Layer,
    compiled: fn(u8) -> bool,
) -> Vec<Option<check::Report>> {
    std::thread::scope(|scope| {
        let running: Vec<_> = modules
            .iter()
            .map(|m| scope.spawn(move || compiled(m.number).then(|| check::run(m, source, layer))))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().expect("a check's panics are caught inside it"))
            .collect()
    })
}

/// Grade every module and print one line each. Modules for which
/// `compiled` says no are listed as not compiling. With `passing`, the
/// numbers of the modules with pieces that pass are written there, one
/// line, comma-separated (`make run IMPL=workshop` hands it to the nodes).
pub fn progress(
    source: Source,
    layer: Layer,
    compiled: fn(u8) -> bool,
    passing: Option<&Path>,
) -> ExitCode {
    let reports = side_by_side(MODULES, source, layer, compiled);
    let mut done = 0;
    let mut live = Vec::new();
    for (m, report) in MODULES.iter().zip(&reports) {
        match report {
            None => println!(
                "  ✗ {:02} {:<18} does not compile: make check EX={:02} shows why",
                m.number, m.folder, m.number
            ),
            Some(report) => {
                let mark = if report.passed() { "✓" } else { " " };
                done += usize::from(report.passed());
                if report.passed() && m.has_pieces {
                    live.push(format!("{:02}", m.number));
                }
                println!(
                    "  {mark} {:02} {:<18} {}/{} checks   {}",
                    m.number,
                    m.folder,
                    report.held(),
                    report.results.len(),
                    m.title
                );
            }
        }
    }
    println!("{done} of {} modules done", MODULES.len());
    if let Some(file) = passing {
        if let Err(e) = std::fs::write(file, format!("{}\n", live.join(","))) {
            eprintln!("gossip-check: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
