//! The command line, exactly as a workshop sheet prints it:
//!
//! ```text
//! gossip-node --port 7001 --id 1 --neighbors 7002,7003,7004
//! ```
//!
//! Every option can also come from an environment variable (`GOSSIP_PORT`,
//! `GOSSIP_NEIGHBORS`, ...), which is handy in scripts.

use super::cluster_key::ClusterKey;
use super::NodeOptions;
use crate::core::heartbeat::DetectorKind;
use crate::core::rumor::StopRule;
use crate::core::swim::{ProbeOrder, SwimConfig};
use crate::core::{version::NodeId, Config, Mode};
use clap::Parser;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// A gossip node for the Gossip Workshop.
///
/// Learns updates from clients (POST /update) and spreads them to random peers
/// as rumors; shows what it holds at GET /state.
#[derive(Debug, Parser)]
// A flag given twice takes its last value: the visualizer restarts a node
// with the flags it started with plus the interval the page chose since.
#[command(name = "gossip-node", version, about, args_override_self = true)]
pub struct Cli {
    /// Port to listen on (0 picks a free port; the first log line names it).
    #[arg(long, env = "GOSSIP_PORT")]
    pub port: u16,

    /// This node's id: a number, unique in the cluster.
    #[arg(long, env = "GOSSIP_ID")]
    pub id: u64,

    /// Nodes to join through, comma separated: ports on this host (7002) or
    /// host:port (10.0.0.5:7002). One is enough: the rest are learned by gossip.
    #[arg(long, env = "GOSSIP_NEIGHBORS", default_value = "", value_parser = parse_neighbors, hide_default_value = true)]
    pub neighbors: Neighbors,

    /// Address to listen on. Keep 127.0.0.1 unless other machines must reach it.
    #[arg(long, env = "GOSSIP_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Address other nodes should use for this one (default: bind address and port).
    #[arg(long, env = "GOSSIP_ADVERTISE")]
    pub advertise: Option<String>,

