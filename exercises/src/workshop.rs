//! Your functions plugged into the protocol core.
//!
//! The core asks its [`Pieces`] for every replaceable decision. A [`Code`]
//! is one function pointer per decision (and per answer of the tour), built
//! from the table of modules; it starts as [`Code::REFERENCE`] and takes a
//! module's functions from a source through a [`Layer`]. [`Workshop`] is a
//! `Code` with a name, ready for a node's config: the checker grades one
//! module at a time (that module's functions, the reference for the rest);
//! the live node uses every module whose check passes, and says which.

use crate::modules::module;
use crate::tour::Messenger;
use gossip_node::core::aggregate::PushSum;
use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::heartbeat::{Beat, Heartbeat};
use gossip_node::core::lifeguard::HealthEvent;
use gossip_node::core::membership::{Member, Membership};
use gossip_node::core::pieces::{Implementation, Pieces};
use gossip_node::core::plumtree::{Link, Targets, TreeEvent};
use gossip_node::core::rumor::{Spreading, StopRule};
use gossip_node::core::store::{Entry, Store};
use gossip_node::core::version::{NodeId, Version};
use rand::RngCore;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

/// Whose functions: the files you edit, or the solutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Yours,
    Solutions,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Yours => "yours",
            Source::Solutions => "solutions",
        }
    }
}

/// Reads the table of modules ([`for_each_module!`](crate::for_each_module))
/// into [`Code`] (one field per function you write, typed as in your
/// file), [`Code::REFERENCE`], and the [`Pieces`] of a [`Workshop`] (each
/// piece calls its field). The row of module 03,
/// `ex03 ... pieces { fn pull_answer(hot: .., have: ..) -> .. = rumor::pull_answer; }`,
/// becomes the field `pull_answer: fn(..) -> ..`, the reference
/// `gossip_node::core::rumor::pull_answer` (so the compiler checks that the
/// rule the row names has your function's signature) and the piece
/// `fn pull_answer(&self, hot, have) { (self.code.pull_answer)(hot, have) }`.
/// An `answers` row (the tour) is no piece: its reference is its solution.
macro_rules! code_of_every_module {
    (@reference pieces $file:ident $function:ident = $rule:ident::$rule_fn:ident) => {
        gossip_node::core::$rule::$rule_fn
    };
    (@reference answers $file:ident $function:ident) => {
        crate::solutions::$file::$function
    };
    (@pieces pieces $(fn $function:ident($($arg:ident: $type:ty),*) -> $returns:ty $(= $rule:ident::$rule_fn:ident)?;)*) => {
        $(fn $function(&self, $($arg: $type),*) -> $returns {
            (self.code.$function)($($arg),*)
        })*
    };
    (@pieces answers $($functions:tt)*) => {};
    ($($name:ident $folder:literal $file:ident.rs $title:literal $kind:ident {
        $(fn $function:ident($($arg:ident: $type:ty),*) -> $returns:ty $(= $rule:ident::$rule_fn:ident)?;)*
    })*) => {
        /// Every function a learner writes, one field each, named as in the
        /// files.
        #[derive(Clone, Copy)]
        pub struct Code {
            $($(pub $function: fn($($type),*) -> $returns,)*)*
        }

        impl Code {
            /// The core's reference for every piece. (The tour has no
            /// reference: its answers here are the solution's, so that
            /// grading another module never depends on them.)
            pub const REFERENCE: Code = Code {
                $($($function: code_of_every_module!(@reference $kind $file $function $(= $rule::$rule_fn)?),)*)*
            };
        }

        impl Pieces for Workshop {
            fn describe(&self) -> String {
                self.description()
            }

            $(code_of_every_module!(@pieces $kind $(fn $function($($arg: $type),*) -> $returns;)*);)*
        }
    };
}

crate::for_each_module!(code_of_every_module);

/// Where a module's functions come from: `base` with module `number`'s
/// functions taken from one source (the solutions, or your files).
pub type Layer = fn(number: u8, base: Code) -> Code;

/// The solutions' [`Layer`].
pub fn solutions(number: u8, base: Code) -> Code {
    match module(number) {
        Some(module) => (module.solution)(base),
        None => base,
    }
}

/// A [`Code`] with a name: the pieces of `modules` from `source`, the
/// reference for the rest.
#[derive(Clone)]
pub struct Workshop {
    source: Source,
    modules: BTreeSet<u8>,
    code: Code,
}

impl Workshop {
    /// Modules `modules` taken from `source` through `layer`.
    pub fn new(source: Source, layer: Layer, modules: impl IntoIterator<Item = u8>) -> Workshop {
        let modules: BTreeSet<u8> = modules.into_iter().collect();
        let code = modules
            .iter()
            .fold(Code::REFERENCE, |code, &number| layer(number, code));
        Workshop {
            source,
            modules,
            code,
        }
    }

    /// Any code, named as `source`'s modules `modules` (tests use this to
    /// grade deliberately wrong code).
    pub fn of(source: Source, code: Code, modules: impl IntoIterator<Item = u8>) -> Workshop {
        Workshop {
            source,
            modules: modules.into_iter().collect(),
            code,
        }
    }

    pub fn code(&self) -> &Code {
        &self.code
    }

    /// Ready to put in a node's `Config::pieces`.
    pub fn implementation(self) -> Implementation {
        Implementation(Arc::new(self))
    }

    /// Whose code runs, as `/health` and the page say it: `yours: 01, 04;
    /// reference for the rest`.
    fn description(&self) -> String {
        if self.modules.is_empty() {
            return format!("reference (no module of {} passes yet)", self.source.name());
        }
        let list: Vec<String> = self.modules.iter().map(|m| format!("{m:02}")).collect();
        format!(
            "{}: {}; reference for the rest",
            self.source.name(),
            list.join(", ")
        )
    }
}
