//! What the benchmark measures, the same way for any cluster: ours or Serf.

use crate::tail::Tail;
use anyhow::{bail, Result};
use gossip_tools::procfs;
use rand::Rng;
use std::time::{Duration, Instant};

/// A running cluster the benchmark can poke.
pub trait Cluster {
    fn size(&self) -> usize;
    /// Process ids of the members still running, by index.
    fn pid(&self, node: usize) -> Option<u32>;
    /// The log of node `node`, to watch for news arriving.
    fn tail(&mut self, node: usize) -> &mut Tail;
    /// Start spreading a piece of news named `marker` from node `node`
    /// (an update for us, a user event for Serf); it returns once the node
    /// has accepted it.
    fn spread(&mut self, node: usize, marker: &str) -> Result<()>;
    /// How many members node `node` holds alive.
    fn alive_seen_by(&mut self, node: usize) -> Result<usize>;
    /// Whether node `observer` has marked node `victim` failed (dead).
    fn sees_failed(&mut self, observer: usize, victim: usize) -> Result<bool>;
    /// SIGKILL node `node` (only processes this benchmark started).
    fn kill(&mut self, node: usize);
    /// Where the cluster's logs are.
    fn log_dir(&self) -> Option<&std::path::Path>;
}

/// Wait until every node sees every node alive.
pub fn wait_formed(cluster: &mut dyn Cluster, deadline: Duration) -> Result<Duration> {
    let start = Instant::now();
    let n = cluster.size();
    loop {
        let mut formed = true;
        for node in 0..n {
            if cluster.alive_seen_by(node).unwrap_or(0) < n {
                formed = false;
                break;
            }
        }
        if formed {
            return Ok(start.elapsed());
        }
        if start.elapsed() > deadline {
            bail!("the cluster of {n} did not form within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Resident memory (bytes) and CPU use (share of one core) per node, mean
/// over the nodes, measured over `window` of doing nothing.
pub fn idle(cluster: &dyn Cluster, window: Duration) -> Result<(f64, f64)> {
    let pids: Vec<u32> = (0..cluster.size()).filter_map(|i| cluster.pid(i)).collect();
    let before: Vec<Duration> = pids.iter().filter_map(|p| procfs::cpu_time(*p)).collect();
    std::thread::sleep(window);
    let after: Vec<Duration> = pids.iter().filter_map(|p| procfs::cpu_time(*p)).collect();
    let rss: Vec<u64> = pids.iter().filter_map(|p| procfs::rss(*p)).collect();
    if before.len() != pids.len() || after.len() != pids.len() || rss.len() != pids.len() {
        bail!("cannot read /proc for the cluster's processes (Linux only)");
    }
    let cpu: f64 = after
        .iter()
        .zip(&before)
        .map(|(a, b)| (*a - *b).as_secs_f64())
        .sum();
    let n = pids.len() as f64;
    let mean_rss = rss.iter().sum::<u64>() as f64 / n;
    Ok((mean_rss, cpu / n / window.as_secs_f64()))
}

/// Time from handing news to a random node until every node has logged it.
/// Sends are spaced by random gaps so they do not line up with the gossip tick.
pub fn propagation(
    cluster: &mut dyn Cluster,
    trials: usize,
    label: &str,
    rng: &mut impl Rng,
    missed: &mut Vec<String>,
) -> Result<Vec<Duration>> {
    let n = cluster.size();
    let mut times = Vec::new();
    for trial in 0..trials {
        std::thread::sleep(Duration::from_millis(rng.random_range(200..1_200)));
        let marker = format!("bench-{label}-{trial}-{}", rng.random::<u32>());
        for node in 0..n {
            cluster.tail(node).new_lines(); // forget older lines
        }
        let mut heard = vec![false; n];
        let start = Instant::now();
        cluster.spread(rng.random_range(0..n), &marker)?;
        while heard.iter().any(|h| !h) {
            for (node, heard) in heard.iter_mut().enumerate().filter(|(_, h)| !**h) {
                *heard = cluster
                    .tail(node)
                    .new_lines()
                    .iter()
                    .any(|l| l.contains(&marker));
            }
            if start.elapsed() > Duration::from_secs(60) {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let missing = heard.iter().filter(|h| !**h).count();
        if missing > 0 {
            // Counted and reported, not a median's sample: the run goes on.
            eprintln!("  {missing} of {n} nodes never logged {marker} within 60 s");
            missed.push(marker);
        } else {
            times.push(start.elapsed());
        }
    }
    Ok(times)
}

/// SIGKILL node `victim`; the time until every other running node has
/// marked it failed, polling each one that has not yet about every 50 ms.
pub fn detection(cluster: &mut dyn Cluster, victim: usize) -> Result<Duration> {
    let n = cluster.size();
    let mut pending: Vec<usize> = (0..n)
        .filter(|i| *i != victim && cluster.pid(*i).is_some())
        .collect();
    let start = Instant::now();
    let wall = std::time::SystemTime::now();
    cluster.kill(victim);
    if let Some(dir) = cluster.log_dir() {
        // For reading the logs afterwards: when, exactly, the kill happened.
        let since_epoch = wall
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let note = format!(
            "SIGKILL to node {} at unix time {:.3}\n",
            victim + 1,
            since_epoch.as_secs_f64()
        );
        let file = dir.join(format!("killed-{}.txt", victim + 1));
        let _ = std::fs::write(file, note);
    }
    while !pending.is_empty() {
        let mut still = Vec::new();
        for observer in pending {
            if !cluster.sees_failed(observer, victim)? {
                still.push(observer);
            }
        }
        pending = still;
        if start.elapsed() > Duration::from_secs(180) {
            bail!(
                "{} nodes still hold the killed node alive after 180 s",
                pending.len()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(start.elapsed())
}

/// The median of some durations, in seconds.
pub fn median(values: &[Duration]) -> Option<f64> {
    let mut secs: Vec<f64> = values.iter().map(Duration::as_secs_f64).collect();
    secs.sort_by(f64::total_cmp);
    let n = secs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(secs[n / 2]),
        _ => Some((secs[n / 2 - 1] + secs[n / 2]) / 2.0),
    }
}
