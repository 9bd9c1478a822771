//! The simulator's figures: `gossip-sim` runs as a child process, one run at
//! a time, so each reports its own time and peak memory.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::process::Command;

#[derive(Deserialize)]
pub struct SpreadRun {
    pub full_at: Option<u32>,
    pub messages: u64,
    pub node_rounds_per_s: f64,
    pub wall_s: f64,
    pub peak_rss_bytes: Option<u64>,
}

#[derive(Deserialize)]
pub struct CrashRun {
    pub all_dead_s: Option<f64>,
    pub write_everywhere_s: Option<f64>,
    pub messages: u64,
    pub wall_setup_s: f64,
    pub wall_run_s: f64,
    pub peak_rss_bytes: Option<u64>,
}

fn gossip_sim(args: &[&str]) -> Result<String> {
    let path = gossip_testkit::harness::binary("gossip-sim");
    let output = Command::new(&path)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", path.display()))?;
    if !output.status.success() {
        bail!(
            "gossip-sim {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Push-pull, fanout 1, until everyone knows.
pub fn spread(nodes: u64) -> Result<SpreadRun> {
    let nodes = nodes.to_string();
    let text = gossip_sim(&["spread", "--mode", "push-pull", "--nodes", &nodes, "--json"])?;
    Ok(serde_json::from_str(text.trim())?)
}

/// The full protocol: a write and a crash in a formed cluster.
pub fn crash(nodes: u64) -> Result<CrashRun> {
    let nodes = nodes.to_string();
    let text = gossip_sim(&["crash", "--nodes", &nodes, "--json"])?;
    Ok(serde_json::from_str(text.trim())?)
}
