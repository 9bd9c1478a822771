//! Module 09 (bonus): Plumtree. The links turn a flood into a tree, and
//! grafts keep the tree whole when nodes crash and messages are lost.

mod fanout;

use fanout::diagnose;
use super::property::for_all;
use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::pieces::Implementation;
use gossip_node::core::plumtree::{Link, TreeEvent};
use gossip_node::core::version::NodeId;
use gossip_node::core::Mode;
use gossip_node::sim::Network;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "each event sets the link the protocol says, and nobody gets a payload back",
            run: links,
        },
        Check {
            name: "the tree forms: after the first update, each update costs N - 1 payloads",
            run: tree_forms,
        },
        Check {
            name:
                "the tree heals: 3 of 16 nodes crash, 5 % loss, every update still reaches all 13",
            run: tree_heals,
        },
        Check {
            name: "the healed tree holds: with the loss over, each update costs 12 payloads and no graft",
            run: tree_holds,
        },
    ]
}

const N: u64 = 16;

fn links(s: &Subject) -> Result<Figures, String> {
    use TreeEvent::*;
    let expected = [
        (
            FirstCopy,
            Link::Eager,
            "the link that brought a first copy is the tree's branch to us",
        ),
        (
            Duplicate,
            Link::Lazy,
            "a link that brings duplicates is redundant: left eager, every update floods it",
        ),
        (
            Prune,
            Link::Lazy,
            "the peer pruned us: sending it payloads only makes duplicates",
        ),
        (
            Graft,
            Link::Eager,
            "the peer grafted us: it needs payloads through this link from now on",
        ),
        (
            Missing,
            Link::Eager,
            "we graft this peer: unless the link turns eager, the tree has a hole here",
        ),
    ];
    let wrong: Vec<String> = expected
        .into_iter()
        .filter_map(|(event, link, why)| {
            let got = s.pieces.link_after(event);
            (got != link).then(|| {
                format!("link_after({event:?}) = {got:?}, but {why}: it must be {link:?}.")
            })
        })
        .collect();
    if !wrong.is_empty() {
        return Err(wrong.join("\n"));
    }
    let peers = [
        (NodeId(1), Link::Eager),
        (NodeId(2), Link::Lazy),
        (NodeId(3), Link::Eager),
        (NodeId(4), Link::Lazy),
    ];
    let sorted = |mut v: Vec<NodeId>| {
        v.sort();
        v
    };
    let cases = [
        (None, vec![1, 3], vec![2, 4], "a client's write"),
        (
            Some(NodeId(3)),
            vec![1],
            vec![2, 4],
            "a payload from eager peer 3",
        ),
        (
            Some(NodeId(2)),
            vec![1, 3],
            vec![4],
            "a payload from lazy peer 2 (after a graft)",
        ),
    ];
    for (from, eager, lazy, what) in cases {
        let got = s.pieces.push_targets(&peers, from);
        let (eager, lazy): (Vec<NodeId>, Vec<NodeId>) = (
            eager.into_iter().map(NodeId).collect(),
            lazy.into_iter().map(NodeId).collect(),
        );
        if sorted(got.eager.clone()) != eager || sorted(got.lazy.clone()) != lazy {
            return Err(format!(
                "for {what}, with peers 1 and 3 eager and 2 and 4 lazy, push_targets gave \
                 payloads to {:?} and announcements to {:?}; expected payloads to {eager:?} and \
                 announcements to {lazy:?}.\n{}",
                got.eager,
                got.lazy,
                diagnose(&peers, from, &got)
            ));
        }
    }
    // Any peers, any sender: the smallest breaking case is reported.
    let inputs = (
        proptest::collection::btree_map(1..12u64, proptest::bool::ANY, 0..8),
        proptest::option::of(1..12u64),
    );
    for_all(500, inputs, |(links, from)| {
        let peers: Vec<(NodeId, Link)> = links
            .iter()
            .map(|(id, eager)| (NodeId(*id), if *eager { Link::Eager } else { Link::Lazy }))
            .collect();
        let from = from.map(NodeId);
        let got = s.pieces.push_targets(&peers, from);
        let want = |kind: Link| -> Vec<NodeId> {
            peers
                .iter()
                .filter(|(p, l)| *l == kind && Some(*p) != from)
                .map(|(p, _)| *p)
                .collect()
        };
        let (eager, lazy) = (want(Link::Eager), want(Link::Lazy));
        if sorted(got.eager.clone()) != eager || sorted(got.lazy.clone()) != lazy {
            return Err(format!(
                "with peers {peers:?} and a payload from {from:?}, push_targets gave payloads \
                 to {:?} and announcements to {:?}; expected payloads to {eager:?} and \
                 announcements to {lazy:?}: each peer once, by its link, never the sender.\n{}",
                got.eager,
                got.lazy,
                diagnose(&peers, from, &got)
            ));
        }
        Ok(())
    })?;
    Ok(vec![(
        "cases".into(),
        "5 events, 3 named fan-outs, 500 random ones".into(),
    )])
}

