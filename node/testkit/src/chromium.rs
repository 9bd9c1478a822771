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

/// chromedriver on a free port; killed when dropped.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A browser with a window of `width` x `height`, its profile in `profile`;
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
    let driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
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
    Some((driver, client))
}
