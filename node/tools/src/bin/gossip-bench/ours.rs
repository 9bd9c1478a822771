//! Our cluster: real `gossip-node` processes on 127.0.0.1, started with the
//! test harness and set to memberlist's LAN timings (what Serf runs).

use crate::cluster::Cluster;
use crate::tail::Tail;
use anyhow::{bail, Context, Result};
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::NodeState;
use gossip_testkit::harness::{self, Process};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// memberlist's LAN profile, which Serf's agent uses: gossip to 3 members
/// every 200 ms; probe one member a second, 500 ms timeout; multipliers 4.
pub const LAN_TIMINGS: &[&str] = &[
    "--visualizer",
    "off",
    "--interval",
    "200ms",
    "--fanout",
    "3",
    "--probe-interval",
    "1s",
    "--probe-timeout",
    "500ms",
    "--suspicion-mult",
    "4",
    "--retransmit-mult",
    "4",
];

pub struct Ours {
    dir: PathBuf,
    nodes: Vec<Option<Process>>,
    tails: Vec<Tail>,
    http: reqwest::Client,
    /// The bench is plain sequential code; each request is run to its end
    /// on this one-thread runtime.
    runtime: tokio::runtime::Runtime,
}

impl Ours {
    /// Node 1 on a port the OS picks; the others, also on any free port,
    /// join through node 1 (no port is chosen in advance, so none can be
    /// taken by another process in between).
    /// `levers`: options beyond the timings (`--forward-at-once on`).
    pub fn start(dir: &Path, n: usize, levers: &[&str]) -> Result<Ours> {
        let args: Vec<&str> = LAN_TIMINGS.iter().chain(levers).copied().collect();
        let first = harness::start_node(dir, 1, 0, &[], &args);
        let seed = vec![first.addr.clone()];
        let mut nodes = vec![first];
        for id in 2..=n as u64 {
            nodes.push(harness::start_node(dir, id, 0, &seed, &args));
        }
        let tails = nodes
            .iter()
            .map(|p| Tail::from_end(p.log.clone()))
            .collect();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .pool_idle_timeout(gossip_node::runtime::serve::CLIENT_POOL_IDLE)
            .build()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Ours {
            dir: dir.to_owned(),
            nodes: nodes.into_iter().map(Some).collect(),
            tails,
            http,
            runtime,
        })
    }

    fn state(&self, node: usize) -> Result<NodeState> {
        let Some(process) = &self.nodes[node] else {
            bail!("node {} was killed", node + 1);
        };
        let request = self.http.get(process.url("/state"));
        let state = self
            .runtime
            .block_on(async { request.send().await?.error_for_status()?.json().await })?;
        Ok(state)
    }
}

impl Cluster for Ours {
    fn size(&self) -> usize {
        self.nodes.len()
    }

    fn pid(&self, node: usize) -> Option<u32> {
        self.nodes[node].as_ref().map(Process::pid)
    }

    fn tail(&mut self, node: usize) -> &mut Tail {
        &mut self.tails[node]
    }

    fn spread(&mut self, node: usize, marker: &str) -> Result<()> {
        let process = self.nodes[node].as_ref().context("node was killed")?;
        let body = serde_json::json!({ "key": marker, "value": "x" });
        let request = self.http.post(process.url("/update")).json(&body);
        self.runtime
            .block_on(async { request.send().await?.error_for_status() })?;
        Ok(())
    }

    fn alive_seen_by(&mut self, node: usize) -> Result<usize> {
        let state = self.state(node)?;
        Ok(state
            .members
            .iter()
            .filter(|m| m.status == MemberStatus::Alive)
            .count())
    }

    fn sees_failed(&mut self, observer: usize, victim: usize) -> Result<bool> {
        let state = self.state(observer)?;
        Ok(state
            .members
            .iter()
            .any(|m| m.id.0 == victim as u64 + 1 && m.status == MemberStatus::Dead))
    }

    fn log_dir(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn kill(&mut self, node: usize) {
        if let Some(mut process) = self.nodes[node].take() {
            process.kill();
        }
    }
}
