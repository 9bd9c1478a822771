//! `make hint EX=04`: one hint at a time, each saying a little more than
//! the one before. Which ones you have seen is remembered in
//! `.run/hints-seen` (ignored by git), so the next call shows the next one;
//! `--all` shows them all.

use crate::modules::Module;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The numbered hints of a module's `hints.md`, in order.
pub fn list(module: &Module) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    for line in module.hints.lines() {
        let numbered = line
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        match (numbered, hints.last_mut()) {
            (Some((_, text)), _) => hints.push(text.trim().to_owned()),
            (None, Some(last)) if !line.trim().is_empty() => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => {}
        }
    }
    hints
}

/// How many hints of each module have been shown, kept in a small file.
pub struct Seen {
    file: PathBuf,
    counts: BTreeMap<u8, usize>,
}

impl Seen {
    /// The record kept under `root` (the workspace); empty if there is none
    /// or it cannot be read.
    pub fn load(root: &Path) -> Seen {
        let file = root.join(".run").join("hints-seen");
        let counts = std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let (module, count) = line.split_once(' ')?;
                Some((module.parse().ok()?, count.trim().parse().ok()?))
            })
            .collect();
        Seen { file, counts }
    }

    /// Show module `module`'s next hint (or every hint with `all`), and
    /// remember it. The text to print.
    pub fn next(&mut self, module: &Module, all: bool) -> String {
        let hints = list(module);
        let title = format!("Hints for module {:02} — {}", module.number, module.title);
        if hints.is_empty() {
            return format!("{title}\n(no hints yet)\n");
        }
        let total = hints.len();
        let seen = self.counts.get(&module.number).copied().unwrap_or(0);
        let mut out = format!("{title}\n\n");
        let shown = if all { total } else { (seen + 1).min(total) };
        let first = if all { 0 } else { shown - 1 };
        for (i, hint) in hints.iter().enumerate().take(shown).skip(first) {
            out.push_str(&wrap(&format!("Hint {} of {total}: {hint}", i + 1)));
        }
        if !all && seen >= total {
            out.push_str(&format!(
                "\nThat was the last one. `make hint EX={:02} ALL=1` shows them all.\n",
                module.number
            ));
        } else if shown < total {
            out.push_str(&format!(
                "\n`make hint EX={:02}` again for the next one ({} left); ALL=1 shows every hint.\n",
                module.number,
                total - shown
            ));
        }
        self.counts.insert(module.number, shown.max(seen));
        if let Err(e) = self.save() {
            out.push_str(&format!(
                "(could not remember which hints you saw in {}: {e})\n",
                self.file.display()
            ));
        }
        out
    }

    /// Forget what was seen for `module` (`make hint EX=04 RESET=1`).
    pub fn reset(&mut self, module: &Module) -> std::io::Result<()> {
        self.counts.remove(&module.number);
        self.save()
    }

    fn save(&self) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text: String = self
            .counts
            .iter()
            .map(|(module, count)| format!("{module:02} {count}\n"))
            .collect();
        std::fs::write(&self.file, text)
    }
}

/// `text` wrapped to lines of at most 78 characters, the later ones
/// indented, as a terminal shows it best.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 78 {
            out.push_str(&line);
            out.push('\n');
            line = "    ".to_owned();
        } else if !line.is_empty() && line != "    " {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::{module, MODULES};

    #[test]
    fn every_module_has_several_numbered_hints() {
        for m in MODULES {
            assert!(list(m).len() >= 3, "module {:02}: {:?}", m.number, list(m));
        }
    }

    #[test]
    fn hints_come_one_at_a_time_and_are_remembered() {
        let root = std::env::temp_dir().join(format!("gossip-hints-{}", std::process::id()));
        let m = module(4).unwrap();
        let hints = list(m);
        let mut seen = Seen::load(&root);
        seen.reset(m).unwrap();
        let first = seen.next(m, false);
        assert!(
            first.contains(&format!("Hint 1 of {}", hints.len())),
            "{first}"
        );
        assert!(!first.contains("Hint 2 of"), "{first}");
        // A new process reads what the last one saw.
        let second = Seen::load(&root).next(m, false);
        assert!(
            second.contains("Hint 2 of") && !second.contains("Hint 1 of"),
            "{second}"
        );
        let all = Seen::load(&root).next(m, true);
        let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(hints.iter().all(|h| flat.contains(h.as_str())), "{all}");
        let mut last = Seen::load(&root);
        for _ in 0..hints.len() {
            last.next(m, false);
        }
        assert!(last.next(m, false).contains("That was the last one"));
        let _ = std::fs::remove_dir_all(&root);
    }
}
