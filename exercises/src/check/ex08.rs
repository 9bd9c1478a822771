//! Module 08: push-sum conserves mass and converges to the average.

use super::property::for_all;
use super::scenario::cluster;
use super::{Check, Figures, Subject};
use gossip_node::core::aggregate::PushSum;
use gossip_node::sim::Network;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a split keeps the pair whole, and a merge adds a share",
            run: split_and_merge,
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

fn split_and_merge(s: &Subject) -> Result<Figures, String> {
    // Named pairs first, then any pair: the smallest breaking one is reported.
    let named = [(6.0, 1.0), (0.0, 0.0), (-3.5, 0.25), (1e6, 7.0)];
    let split = |(sum, weight): (f64, f64)| -> Result<(), String> {
        let mine = PushSum { sum, weight };
        let (keep, send) = s.pieces.push_sum_split(mine);
        let (total_sum, total_weight) = (keep.sum + send.sum, keep.weight + send.weight);
        if (total_sum - sum).abs() > 1e-9 * sum.abs().max(1.0)
            || (total_weight - weight).abs() > 1e-9
        {
            return Err(format!(
                "splitting ({sum}, {weight}) gave keep {keep:?} and send {send:?}, which add up to \
                 ({total_sum}, {total_weight}): mass was created or lost, so the estimates will \
                 drift away from the true average."
            ));
        }
        if weight > 0.0 && (send.weight <= 0.0 || keep.weight <= 0.0) {
            return Err(format!(
                "splitting ({sum}, {weight}) kept {keep:?} and sent {send:?}: both sides must \
                 get some weight, or nothing mixes."
            ));
        }
        Ok(())
    };
    for pair in named {
        split(pair)?;
    }
    for_all(500, (-1e6..1e6f64, 0.0..100.0f64), split)?;
    let merged = s.pieces.push_sum_merge(
        PushSum {
            sum: 3.0,
            weight: 0.5,
        },
        PushSum {
            sum: 2.0,
            weight: 1.0,
        },
    );
    if merged
        != (PushSum {
            sum: 5.0,
            weight: 1.5,
        })
    {
        return Err(format!(
            "merging a share (2, 1) into (3, 0.5) gave {merged:?}; it should give (5, 1.5)."
        ));
    }
    Ok(vec![])
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
