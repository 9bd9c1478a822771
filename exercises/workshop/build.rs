//! Turns each module's feature that is on (`ex06`, which compiles your
//! file for module 06 in) into the cfg `ex06`, for `src/lib.rs`.
//!
//! `#[cfg(feature = "ex06")]` wants the feature's name as a string, and
//! the macro that reads the table of modules only has the name `ex06`; a
//! plain cfg takes the name as it is: `#[cfg(ex06)]`.

fn main() {
    // Every name a module can have, so that rustc knows them all.
    let names: Vec<String> = (0..100).map(|n| format!("ex{n:02}")).collect();
    println!("cargo::rustc-check-cfg=cfg({})", names.join(", "));
    for name in names {
        // Cargo tells a build script each feature that is on.
        if std::env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some() {
            println!("cargo::rustc-cfg={name}");
        }
    }
}
