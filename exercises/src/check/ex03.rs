//! Module 03: what a pull brings back, and how many rounds each mode needs.

use super::property::for_all;
use super::scenario::cluster;
use super::{Check, Figures, Subject};
use gossip_node::core::digest::Digest;
use gossip_node::core::pieces::Implementation;
use gossip_node::core::store::Entry;
use gossip_node::core::version::NodeId;
use gossip_node::core::Mode;
use proptest::strategy::Strategy;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a pull brings back exactly what the puller lacks",
            run: answer_is_the_difference,
        },
        Check {
            name: "a pull answer sends nothing the puller holds the same or newer",
            run: nothing_already_held,
        },
        Check {
            name: "a pull answer leaves out nothing the puller lacks or holds older",
            run: nothing_lacking_left_out,
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

/// What we spread and what the puller holds.
type Pull = (Vec<(String, Entry)>, Digest);

/// Random pulls: up to six keys, each hot here or not, and lacking, held
/// the same, or held at some other version by the puller. Small versions
/// and origins, so equal counters from different origins are common.
fn pulls() -> impl Strategy<Value = Pull> {
    // Mostly small versions and ids, sometimes around 2^32 (where a counter
    // kept in 32 bits wraps) and 256 (where an id kept in a byte does).
    let version = || {
        let wrap = u64::from(u32::MAX);
        proptest::prop_oneof![
            4 => (1..5u64, 1..4u64),
            1 => (wrap - 1..wrap + 3, 1..4u64),
            1 => (1..5u64, 255..258u64),
        ]
    };
    let key = (proptest::option::of(version()), 0..4u8, version());
    proptest::collection::vec(key, 0..=6).prop_map(|keys| {
        let mut hot = Vec::new();
        let mut have = Digest::default();
        for (i, (mine, held, other)) in keys.into_iter().enumerate() {
            let key = char::from(b'a' + i as u8).to_string();
            if let Some((version, origin)) = mine {
                hot.push((key.clone(), entry(version, origin)));
            }
            let theirs = match (held, mine) {
                (0, _) => None,
                (1, Some(same)) => Some(same),
                _ => Some(other),
            };
            if let Some((version, origin)) = theirs {
                have.versions.insert(key, (version, NodeId(origin)));
            }
        }
        (hot, have)
    })
}

/// The pull, as a failure message shows it.
fn describe((hot, have): &Pull) -> String {
    let hot: Vec<String> = hot
        .iter()
        .map(|(k, e)| format!("{k} = v{}@{}", e.version, e.origin))
        .collect();
    let have: Vec<String> = have
        .versions
        .iter()
        .map(|(k, (version, origin))| format!("{k} = v{version}@{origin}"))
        .collect();
    format!(
        "we spread [{}], the puller holds [{}]",
        hot.join(", "),
        have.join(", ")
    )
}

fn nothing_already_held(s: &Subject) -> Result<Figures, String> {
    let cases = 400;
    for_all(cases, pulls(), |pull| {
        let (hot, have) = &pull;
        let answer = s.pieces.pull_answer(hot, have);
        for (i, (key, sent)) in answer.iter().enumerate() {
            let shown = format!("v{}@{}", sent.version, sent.origin);
            if !hot.contains(&(key.clone(), sent.clone())) {
                return Err(format!(
                    "{}; the answer sends {key} = {shown} ({:?}), which is not one of the hot \
                     entries as this node holds them. Send the hot entries themselves.",
                    describe(&pull),
                    sent.value
                ));
            }
            if answer[..i].iter().any(|(k, _)| k == key) {
                return Err(format!(
                    "{}; the answer sends {key} twice: the second copy is wasted.",
                    describe(&pull)
                ));
            }
            let Some(&theirs) = have.versions.get(key) else {
                continue;
            };
            let mine = (sent.version, sent.origin);
            if theirs == mine {
                return Err(format!(
                    "{}; the answer sends {key} = {shown}, but the puller holds the same \
                     version: a copy that is no news, one wasted message per pull (and this \
                     node never learns that the puller already knew).",
                    describe(&pull)
                ));
            }
            if theirs > mine {
                return Err(format!(
                    "{}; the answer sends {key} = {shown}, but the puller holds it newer \
                     (v{}@{}): stale data, which the puller drops, in a wasted message.{}",
                    describe(&pull),
                    theirs.0,
                    theirs.1,
                    if theirs.0 < mine.0 {
                        ""
                    } else {
                        " Compare (version, origin) pairs: the version first, the origin only \
                         on a tie."
                    }
                ));
            }
        }
        Ok(())
    })?;
    Ok(vec![("random pulls tried".into(), cases.to_string())])
}

fn nothing_lacking_left_out(s: &Subject) -> Result<Figures, String> {
    // A busy node spreads many writes at once: the answer has no size cap.
    let busy: Vec<(String, Entry)> = (0..3000)
        .map(|i| (format!("key{i:04}"), entry(1 + i % 3, 1 + i % 4)))
        .collect();
    let carried = s.pieces.pull_answer(&busy, &Digest::default()).len();
    if carried != busy.len() {
        return Err(format!(
            "we spread {} writes and the puller holds none of them; the answer carried \
             {carried}. Every hot entry the puller lacks belongs in the answer: one that is \
             left out is a missed update, and the rumor may be cold before the next pull.",
            busy.len()
        ));
    }
    let cases = 400;
    for_all(cases, pulls(), |pull| {
        let (hot, have) = &pull;
        let answer = s.pieces.pull_answer(hot, have);
        for (key, mine) in hot {
            if answer.iter().any(|(k, _)| k == key) {
                continue;
            }
            let shown = format!("v{}@{}", mine.version, mine.origin);
            let why = match have.versions.get(key) {
                None => format!("the puller lacks {key} altogether"),
                Some(&(version, origin)) if (version, origin) < (mine.version, mine.origin) => {
                    format!(
                        "the puller holds it older (v{version}@{origin}){}",
                        if version == mine.version {
                            ": the same counter, and the higher origin id wins the tie"
                        } else {
                            ""
                        }
                    )
                }
                Some(_) => continue,
            };
            return Err(format!(
                "{}; the answer leaves out {key} = {shown}, but {why}. A missed update: the \
                 puller asked for news and went away without it.",
                describe(&pull)
            ));
        }
        Ok(())
    })?;
    Ok(vec![("random pulls tried".into(), cases.to_string())])
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