    /// Visualizer to stream events to, or "off".
    #[arg(
        long,
        env = "GOSSIP_VISUALIZER",
        default_value = "ws://127.0.0.1:8080/ingest"
    )]
    pub visualizer: String,

    /// Time between gossip rounds (1s, 200ms, ...).
    #[arg(long, env = "GOSSIP_INTERVAL", default_value = "1s", value_parser = parse_gossip_interval)]
    pub interval: Duration,

    /// How rumors move each round: push (tell peers what is new), pull (ask
    /// peers what is new), push-pull (both in one exchange), or plumtree
    /// (payloads down a broadcast tree at once, ids announced each round).
    #[arg(long, env = "GOSSIP_MODE", default_value = "push")]
    pub mode: Mode,

    /// Random peers contacted per round.
    #[arg(long, env = "GOSSIP_FANOUT", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub fanout: u32,

    /// When a node stops spreading a rumor: after k rounds, after k sends
    /// (counter), or with chance 1/k each time a peer already knew it (coin).
    #[arg(long, env = "GOSSIP_RUMOR_STOP", default_value = "rounds")]
    pub rumor_stop: StopRule,

    /// The k of the stop rule.
    #[arg(long, alias = "rumor-rounds", env = "GOSSIP_RUMOR_K", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub rumor_k: u32,

    /// Compare stores with a random peer this often (anti-entropy), or "off".
    #[arg(long, env = "GOSSIP_ANTI_ENTROPY", default_value = "off", value_parser = parse_anti_entropy)]
    pub anti_entropy: AntiEntropy,

    /// SWIM protocol period: each node probes one member this often.
    #[arg(long, env = "GOSSIP_PROBE_INTERVAL", default_value = "1s", value_parser = parse_interval)]
    pub probe_interval: Duration,

    /// How long a probe waits for an ack before asking others to ping (ping-req).
    #[arg(long, env = "GOSSIP_PROBE_TIMEOUT", default_value = "500ms", value_parser = parse_interval)]
    pub probe_timeout: Duration,

    /// How many members are asked to ping a member that did not answer.
    #[arg(long, env = "GOSSIP_INDIRECT_CHECKS", default_value_t = 3)]
    pub indirect_checks: usize,

    /// A suspect is declared dead after this x max(1, log10 N) probe intervals.
    #[arg(long, env = "GOSSIP_SUSPICION_MULT", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub suspicion_mult: u32,

    /// Each piece of membership news is piggybacked this x ceil(log10(N+1)) times.
    #[arg(long, env = "GOSSIP_RETRANSMIT_MULT", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub retransmit_mult: u32,

    /// How each protocol period's probe target is picked: round-robin (every
    /// member once per shuffled pass) or random (SWIM paper's analysis).
    #[arg(long, env = "GOSSIP_PROBE_ORDER", default_value = "round-robin")]
    pub probe_order: ProbeOrder,

    /// Lifeguard (on, as in memberlist): a node that doubts its own health
    /// waits longer before accusing others; helpers nack; a suspect hears
    /// of it in the ping. off: plain SWIM.
    #[arg(long, env = "GOSSIP_LIFEGUARD", default_value = "on", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    pub lifeguard: bool,

    /// A lever for the bench (off, as the exercises teach gossip): push an
    /// entry new to this node to --fanout peers at once, instead of at the
    /// next round (push and push-pull).
    #[arg(long, env = "GOSSIP_FORWARD_AT_ONCE", default_value = "off", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    pub forward_at_once: bool,

    /// A lever for the bench (off, as the exercises teach gossip): every
    /// probe and ack to a member that has answered goes with a push of the
    /// hot rumors, as memberlist piggybacks its news on probes (push and
    /// push-pull).
    #[arg(long, env = "GOSSIP_RUMORS_WITH_PROBES", default_value = "off", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    pub rumors_with_probes: bool,

    /// A lever for the bench (off, as SWIM is taught): suspect a member at
    /// once when a connection to it is refused (nothing listens there), as
    /// if a probe of it had failed.
    #[arg(long, env = "GOSSIP_SUSPECT_REFUSED", default_value = "off", value_parser = parse_on_off, action = clap::ArgAction::Set)]
    pub suspect_refused: bool,

    /// Failure detector: swim (probes, suspicion, refutation) or heartbeat
    /// (gossiped heartbeat tables and a timeout; exercise 05).
    #[arg(long, env = "GOSSIP_DETECTOR", default_value = "swim")]
    pub detector: DetectorKind,

    /// With --detector heartbeat: a member whose heartbeat has not gone up
    /// for this long is dead. "auto" grows it with the cluster (log N).
    #[arg(long, env = "GOSSIP_HEARTBEAT_TIMEOUT", default_value = "auto", value_parser = parse_heartbeat_timeout)]
    pub heartbeat_timeout: HeartbeatTimeout,

    /// Token for the admin routes (fault injection). Without one, they
    /// answer only callers on this machine.
    #[arg(long, env = "GOSSIP_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// The cluster's shared key (16 characters or more): every message to a
    /// peer is tagged with it, and a message without the right tag is
    /// refused. Nodes without the key can neither join nor inject.
    #[arg(long, env = "GOSSIP_CLUSTER_KEY", hide_env_values = true, value_parser = ClusterKey::new)]
    pub cluster_key: Option<ClusterKey>,

    /// Take part in push-sum aggregation with this value: every node learns
    /// the average of the values given (`GET /state` shows the estimate). A
    /// node without one starts with nothing and passes on what it receives.
    #[arg(long, env = "GOSSIP_VALUE", value_parser = parse_value)]
    pub value: Option<f64>,

    /// Seed for the random peer choice, to replay a run; random if unset.
    #[arg(long, env = "GOSSIP_SEED")]
    pub seed: Option<u64>,
}

/// `--heartbeat-timeout`: a fixed duration, or `None` for auto.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatTimeout(pub Option<Duration>);

fn parse_heartbeat_timeout(text: &str) -> Result<HeartbeatTimeout, String> {
    match text.trim() {
        "auto" => Ok(HeartbeatTimeout(None)),
        fixed => parse_interval(fixed).map(|d| HeartbeatTimeout(Some(d))),
    }
}

/// A push-sum value: any finite number.
fn parse_value(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err(format!("{text:?} is not a finite number")),
    }
}

