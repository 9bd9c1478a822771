//! Control from the page: kill, restart and add the nodes `make run`
//! started, and change the whole cluster's pace.
//!
//! `make run` keeps what it started in `.run/`: a pid file and a log per
//! node (`node-3.pid`, `node-3.log`), the node command (`node-cmd`), the
//! flags it was given (`node-args`) and the first port (`cluster.mk`).
//! Started with `--cluster-dir .run`, the visualizer does what `make kill`
//! and `make restart` do, in the same files, so the page and the terminal
//! can take turns: a node the page started is stopped by `make stop`.
//!
//! * **kill** sends SIGKILL: a crash, no goodbye. The node's stream to the
//!   visualizer ends at once, so the page shows it gone at once; the other
//!   nodes only find out by probing it (SWIM), which is the lesson.
//! * **restart** stops the node if it runs (SIGTERM, SIGKILL after 3 s) and
//!   starts it again with an empty store, as `make restart` does.
//! * **add** starts node N+1 on the next port, knowing every node the page
//!   knows.
//! * **settings** (the round, anti-entropy on or off) go to every node
//!   (`POST /admin/settings`), and later nodes start with them.
//!
//! Before a signal goes to a pid from a file, the process is checked to be
//! that node (`--id 3` on its command line): a stale pid file never kills a
//! stranger. Only on a visualizer that listens on loopback (`main` refuses
//! `--cluster-dir` with any other `--bind`).

use gossip_node::core::version::NodeId;
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The most nodes the page may run; the ring shows this many well.
pub const MAX_NODES: u64 = 32;
/// How long a stopped node gets to leave before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// How long a started node gets to answer `/health`.
const START_DEADLINE: Duration = Duration::from_secs(5);

/// Why a control action did not happen.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Asked of a node that cannot take it (not running, too many): 409.
    Conflict(String),
    /// Something on this machine failed (spawn, files): 500.
    Failed(String),
}

/// What the page set since the cluster started: `None` is "as started".
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Chosen {
    pub interval_ms: Option<u64>,
    /// `Some(None)`: anti-entropy turned off.
    pub anti_entropy_ms: Option<Option<u64>>,
}

/// Starts and stops the nodes of one `make run` cluster.
#[derive(Debug)]
pub struct Launcher {
    dir: PathBuf,
    /// The node program and its first arguments (`IMPL`'s command).
    command: Vec<String>,
    /// The flags `make run` was given (`NODE_ARGS`).
    node_args: Vec<String>,
    base_port: u16,
    /// Where started nodes stream their events: this visualizer.
    ingest: String,
    /// The settings chosen on the page, for nodes started later.
    chosen: Mutex<Chosen>,
    /// One action at a time: two quick clicks restart a node once.
    busy: tokio::sync::Mutex<()>,
}

