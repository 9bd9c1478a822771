//! The checker: graded scenarios for each module, run on the simulator with
//! your pieces, reported as figures and a verdict in protocol terms.
//!
//! A check is a function that returns its figures or says, in the words of
//! the protocol, what went wrong. A `todo!()` you have not replaced yet, or
//! any other panic in your code, is caught and reported with its place in
//! your file, never as a backtrace.
//!
//! Where a rule must hold for every input (one anti-entropy exchange
//! reconciles *any* two stores), the check also tries hundreds of random
//! inputs from a fixed seed and reports the smallest one that breaks the
//! rule (`property.rs`).

mod property;
mod scenario;

/// Reads the table of modules ([`for_each_module!`](crate::for_each_module))
/// into one `mod exNN;` per module: its checks, in `check/exNN.rs`, which
/// [`Module::checks`] names.
macro_rules! check_files {
    ($($name:ident $folder:literal $file:ident.rs $title:literal $kind:ident $functions:tt)*) => {
        $(pub(crate) mod $name;)*
    };
}

crate::for_each_module!(check_files);

use crate::modules::Module;
use crate::workshop::{Code, Layer, Source, Workshop};
use gossip_node::core::pieces::Implementation;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

/// What a check is given: whose code, its functions (that code for the
/// module under test, the reference for the rest), and the same functions
/// as the pieces a node runs.
pub struct Subject {
    pub source: Source,
    pub code: Code,
    pub pieces: Implementation,
}

impl Subject {
    /// `code`, graded as `source`'s module `module`.
    pub fn new(source: Source, code: Code, module: u8) -> Subject {
        Subject {
            source,
            code,
            pieces: Workshop::of(source, code, [module]).implementation(),
        }
    }
}

/// Figures a check measured: label and value, printed as they are.
pub type Figures = Vec<(String, String)>;

/// One graded behaviour.
pub struct Check {
    /// What must hold, as a sentence: "node 3 catches up after a restart".
    pub name: &'static str,
    pub run: fn(&Subject) -> Result<Figures, String>,
}

/// How one check went.
#[derive(Debug)]
pub enum Outcome {
    Passed(Figures),
    /// The protocol misbehaved: what happened, in its terms.
    Failed(String),
    /// Your code stopped: a `todo!()` not yet replaced, or another panic.
    Stopped {
        message: String,
        place: String,
    },
}

/// A module's checks and how they went.
pub struct Report {
    pub module: &'static Module,
    pub source: Source,
    pub results: Vec<(&'static str, Outcome)>,
    pub took: Duration,
}

impl Report {
    /// How many checks hold.
    pub fn held(&self) -> usize {
        self.results
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Passed(_)))
            .count()
    }

    pub fn passed(&self) -> bool {
        self.held() == self.results.len()
    }

    /// The report as the terminal shows it.
    pub fn render(&self) -> String {
        let mut out = format!(
            "Module {:02} — {} ({}, {})\n",
            self.module.number,
            self.module.title,
            match self.source {
                Source::Yours => "your code",
                Source::Solutions => "the solutions",
            },
            self.module.path()
        );
        let mut last_stop: Option<&String> = None;
        for (name, outcome) in &self.results {
            match outcome {
                Outcome::Passed(figures) => {
                    out.push_str(&format!("  ✓ {name}\n"));
                    for (label, value) in figures {
                        out.push_str(&format!("      {label}: {value}\n"));
                    }
                }
                Outcome::Failed(why) => {
                    out.push_str(&format!("  ✗ {name}\n"));
                    for line in why.lines() {
                        out.push_str(&format!("      {line}\n"));
                    }
                }
                Outcome::Stopped { message, place } => {
                    out.push_str(&format!("  ✗ {name}\n"));
                    if last_stop == Some(place) {
                        out.push_str(&format!("      stopped at the same place, {place}\n"));
                    } else {
                        out.push_str(&format!("      your code stopped at {place}: {message}\n"));
                        if message.starts_with("not yet implemented") {
                            out.push_str("      (replace the todo!() with your code)\n");
                        } else if let Some(why) = explain_panic(message) {
                            out.push_str(&format!("      ({why})\n"));
                        }
                    }
                    last_stop = Some(place);
                }
            }
        }
        let passed = self.held();
        let verdict = if self.passed() { "PASSED" } else { "NOT YET" };
        out.push_str(&format!(
            "{verdict}: {passed} of {} checks hold ({:.1} s)\n",
            self.results.len(),
            self.took.as_secs_f64()
        ));
        if !self.passed() {
            out.push_str(&format!(
                "Stuck? `make hint EX={:02}` gives a hint at a time.\n",
                self.module.number
            ));
        } else if self.source == Source::Yours {
            out.push_str(&format!(
                "Now compare your code with the reference: {}.\n",
                self.module.reference()
            ));
        }
        out
    }
}

