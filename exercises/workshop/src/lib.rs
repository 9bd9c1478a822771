//! # gossip-workshop
//!
//! Your files, linked with the checker and the node. Each module's file is
//! a crate of its own (`exercises/NN_name/Cargo.toml`, `gossip-exNN`, the
//! crate `exNN` here) and an optional feature of this one (`exNN`), built
//! into [`yours`] from the table of modules, the way rustlings compiles each
//! exercise alone: `make check EX=06` builds only module 06, and a module
//! that does not compile is simply left out of `make progress` and
//! `make run IMPL=workshop`, which run the reference in its place.
//!
//! * [`yours`]: the [`Layer`](gossip_exercises::workshop::Layer) that
//!   takes a module's functions from your file (for the modules compiled
//!   in);
//! * [`compiled`]: whether a module's file is part of this build.
//!
//! Binaries: `gossip-graded` (the checks on your code; `gossip-check`
//! builds and runs it) and `gossip-node-workshop` (a node on your code).

use gossip_exercises::modules::module;
use gossip_exercises::workshop::Code;

/// Reads the table of modules
/// ([`for_each_module!`](gossip_exercises::for_each_module)) into
/// [`yours`] and [`compiled`]: one arm per module, there only when its
/// feature (`ex03`, which the build script makes the cfg `ex03`) compiled
/// your file in as the crate `ex03`.
macro_rules! your_files {
    ($($name:ident $folder:literal $file:ident.rs $title:literal $kind:ident {
        $(fn $function:ident($($arg:ident: $type:ty),*) -> $returns:ty $(= $rule:ident::$rule_fn:ident)?;)*
    })*) => {
        /// Your files' [`Layer`](gossip_exercises::workshop::Layer): `base`
        /// with module `number`'s functions taken from your file, if it is
        /// compiled in (else `base` unchanged).
        pub fn yours(number: u8, base: Code) -> Code {
            match module(number).map(|m| m.folder) {
                $(
                    #[cfg($name)]
                    Some($folder) => Code {
                        $($function: $name::$function,)*
                        ..base
                    },
                )*
                _ => base,
            }
        }

        /// Whether module `number`'s file is compiled into this build.
        pub fn compiled(number: u8) -> bool {
            match module(number).map(|m| m.folder) {
                $(
                    #[cfg($name)]
                    Some($folder) => true,
                )*
                _ => false,
            }
        }
    };
}

gossip_exercises::for_each_module!(your_files);
