//! Headless Chromium under chromedriver, for the page's tests.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`make test` installs
//! them when it can); `CHROMIUM` / `CHROMEDRIVER` point at other paths.
//! Without them [`start`] fails and says how to install them;
//! `GOSSIP_SKIP_BROWSER=1` skips the browser tests explicitly.

use crate::harness::{self, free_port, wait_until};
use crate::webdriver::Browser;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var(env)
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(default));
    path.exists().then_some(path)
}

/// chromedriver on a free port, and the Chromium profile it started the
/// browser with. Dropped, it kills chromedriver and any Chromium still
/// running on that profile (a test that panicked never closed its browser),
/// then deletes the profile: about 30 MB a test, that would pile up in /tmp.
pub struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        kill_browsers_on(&self.profile);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// SIGKILL every process whose command line names `profile` as its
/// `--user-data-dir` (Linux's /proc; elsewhere nothing happens).
fn kill_browsers_on(profile: &Path) {
    let flag = format!("--user-data-dir={}", profile.display());
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return;
    };
    for process in processes.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(process.path().join("cmdline")) else {
            continue;
        };
        if cmdline.split(|b| *b == 0).any(|arg| arg == flag.as_bytes()) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// A browser whose page is `width` x `height` CSS pixels, its profile in `profile`;
/// `None` when `GOSSIP_SKIP_BROWSER=1`.
pub async fn start(profile: &Path, width: u32, height: u32) -> Option<(Driver, Browser)> {
    if std::env::var("GOSSIP_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("skipped: GOSSIP_SKIP_BROWSER=1");
        return None;
    }
    let (Some(chromium), Some(chromedriver)) = (
        tool("CHROMIUM", "/usr/bin/chromium"),
        tool("CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) else {
        panic!("the browser tests need Chromium and chromedriver: `make test` installs them when it runs as root or with sudo; else apt-get install chromium chromium-driver (or set CHROMIUM and CHROMEDRIVER; GOSSIP_SKIP_BROWSER=1 skips)");
    };
    let port = free_port();
    let driver = Driver {
        child: Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
        profile: profile.to_path_buf(),
    };
    let status_url = format!("http://127.0.0.1:{port}/status");
    wait_until("chromedriver is ready", DEADLINE, || async {
        let status: Value = harness::get_json(&status_url).await?;
        (status["value"]["ready"] == true).then_some(())
    })
    .await;
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let client = Browser::open(&format!("http://127.0.0.1:{port}"), capabilities)
        .await
        .expect("chromedriver starts a Chromium session");
    // What a person sees is the viewport: make it the size asked for.
    client
        .set_viewport(width, height)
        .await
        .expect("the window can be sized");
    Some((driver, client))
}

/// Every node the page draws, as (x, y, radius) in the stage's units.
pub async fn node_circles(client: &Browser) -> Vec<(f64, f64, f64)> {
    const CIRCLES: &str = r#"
        return [...document.querySelectorAll('#nodes .node circle.body')].map(c =>
            [Number(c.getAttribute('cx')), Number(c.getAttribute('cy')), Number(c.getAttribute('r'))]);
    "#;
    let circles = client.execute(CIRCLES).await.expect("the page answers");
    let circles = circles.as_array().cloned().unwrap_or_default();
    circles
        .iter()
        .filter_map(|c| Some((c[0].as_f64()?, c[1].as_f64()?, c[2].as_f64()?)))
        .collect()
}

/// The stage's size in its own units (the SVG's viewBox).
pub const STAGE: (f64, f64) = (1000.0, 760.0);

/// Assert that no two circles overlap and that all lie inside the stage;
/// the smallest gap between two of them.
pub fn assert_apart_and_inside(circles: &[(f64, f64, f64)]) -> f64 {
    let mut closest = f64::INFINITY;
    for (i, a) in circles.iter().enumerate() {
        let inside =
            a.0 - a.2 >= 0.0 && a.0 + a.2 <= STAGE.0 && a.1 - a.2 >= 0.0 && a.1 + a.2 <= STAGE.1;
        assert!(inside, "a node at {a:?} is outside the stage");
        for b in &circles[i + 1..] {
            let gap = (a.0 - b.0).hypot(a.1 - b.1) - a.2 - b.2;
            assert!(gap > 0.0, "nodes at {a:?} and {b:?} overlap");
            closest = closest.min(gap);
        }
    }
    closest
}

/// Frame times over two seconds of the page's animation
/// (requestAnimationFrame deltas, ms): (frames, median, 95th percentile).
pub async fn frame_times(client: &Browser) -> (usize, f64, f64) {
    const FRAMES: &str = r#"
        const done = arguments[arguments.length - 1];
        const times = [];
        let last = performance.now();
        const until = last + 2000;
        function frame(now) {
            times.push(now - last);
            last = now;
            if (now < until) requestAnimationFrame(frame); else done(times.sort((a, b) => a - b));
        }
        requestAnimationFrame(frame);
    "#;
    let times = client.execute_async(FRAMES).await.expect("frames measured");
    let times: Vec<f64> = times
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_f64())
        .collect();
    if times.is_empty() {
        return (0, 0.0, 0.0);
    }
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    (times.len(), at(0.5), at(0.95))
}