fn tree_cluster(seed: u64, pieces: &Implementation) -> Network {
    cluster(seed, N, pieces, |c| c.mode = Mode::Plumtree)
}

fn payloads(net: &Network) -> u64 {
    (1..=N).map(|id| net.node(id).counters().rumors_sent).sum()
}

fn grafts(net: &Network) -> u64 {
    (1..=N).map(|id| net.node(id).counters().grafts_sent).sum()
}

/// Nodes that are up and do not hold `key`.
fn lacking(net: &Network, key: &str) -> Vec<u64> {
    (1..=N)
        .filter(|id| net.is_up(*id) && net.value(*id, key).is_none())
        .collect()
}

/// Write `key` on `writer` and wait until every running node has it; the
/// time it took, or which nodes never got it.
fn deliver(net: &mut Network, writer: u64, key: &str) -> Result<Duration, String> {
    net.update(writer, key, "v");
    let limit = Duration::from_secs(30);
    match net.run_until(limit, |net| lacking(net, key).is_empty()) {
        Some(took) => Ok(took),
        None => Err(format!(
            "update `{key}` written on node {writer} never reached nodes {:?} in {}: no eager \
             link brought it, and no announcement led to a graft that did.",
            lacking(net, key),
            secs(limit)
        )),
    }
}

fn tree_forms(s: &Subject) -> Result<Figures, String> {
    let mut net = tree_cluster(91, &s.pieces);
    net.run_for(Duration::from_secs(5));
    let before = payloads(&net);
    deliver(&mut net, 1, "first")?;
    net.run_for(Duration::from_secs(3));
    let first = payloads(&net) - before;
    let writers = [2, 9, 16, 5, 12, 3, 7, 14, 10, 1];
    let mut costs = Vec::new();
    for (i, writer) in writers.into_iter().enumerate() {
        let before = payloads(&net);
        deliver(&mut net, writer, &format!("update-{i}"))?;
        net.run_for(Duration::from_secs(3));
        costs.push(payloads(&net) - before);
    }
    let mean = costs.iter().sum::<u64>() as f64 / costs.len() as f64;
    let tree = (N - 1) as f64;
    if mean > tree * 1.1 {
        return Err(format!(
            "after the first update (which floods: {first} payloads), the next 10 cost \
             {costs:?} payloads, {mean:.1} on average. A tree over {N} nodes needs {tree}: \
             the redundant links never turned lazy (a duplicate must prune the link), or \
             payloads went back to where they came from."
        ));
    }
    // What push gossip spends on the same updates, for comparison.
    let mut push = cluster(91, N, &s.pieces, |_| {});
    push.run_for(Duration::from_secs(5));
    let before = payloads(&push);
    for (i, writer) in writers.into_iter().enumerate() {
        push.update(writer, &format!("update-{i}"), "v");
        push.run_for(Duration::from_secs(8));
    }
    let push_mean = (payloads(&push) - before) as f64 / writers.len() as f64;
    Ok(vec![
        (
            "payloads for the first update (the flood)".into(),
            first.to_string(),
        ),
        (
            "payloads per later update".into(),
            format!("{mean:.1} (a tree needs {tree})"),
        ),
        (
            "push gossip, fanout 2, 4 rounds, same updates".into(),
            format!("{push_mean:.1} payloads per update"),
        ),
    ])
}