/// Neighbor addresses, each `host:port`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Neighbors(pub Vec<String>);

/// `7002,7003,other-host:7004` -> `127.0.0.1:7002`, `127.0.0.1:7003`, `other-host:7004`.
pub fn parse_neighbors(text: &str) -> Result<Neighbors, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (host, port) = match part.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() => (host, port),
            Some(_) => return Err(format!("neighbor {part:?} has no host before the colon")),
            None => ("127.0.0.1", part),
        };
        match port.parse::<u16>() {
            Ok(p) if p > 0 => out.push(format!("{host}:{p}")),
            _ => {
                return Err(format!(
                    "neighbor {part:?}: {port:?} is not a port number (1-65535)"
                ))
            }
        }
    }
    Ok(Neighbors(out))
}

/// `on` or `off`.
fn parse_on_off(text: &str) -> Result<bool, String> {
    match text.trim() {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        other => Err(format!("{other:?}: say on or off")),
    }
}

/// `--anti-entropy`: off, or the time between two exchanges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AntiEntropy(pub Option<Duration>);

fn parse_anti_entropy(text: &str) -> Result<AntiEntropy, String> {
    match text.trim() {
        "off" | "none" | "0" => Ok(AntiEntropy(None)),
        every => parse_interval(every).map(|d| AntiEntropy(Some(d))),
    }
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let interval = humantime::parse_duration(text).map_err(|e| format!("{e} (try 1s or 200ms)"))?;
    if interval < Duration::from_millis(10) {
        return Err("the interval must be at least 10ms".into());
    }
    Ok(interval)
}

/// A gossip interval: one of [`Config::INTERVALS`](crate::core::Config::INTERVALS).
fn parse_gossip_interval(text: &str) -> Result<Duration, String> {
    let interval = parse_interval(text)?;
    let range = crate::core::Config::INTERVALS;
    if !range.contains(&interval) {
        return Err(format!(
            "the gossip interval must be between {:?} and {:?}",
            range.start(),
            range.end()
        ));
    }
    Ok(interval)
}

impl Cli {
    /// The address peers will use, once the listener's real port is known.
    pub fn advertised_addr(&self, bound: SocketAddr) -> String {
        if let Some(addr) = &self.advertise {
            return addr.clone();
        }
        if bound.ip().is_unspecified() {
            format!("127.0.0.1:{}", bound.port())
        } else {
            bound.to_string()
        }
    }

