//! The full protocol at scale: a cluster of up to 10,000 cores, one write,
//! one crash, and how long the cluster takes to agree on both.
//!
//! Unlike [`epidemic`](super::epidemic), nothing is abstracted here: every
//! node is a complete [`Node`](crate::core::Node) with its store, its
//! membership list, its SWIM detector and its broadcast queue, and every
//! message is a real [`Envelope`](crate::core::message::Envelope), encoded
//! once to count its bytes.
//!
//! How it scales:
//! * **memory** is O(N²): each node knows every member (that is what full
//!   membership means, in memberlist as here), so 10,000 nodes hold 10^8
//!   member records, about 10 GB (≈ 100 bytes per record with its address);
//! * **time** per protocol period is O(N) messages (one probe and one ack per
//!   node, plus the gossip rounds), each handled in microseconds, plus the
//!   peer choices, which walk the member list. Detection takes
//!   O(log N) periods, so the whole run is O(N log N) messages.

use super::network::{Latency, Network};
use crate::core::membership::MemberStatus;
use crate::core::version::NodeId;
use crate::core::Config;
use serde::Serialize;
use std::time::{Duration, Instant};

/// What a crash-detection run measured. Times are virtual, from the write
/// and the crash (both at the same moment), except `wall_*`.
#[derive(Clone, Debug, Serialize)]
pub struct CrashRun {
    pub nodes: u64,
    pub victim: u64,
    /// Until the first node suspected the crashed one.
    pub first_suspicion_s: Option<f64>,
    /// Until every live node marked it dead.
    pub all_dead_s: Option<f64>,
    /// Until every live node held the write.
    pub write_everywhere_s: Option<f64>,
    pub messages: u64,
    pub bytes: u64,
    /// Messages per live node per protocol period, over the whole run.
    pub messages_per_node_period: f64,
    /// Wall-clock time to build the cluster, and to run it.
    pub wall_setup_s: f64,
    pub wall_run_s: f64,
}

/// The network the cluster runs on.
#[derive(Clone, Copy, Debug)]
pub struct Conditions {
    /// Probability that a message is lost.
    pub loss: f64,
    pub latency: Latency,
}

impl Default for Conditions {
    /// No loss; 1 to 10 ms per message.
    fn default() -> Conditions {
        Conditions {
            loss: 0.0,
            latency: Latency::Uniform {
                min: Duration::from_millis(1),
                max: Duration::from_millis(10),
            },
        }
    }
}

/// How far a run has come, for a progress bar: virtual time so far and the
/// limit it runs to.
pub struct Progress {
    pub virtual_now: Duration,
    pub limit: Duration,
}

/// Build a formed cluster of `nodes` (default SWIM timings: 1 s period,
/// suspicion 4 × log10 N periods), let it run `warmup`, then at one moment
/// write a key on node 1 and crash a node. Runs until every live node holds
/// the write and marks the crashed node dead, or `limit` passes.
pub fn crash_detection(
    nodes: u64,
    seed: u64,
    conditions: Conditions,
    tune: impl Fn(&mut Config),
    mut progress: impl FnMut(Progress),
) -> CrashRun {
    assert!(nodes >= 3, "a crash needs at least three nodes");
    let setup = Instant::now();
    let mut net = Network::formed_cluster(seed, nodes, tune);
    net.set_loss(conditions.loss);
    net.set_latency_distribution(conditions.latency);
    let wall_setup_s = setup.elapsed().as_secs_f64();
    let started = Instant::now();
    let period = net.node(1).config().swim.probe_interval;
    let limit = period * 120;
    net.run_for(period * 2);
    let victim = nodes / 2 + 1;
    let sent_before = net.stats.sent;
    let bytes_before = net.stats.bytes;
    let write = net.update(1, "color", "teal");
    net.crash(victim);
    let crashed_at = net.now();

    let live: Vec<u64> = (1..=nodes).filter(|id| *id != victim).collect();
    let status =
        |net: &Network, id: u64| net.node(id).members().get(NodeId(victim)).map(|m| m.status);
    let (mut first_suspicion, mut all_dead, mut write_everywhere) = (None, None, None);
    // Check in slices of 10 ms: exact enough, and cheap next to the run itself.
    let slice = Duration::from_millis(10);
    while net.now() - crashed_at < limit && (all_dead.is_none() || write_everywhere.is_none()) {
        net.run_for(slice);
        let since = (net.now() - crashed_at).as_secs_f64();
        if first_suspicion.is_none()
            && live
                .iter()
                .any(|id| status(&net, *id) != Some(MemberStatus::Alive))
        {
            first_suspicion = Some(since);
        }
        if all_dead.is_none()
            && live
                .iter()
                .all(|id| status(&net, *id) == Some(MemberStatus::Dead))
        {
            all_dead = Some(since);
        }
        if write_everywhere.is_none()
            && live.iter().all(|id| {
                net.node(*id)
                    .store()
                    .get("color")
                    .is_some_and(|e| e.version == write.version)
            })
        {
            write_everywhere = Some(since);
        }
        progress(Progress {
            virtual_now: net.now() - crashed_at,
            limit,
        });
    }
    let messages = net.stats.sent - sent_before;
    let periods = (net.now() - crashed_at).as_secs_f64() / period.as_secs_f64();
    CrashRun {
        nodes,
        victim,
        first_suspicion_s: first_suspicion,
        all_dead_s: all_dead,
        write_everywhere_s: write_everywhere,
        messages,
        bytes: net.stats.bytes - bytes_before,
        messages_per_node_period: messages as f64 / live.len() as f64 / periods.max(1.0),
        wall_setup_s,
        wall_run_s: started.elapsed().as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_cluster_detects_the_crash_and_spreads_the_write() {
        let run = crash_detection(50, 3, Conditions::default(), |_| {}, |_| {});
        let dead = run
            .all_dead_s
            .expect("everyone marks the crashed node dead");
        let suspicion = run.first_suspicion_s.expect("someone suspects it first");
        assert!(suspicion < dead);
        // Suspicion timeout at N = 50: 4 × log10 50 ≈ 6.8 periods, after a
        // failed probe; then the news spreads by piggybacking.
        assert!(
            dead > 6.8,
            "dead after {dead} s, before the suspicion timeout"
        );
        assert!(dead < 40.0, "dead only after {dead} s");
        assert!(run.write_everywhere_s.is_some());
        assert!(run.messages_per_node_period > 1.0);
    }

    #[test]
    fn loss_and_a_long_latency_tail_slow_it_down_but_do_not_stop_it() {
        let rough = Conditions {
            loss: 0.05,
            latency: Latency::Exponential {
                min: Duration::from_millis(1),
                mean_extra: Duration::from_millis(50),
            },
        };
        let run = crash_detection(
            50,
            3,
            rough,
            |c| c.anti_entropy = Some(Duration::from_secs(2)),
            |_| {},
        );
        assert!(run.all_dead_s.is_some(), "{run:?}");
        assert!(run.write_everywhere_s.is_some(), "{run:?}");
    }
}
