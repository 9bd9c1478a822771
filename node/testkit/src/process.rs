//! One running binary of the workshop: started with its log in a file, its
//! address read from its first log line, killed when dropped so that no
//! test leaves a process behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A running binary. Killed when dropped, so no test leaves one behind.
pub struct Process {
    child: Child,
    /// `host:port` the process said it listens on.
    pub addr: String,
    pub log: PathBuf,
}

impl Process {
    /// Start `program` with `args`, its output to `log`, and wait until its
    /// log names the address it listens on.
    pub fn start(program: &Path, args: &[String], log: PathBuf) -> Process {
        let out = fs::File::create(&log).expect("log file");
        let child = Command::new(program)
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let mut process = Process {
            child,
            addr: String::new(),
            log,
        };
        process.addr = process.wait_for_address();
        process
    }

    fn wait_for_address(&mut self) -> String {
        let start = Instant::now();
        loop {
            let text = fs::read_to_string(&self.log).unwrap_or_default();
            if let Some(rest) = text.split("listening on http://").nth(1) {
                let addr: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                if !addr.is_empty() {
                    return addr;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("process exited ({status}) before listening:\n{text}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no address after 30 s:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `http://host:port` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("addr has a port")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, like a crash, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Wait for the process to exit by itself; its status.
    pub fn wait_exit(&mut self, deadline: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                start.elapsed() < deadline,
                "process still running after {deadline:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, like `make stop`, and wait for the exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if start.elapsed() > Duration::from_secs(10) {
                self.kill();
                panic!("process ignored SIGTERM for 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whatever the process has logged so far.
    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}
