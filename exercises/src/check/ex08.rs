//! Module 08: push-sum conserves mass and converges to the average.
//!
//! The split and the merge are graded on named pairs and on hundreds of
//! random ones: a split must conserve both totals *and* give each part the
//! pair's estimate (the same share of the sum as of the weight), a merge
//! must add field by field. A wrong merge is named by what it does instead
//! (replaces, ignores, averages, forgets the weights).

use super::property::for_all;
use super::scenario::cluster;
use super::{Check, Figures, Subject};
use gossip_node::core::aggregate::PushSum;
use gossip_node::sim::Network;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a split keeps the pair whole, and both parts carry some weight and the pair's estimate",
            run: split,
        },
        Check {
            name: "a merge adds the share to the pair, sum to sum and weight to weight",
            run: merge,
        },
        Check {
            name: "50 nodes with values 1..50: every estimate reaches the average 25.5",
            run: average,
        },
        Check {
            name: "one node holds 1, the others 0: every node estimates the cluster's size",
            run: size,
        },
    ]
}

/// Random pairs as nodes hold them: any sum, a weight from 0 to 100.
fn any_pair() -> impl proptest::strategy::Strategy<Value = (f64, f64)> {
    (-1e6..1e6f64, 0.0..100.0f64)
}

/// Random pairs that carry some weight, as every share does.
fn any_share() -> impl proptest::strategy::Strategy<Value = (f64, f64)> {
    (-1e6..1e6f64, 0.001..100.0f64)
}

/// `a` and `b` are the same number, up to rounding.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn split(s: &Subject) -> Result<Figures, String> {
    // Named pairs first, then any pair: the smallest breaking one is reported.
    let named = [(6.0, 1.0), (0.0, 0.0), (-3.5, 0.25), (1e6, 7.0), (7.0, 1.0)];
    let split = |(sum, weight): (f64, f64)| -> Result<(), String> {
        let mine = PushSum { sum, weight };
        let (keep, send) = s.pieces.push_sum_split(mine);
        let (total_sum, total_weight) = (keep.sum + send.sum, keep.weight + send.weight);
        let shown = format!(
            "splitting ({sum}, {weight}) kept ({}, {}) and sent ({}, {})",
            keep.sum, keep.weight, send.sum, send.weight
        );
        if !same(total_sum, sum) || (total_weight - weight).abs() > 1e-9 {
            return Err(format!(
                "{shown}, which add up to ({total_sum}, {total_weight}): mass was created or \
                 lost, so the estimates will drift away from the true average."
            ));
        }
        if weight > 0.0 && send.weight <= 0.0 {
            return Err(format!(
                "{shown}: it sends no weight, so no mass moves and every node goes on \
                 estimating its own value. Both sides must get some weight, or nothing mixes."
            ));
        }
        if weight > 0.0 && keep.weight <= 0.0 {
            return Err(format!(
                "{shown}: it keeps no weight, so this node has no estimate until a share \
                 arrives, and the mass only hops from node to node instead of spreading. \
                 Both sides must get some weight, or nothing mixes."
            ));
        }
        // Each part's sum : weight must be the pair's: cross-multiplied, so
        // that a part with no weight is judged too.
        for (part, name) in [(keep, "kept"), (send, "sent")] {
            if !same(part.sum * weight, sum * part.weight) {
                return Err(format!(
                    "{shown}: the pair estimates {:.4}, but the part {name} estimates {:.4}. \
                     Each part must take the same share of the sum as of the weight: a share \
                     with the wrong estimate pulls every node it reaches off the average, \
                     even though the totals are kept.",
                    sum / weight,
                    part.sum / part.weight
                ));
            }
        }
        Ok(())
    };
    for pair in named {
        split(pair)?;
    }
    for_all(500, any_pair(), split)?;
    Ok(vec![(
        "pairs split".into(),
        "5 named, 500 random: totals and estimates kept".into(),
    )])
}

