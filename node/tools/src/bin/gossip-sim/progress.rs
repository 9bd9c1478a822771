//! Progress bars for the long runs. They draw on stderr and only on a
//! terminal, so `--json` output and logs stay clean.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps, labelled `what`; hidden when `quiet`.
pub fn bar(len: u64, what: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} {elapsed}")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}
