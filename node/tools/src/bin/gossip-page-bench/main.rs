//! `gossip-page-bench` (`make bench-page`): how smoothly the page draws, in
//! real headless Chromium at a projector's 1280x720.
//!
//! For live clusters of real `gossip-node` processes and for replays of
//! simulated runs, at each size it opens the page, waits until every node
//! is drawn, injects an update (so that the dots fly), and measures frame
//! times: the gaps between `requestAnimationFrame` callbacks, over a few
//! windows of two seconds, as a median and a 95th percentile. At 60 Hz a
//! smooth page shows 16.7 ms. On a live cluster that the visualizer runs
//! (up to 32 nodes, the page's own limit), it also presses *kill* on the
//! page and counts the milliseconds until the node is drawn gone.
//!
//! Everything runs on this machine: the nodes, the visualizer and the
//! browser share its cores, so a 200-process cluster measures the machine
//! as much as the page. Figures, not verdicts.

use anyhow::{bail, Context, Result};
use clap::Parser;
use gossip_testkit::chromium;
use gossip_testkit::harness::{self, scratch_dir, start_node, Process};
use gossip_testkit::run_dir::RunDir;
use gossip_testkit::webdriver::Browser;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gossip-page-bench",
    version,
    about = "Frame times of the page, live and in replay"
)]
struct Args {
    /// Live cluster sizes (real processes).
    #[arg(long, value_delimiter = ',', default_value = "4,32,200")]
    live: Vec<usize>,
    /// Replay sizes (simulated runs).
    #[arg(long, value_delimiter = ',', default_value = "4,32,200")]
    replay: Vec<usize>,
    /// Replay speed.
    #[arg(long, default_value_t = 10.0)]
    speed: f64,
    /// Two-second windows measured per row.
    #[arg(long, default_value_t = 3)]
    windows: usize,
    /// Leave out the live clusters.
    #[arg(long)]
    skip_live: bool,
    /// Leave out the replays.
    #[arg(long)]
    skip_replay: bool,
}

