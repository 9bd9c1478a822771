//! Module 01: `newer` and `observe`, alone and inside a cluster.

use super::scenario::{agreed, cluster, secs, until_agreed, views};
use super::{Check, Figures, Subject};
use gossip_node::core::version::{NodeId, Version};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "a write never beats itself (hearing a rumor twice changes nothing)",
            run: not_newer_than_itself,
        },
        Check {
            name: "of two different writes, exactly one wins",
            run: exactly_one_wins,
        },
        Check {
            name: "the order is consistent: if a beats b and b beats c, a beats c",
            run: transitive,
        },
        Check {
            name: "observe: the clock reaches what it saw and never goes back",
            run: clock_rule,
        },
        Check {
            name: "two nodes write the same key at the same moment: all four agree",
            run: concurrent_writes_converge,
        },
        Check {
            name: "a write made after seeing another one wins everywhere",
            run: later_write_wins,
        },
    ]
}

fn v(counter: u64, origin: u64) -> Version {
    Version {
        counter,
        origin: NodeId(origin),
    }
}

/// Random versions with small numbers, so ties are common.
fn versions(seed: u64, n: usize) -> Vec<Version> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| v(rng.random_range(0..6), rng.random_range(1..5)))
        .collect()
}

fn not_newer_than_itself(s: &Subject) -> Result<Figures, String> {
    for a in versions(1, 200) {
        if s.pieces.newer(a, a) {
            return Err(format!(
                "newer({a}, {a}) says yes: the same write would count as news every time it \
                 arrives, and the cluster would gossip it for ever."
            ));
        }
    }
    Ok(vec![("versions tried".into(), "200".into())])
}

fn exactly_one_wins(s: &Subject) -> Result<Figures, String> {
    let all = versions(2, 60);
    let mut pairs = 0;
    for &a in &all {
        for &b in &all {
            if a == b {
                continue;
            }
            pairs += 1;
            match (s.pieces.newer(a, b), s.pieces.newer(b, a)) {
                (true, false) | (false, true) => {}
                (false, false) => {
                    return Err(format!(
                        "neither {a} nor {b} beats the other. Two nodes holding them would each \
                         keep their own, and never agree.{}",
                        if a.counter == b.counter {
                            " Same counter: break the tie with the origin id."
                        } else {
                            ""
                        }
                    ))
                }
                (true, true) => {
                    return Err(format!(
                        "{a} beats {b} and {b} beats {a}: every node would take whichever it \
                         heard last, and the two writes would chase each other for ever."
                    ))
                }
            }
        }
    }
    Ok(vec![("pairs of writes compared".into(), pairs.to_string())])
}

fn transitive(s: &Subject) -> Result<Figures, String> {
    let all = versions(3, 25);
    for &a in &all {
        for &b in &all {
            for &c in &all {
                if s.pieces.newer(a, b) && s.pieces.newer(b, c) && !s.pieces.newer(a, c) {
                    return Err(format!(
                        "{a} beats {b}, {b} beats {c}, but {a} does not beat {c}: which write \
                         survives would depend on the order the rumors arrive."
                    ));
                }
            }
        }
    }
    Ok(vec![(
        "triples compared".into(),
        (25 * 25 * 25).to_string(),
    )])
}

fn clock_rule(s: &Subject) -> Result<Figures, String> {
    for (clock, seen) in [(0, 5), (5, 0), (7, 7), (3, 9), (12, 4), (0, 0)] {
        let after = s.pieces.observe(clock, seen);
        if after < seen {
            return Err(format!(
                "observe({clock}, {seen}) = {after}: the next write would be stamped {} and lose \
                 to the write this node has already seen (counter {seen}).",
                after + 1
            ));
        }
        if after < clock {
            return Err(format!(
                "observe({clock}, {seen}) = {after}: the clock went backwards, so this node's \
                 next write could lose to its own earlier one."
            ));
        }
    }
    Ok(vec![])
}

fn concurrent_writes_converge(s: &Subject) -> Result<Figures, String> {
    let mut net = cluster(11, 4, &s.pieces, |c| {
        c.anti_entropy = Some(Duration::from_secs(2));
    });
    net.run_for(Duration::from_secs(2));
    // The same instant: both stamped with counter 1.
    net.update(1, "color", "red");
    net.update(3, "color", "blue");
    match until_agreed(&mut net, 4, "color", Duration::from_secs(30)) {
        Some(t) => Ok(vec![
            ("all four agree after".into(), secs(t)),
            (
                "winner".into(),
                agreed(&net, 4, "color").unwrap_or_default(),
            ),
        ]),
        None => Err(format!(
            "after 30 s the nodes still disagree on `color`: {}.\n\
             Both writes carry counter 1; every node must pick the same one.",
            views(&net, 4, "color")
        )),
    }
}

fn later_write_wins(s: &Subject) -> Result<Figures, String> {
    let mut net = cluster(12, 4, &s.pieces, |c| {
        c.anti_entropy = Some(Duration::from_secs(2));
    });
    net.run_for(Duration::from_secs(2));
    for value in ["red", "orange", "yellow", "green", "teal"] {
        net.update(1, "color", value);
    }
    let seen = net.node(1).store().get("color").map_or(0, |e| e.version);
    until_agreed(&mut net, 4, "color", Duration::from_secs(30)).ok_or_else(|| {
        format!(
            "node 1's writes did not spread: {}",
            views(&net, 4, "color")
        )
    })?;
    // Node 2 has seen node 1's last write; now it writes the key itself.
    let written = net.update(2, "color", "violet");
    match until_agreed(&mut net, 4, "color", Duration::from_secs(30)) {
        Some(t) if agreed(&net, 4, "color").as_deref() == Some("violet") => Ok(vec![
            ("node 2's write everywhere after".into(), secs(t)),
            (
                "its stamp".into(),
                format!("v{}@2 (it had seen v{seen}@1)", written.version),
            ),
        ]),
        _ => Err(format!(
            "node 2 wrote `color = violet` after it had seen node 1's write v{seen}@1, but its \
             write was stamped v{}@2 and lost: {}.\n\
             A node's clock must move up to every counter it sees (observe), so its next write \
             is newer than anything it has seen.",
            written.version,
            views(&net, 4, "color")
        )),
    }
}