/// The tree after the crashes: the network, who crashed, who wrote the
/// updates, the grafts that repaired it and the slowest delivery.
struct Healed {
    net: Network,
    crashed: Vec<u64>,
    writers: Vec<u64>,
    grafts: u64,
    slowest: Duration,
}

/// A formed tree loses its 3 busiest forwarders, and 8 updates are written
/// under 5 % loss: each must still reach every running node.
fn heal(s: &Subject) -> Result<Healed, String> {
    let mut net = tree_cluster(92, &s.pieces);
    net.run_for(Duration::from_secs(5));
    deliver(&mut net, 1, "first")?;
    for i in 0..3 {
        deliver(&mut net, 4 + i, &format!("warm-{i}"))?;
    }
    net.run_for(Duration::from_secs(2));
    let grafts_before = grafts(&net);
    // The nodes that forwarded the most: the tree's busiest branches.
    let mut busiest: Vec<u64> = (2..=N).collect();
    busiest.sort_by_key(|id| std::cmp::Reverse(net.node(*id).counters().rumors_sent));
    let crashed = busiest[..3].to_vec();
    for id in &crashed {
        net.crash(*id);
    }
    net.set_loss(0.05);
    let mut slowest = Duration::ZERO;
    let writers: Vec<u64> = (1..=N).filter(|id| !crashed.contains(id)).take(8).collect();
    for (i, writer) in writers.iter().enumerate() {
        slowest = slowest.max(deliver(&mut net, *writer, &format!("after-{i}"))?);
        net.run_for(Duration::from_secs(2));
    }
    let grafts = grafts(&net) - grafts_before;
    Ok(Healed {
        net,
        crashed,
        writers,
        grafts,
        slowest,
    })
}

fn tree_heals(s: &Subject) -> Result<Figures, String> {
    let healed = heal(s)?;
    Ok(vec![
        (
            "crashed (the busiest forwarders)".into(),
            format!("{:?}", healed.crashed),
        ),
        (
            "grafts that repaired the tree".into(),
            healed.grafts.to_string(),
        ),
        (
            "slowest of 8 updates to reach all 13".into(),
            secs(healed.slowest),
        ),
    ])
}

/// Once the loss is over, the repaired tree carries every update by itself:
/// one payload per running node but the writer, no graft, no waiting.
fn tree_holds(s: &Subject) -> Result<Figures, String> {
    let Healed {
        mut net,
        crashed,
        writers,
        ..
    } = heal(s)?;
    net.set_loss(0.0);
    let (grafts_before, payloads_before) = (grafts(&net), payloads(&net));
    let mut slowest = Duration::ZERO;
    for (i, writer) in writers.iter().rev().enumerate() {
        slowest = slowest.max(deliver(&mut net, *writer, &format!("healed-{i}"))?);
        net.run_for(Duration::from_secs(2));
    }
    let updates = writers.len() as u64;
    let (grafted, cost) = (
        grafts(&net) - grafts_before,
        payloads(&net) - payloads_before,
    );
    let tree = (N - crashed.len() as u64 - 1) * updates;
    if grafted > 2 {
        return Err(format!(
            "after the repair, with no loss, {updates} updates still needed {grafted} grafts, \
             and the slowest took {}: the tree did not stay whole, so every update waits a \
             round for a graft. A graft must put the link back in the tree for good, at both \
             ends (Graft and Missing make it eager), and payloads must go on the eager links, \
             never back to their sender (its prune cuts the branch they came through).",
            secs(slowest)
        ));
    }
    if cost as f64 > tree as f64 * 1.1 {
        return Err(format!(
            "after the repair, with no loss, {updates} updates cost {cost} payloads; the tree \
             over the {} running nodes needs {tree}: redundant links still carry payloads \
             (a duplicate or a prune must make a link lazy for good).",
            N - crashed.len() as u64
        ));
    }
    Ok(vec![
        (
            "8 updates after the loss stops".into(),
            format!("{cost} payloads (the tree needs {tree}), {grafted} grafts"),
        ),
        ("slowest to reach all 13".into(), secs(slowest)),
    ])
}
