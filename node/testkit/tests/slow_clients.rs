//! Slow and stuck clients against real servers: half-sent requests, a body
//! announced bigger than any route takes, a crowd of idle connections at
//! shutdown. None may hang a node or the visualizer (finding 6).

use gossip_testkit::harness::{scratch_dir, start_node, start_visualizer, Process};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Generous: the server's own deadlines are seconds; a busy machine may
/// take longer to get round to closing.
const DEADLINE: Duration = Duration::from_secs(30);

fn node(label: &str) -> Process {
    start_node(&scratch_dir(label), 1, 0, &[], &["--visualizer", "off"])
}

/// A connection that sent `text` and nothing more.
fn half_sent(server: &Process, text: &str) -> TcpStream {
    let mut stream = TcpStream::connect(&server.addr).expect("the server accepts");
    stream.write_all(text.as_bytes()).expect("the server reads");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("a read timeout");
    stream
}

/// Read until the server closes the connection, or give up after
/// [`DEADLINE`]; returns what it said.
fn until_closed(stream: &mut TcpStream) -> Option<String> {
    let start = Instant::now();
    let mut said = Vec::new();
    let mut buffer = [0u8; 4096];
    while start.elapsed() < DEADLINE {
        match stream.read(&mut buffer) {
            Ok(0) => return Some(String::from_utf8_lossy(&said).into_owned()),
            Ok(n) => said.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(String::from_utf8_lossy(&said).into_owned()),
        }
    }
    None
}

#[test]
fn a_half_sent_request_is_closed_not_held() {
    for server in [
        node("half-sent"),
        start_visualizer(&scratch_dir("half-sent-viz"), 0),
    ] {
        let mut stream = half_sent(&server, "GET /health HTTP/1.1\r\nHost: localhost\r\n");
        assert!(
            until_closed(&mut stream).is_some(),
            "{} held a half-sent request open for {DEADLINE:?}",
            server.addr
        );
    }
}

#[test]
fn a_body_announced_too_big_is_refused_before_it_is_sent() {
    let server = node("too-big");
    let head = "POST /update HTTP/1.1\r\nHost: localhost\r\n\
                Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n";
    let mut stream = half_sent(&server, head);
    let said = until_closed(&mut stream).expect("an answer, without the body");
    assert!(said.starts_with("HTTP/1.1 413"), "{said}");
}

#[test]
fn sigterm_stops_a_server_however_many_requests_are_half_sent() {
    for mut server in [
        node("sigterm-crowd"),
        start_visualizer(&scratch_dir("sigterm-viz"), 0),
    ] {
        let crowd: Vec<TcpStream> = (0..100)
            .map(|_| half_sent(&server, "POST /update HTTP/1.1\r\nHost: localhost\r\n"))
            .collect();
        let start = Instant::now();
        let status = server.terminate();
        eprintln!(
            "{} stopped {:?} after SIGTERM with {} half-sent requests open",
            server.addr,
            start.elapsed(),
            crowd.len()
        );
        assert!(status.success(), "a clean exit: {status}");
        drop(crowd);
    }
}
