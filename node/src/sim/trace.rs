//! Traces: a simulated run written as the live event stream, for replay.
//!
//! `gossip-sim trace --nodes 200 --out run.jsonl` runs a scripted scenario on
//! the full protocol and writes every event as one JSON line, in exactly the
//! schema live nodes stream to the visualizer ([`WireEvent`], with `ts_ms`
//! counting virtual milliseconds from the start). `gossip-visualizer --replay
//! run.jsonl` then plays it in the same page: a 200-node cluster with
//! crashes and a partition, watchable on a laptop.

use super::network::Network;
use crate::core::event::{WireEvent, SCHEMA_VERSION};
use crate::core::version::NodeId;
use rand::rngs::StdRng;
use rand::seq::IteratorRandom;
use rand::SeedableRng;
use std::io::{self, Write};
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

/// The story the trace tells, scaled to `seconds` (at least 30):
/// a write at 5 %; a few crashes at 20 %; a partition cutting off the last
/// fifth of the nodes from 30 % to 50 %; a second write at 40 %, on the
/// majority side; then half the run for the cluster to heal.
pub fn scripted(nodes: u64, seconds: u64, seed: u64) -> Network {
    let seconds = seconds.max(30);
    let mut net = Network::formed_cluster(seed, nodes, |c| c.anti_entropy = Some(5 * SECOND));
    net.run_for(2 * SECOND);
    net.record_events();
    net.record_hellos();
    let start = net.now();
    let mark = |percent: u64| start + Duration::from_millis(seconds * 10 * percent);
    let mut rng = StdRng::seed_from_u64(seed);
    let minority: Vec<u64> = ((nodes - nodes / 5 + 1)..=nodes).collect();

    net.run_for(mark(5) - net.now());
    net.update(1, "news", "first news, from node 1");
    net.run_for(mark(20) - net.now());
    let crashes = (nodes / 50).max(1) as usize;
    for id in (3..nodes - nodes / 5).choose_multiple(&mut rng, crashes) {
        net.crash(id);
    }
    net.run_for(mark(30) - net.now());
    for &a in &minority {
        for b in 1..=nodes {
            if !minority.contains(&b) {
                net.cut(a, b);
                net.cut(b, a);
            }
        }
    }
    net.run_for(mark(40) - net.now());
    net.update(2, "color", "written during the partition");
    net.run_for(mark(50) - net.now());
    net.heal();
    net.run_for(mark(100) - net.now());
    net
}

/// Write the recorded events as JSON lines, times relative to the first.
pub fn write_jsonl(net: &Network, out: &mut impl Write) -> io::Result<usize> {
    let events = net.events();
    let start = events.first().map_or(Duration::ZERO, |(t, _, _)| *t);
    for (t, node, event) in events {
        let wire = WireEvent {
            v: SCHEMA_VERSION,
            node: *node,
            ts_ms: (*t - start).as_millis() as u64,
            event: event.clone(),
        };
        serde_json::to_writer(&mut *out, &wire)?;
        out.write_all(b"\n")?;
    }
    Ok(events.len())
}

/// Which nodes a trace's scenario crashed (for tests and summaries).
pub fn crashed(net: &Network, nodes: u64) -> Vec<NodeId> {
    (1..=nodes)
        .filter(|id| !net.is_up(*id))
        .map(NodeId)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::event::Event;

    #[test]
    fn a_trace_is_the_live_schema_line_by_line() {
        let net = scripted(20, 30, 1);
        let mut bytes = Vec::new();
        let lines = write_jsonl(&net, &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), lines);
        let parsed: Vec<WireEvent> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(
            parsed
                .iter()
                .take(20)
                .all(|w| matches!(w.event, Event::Hello { .. })),
            "hellos first"
        );
        assert!(parsed.iter().any(|w| matches!(w.event, Event::NodeDown)));
        assert!(
            parsed
                .iter()
                .any(|w| matches!(w.event, Event::MessageDropped { .. })),
            "the partition drops"
        );
        assert!(
            parsed.windows(2).all(|w| w[0].ts_ms <= w[1].ts_ms),
            "in time order"
        );
        assert_eq!(crashed(&net, 20).len(), 1);
    }
}