fn merge(s: &Subject) -> Result<Figures, String> {
    let merge = |((a, b), (c, d)): ((f64, f64), (f64, f64))| -> Result<(), String> {
        let (mine, received) = (PushSum { sum: a, weight: b }, PushSum { sum: c, weight: d });
        let got = s.pieces.push_sum_merge(mine, received);
        let want = PushSum {
            sum: a + c,
            weight: b + d,
        };
        let is = |p: PushSum| same(got.sum, p.sum) && same(got.weight, p.weight);
        if is(want) {
            return Ok(());
        }
        let average = PushSum {
            sum: want.sum / 2.0,
            weight: want.weight / 2.0,
        };
        let why = if is(received) {
            "it replaces this node's pair with the share: the node's own mass is thrown away \
             at every merge"
        } else if is(mine) {
            "it ignores the share: every share sent is mass lost"
        } else if is(average) {
            "it averages the two pairs instead of adding them: half of the mass of both \
             vanishes at every merge"
        } else if same(got.sum, want.sum) {
            "the weights were not added: weight is created or lost at every merge, and \
             sum / weight drifts off the average"
        } else if same(got.weight, want.weight) {
            "the sums were not added: sum is created or lost at every merge, and \
             sum / weight drifts off the average"
        } else {
            "a merge must add sum to sum and weight to weight, or the cluster's totals change"
        };
        Err(format!(
            "merging a share ({c}, {d}) into ({a}, {b}) gave ({}, {}); it should give \
             ({}, {}): {why}.",
            got.sum, got.weight, want.sum, want.weight
        ))
    };
    // Named shares first (one into a node that held nothing yet), then any.
    for named in [
        ((3.0, 0.5), (2.0, 1.0)),
        ((4.0, 2.0), (3.0, 0.5)),
        ((0.0, 0.0), (6.0, 0.25)),
    ] {
        merge(named)?;
    }
    for_all(500, (any_share(), any_share()), merge)?;
    Ok(vec![(
        "shares merged".into(),
        "3 named, 500 random: added field by field".into(),
    )])
}

/// Run `n` nodes with `value(id)` for `seconds`, half a round past a round.
fn run(s: &Subject, n: u64, value: fn(u64) -> f64, seconds: u64) -> Network {
    let mut net = cluster(101, n, &s.pieces, |c| c.push_sum = Some(value(c.id.0)));
    net.run_for(Duration::from_millis(seconds * 1000 + 500));
    net
}

fn estimates(net: &Network, n: u64) -> Vec<Option<f64>> {
    (1..=n)
        .map(|id| net.node(id).state().push_sum.and_then(|p| p.estimate))
        .collect()
}

fn average(s: &Subject) -> Result<Figures, String> {
    let n = 50;
    let net = run(s, n, |id| id as f64, 30);
    let all = estimates(&net, n);
    let worst = all
        .iter()
        .map(|e| e.map_or(f64::INFINITY, |e| (e - 25.5).abs()))
        .fold(0.0, f64::max);
    if worst > 0.05 {
        let shown: Vec<String> = all.iter().take(6).map(|e| format!("{e:.3?}")).collect();
        return Err(format!(
            "after 30 rounds the estimates should all be within 0.05 of 25.5; the worst is {worst:.3} \
             off (the first nodes hold {}).",
            shown.join(", ")
        ));
    }
    Ok(vec![(
        "worst estimate after 30 rounds".into(),
        format!("{worst:.5} from 25.5"),
    )])
}

fn size(s: &Subject) -> Result<Figures, String> {
    let n = 50;
    let net = run(s, n, |id| if id == 1 { 1.0 } else { 0.0 }, 40);
    let sizes: Vec<f64> = estimates(&net, n)
        .iter()
        .map(|e| e.map_or(f64::INFINITY, |e| 1.0 / e))
        .collect();
    let worst = sizes.iter().map(|s| (s - 50.0).abs()).fold(0.0, f64::max);
    if worst > 1.0 {
        return Err(format!(
            "after 40 rounds every node should estimate 50 nodes within 1; node 2 says {:.1}, \
             the worst is {worst:.1} off.",
            sizes[1]
        ));
    }
    Ok(vec![(
        "node 2's estimate of the size".into(),
        format!("{:.2}", sizes[1]),
    )])
}
