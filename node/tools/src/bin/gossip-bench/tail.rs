//! Watching a log file for new lines, as `tail -f` does. Both our nodes and
//! Serf's agents log a line when news arrives, so the benchmark can see the
//! moment each one learned something the same way for both.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

pub struct Tail {
    path: PathBuf,
    offset: u64,
    /// The start of a line whose end has not been written yet.
    partial: String,
}

impl Tail {
    /// Follow `path` from its current end: only lines written from now count.
    pub fn from_end(path: PathBuf) -> Tail {
        let offset = std::fs::metadata(&path).map_or(0, |m| m.len());
        Tail {
            path,
            offset,
            partial: String::new(),
        }
    }

    /// The complete lines written since the last call.
    pub fn new_lines(&mut self) -> Vec<String> {
        let Ok(mut file) = File::open(&self.path) else {
            return Vec::new();
        };
        let mut bytes = Vec::new();
        if file.seek(SeekFrom::Start(self.offset)).is_err() || file.read_to_end(&mut bytes).is_err()
        {
            return Vec::new();
        }
        self.offset += bytes.len() as u64;
        self.partial.push_str(&String::from_utf8_lossy(&bytes));
        let Some(end) = self.partial.rfind('\n') else {
            return Vec::new();
        };
        let rest = self.partial.split_off(end + 1);
        let done = std::mem::replace(&mut self.partial, rest);
        done.lines().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sees_only_new_complete_lines() {
        let path = std::env::temp_dir().join(format!("bench-tail-{}", std::process::id()));
        std::fs::write(&path, "old line\n").unwrap();
        let mut tail = Tail::from_end(path.clone());
        assert!(tail.new_lines().is_empty());
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        write!(file, "one\ntw").unwrap();
        assert_eq!(tail.new_lines(), ["one"]);
        writeln!(file, "o").unwrap();
        assert_eq!(tail.new_lines(), ["two"]);
        std::fs::remove_file(path).unwrap();
    }
}
