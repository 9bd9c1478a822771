//! # gossip-workshop
//!
//! Your files, linked with the checker and the node. Each module's file is
//! a crate of its own (`exercises/NN_name/Cargo.toml`, `gossip-exNN`) and
//! an optional feature of this one, the way rustlings compiles each
//! exercise alone: `make check EX=06` builds only module 06, and a module
//! that does not compile is simply left out of `make progress` and
//! `make run IMPL=workshop`, which run the reference in its place.
//!
//! * [`yours`]: the [`Layer`](gossip_exercises::workshop::Layer) that takes a module's functions from your
//!   file (for the modules compiled in);
//! * [`compiled`]: whether a module's file is part of this build.
//!
//! Binaries: `gossip-graded` (the checks on your code; `gossip-check`
//! builds and runs it) and `gossip-node-workshop` (a node on your code).

use gossip_exercises::workshop::Code;

/// Your files' [`Layer`](gossip_exercises::workshop::Layer): `base` with module `number`'s functions taken
/// from your file, if it is compiled in (else `base` unchanged).
pub fn yours(number: u8, base: Code) -> Code {
    match number {
        #[cfg(feature = "ex00")]
        0 => gossip_exercises::module_code!(0, gossip_ex00, base),
        #[cfg(feature = "ex01")]
        1 => gossip_exercises::module_code!(1, gossip_ex01, base),
        #[cfg(feature = "ex02")]
        2 => gossip_exercises::module_code!(2, gossip_ex02, base),
        #[cfg(feature = "ex03")]
        3 => gossip_exercises::module_code!(3, gossip_ex03, base),
        #[cfg(feature = "ex04")]
        4 => gossip_exercises::module_code!(4, gossip_ex04, base),
        #[cfg(feature = "ex05")]
        5 => gossip_exercises::module_code!(5, gossip_ex05, base),
        #[cfg(feature = "ex06")]
        6 => gossip_exercises::module_code!(6, gossip_ex06, base),
        #[cfg(feature = "ex07")]
        7 => gossip_exercises::module_code!(7, gossip_ex07, base),
        #[cfg(feature = "ex08")]
        8 => gossip_exercises::module_code!(8, gossip_ex08, base),
        #[cfg(feature = "ex09")]
        9 => gossip_exercises::module_code!(9, gossip_ex09, base),
        _ => base,
    }
}

/// Whether module `number`'s file is compiled into this build.
pub fn compiled(number: u8) -> bool {
    const BUILT: [bool; 10] = [
        cfg!(feature = "ex00"),
        cfg!(feature = "ex01"),
        cfg!(feature = "ex02"),
        cfg!(feature = "ex03"),
        cfg!(feature = "ex04"),
        cfg!(feature = "ex05"),
        cfg!(feature = "ex06"),
        cfg!(feature = "ex07"),
        cfg!(feature = "ex08"),
        cfg!(feature = "ex09"),
    ];
    BUILT.get(usize::from(number)).copied().unwrap_or(false)
}
