//! A fake peer: a bare HTTP listener that takes whatever a node sends to
//! `POST /gossip` and keeps it, so a test can see a node's answers byte for
//! byte. It answers `202` and nothing else; it runs no protocol.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Bodies bigger than this are not kept (a node never sends them).
const MAX_BODY: usize = 1 << 20;

/// A listener on a free loopback port, keeping every message posted to it.
pub struct FakePeer {
    pub addr: String,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl FakePeer {
    pub async fn start() -> FakePeer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address").to_string();
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, keep.clone()));
            }
        });
        FakePeer { addr, received }
    }

    /// Every body received so far, in order.
    pub fn received(&self) -> Vec<Vec<u8>> {
        self.received.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }
}

/// One connection: requests one after another (keep-alive), each answered
/// `202 Accepted`.
async fn serve(stream: tokio::net::TcpStream, keep: Arc<Mutex<Vec<Vec<u8>>>>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut length = 0;
        let mut line = String::new();
        // The request line and headers, up to the blank line.
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        if length > MAX_BODY {
            return;
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        keep.lock().expect("lock").push(body);
        let answer = b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n";
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
