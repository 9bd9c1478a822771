//! Finding 7 of the room issue: any web page could crash a node, with a
//! cross-site `POST /admin/crash` carrying a `text/plain` body, straight to
//! the node or through the visualizer, and DNS rebinding would have given a
//! page everything. Here the same requests go to a real node and a real
//! visualizer, as a browser would send them from another site (an `Origin`)
//! or to a name a DNS trick points at the laptop (a foreign `Host`): every
//! one is refused, the node stays up, and the sheet's bare curl still works.

use gossip_testkit::harness::{
    self, free_port, scratch_dir, start_node, start_visualizer, wait_until, Process,
};
use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const DEADLINE: Duration = Duration::from_secs(20);

/// POST `path` on `process` the way a page elsewhere would: a simple
/// (`text/plain`) request, with `origin`, or to `host` instead of the
/// address it really has.
async fn from_a_page(
    process: &Process,
    path: &str,
    origin: Option<&str>,
    host: Option<&str>,
) -> u16 {
    let mut request = reqwest::Client::new()
        .post(process.url(path))
        .header(CONTENT_TYPE, "text/plain")
        .body("{}");
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    if let Some(host) = host {
        request = request.header(HOST, host);
    }
    request
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn up(node: &Process) -> bool {
    harness::get_json::<serde_json::Value>(&node.url("/health"))
        .await
        .is_some()
}

#[tokio::test]
async fn pages_of_other_sites_cannot_crash_a_node_directly_or_through_the_visualizer() {
    let dir = scratch_dir("web-pages");
    let visualizer = start_visualizer(&dir, free_port());
    let ingest = format!("ws://{}/ingest", visualizer.addr);
    let node = start_node(&dir, 1, free_port(), &[], &["--visualizer", &ingest]);
    wait_until("the visualizer shows node 1", DEADLINE, || async {
        let cluster: serde_json::Value = harness::get_json(&visualizer.url("/api/cluster")).await?;
        let nodes = cluster["nodes"].as_array()?.len();
        (nodes == 1).then_some(())
    })
    .await;
    let evil = Some("https://evil.example");
    let rebound_node = format!("evil.example:{}", node.addr.rsplit(':').next().unwrap());
    let rebound_visualizer = format!(
        "evil.example:{}",
        visualizer.addr.rsplit(':').next().unwrap()
    );
    for path in ["/admin/crash", "/admin/faults", "/update"] {
        let status = from_a_page(&node, path, evil, None).await;
        assert_eq!(status, 403, "{path} from another site's page");
        let status = from_a_page(&node, path, None, Some(&rebound_node)).await;
        assert_eq!(status, 403, "{path} to a rebound name");
    }
    for action in ["crash", "faults", "update"] {
        let path = format!("/api/nodes/1/{action}");
        let status = from_a_page(&visualizer, &path, evil, None).await;
        assert_eq!(status, 403, "{path} from another site's page");
        let status = from_a_page(&visualizer, &path, None, Some(&rebound_visualizer)).await;
        assert_eq!(status, 403, "{path} to a rebound name");
    }
    // The page's live stream, opened from another site, is refused too.
    let mut request = format!("ws://{}/ws", visualizer.addr)
        .into_client_request()
        .unwrap();
    let headers = request.headers_mut();
    headers.insert("origin", "https://evil.example".parse().unwrap());
    let opened = tokio_tungstenite::connect_async(request).await;
    assert!(
        opened.is_err(),
        "another site's page opened the live stream"
    );
    // Without an origin, as curl sends it, but not JSON: admin routes take JSON only.
    let status = from_a_page(&node, "/admin/crash", None, None).await;
    assert_eq!(status, 415, "a text/plain crash");
    assert!(up(&node).await, "the node is still up");
    // The sheet's bare curl still writes the demo update.
    let (status, answer) = harness::post(&node.url("/update"), None, "").await;
    assert_eq!(status, 200, "{answer}");
}