/// [`start`] a browser (profile in `dir`) and open `url` in it.
pub async fn open(dir: &Path, url: &str, width: u32, height: u32) -> Option<(Driver, Browser)> {
    let (driver, client) = start(&dir.join("chromium-profile"), width, height).await?;
    client.goto(url).await.expect("the page loads");
    Some((driver, client))
}

/// Wait until the page draws `n` nodes; their circles.
pub async fn wait_for_nodes(client: &Browser, n: usize) -> Vec<(f64, f64, f64)> {
    let what = format!("the page draws {n} nodes");
    wait_until(&what, DEADLINE, || async {
        let circles = node_circles(client).await;
        (circles.len() == n).then_some(circles)
    })
    .await
}

/// Save what the browser shows as `name` in `target/browser-test/`, and in
/// `docs/` (where the README shows it) when `GOSSIP_UPDATE_SCREENSHOT=1`.
pub async fn save_screenshot(client: &Browser, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join("target/browser-test");
    std::fs::create_dir_all(&out).expect("target/ is writable");
    std::fs::write(out.join(name), &png).expect("screenshot saved");
    if std::env::var("GOSSIP_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1") {
        std::fs::write(root.join("docs").join(name), &png).expect("docs/ is writable");
    }
}

/// Choose node `id` in the page's *Run the cluster* panel, press *kill*, and
/// count the milliseconds (in the page, from the click to the frame that
/// draws it) until the node is drawn gone; `None` if it never is (20 s).
pub async fn kill_and_time(client: &Browser, id: u64) -> Option<f64> {
    const KILL_AND_TIME: &str = r#"
        const [id, done] = [arguments[0], arguments[arguments.length - 1]];
        document.querySelector('#process-node').value = String(id);
        const started = performance.now();
        document.querySelector('[data-process="kill"]').click();
        function look() {
            const g = document.querySelector(`#nodes .node[data-node-id="${id}"]`);
            const waited = performance.now() - started;
            if (g && g.dataset.state === 'dead') done(waited);
            else if (waited > 20000) done(-1);
            else requestAnimationFrame(look);
        }
        requestAnimationFrame(look);
    "#;
    let waited = client
        .execute_async_with(KILL_AND_TIME, &[Value::from(id)])
        .await
        .ok()?;
    waited.as_f64().filter(|ms| *ms >= 0.0)
}

/// [`open`] the page at `url` and wait until it draws `n` nodes.
pub async fn open_with_nodes(
    dir: &Path,
    url: &str,
    (width, height): (u32, u32),
    n: usize,
) -> Option<(Driver, Browser)> {
    let (driver, client) = open(dir, url, width, height).await?;
    wait_for_nodes(&client, n).await;
    Some((driver, client))
}
