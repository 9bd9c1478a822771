//! Module 07: the formulas that keep membership gossip bounded, and a
//! rolling restart that is too fast (Slack, February 2022).

use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::pieces::{Pieces, Reference};
use gossip_node::sim::network::addr;
use gossip_node::sim::Network;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "retransmit limit and suspicion timeout reproduce memberlist's values",
            run: formulas,
        },
        Check {
            name: "a too-fast rolling restart of 20 of 60 nodes: traffic stays bounded and drains",
            run: storm_drains,
        },
        Check {
            name: "after the storm every node knows every restarted node as alive",
            run: views_converge,
        },
    ]
}

fn formulas(s: &Subject) -> Result<Figures, String> {
    let second = Duration::from_secs(1);
    for mult in [2, 4] {
        for n in [1, 4, 9, 10, 99, 100, 1_000, 10_000] {
            let (yours, expected) = (
                s.pieces.retransmit_limit(mult, n),
                Reference.retransmit_limit(mult, n),
            );
            if yours != expected {
                return Err(format!(
                    "retransmit_limit({mult}, {n}) = {yours}; memberlist uses {expected} \
                     (mult × ⌈log10(N + 1)⌉). Too few and news dies before it reaches everyone; \
                     too many and every restart is repeated for ever."
                ));
            }
            let (yours, expected) = (
                s.pieces.suspicion_timeout(mult, n, second),
                Reference.suspicion_timeout(mult, n, second),
            );
            if yours.abs_diff(expected) > Duration::from_millis(1) {
                return Err(format!(
                    "suspicion_timeout({mult}, {n}, 1 s) = {yours:?}; memberlist uses {expected:?} \
                     (mult × max(1, log10 N) periods). Too short and slow nodes are declared dead \
                     before their refutation arrives."
                ));
            }
        }
    }
    Ok(vec![(
        "at N = 10,000, mult 4".into(),
        format!(
            "{} transmissions, {:?} suspicion",
            s.pieces.retransmit_limit(4, 10_000),
            s.pieces.suspicion_timeout(4, 10_000, second)
        ),
    )])
}

const N: u64 = 60;
const RESTARTED: u64 = 20;

/// A formed 60-node cluster where a restarted node rejoins through node 1,
/// after a rolling restart of nodes 41-60, 100 ms apart. Returns the network
/// and the messages per node per second before and during the restarts.
fn storm(s: &Subject) -> (Network, f64, f64) {
    let mut net = cluster(91, N, &s.pieces, |c| c.neighbors = vec![addr(1)]);
    net.run_for(Duration::from_secs(10));
    let rate = |net: &mut Network, span: Duration| {
        let before = net.stats.sent;
        net.run_for(span);
        (net.stats.sent - before) as f64 / N as f64 / span.as_secs_f64()
    };
    let quiet = rate(&mut net, Duration::from_secs(5));
    let before = net.stats.sent;
    let start = net.now();
    for id in N - RESTARTED + 1..=N {
        net.restart(id);
        net.run_for(Duration::from_millis(100));
    }
    net.run_for(Duration::from_secs(8));
    let span = (net.now() - start).as_secs_f64();
    let stormy = (net.stats.sent - before) as f64 / N as f64 / span;
    (net, quiet, stormy)
}

fn storm_drains(s: &Subject) -> Result<Figures, String> {
    let (mut net, quiet, stormy) = storm(s);
    let drained = |net: &Network| (1..=N).all(|id| net.node(id).queued_news() == 0);
    let Some(t) = net.run_until(Duration::from_secs(60), drained) else {
        let queued: usize = (1..=N)
            .map(|id| net.node(id).queued_news())
            .max()
            .unwrap_or(0);
        return Err(format!(
            "60 s after the restarts, nodes still hold up to {queued} pieces of membership news \
             waiting to be repeated: news that is never dropped is repeated on every message for \
             ever, and the cluster gossips itself to death."
        ));
    };
    Ok(vec![
        (
            "messages per node per second, quiet".into(),
            format!("{quiet:.1}"),
        ),
        ("during the rolling restart".into(), format!("{stormy:.1}")),
        ("all news dropped after".into(), secs(t)),
    ])
}

fn views_converge(s: &Subject) -> Result<Figures, String> {
    let (mut net, _, _) = storm(s);
    let agreed = |net: &Network| {
        (1..=N).all(|observer| {
            (N - RESTARTED + 1..=N).all(|id| {
                let truth = net.node(id).members().me().incarnation;
                net.node(observer)
                    .members()
                    .get(gossip_node::core::version::NodeId(id))
                    .is_some_and(|m| m.status == MemberStatus::Alive && m.incarnation == truth)
            })
        })
    };
    match net.run_until(Duration::from_secs(60), agreed) {
        Some(t) => Ok(vec![("every view current after".into(), secs(t))]),
        None => {
            let behind = (1..=N)
                .filter(|observer| {
                    (N - RESTARTED + 1..=N).any(|id| {
                        let truth = net.node(id).members().me().incarnation;
                        net.node(*observer)
                            .members()
                            .get(gossip_node::core::version::NodeId(id))
                            .is_none_or(|m| {
                                m.status != MemberStatus::Alive || m.incarnation != truth
                            })
                    })
                })
                .count();
            Err(format!(
                "60 s after the restarts, {behind} of {N} nodes still hold an old or dead view of a \
                 restarted node: its news was dropped before it reached them (too few repeats), \
                 or a suspicion expired before the refutation arrived."
            ))
        }
    }
}
