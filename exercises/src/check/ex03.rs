//! Module 03: what a pull brings back, and how many rounds each mode needs.

use super::scenario::cluster;
use super::{Check, Figures, Subject};
use gossip_node::core::anti_entropy::Digest;
use gossip_node::core::pieces::Implementation;
use gossip_node::core::store::Entry;
use gossip_node::core::version::NodeId;
use gossip_node::core::Mode;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a pull brings back exactly what the puller lacks",
            run: answer_is_the_difference,
        },
        Check {
            name: "pure pull, 30 nodes: everyone hears, and every copy is news (N - 1 copies)",
            run: pull_sends_n_minus_1,
        },
        Check {
            name: "rounds to reach 100 nodes: push-pull beats push",
            run: rounds_by_mode,
        },
    ]
}

fn entry(version: u64, origin: u64) -> Entry {
    Entry {
        value: format!("v{version}@{origin}"),
        version,
        origin: NodeId(origin),
    }
}

fn answer_is_the_difference(s: &Subject) -> Result<Figures, String> {
    let hot = vec![
        ("a".to_owned(), entry(3, 1)),
        ("b".to_owned(), entry(2, 2)),
        ("c".to_owned(), entry(5, 1)),
        ("d".to_owned(), entry(4, 3)),
    ];
    let mut have = Digest::default();
    have.versions.insert("a".into(), (3, NodeId(1))); // the same: known
    have.versions.insert("b".into(), (1, NodeId(9))); // older: send
    have.versions.insert("c".into(), (5, NodeId(2))); // newer (same counter, higher id): known
                                                      // "d" missing: send
    let mut sent: Vec<String> = s
        .pieces
        .pull_answer(&hot, &have)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    sent.sort();
    if sent != ["b", "d"] {
        return Err(format!(
            "the puller holds a = v3@1 (same), b = v1@9 (older), c = v5@2 (newer) and no d; \
             the answer should carry b and d, but carried {sent:?}. Anything else is a wasted copy \
             or a missed update."
        ));
    }
    Ok(vec![])
}

/// Rumor copies sent (all nodes) and whether all `n` hold `news`, in `mode`.
fn spread(pieces: &Implementation, mode: Mode, n: u64, seed: u64) -> (Option<Duration>, u64) {
    let mut net = cluster(seed, n, pieces, |c| {
        c.mode = mode;
        c.fanout = 1;
        c.rumor_k = 60; // hot long enough for the slowest mode
    });
    net.run_for(Duration::from_millis(1500));
    net.update(1, "news", "hello");
    let all = |net: &gossip_node::sim::Network| (1..=n).all(|id| net.value(id, "news").is_some());
    let took = net.run_until(Duration::from_secs(120), all);
    let copies = (1..=n).map(|id| net.node(id).counters().rumors_sent).sum();
    (took, copies)
}

fn pull_sends_n_minus_1(s: &Subject) -> Result<Figures, String> {
    let n = 30;
    let (took, copies) = spread(&s.pieces, Mode::Pull, n, 71);
    let Some(took) = took else {
        return Err(format!(
            "after 120 s of pulling, not all {n} nodes hold the update ({copies} copies sent)."
        ));
    };
    if copies != n - 1 {
        return Err(format!(
            "{copies} copies of the update were sent to reach {n} nodes; pure pull needs exactly \
             {}: a node answers a pull only with what the puller lacks.",
            n - 1
        ));
    }
    Ok(vec![
        ("copies of the update".into(), format!("{copies} (= N - 1)")),
        (
            "everyone held it after".into(),
            format!("{:.0} rounds", took.as_secs_f64().ceil()),
        ),
    ])
}

fn rounds_by_mode(s: &Subject) -> Result<Figures, String> {
    let n = 100;
    let runs = 12;
    let mut figures = Vec::new();
    let mut means = Vec::new();
    for mode in [Mode::Push, Mode::Pull, Mode::PushPull] {
        let mut total = 0.0;
        let mut copies = 0;
        for run in 0..runs {
            let (took, sent) = spread(&s.pieces, mode, n, 200 + run);
            let took = took.ok_or_else(|| format!("{mode}: not everyone heard within 120 s"))?;
            total += took.as_secs_f64().ceil();
            copies += sent;
        }
        let mean = total / runs as f64;
        means.push(mean);
        figures.push((
            format!("{mode}, 100 nodes, fanout 1"),
            format!(
                "{mean:.1} rounds, {:.1} copies per node",
                copies as f64 / (runs * n) as f64
            ),
        ));
    }
    if means[2] >= means[0] {
        return Err(format!(
            "push-pull took {:.1} rounds on average, push {:.1}: push-pull should be the fastest \
             (pushes reach the first nodes, pulls find the last ones).",
            means[2], means[0]
        ));
    }
    Ok(figures)
}
