//! Starting real processes for tests and benchmarks.
//!
//! Integration tests run the real `gossip-node` and `gossip-visualizer`
//! binaries on free ports and talk to them over real HTTP, exactly as a
//! participant would with curl; `gossip-bench` starts its live clusters the
//! same way. This module is the small toolkit for that:
//! find the binaries, start a process and learn its address from its first log
//! line, poll with a generous deadline until something holds, and make sure no
//! process outlives its test.

use std::fs;

pub use crate::process::Process;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The path of one of the workspace's binaries (`gossip-node`,
/// `gossip-visualizer`, `gossip-sim`, ...), found next to the running test
/// executable (or next to `gossip-bench`). `GOSSIP_NODE_BIN` and the like
/// name another one.
pub fn binary(name: &str) -> PathBuf {
    if let Ok(path) = std::env::var(format!("{}_BIN", name.to_uppercase().replace('-', "_"))) {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test knows where it runs");
    // target/<profile>/deps/<test> -> target/<profile>/<name>
    let mut dir = exe
        .parent()
        .expect("test executables live in a folder")
        .to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: build the binaries first with `cargo build --workspace --bins` (make test does)",
        path.display()
    );
    path
}

/// Flags for tests of failure detection: no visualizer, gossip every 100 ms,
/// a SWIM period of 200 ms, so failures show within a second or two.
pub const FAST_SWIM: &[&str] = &[
    "--visualizer",
    "off",
    "--interval",
    "100ms",
    "--probe-interval",
    "200ms",
    "--probe-timeout",
    "100ms",
];

/// A port nobody listens on right now, for a process that must know its
/// port before it starts (a sheet cluster names its neighbors by port).
///
/// The port is picked at random *below* the kernel's ephemeral range. Ports
/// in that range are what the OS hands out to every outgoing connection and
/// every `--port 0` listener, so a port chosen there and released can be
/// taken by any HTTP request of a parallel test before our node binds it
/// (CI saw exactly that). Below the range only another `free_port` can take
/// it, and the random pick makes that one in thousands. The port is checked
/// by binding it, and never handed out twice by one test process.
pub fn free_port() -> u16 {
    use rand::Rng;
    use std::collections::HashSet;
    use std::sync::Mutex;
    static HANDED_OUT: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

    let low = ephemeral_range_start().saturating_sub(12_000).max(10_000);
    let high = ephemeral_range_start().max(low + 1_000);
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    let handed_out = handed_out.get_or_insert_with(HashSet::new);
    let mut rng = rand::rng();
    for _ in 0..200 {
        let port = rng.random_range(low..high);
        if !handed_out.contains(&port) && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            handed_out.insert(port);
            return port;
        }
    }
    // Nothing free below the range: let the OS pick.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("the OS has free ports");
    listener.local_addr().expect("bound").port()
}