/// One row of the table.
struct Row {
    what: String,
    frames: usize,
    median: f64,
    p95: f64,
    kill_ms: Option<f64>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gossip-page-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<()> {
    let mut rows = Vec::new();
    let live_sizes = if args.skip_live {
        &[][..]
    } else {
        &args.live[..]
    };
    let replay_sizes = if args.skip_replay {
        &[][..]
    } else {
        &args.replay[..]
    };
    for &n in live_sizes {
        eprintln!("live, {n} nodes…");
        rows.push(live(n, args.windows).await?);
    }
    for &n in replay_sizes {
        eprintln!("replay, {n} nodes at {}x…", args.speed);
        rows.push(replay(n, args.speed, args.windows).await?);
    }
    println!();
    println!("| page at 1280x720 | frames | median frame | 95th percentile | kill pressed to drawn gone |");
    println!("|---|---|---|---|---|");
    for row in rows {
        let kill = row
            .kill_ms
            .map_or("–".to_owned(), |ms| format!("{ms:.0} ms"));
        println!(
            "| {} | {} | {:.1} ms | {:.1} ms | {kill} |",
            row.what, row.frames, row.median, row.p95
        );
    }
    Ok(())
}

/// Chromium's own counters of where the page's main thread spent its time
/// (seconds since it started): script, style, layout, all tasks, the tasks
/// Chromium does not break down (painting, the network), and the renderer
/// process's CPU time.
async fn busy(client: &Browser) -> [f64; 6] {
    let answer = client
        .cdp("Performance.getMetrics", serde_json::json!({}))
        .await
        .unwrap_or_default();
    let metric = |name: &str| {
        answer["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["name"] == name)
            .and_then(|m| m["value"].as_f64())
            .unwrap_or(0.0)
    };
    [
        metric("ScriptDuration"),
        metric("RecalcStyleDuration"),
        metric("LayoutDuration"),
        metric("TaskDuration"),
        metric("TaskOtherDuration"),
        metric("ProcessTime"),
    ]
}

/// Frame times over `windows` windows of two seconds: (frames, median, p95).
async fn measure(client: &Browser, windows: usize) -> (usize, f64, f64) {
    let (mut frames, mut medians, mut p95s) = (0, Vec::new(), Vec::new());
    client
        .cdp("Performance.enable", serde_json::json!({}))
        .await
        .ok();
    let before = busy(client).await;
    let started = std::time::Instant::now();
    for _ in 0..windows {
        let (n, median, p95) = chromium::frame_times(client).await;
        frames += n;
        medians.push(median);
        p95s.push(p95);
    }
    let after = busy(client).await;
    let per_second = |i: usize| 1000.0 * (after[i] - before[i]) / started.elapsed().as_secs_f64();
    eprintln!(
        "  page, ms per second: script {:.0}, style {:.0}, layout {:.0}, all tasks {:.0} (other {:.0}); renderer CPU {:.0}",
        per_second(0),
        per_second(1),
        per_second(2),
        per_second(3),
        per_second(4),
        per_second(5)
    );
    let middle = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (frames, middle(medians), middle(p95s))
}

async fn open(dir: &std::path::Path, url: &str, n: usize) -> Result<(chromium::Driver, Browser)> {
    let Some((driver, client)) = chromium::open(dir, url, 1280, 720).await else {
        bail!("GOSSIP_SKIP_BROWSER=1: no browser to measure");
    };
    // The lesson panel closed: the page as a projector shows a cluster.
    client.execute("localStorage.setItem('gossip-lesson', 'closed'); document.querySelector('#lesson').hidden = true;").await.ok();
    chromium::wait_for_nodes(&client, n).await;
    Ok((driver, client))
}

/// A live cluster of `n` processes streaming to one visualizer.
async fn live(n: usize, windows: usize) -> Result<Row> {
    let dir = scratch_dir("page-bench-live");
    let run = RunDir::start(&dir, 32, &[]);
    let managed = n.min(32);
    run.add_nodes(managed).await;
    // Beyond the page's 32, started here, joining through node 1.
    let ingest = format!("ws://{}/ingest", run.visualizer.addr);
    let first = format!("127.0.0.1:{}", run.base_port);
    let extra: Vec<Process> = (managed..n)
        .map(|i| {
            start_node(
                &dir,
                1000 + i as u64,
                0,
                std::slice::from_ref(&first),
                &["--visualizer", &ingest],
            )
        })
        .collect();
    let (_driver, client) = open(&dir, &run.visualizer.url("/"), n).await?;
    let (status, answer) = run
        .post(
            "/api/nodes/1/update",
            "{\"key\": \"color\", \"value\": \"red\"}",
        )
        .await;
    if status != 200 {
        bail!("the update was refused: {answer}");
    }
    let (frames, median, p95) = measure(&client, windows).await;
    let kill_ms = chromium::kill_and_time(&client, 2)
        .await
        .context("the page never drew the killed node gone")?;
    client.close().await.ok();
    drop(extra);
    Ok(Row {
        what: format!("live, {n} nodes"),
        frames,
        median,
        p95,
        kill_ms: Some(kill_ms),
    })
}

/// A replay of a simulated `n`-node run at `speed`.
async fn replay(n: usize, speed: f64, windows: usize) -> Result<Row> {
    let dir = scratch_dir("page-bench-replay");
    let visualizer = harness::start_replay(&dir, n, 60);
    let (_driver, client) = open(&dir, &visualizer.url("/"), n).await?;
    let body = serde_json::json!({ "speed": speed, "play": true, "seek_ms": 0 });
    let answer = reqwest::Client::new()
        .post(visualizer.url("/api/replay"))
        .json(&body)
        .send()
        .await?;
    if !answer.status().is_success() {
        bail!(
            "the replay refused {body}: {}",
            answer.text().await.unwrap_or_default()
        );
    }
    let (frames, median, p95) = measure(&client, windows).await;
    client.close().await.ok();
    Ok(Row {
        what: format!("replay, {n} nodes at {speed}x"),
        frames,
        median,
        p95,
        kill_ms: None,
    })
}
