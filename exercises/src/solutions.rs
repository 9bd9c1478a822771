//! The solutions, at the same paths under `solutions/` as your files.
//! Try the exercise first: the checker's messages are written to get you
//! there without peeking.
//!
//! One module per file, named as the file (`solutions::pull` is
//! `solutions/03_pull/pull.rs`), declared from the table of modules
//! ([`for_each_module!`](crate::for_each_module)).

/// Reads the table into one module per solution file: the folder is an
/// inline module whose `#[path]` is the folder, so the file inside is found
/// by its name (`#[path]` wants a literal, and `concat!` is not one).
macro_rules! solution_files {
    ($($name:ident $folder:literal $file:ident.rs $title:literal $kind:ident $functions:tt)*) => {
        $(
            #[path = $folder]
            mod $name {
                pub mod $file;
            }
            pub use $name::$file;
        )*
    };
}

#[path = "../solutions"]
mod tree {
    crate::for_each_module!(solution_files);
}

pub use tree::*;