/// First port of the kernel's ephemeral range (Linux default 32768).
fn ephemeral_range_start() -> u16 {
    fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

/// A fresh folder for one test's logs, kept after the test so that a
/// failure can be read; folders of earlier runs are swept (see
/// [`sweep_old_scratch`]).
pub fn scratch_dir(label: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| sweep_old_scratch(Duration::from_secs(3 * 3600)));
    let dir = std::env::temp_dir().join(format!(
        "gossip-workshop-{}-{}-{label}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    fs::create_dir_all(&dir).expect("temp dir is writable");
    dir
}

/// Delete the scratch folders of test processes that have exited and that
/// were last touched more than `age` ago, so that `make test` run every day
/// does not fill a laptop's /tmp.
fn sweep_old_scratch(age: Duration) {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix("gossip-workshop-"))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let running = Path::new("/proc").join(pid.to_string()).exists();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|elapsed| elapsed > age);
        if old && !running {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Poll `check` every 50 ms until it returns `Some`, or panic after `deadline`
/// saying what we waited for.
pub async fn wait_until<T, F, Fut>(what: &str, deadline: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            start.elapsed() < deadline,
            "gave up after {deadline:?} waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Start a `gossip-node` with id `id` on `port` (0 for any), knowing
/// `neighbors` (addresses), with extra flags. Its log goes into `dir`.
pub fn start_node(dir: &Path, id: u64, port: u16, neighbors: &[String], extra: &[&str]) -> Process {
    start_program_node("gossip-node", dir, id, port, neighbors, extra)
}

/// [`start_node`] for any binary with `gossip-node`'s command line (such
/// as `gossip-node-workshop`).
pub fn start_program_node(
    program: &str,
    dir: &Path,
    id: u64,
    port: u16,
    neighbors: &[String],
    extra: &[&str],
) -> Process {
    let mut args = vec![
        "--port".to_string(),
        port.to_string(),
        "--id".to_string(),
        id.to_string(),
        "--neighbors".to_string(),
        neighbors.join(","),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Process::start(&binary(program), &args, dir.join(format!("node-{id}.log")))
}

/// Free ports for an `n`-node cluster started the sheet's way.
pub fn sheet_ports(n: usize) -> Vec<u16> {
    (0..n).map(|_| free_port()).collect()
}

/// Node `id` of a sheet cluster: listens on `ports[id - 1]` and knows every
/// other port, like `gossip-node --port 7001 --id 1 --neighbors 7002,7003,7004`.
pub fn start_sheet_node(dir: &Path, id: u64, ports: &[u16], extra: &[&str]) -> Process {
    start_sheet_program_node("gossip-node", dir, id, ports, extra)
}

/// [`start_sheet_node`] for any binary with `gossip-node`'s command line.
pub fn start_sheet_program_node(
    program: &str,
    dir: &Path,
    id: u64,
    ports: &[u16],
    extra: &[&str],
) -> Process {
    let me = ports[id as usize - 1];
    let others: Vec<String> = ports
        .iter()
        .filter(|p| **p != me)
        .map(|p| p.to_string())
        .collect();
    start_program_node(program, dir, id, me, &others, extra)
}

/// A whole sheet cluster of `ports.len()` nodes, ids 1 to N.
pub fn start_sheet_cluster(dir: &Path, ports: &[u16], extra: &[&str]) -> Vec<Process> {
    (1..=ports.len() as u64)
        .map(|id| start_sheet_node(dir, id, ports, extra))
        .collect()
}

/// Poll a node's `/state` until `holds` is true of it; returns that state.
pub async fn wait_for_state<F>(
    node: &Process,
    what: &str,
    deadline: Duration,
    holds: F,
) -> gossip_node::core::NodeState
where
    F: Fn(&gossip_node::core::NodeState) -> bool,
{
    let what = format!("{} {what}", node.addr);
    wait_until(&what, deadline, || async {
        state(node).await.filter(|s| holds(s))
    })
    .await
}

/// Write `key = value` on a node, as a client does; the write must succeed.
pub async fn write(node: &Process, key: &str, value: &str) {
    let body = serde_json::json!({"key": key, "value": value}).to_string();
    let (status, answer) = post(&node.url("/update"), Some("application/json"), body).await;
    assert_eq!(status, 200, "writing {key} on {}: {answer}", node.addr);
}

/// Poll a node until it holds `key = value`.
pub async fn wait_value(node: &Process, key: &str, value: &str, deadline: Duration) {
    let what = format!("holds {key} = {value}");
    wait_for_state(node, &what, deadline, |s| {
        s.entries.get(key).is_some_and(|e| e.value == value)
    })
    .await;
}

/// Wait until every node knows `n` members (itself included) and has heard
/// each answer one of its probes (none unproven, `gossip_members_unproven`
/// 0): from then on each gossips with all the others. Knowing a member is
/// not enough: news goes only to members that answered.
pub async fn wait_formed(nodes: &[Process], n: usize, deadline: Duration) {
    for node in nodes {
        let what = format!("{} knows and has heard all {n} members", node.addr);
        wait_until(&what, deadline, || async {
            let state = state(node).await?;
            let unproven = metric(node, "gossip_members_unproven").await?;
            (state.members.len() == n && unproven == 0).then_some(())
        })
        .await;
    }
}

/// Wait until a node spreads no rumor any more: old news will not come back
/// from it (its `gossip_hot_rumors` metric is 0).
pub async fn wait_cold(node: &Process, deadline: Duration) {
    let what = format!("{} has no hot rumor", node.addr);
    wait_until(&what, deadline, || async {
        metric(node, "gossip_hot_rumors").await.filter(|n| *n == 0)
    })
    .await;
}

/// What `observer` believes about node `id` (alive, suspect, dead, left).
pub async fn member_status(
    observer: &Process,
    id: u64,
) -> Option<gossip_node::core::membership::MemberStatus> {
    let state = state(observer).await?;
    state
        .members
        .iter()
        .find(|m| m.id.0 == id)
        .map(|m| m.status)
}

/// Wait until `observer` holds node `id` to be `status`.
pub async fn wait_member_status(
    observer: &Process,
    id: u64,
    status: gossip_node::core::membership::MemberStatus,
    deadline: Duration,
) {
    let what = format!("{} says node {id} is {status:?}", observer.addr);
    wait_until(&what, deadline, || async {
        member_status(observer, id).await.filter(|s| *s == status)
    })
    .await;
}

/// `gossip-sim trace` of `nodes` nodes for `seconds`, written in `dir`, and
/// a visualizer on a free port replaying it.
pub fn start_replay(dir: &Path, nodes: usize, seconds: u64) -> Process {
    let trace = dir.join("run.jsonl");
    let run = std::process::Command::new(binary("gossip-sim"))
        .args([
            "trace",
            "--nodes",
            &nodes.to_string(),
            "--seconds",
            &seconds.to_string(),
        ])
        .arg("--out")
        .arg(&trace)
        .output()
        .expect("gossip-sim runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let args = [
        "--port".to_string(),
        "0".into(),
        "--replay".into(),
        trace.display().to_string(),
    ];
    let visualizer = Process::start(
        &binary("gossip-visualizer"),
        &args,
        dir.join("visualizer.log"),
    );
    // It read the whole trace before it listened: 30 MB at 200 nodes that
    // need not stay on the disk.
    let _ = fs::remove_file(&trace);
    visualizer
}

/// Start a `gossip-visualizer` on `port` (0 for any).
pub fn start_visualizer(dir: &Path, port: u16) -> Process {
    let args = vec!["--port".to_string(), port.to_string()];
    Process::start(
        &binary("gossip-visualizer"),
        &args,
        dir.join("visualizer.log"),
    )
}

/// GET `url` and decode its JSON, or `None` if anything fails (not up yet).
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    let response = reqwest::get(url).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.json().await.ok()
}

/// GET a node's `/state`.
pub async fn state(node: &Process) -> Option<gossip_node::core::NodeState> {
    get_json(&node.url("/state")).await
}

/// One figure from a node's `/metrics`.
pub async fn metric(node: &Process, name: &str) -> Option<u64> {
    let text = reqwest::get(node.url("/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    sample(&text, name)
}

/// The value of the unlabelled sample `name` in a `/metrics` text.
pub fn sample(text: &str, name: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        line.strip_prefix(name)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// POST `body` (JSON text, or empty) to `url`; returns status and JSON answer.
pub async fn post(
    url: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new().post(url).body(body);
    if let Some(content_type) = content_type {
        request = request.header(reqwest::header::CONTENT_TYPE, content_type);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    (status, json)
}

/// CPU time a process has used so far (user and system), from `/proc`
/// (`None` off Linux), for the figures a test prints.
pub fn cpu_time(process: &Process) -> Option<Duration> {
    let stat = fs::read_to_string(format!("/proc/{}/stat", process.pid())).ok()?;
    // Fields after the command name, which is in parentheses: utime and
    // stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A process's resident memory in KiB, from `/proc` (`None` off Linux), for
/// the figures a test prints.
pub fn rss_kib(process: &Process) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{}/status", process.pid())).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}