impl Launcher {
    /// Read what `make run` left in `dir`; the visualizer listens on `port`.
    pub fn load(dir: &Path, port: u16) -> Result<Launcher, String> {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| {
                format!(
                    "{}: {e} (is this the folder `make run` uses?)",
                    dir.join(name).display()
                )
            })
        };
        let command =
            shell_words::split(read("node-cmd")?.trim()).map_err(|e| format!("node-cmd: {e}"))?;
        if command.is_empty() {
            return Err("node-cmd is empty".into());
        }
        let node_args = match std::fs::read_to_string(dir.join("node-args")) {
            Ok(text) => shell_words::split(text.trim()).map_err(|e| format!("node-args: {e}"))?,
            Err(_) => Vec::new(),
        };
        let base_port = read("cluster.mk")?
            .lines()
            .find_map(|line| line.strip_prefix("BASE_PORT := "))
            .and_then(|port| port.trim().parse::<u16>().ok())
            .ok_or("cluster.mk names no BASE_PORT")?;
        Ok(Launcher {
            dir: dir.to_path_buf(),
            command,
            node_args,
            base_port,
            ingest: format!("ws://127.0.0.1:{port}/ingest"),
            chosen: Mutex::new(Chosen::default()),
            busy: tokio::sync::Mutex::new(()),
        })
    }

    /// Node `id`'s port: `make`'s rule, BASE_PORT + id - 1.
    pub fn port_of(&self, id: NodeId) -> Option<u16> {
        let port = u64::from(self.base_port) + id.0.checked_sub(1)?;
        u16::try_from(port).ok()
    }

    fn pid_file(&self, id: NodeId) -> PathBuf {
        self.dir.join(format!("node-{}.pid", id.0))
    }

    /// The pid of node `id`, if its pid file names a live process that is
    /// that node.
    pub fn running(&self, id: NodeId) -> Option<Pid> {
        let text = std::fs::read_to_string(self.pid_file(id)).ok()?;
        let pid: i32 = text.trim().parse().ok().filter(|p| *p > 0)?;
        is_node(pid, id).then(|| Pid::from_raw(pid))
    }

    /// The ids of every node with a pid file here (running or not).
    pub fn pid_file_ids(&self) -> Vec<NodeId> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let id = name.strip_prefix("node-")?.strip_suffix(".pid")?;
                id.parse().ok().map(NodeId)
            })
            .collect()
    }

    /// Every node with a pid file here that is running, and where it
    /// listens: a node just started is one before its stream reaches the
    /// page.
    pub fn running_nodes(&self) -> Vec<(NodeId, String)> {
        let mut nodes: Vec<(NodeId, String)> = self
            .pid_file_ids()
            .into_iter()
            .filter(|id| self.running(*id).is_some())
            .filter_map(|id| Some((id, format!("127.0.0.1:{}", self.port_of(id)?))))
            .collect();
        nodes.sort();
        nodes
    }

    /// Wait for any kill, restart or add in progress, and hold off the
    /// next until the guard is dropped: a change of settings then reaches
    /// a node that was starting, or the node starts with it.
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.busy.lock().await
    }

    /// SIGKILL node `id`.
    pub async fn kill(&self, id: NodeId) -> Result<Pid, Refused> {
        let _one = self.busy.lock().await;
        let pid = self
            .running(id)
            .ok_or_else(|| Refused::Conflict(format!("node {id} is not running")))?;
        kill(pid, Signal::SIGKILL).map_err(|e| Refused::Failed(format!("kill {pid}: {e}")))?;
        let _ = std::fs::remove_file(self.pid_file(id));
        tracing::info!("killed node {id} (pid {pid}, SIGKILL) from the page");
        Ok(pid)
    }

    /// Stop node `id` if it runs, and start it again with an empty store,
    /// knowing `peers` (ids).
    pub async fn restart(&self, id: NodeId, peers: &[NodeId]) -> Result<Pid, Refused> {
        let _one = self.busy.lock().await;
        self.port_of(id)
            .ok_or_else(|| Refused::Conflict(format!("node {id} has no port")))?;
        if let Some(pid) = self.running(id) {
            let _ = kill(pid, Signal::SIGTERM);
            let deadline = Instant::now() + STOP_GRACE;
            while is_node(pid.as_raw(), id) && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if is_node(pid.as_raw(), id) {
                let _ = kill(pid, Signal::SIGKILL);
            }
        }
        self.start(id, peers).await
    }

    /// Start the next node, knowing `peers`: its id (one above the highest
    /// the page knows).
    pub async fn add(&self, peers: &[NodeId]) -> Result<(NodeId, Pid), Refused> {
        let _one = self.busy.lock().await;
        let id = NodeId(peers.iter().map(|p| p.0).max().unwrap_or(0) + 1);
        if id.0 > MAX_NODES {
            return Err(Refused::Conflict(format!(
                "the page starts at most {MAX_NODES} nodes"
            )));
        }
        if self.running(id).is_some() {
            return Err(Refused::Conflict(format!("node {id} is already running")));
        }
        self.start(id, peers).await.map(|pid| (id, pid))
    }

    /// Remember what the page set, for nodes started from now on.
    pub fn remember(&self, change: Chosen) {
        let mut chosen = self.chosen.lock().unwrap_or_else(|p| p.into_inner());
        if change.interval_ms.is_some() {
            chosen.interval_ms = change.interval_ms;
        }
        if change.anti_entropy_ms.is_some() {
            chosen.anti_entropy_ms = change.anti_entropy_ms;
        }
    }

    /// The command line of node `id`, knowing `peers`.
    pub fn command_line(&self, id: NodeId, peers: &[NodeId]) -> Option<Vec<String>> {
        let port = self.port_of(id)?;
        let neighbors: Vec<String> = peers
            .iter()
            .filter(|p| **p != id)
            .filter_map(|p| self.port_of(*p))
            .map(|p| p.to_string())
            .collect();
        let mut line = self.command.clone();
        line.extend([
            "--port".into(),
            port.to_string(),
            "--id".into(),
            id.to_string(),
        ]);
        line.extend(["--neighbors".into(), neighbors.join(",")]);
        line.extend(["--visualizer".into(), self.ingest.clone()]);
        line.extend(self.node_args.iter().cloned());
        // The node takes a flag's last value: these win over node-args.
        let chosen = *self.chosen.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(ms) = chosen.interval_ms {
            line.extend(["--interval".into(), format!("{ms}ms")]);
        }
        match chosen.anti_entropy_ms {
            Some(Some(ms)) => line.extend(["--anti-entropy".into(), format!("{ms}ms")]),
            Some(None) => line.extend(["--anti-entropy".into(), "off".into()]),
            None => {}
        }
        Some(line)
    }

    /// Start node `id` in the background, its log and pid in the folder,
    /// and wait until it answers `/health`.
    async fn start(&self, id: NodeId, peers: &[NodeId]) -> Result<Pid, Refused> {
        let line = self
            .command_line(id, peers)
            .ok_or_else(|| Refused::Conflict(format!("node {id} has no port")))?;
        let log_path = self.dir.join(format!("node-{}.log", id.0));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| Refused::Failed(format!("{}: {e}", log_path.display())))?;
        let err_log = log
            .try_clone()
            .map_err(|e| Refused::Failed(format!("{}: {e}", log_path.display())))?;
        let mut child = tokio::process::Command::new(&line[0])
            .args(&line[1..])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .spawn()
            .map_err(|e| Refused::Failed(format!("could not start {}: {e}", line[0])))?;
        let pid = child
            .id()
            .map(|p| Pid::from_raw(p as i32))
            .ok_or_else(|| Refused::Failed("the node exited at once".into()))?;
        std::fs::write(self.pid_file(id), format!("{pid}\n"))
            .map_err(|e| Refused::Failed(format!("pid file: {e}")))?;
        // Reap it when it exits, so that it never lingers as a zombie.
        let (exited_tx, mut exited) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let status = child.wait().await;
            let _ = exited_tx.send(status);
        });
        let port = self.port_of(id).unwrap_or_default();
        let health = format!("http://127.0.0.1:{port}/health");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            let answered = client
                .get(&health)
                .timeout(Duration::from_millis(500))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if answered {
                tracing::info!("started node {id} (pid {pid}) from the page");
                return Ok(pid);
            }
            if let Ok(status) = exited.try_recv() {
                let _ = std::fs::remove_file(self.pid_file(id));
                return Err(Refused::Failed(format!(
                    "node {id} exited ({}): {}",
                    status.map_or_else(|e| e.to_string(), |s| s.to_string()),
                    last_line(&log_path)
                )));
            }
            if Instant::now() > deadline {
                return Err(Refused::Failed(format!(
                    "node {id} did not answer on port {port} within {START_DEADLINE:?}: {}",
                    last_line(&log_path)
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Whether `pid` is a live process (not a zombie) whose command line says
/// `--id <id>`.
fn is_node(pid: i32, id: NodeId) -> bool {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let Ok(stat) = std::fs::read_to_string(proc.join("stat")) else {
        return false;
    };
    // The state follows the command name in parentheses: "123 (name) Z ...".
    let zombie = stat
        .rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
    let Ok(cmdline) = std::fs::read(proc.join("cmdline")) else {
        return false;
    };
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let id = id.to_string();
    let named = args
        .windows(2)
        .any(|w| w[0] == b"--id" && w[1] == id.as_bytes());
    !zombie && named
}

/// The last line of a log, clipped, for an error message.
fn last_line(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(no log)");
    line.chars().take(300).collect()
}
