//! HashiCorp Serf, the real peer: `serf agent` processes on 127.0.0.1, and a
//! small client for the agent's RPC protocol (msgpack over TCP: a header
//! `{Command, Seq}`, a body, and an answer `{Seq, Error}` with its body).
//! The benchmark asks `members` through it, as `serf members` does, but
//! without starting a process per question, so polling stays cheap and exact.

use crate::cluster::Cluster;
use crate::tail::Tail;
use anyhow::{bail, Context, Result};
use gossip_testkit::harness::free_port;
use serde::{Deserialize, Serialize};
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Install Serf from Debian if it is missing (needs root and apt).
pub fn ensure_installed() -> Result<()> {
    let found = |_: ()| {
        Command::new("serf")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if found(()) {
        return Ok(());
    }
    eprintln!("serf is missing: apt-get install -y serf");
    let installed = Command::new("sh")
        .args(["-c", "apt-get update -qq && apt-get install -y -qq serf"])
        .status();
    if !found(()) {
        bail!("cannot install serf ({installed:?}); install the Debian package `serf` by hand");
    }
    Ok(())
}

#[derive(Serialize)]
struct Header<'a> {
    #[serde(rename = "Command")]
    command: &'a str,
    #[serde(rename = "Seq")]
    seq: u64,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Error")]
    error: String,
}

#[derive(Deserialize)]
struct Members {
    #[serde(rename = "Members")]
    members: Vec<SerfMember>,
}

#[derive(Deserialize)]
struct SerfMember {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Status")]
    status: String,
}

/// One RPC connection to an agent.
struct Rpc {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    seq: u64,
}

impl Rpc {
    fn connect(port: u16) -> Result<Rpc> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut rpc = Rpc {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
            seq: 0,
        };
        #[derive(Serialize)]
        struct Handshake {
            #[serde(rename = "Version")]
            version: i32,
        }
        rpc.call("handshake", Some(&Handshake { version: 1 }))?;
        Ok(rpc)
    }

    /// Send a command (and its body); read the answer's header.
    fn call<B: Serialize>(&mut self, command: &str, body: Option<&B>) -> Result<()> {
        let seq = self.seq;
        self.seq += 1;
        let mut bytes = rmp_serde::to_vec_named(&Header { command, seq })?;
        if let Some(body) = body {
            bytes.extend(rmp_serde::to_vec_named(body)?);
        }
        self.writer.write_all(&bytes)?;
        let answer: Answer = rmp_serde::from_read(&mut self.reader)?;
        if !answer.error.is_empty() {
            bail!("serf {command}: {}", answer.error);
        }
        Ok(())
    }

    fn members(&mut self) -> Result<Vec<SerfMember>> {
        self.call::<()>("members", None)?;
        let members: Members = rmp_serde::from_read(&mut self.reader)?;
        Ok(members.members)
    }

    /// A user event, not coalesced (like `serf event -coalesce=false`).
    fn event(&mut self, name: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Event<'a> {
            #[serde(rename = "Name")]
            name: &'a str,
            #[serde(rename = "Payload", with = "serde_bytes_empty")]
            payload: (),
            #[serde(rename = "Coalesce")]
            coalesce: bool,
        }
        let event = Event {
            name,
            payload: (),
            coalesce: false,
        };
        self.call("event", Some(&event))
    }
}

/// Serf wants the payload as msgpack bytes; ours is always empty.
mod serde_bytes_empty {
    pub fn serialize<S: serde::Serializer>(_: &(), s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&[])
    }
}

struct Agent {
    child: Option<Child>,
    rpc: Rpc,
    tail: Tail,
}

pub struct Serf {
    dir: PathBuf,
    agents: Vec<Agent>,
}

impl Serf {
    /// `n` agents with Serf's defaults (the LAN profile), the first one
    /// started alone and the others joining it.
    pub fn start(dir: &Path, n: usize) -> Result<Serf> {
        // Agents go straight into the cluster, so that if a later one fails
        // to start, dropping the cluster stops the ones already running.
        let mut serf = Serf {
            dir: dir.to_owned(),
            agents: Vec::new(),
        };
        let mut first_bind = 0;
        for i in 0..n {
            // A port found free may be taken before the agent binds it (by
            // another agent's outgoing connection): try fresh ports again.
            let mut attempt = 0;
            let agent = loop {
                attempt += 1;
                match start_agent(dir, i, first_bind) {
                    Ok(started) => break started,
                    Err(e) if attempt < 3 => eprintln!("serf agent n{}: {e:#}; again", i + 1),
                    Err(e) => return Err(e),
                }
            };
            if i == 0 {
                first_bind = agent.1;
            }
            serf.agents.push(agent.0);
        }
        Ok(serf)
    }
}

/// Agent `i` (named n{i+1}), joining the agent bound at `first_bind` unless
/// it is the first. Returns it and the port it is bound to.
fn start_agent(dir: &Path, i: usize, first_bind: u16) -> Result<(Agent, u16)> {
    let (bind, rpc_port) = (free_port(), free_port());
    let log = dir.join(format!("serf-{}.log", i + 1));
    let out = std::fs::File::create(&log)?;
    let mut command = Command::new("serf");
    command
        .arg("agent")
        .arg(format!("-node=n{}", i + 1))
        .arg(format!("-bind=127.0.0.1:{bind}"))
        .arg(format!("-rpc-addr=127.0.0.1:{rpc_port}"))
        .arg("-log-level=info");
    if i > 0 {
        command.arg(format!("-join=127.0.0.1:{first_bind}"));
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .context("cannot start `serf agent`")?;
    let mut child = Some(child);
    let rpc = match connect_when_up(rpc_port, &mut child, &log) {
        Ok(rpc) => rpc,
        Err(e) => {
            if let Some(mut child) = child {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(e);
        }
    };
    let agent = Agent {
        child,
        rpc,
        tail: Tail::from_end(log),
    };
    Ok((agent, bind))
}

/// Wait until the agent answers RPC (it exits if it cannot join).
fn connect_when_up(port: u16, child: &mut Option<Child>, log: &Path) -> Result<Rpc> {
    let start = Instant::now();
    loop {
        if let Ok(rpc) = Rpc::connect(port) {
            return Ok(rpc);
        }
        if let Some(status) = child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            bail!("serf agent exited ({status}):\n{text}");
        }
        if start.elapsed() > Duration::from_secs(20) {
            bail!("serf agent gave no RPC answer within 20 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Cluster for Serf {
    fn size(&self) -> usize {
        self.agents.len()
    }

    fn pid(&self, node: usize) -> Option<u32> {
        self.agents[node].child.as_ref().map(Child::id)
    }

    fn tail(&mut self, node: usize) -> &mut Tail {
        &mut self.agents[node].tail
    }

    fn spread(&mut self, node: usize, marker: &str) -> Result<()> {
        self.agents[node].rpc.event(marker)
    }

    fn alive_seen_by(&mut self, node: usize) -> Result<usize> {
        let members = self.agents[node].rpc.members()?;
        Ok(members.iter().filter(|m| m.status == "alive").count())
    }

    fn sees_failed(&mut self, observer: usize, victim: usize) -> Result<bool> {
        let name = format!("n{}", victim + 1);
        let members = self.agents[observer].rpc.members()?;
        Ok(members
            .iter()
            .any(|m| m.name == name && m.status == "failed"))
    }

    fn log_dir(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn kill(&mut self, node: usize) {
        if let Some(mut child) = self.agents[node].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Serf {
    fn drop(&mut self) {
        for node in 0..self.agents.len() {
            self.kill(node);
        }
    }
}