/// What a panic of your code means in the protocol's terms, where it says
/// more than its message.
fn explain_panic(message: &str) -> Option<&'static str> {
    if message.contains("subtract with overflow") {
        return Some(
            "an unsigned number went below 0: a protocol value must never wrap; \
             `saturating_sub` stops at 0",
        );
    }
    if message.contains("with overflow") {
        return Some(
            "a counter or clock near the largest u64 went past it: a protocol value must never \
             wrap; the checks try values near u64::MAX on purpose",
        );
    }
    message.contains("float seconds to Duration").then_some(
        "a Duration cannot hold a negative number, infinity or NaN: check the float (a \
         logarithm of 0, a division by 0) before converting it",
    )
}

thread_local! {
    /// Whether this thread is running a check (its panics are findings).
    static CHECKING: Cell<bool> = const { Cell::new(false) };
    /// What the last panic on this thread said, and where.
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Install, once per process, a panic hook that keeps a checked thread's
/// panics off the terminal (they become findings) and leaves every other
/// panic to the hook that was there before. Per thread, so checks running
/// in parallel never disturb each other.
fn quiet_panics_while_checking() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CHECKING.with(Cell::get) {
                return previous(info);
            }
            let message = match info.payload().downcast_ref::<&str>() {
                Some(text) => text.to_string(),
                None => info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "a panic".to_owned()),
            };
            let place = info
                .location()
                .map(|l| format!("{}:{}", l.file().replace("src/../", ""), l.line()))
                .unwrap_or_else(|| "an unknown place".to_owned());
            LAST_PANIC.with(|last| *last.borrow_mut() = Some((message, place)));
        }));
    });
}

/// Run one check, turning a panic into [`Outcome::Stopped`].
fn run_one(check: &Check, subject: &Subject) -> Outcome {
    CHECKING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (check.run)(subject)));
    CHECKING.with(|c| c.set(false));
    match result {
        Ok(Ok(figures)) => Outcome::Passed(figures),
        Ok(Err(why)) => Outcome::Failed(why),
        Err(_) => {
            let (message, place) = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_else(|| ("a panic".into(), "an unknown place".into()));
            Outcome::Stopped { message, place }
        }
    }
}

/// Run every check of `module` on `source`'s code for that module, which
/// `layer` brings in.
pub fn run(module: &'static Module, source: Source, layer: Layer) -> Report {
    let code = layer(module.number, Code::REFERENCE);
    run_subject(module, Subject::new(source, code, module.number))
}

/// Run every check of `module` on any code (the tests use this to prove
/// that wrong code fails).
pub fn run_subject(module: &'static Module, subject: Subject) -> Report {
    let started = Instant::now();
    let source = subject.source;
    quiet_panics_while_checking();
    let results = (module.checks)()
        .iter()
        .map(|check| (check.name, run_one(check, &subject)))
        .collect();
    Report {
        module,
        source,
        results,
        took: started.elapsed(),
    }
}
