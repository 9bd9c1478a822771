//! Real processes as a stage for [stories](gossip_node::story): the same
//! story the simulator plays in virtual time, played on `gossip-node`
//! processes on free ports, in real time, over HTTP.
//!
//! Each action is what a participant does with a terminal and curl: start
//! the sheet's cluster, `kill -9` a node, start it again on its port, `POST
//! /update`, `POST /admin/faults`. Each expectation reads `GET /state` (or
//! `/metrics` for rumors still spreading). The waiting is the story
//! runner's, [`play`](gossip_node::story::play): it polls with the step's
//! deadline and prints the story so far when a step does not come true.
//!
//! ```no_run
//! use gossip_node::story::{play, sheet_challenge};
//! use gossip_testkit::stage::ProcessStage;
//!
//! let mut stage = ProcessStage::new("micro-challenge", &["--interval", "100ms"]);
//! if let Err(failure) = play(&sheet_challenge(false), &mut stage) {
//!     panic!("{failure}");
//! }
//! ```

use crate::harness::{self, Process};
use gossip_node::core::faults::Faults;
use gossip_node::core::version::NodeId;
use gossip_node::core::NodeState;
use gossip_node::story::{Action, Stage};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long one request to a node may take before it counts as no answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// A story's cluster of real processes, started the sheet's way: node `i`
/// on its own port, knowing every other node's port.
pub struct ProcessStage {
    program: String,
    flags: Vec<String>,
    dir: PathBuf,
    ports: Vec<u16>,
    /// `None` while a node is crashed.
    nodes: Vec<Option<Process>>,
    /// The faults the story has set on each node, sent whole on each change.
    faults: Vec<Faults>,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    began: Instant,
}

impl ProcessStage {
    /// A stage of `gossip-node` processes, each started with `flags` besides
    /// the sheet's `--port`, `--id` and `--neighbors` (and `--visualizer off`
    /// unless `flags` name a visualizer).
    pub fn new(label: &str, flags: &[&str]) -> ProcessStage {
        ProcessStage::of_program("gossip-node", label, flags)
    }

    /// A stage of any binary with `gossip-node`'s command line (such as
    /// `gossip-node-workshop`).
    pub fn of_program(program: &str, label: &str, flags: &[&str]) -> ProcessStage {
        let mut all: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        if !flags.contains(&"--visualizer") {
            all.extend(["--visualizer".to_owned(), "off".to_owned()]);
        }
        ProcessStage {
            program: program.to_owned(),
            flags: all,
            dir: harness::scratch_dir(label),
            ports: Vec::new(),
            nodes: Vec::new(),
            faults: Vec::new(),
            client: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .pool_idle_timeout(gossip_node::runtime::serve::CLIENT_POOL_IDLE)
                .build()
                .expect("an HTTP client without TLS builds"),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a one-thread runtime starts"),
            began: Instant::now(),
        }
    }

    /// Node `id`'s process, while it runs: for what a story does not say
    /// (its log, its metrics).
    pub fn node(&self, id: u64) -> Option<&Process> {
        self.nodes.get(id.checked_sub(1)? as usize)?.as_ref()
    }

    /// Run a future on the stage's runtime, such as a [`harness`] query
    /// about one of its nodes.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    fn start_node(&self, id: u64) -> Process {
        let flags: Vec<&str> = self.flags.iter().map(String::as_str).collect();
        harness::start_sheet_program_node(&self.program, &self.dir, id, &self.ports, &flags)
    }

    /// The running process of node `id`, or why there is none.
    fn up(&self, id: u64) -> Result<&Process, String> {
        match self.nodes.get((id as usize).wrapping_sub(1)) {
            None if self.nodes.is_empty() => {
                Err("no cluster yet: a story begins with `start`".into())
            }
            None => Err(format!("there is no node {id}")),
            Some(None) => Err(format!("node {id} is down")),
            Some(Some(process)) => Ok(process),
        }
    }

    /// POST JSON to node `id`; an answer other than 200 is the step's error.
    fn post(&self, id: u64, path: &str, body: String) -> Result<(), String> {
        let url = self.up(id)?.url(path);
        let answer = self.runtime.block_on(async {
            let response = self
                .client
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await?;
            let status = response.status();
            Ok::<_, reqwest::Error>((status, response.text().await.unwrap_or_default()))
        });
        match answer {
            Ok((status, _)) if status.is_success() => Ok(()),
            Ok((status, text)) => Err(format!(
                "node {id} answered POST {path} with {status}: {text}"
            )),
            Err(e) => Err(format!("node {id} does not answer POST {path}: {e}")),
        }
    }

    fn send_faults(&self, id: u64) -> Result<(), String> {
        let body = serde_json::to_string(&self.faults[id as usize - 1]).expect("faults serialize");
        self.post(id, "/admin/faults", body)
    }
}