    pub fn into_options(self, bound: SocketAddr) -> NodeOptions {
        let addr = self.advertised_addr(bound);
        let mut core = Config::new(NodeId(self.id), addr, self.neighbors.0);
        core.mode = self.mode;
        core.fanout = self.fanout as usize;
        core.interval = self.interval;
        core.rumor_stop = self.rumor_stop;
        core.rumor_k = self.rumor_k;
        core.anti_entropy = self.anti_entropy.0;
        core.push_sum = self.value;
        core.forward_at_once = self.forward_at_once;
        core.rumors_with_probes = self.rumors_with_probes;
        core.detector = self.detector;
        core.heartbeat_timeout = self.heartbeat_timeout.0;
        core.swim = SwimConfig {
            probe_interval: self.probe_interval,
            probe_timeout: self.probe_timeout.min(self.probe_interval),
            indirect_checks: self.indirect_checks,
            suspicion_mult: self.suspicion_mult,
            retransmit_mult: self.retransmit_mult,
            probe_order: self.probe_order,
            lifeguard: self.lifeguard,
            suspect_refused: self.suspect_refused,
        };
        // Each start is a new life: its incarnation, the start time, beats
        // whatever the cluster remembers of the last one.
        core.incarnation = super::host::unix_ms();
        let visualizer = match self.visualizer.trim() {
            "" | "off" | "none" => None,
            url => Some(url.to_owned()),
        };
        NodeOptions {
            core,
            visualizer,
            seed: self.seed,
            admin_token: self.admin_token,
            cluster_key: self.cluster_key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_command_line_parses() {
        let cli = Cli::try_parse_from([
            "gossip-node",
            "--port",
            "7001",
            "--id",
            "1",
            "--neighbors",
            "7002,7003,7004",
        ])
        .unwrap();
        assert_eq!(
            cli.neighbors.0,
            ["127.0.0.1:7002", "127.0.0.1:7003", "127.0.0.1:7004"]
        );
        assert_eq!(cli.interval, Duration::from_secs(1));
    }

    #[test]
    fn neighbors_may_name_a_host() {
        let parsed = parse_neighbors("7002, box.local:7003").unwrap();
        assert_eq!(parsed.0, ["127.0.0.1:7002", "box.local:7003"]);
    }

    #[test]
    fn bad_neighbors_are_named() {
        assert!(parse_neighbors("70o2").unwrap_err().contains("70o2"));
        assert!(parse_neighbors(":7002").is_err());
        assert!(parse_neighbors("99999").is_err());
    }

    #[test]
    fn humane_intervals() {
        let cli = Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "2",
            "--interval",
            "100ms",
        ])
        .unwrap();
        assert_eq!(cli.interval, Duration::from_millis(100));
        assert!(Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "2",
            "--interval",
            "0s"
        ])
        .is_err());
    }

    #[test]
    fn lifeguard_is_on_unless_turned_off() {
        let parse = |extra: &[&str]| {
            let mut args = vec!["gossip-node", "--port", "7001", "--id", "1"];
            args.extend(extra);
            Cli::try_parse_from(args)
        };
        assert!(parse(&[]).unwrap().lifeguard);
        assert!(!parse(&["--lifeguard", "off"]).unwrap().lifeguard);
        assert!(parse(&["--lifeguard", "on"]).unwrap().lifeguard);
        let wrong = parse(&["--lifeguard", "maybe"]).unwrap_err().to_string();
        assert!(wrong.contains("say on or off"), "{wrong}");
        let bound: SocketAddr = "127.0.0.1:7001".parse().unwrap();
        let options = parse(&["--lifeguard", "off"]).unwrap().into_options(bound);
        assert!(!options.core.swim.lifeguard);
        assert!(!parse(&[]).unwrap().forward_at_once, "off unless asked");
        assert!(!parse(&[]).unwrap().suspect_refused, "off unless asked");
        let at_once = parse(&["--forward-at-once", "on"]).unwrap();
        assert!(at_once.into_options(bound).core.forward_at_once);
        assert!(!parse(&[]).unwrap().rumors_with_probes, "off unless asked");
        let with_probes = parse(&["--rumors-with-probes", "on"]).unwrap();
        assert!(with_probes.into_options(bound).core.rumors_with_probes);
    }

    #[test]
    fn anti_entropy_is_off_unless_asked() {
        let parse = |extra: &[&str]| {
            let mut args = vec!["gossip-node", "--port", "0", "--id", "1"];
            args.extend_from_slice(extra);
            Cli::try_parse_from(args).map(|cli| cli.anti_entropy.0)
        };
        assert_eq!(parse(&[]).unwrap(), None);
        assert_eq!(
            parse(&["--anti-entropy", "2s"]).unwrap(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(parse(&["--anti-entropy", "off"]).unwrap(), None);
        assert!(parse(&["--anti-entropy", "often"]).is_err());
    }

    #[test]
    fn modes_and_stop_rules_parse() {
        let cli = Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "1",
            "--mode",
            "push-pull",
            "--rumor-stop",
            "coin",
            "--rumor-k",
            "2",
        ])
        .unwrap();
        assert_eq!(
            (cli.mode, cli.rumor_stop, cli.rumor_k),
            (Mode::PushPull, StopRule::Coin, 2)
        );
        let old = Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "1",
            "--rumor-rounds",
            "6",
        ])
        .unwrap();
        assert_eq!(old.rumor_k, 6);
        assert!(Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "1",
            "--mode",
            "shout"
        ])
        .is_err());
    }

    #[test]
    fn visualizer_can_be_turned_off() {
        let cli = Cli::try_parse_from([
            "gossip-node",
            "--port",
            "0",
            "--id",
            "2",
            "--visualizer",
            "off",
        ])
        .unwrap();
        let options = cli.into_options("127.0.0.1:9".parse().unwrap());
        assert!(options.visualizer.is_none());
        assert_eq!(options.core.addr, "127.0.0.1:9");
    }
}
