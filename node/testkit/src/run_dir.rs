//! A cluster run by the visualizer, as `make run` leaves it: a folder with
//! the node command, its flags and the first port, and a visualizer started
//! with `--cluster-dir` on that folder. The page (or a test, through the
//! same API) then adds, kills and restarts the nodes.
//!
//! Dropped, it SIGKILLs every node that has a pid file in the folder
//! before the visualizer goes: the nodes are the visualizer's children, and
//! would outlive it otherwise.

use crate::harness::{self, binary, free_port};
use crate::process::Process;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

pub struct RunDir {
    pub dir: PathBuf,
    pub base_port: u16,
    pub visualizer: Process,
    client: reqwest::Client,
}

/// `n` free ports in a row (node `i` listens on `base + i - 1`).
pub fn free_ports_in_a_row(n: u16) -> u16 {
    for _ in 0..200 {
        let base = free_port();
        let free = (1..n).all(|i| {
            base.checked_add(i)
                .is_some_and(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        });
        if free {
            return base;
        }
    }
    panic!("no {n} free ports in a row");
}

impl RunDir {
    /// A folder in `dir` for up to `room` nodes started with `node_args`,
    /// and a visualizer that runs them.
    pub fn start(dir: &Path, room: u16, node_args: &[&str]) -> RunDir {
        let run = dir.join("run");
        fs::create_dir_all(&run).expect("run folder");
        let base_port = free_ports_in_a_row(room);
        let node = binary("gossip-node");
        fs::write(run.join("node-cmd"), format!("{}\n", node.display())).expect("node-cmd");
        fs::write(run.join("node-args"), format!("{}\n", node_args.join(" "))).expect("node-args");
        let mk = format!("N := 0\nBASE_PORT := {base_port}\nVIS_PORT := 0\n");
        fs::write(run.join("cluster.mk"), mk).expect("cluster.mk");
        let args = [
            "--port".to_string(),
            "0".into(),
            "--cluster-dir".into(),
            run.display().to_string(),
        ];
        let visualizer = Process::start(
            &binary("gossip-visualizer"),
            &args,
            dir.join("visualizer.log"),
        );
        RunDir {
            dir: run,
            base_port,
            visualizer,
            client: reqwest::Client::new(),
        }
    }

    /// POST a JSON `body` to the visualizer's `path`: status and answer.
    pub async fn post(&self, path: &str, body: &str) -> (u16, Value) {
        let answer = self
            .client
            .post(self.visualizer.url(path))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("the visualizer answers");
        let status = answer.status().as_u16();
        (status, answer.json().await.unwrap_or(Value::Null))
    }

    /// Add `n` nodes through the page's API, as its *add a node* button does.
    pub async fn add_nodes(&self, n: usize) {
        for _ in 0..n {
            let (status, answer) = self.post("/api/nodes", "{}").await;
            assert_eq!(status, 200, "the visualizer starts a node: {answer}");
        }
    }

    /// The pid in node `id`'s pid file.
    pub fn pid(&self, id: u64) -> Option<u32> {
        let text = fs::read_to_string(self.dir.join(format!("node-{id}.pid"))).ok()?;
        text.trim().parse().ok()
    }

    /// `http://127.0.0.1:<node id's port>` + `path`.
    pub fn node_url(&self, id: u64, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}{path}",
            u64::from(self.base_port) + id - 1
        )
    }

    /// Wait until no connected node spreads anything any more, by what the
    /// visualizer knows: the rumor has died out.
    pub async fn wait_cold(&self) {
        let url = self.visualizer.url("/api/cluster");
        harness::wait_until("every node has stopped spreading", DEADLINE, || async {
            let cluster: Value = harness::get_json(&url).await?;
            let hot = cluster["nodes"].as_array()?.iter().any(|n| {
                n["connected"] == true && n["spreading"].as_array().is_some_and(|s| !s.is_empty())
            });
            (!hot).then_some(())
        })
        .await;
    }

    /// The nodes the page shows: (id, connected).
    pub async fn shown(&self) -> Vec<(u64, bool)> {
        let cluster: Value = harness::get_json(&self.visualizer.url("/api/cluster"))
            .await
            .unwrap_or_default();
        let nodes = cluster["nodes"].as_array().cloned().unwrap_or_default();
        nodes
            .iter()
            .filter_map(|n| Some((n["id"].as_u64()?, n["connected"].as_bool()?)))
            .collect()
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let is_pid = entry.file_name().to_string_lossy().ends_with(".pid");
            let pid = fs::read_to_string(entry.path()).unwrap_or_default();
            if is_pid && !pid.trim().is_empty() {
                let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
            }
        }
    }
}