impl Stage for ProcessStage {
    fn state(&mut self, id: u64) -> Result<NodeState, String> {
        let url = self.up(id)?.url("/state");
        let answer = self.runtime.block_on(async {
            let response = self.client.get(&url).send().await?.error_for_status()?;
            response.json::<NodeState>().await
        });
        answer.map_err(|e| format!("node {id} does not answer GET /state: {e}"))
    }

    fn hot_rumors(&mut self, id: u64) -> Result<u64, String> {
        let url = self.up(id)?.url("/metrics");
        let text = self
            .runtime
            .block_on(async { self.client.get(&url).send().await?.text().await })
            .map_err(|e| format!("node {id} does not answer GET /metrics: {e}"))?;
        harness::sample(&text, "gossip_hot_rumors")
            .ok_or_else(|| format!("node {id}'s /metrics has no gossip_hot_rumors"))
    }

    fn act(&mut self, action: &Action) -> Result<(), String> {
        match action {
            Action::Start { nodes } => {
                if !self.nodes.is_empty() {
                    return Err("the cluster has started already".into());
                }
                let n = *nodes as usize;
                self.ports = harness::sheet_ports(n);
                self.faults = vec![Faults::default(); n];
                self.nodes = (1..=*nodes).map(|id| Some(self.start_node(id))).collect();
            }
            Action::Crash { node } => {
                self.up(*node)?;
                if let Some(mut process) = self.nodes[*node as usize - 1].take() {
                    process.kill();
                }
            }
            Action::Restart { node } => match self.up(*node) {
                Err(why) if why.ends_with("is down") => {
                    self.faults[*node as usize - 1] = Faults::default();
                    self.nodes[*node as usize - 1] = Some(self.start_node(*node));
                }
                Err(why) => return Err(why),
                Ok(_) => return Err(format!("node {node} is running: crash it first")),
            },
            Action::Write { node, key, value } => {
                let body = serde_json::json!({ "key": key, "value": value }).to_string();
                self.post(*node, "/update", body)?;
            }
            Action::Cut { a, b } => {
                for (from, to) in [(*a, *b), (*b, *a)] {
                    self.up(from)?;
                    let faults = &mut self.faults[from as usize - 1];
                    if !faults.partition.contains(&NodeId(to)) {
                        faults.partition.push(NodeId(to));
                    }
                    self.send_faults(from)?;
                }
            }
            Action::Heal => {
                for id in 1..=self.nodes.len() as u64 {
                    let faults = &mut self.faults[id as usize - 1];
                    faults.partition.clear();
                    faults.direction = Default::default();
                    if self.up(id).is_ok() {
                        self.send_faults(id)?;
                    }
                }
            }
            Action::SetFaults { node, faults } => {
                faults.validate()?;
                self.up(*node)?;
                self.faults[*node as usize - 1] = faults.clone();
                self.send_faults(*node)?;
            }
            Action::Wait { span } => self.pass(*span),
        }
        Ok(())
    }

    fn pass(&mut self, span: Duration) {
        std::thread::sleep(span);
    }

    fn elapsed(&self) -> Duration {
        self.began.elapsed()
    }
}
