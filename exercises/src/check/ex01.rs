//! Module 01: `newer` and `observe`, alone and inside a cluster.

use super::property::for_all;
use super::scenario::{agreed, cluster, secs, until_agreed, views};
use super::{Check, Figures, Subject};
use gossip_node::core::version::{NodeId, Version};
use gossip_node::sim::Network;
use proptest::strategy::Strategy;
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
            name: "a higher counter always wins, whoever wrote it",
            run: higher_counter_wins,
        },
        Check {
            name: "on a tie of counters, the higher origin id wins",
            run: tie_goes_to_higher_origin,
        },
        Check {
            name: "observe: the clock reaches what it saw and never goes back",
            run: clock_rule,
        },
        Check {
            name: "observe: the clock moves no further than what it saw",
            run: clock_no_further,
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

/// Versions with small numbers (ties are common), a few around 2^32 (where
/// a counter kept in 32 bits wraps) and a few near the top.
fn any_version() -> impl Strategy<Value = Version> {
    use proptest::prelude::*;
    let wrap = u64::from(u32::MAX);
    // Node ids are any u64: around 10 (where ids compared as text go wrong),
    // 256 (where an id kept in a byte wraps) and the largest.
    let origin = || {
        prop_oneof![
            4 => 1..6u64,
            1 => 8..12u64,
            1 => 254..259u64,
            1 => u64::MAX - 2..=u64::MAX,
        ]
    };
    prop_oneof![
        4 => (0..8u64, origin()),
        1 => (wrap - 2..=wrap + 3, origin()),
        1 => (u64::MAX - 3..=u64::MAX, origin()),
    ]
    .prop_map(|(counter, origin)| v(counter, origin))
}

fn higher_counter_wins(s: &Subject) -> Result<Figures, String> {
    let cases = 500;
    for_all(cases, (any_version(), any_version()), |(a, b)| {
        let (won, lost) = match a.counter.cmp(&b.counter) {
            std::cmp::Ordering::Greater => (a, b),
            std::cmp::Ordering::Less => (b, a),
            std::cmp::Ordering::Equal => return Ok(()),
        };
        let (forward, backward) = (s.pieces.newer(won, lost), s.pieces.newer(lost, won));
        if forward && !backward {
            return Ok(());
        }
        let what = if forward {
            "a write with a lower counter beats one with a higher counter"
        } else {
            "a write with a higher counter lost"
        };
        Err(format!(
            "{what}: {won} must beat {lost}, but newer({won}, {lost}) = {forward} and \
             newer({lost}, {won}) = {backward}. A node stamps a write above every counter it \
             has seen, so the higher counter is the later write: compare the counters first, \
             the origin id only breaks a tie."
        ))
    })?;
    Ok(vec![("pairs of versions tried".into(), cases.to_string())])
}

fn tie_goes_to_higher_origin(s: &Subject) -> Result<Figures, String> {
    let cases = 300;
    let ties = (any_version(), 1..6u64).prop_filter("two writers", |(a, o)| a.origin.0 != *o);
    for_all(cases, ties, |(a, other)| {
        let b = v(a.counter, other);
        let (high, low) = if a.origin > b.origin { (a, b) } else { (b, a) };
        let (forward, backward) = (s.pieces.newer(high, low), s.pieces.newer(low, high));
        if forward && !backward {
            return Ok(());
        }
        Err(format!(
            "{high} and {low} were written at the same moment (counter {}); on a tie the higher \
             origin id wins, so {high} must beat {low}, but newer({high}, {low}) = {forward} and \
             newer({low}, {high}) = {backward}. Pull and anti-entropy compare (counter, origin) \
             pairs: ranked any other way, nodes keep sending each other the write the receiver \
             then drops.",
            high.counter
        ))
    })?;
    Ok(vec![("ties tried".into(), cases.to_string())])
}

/// Lamport counters: small ones, and some at the very top of the range.
fn counters() -> impl Strategy<Value = u64> {
    proptest::prop_oneof![0..50u64, u64::MAX - 50..=u64::MAX]
}

fn clock_rule(s: &Subject) -> Result<Figures, String> {
    let rule = |(clock, seen): (u64, u64)| {
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
        Ok(())
    };
    for pair in [(0, 5), (5, 0), (7, 7), (3, 9), (12, 4), (0, 0)] {
        rule(pair)?;
    }
    let cases = 300;
    for_all(cases, (counters(), counters()), rule)?;
    Ok(vec![("pairs of counters tried".into(), cases.to_string())])
}

fn clock_no_further(s: &Subject) -> Result<Figures, String> {
    let rule = |(clock, seen): (u64, u64)| {
        let after = s.pieces.observe(clock, seen);
        let highest = clock.max(seen);
        if after > highest {
            return Err(format!(
                "observe({clock}, {seen}) = {after}: the clock ran past what it saw. The next \
                 write is stamped counter + 1 (the tick belongs to the write), so moving up to \
                 max({clock}, {seen}) = {highest} is enough. A clock that moves on every \
                 message counts gossip traffic, not writes: hearing the same write again \
                 moves it once more, and near u64::MAX it has nowhere left to go."
            ));
        }
        let again = s.pieces.observe(after, seen);
        if again != after {
            return Err(format!(
                "observe({after}, {seen}) = {again}: hearing the same write again moved the \
                 clock. A rumor arrives many times; only a higher counter may move it."
            ));
        }
        Ok(())
    };
    // Small counters first, so a clock that overflows near the top has
    // already been told what it does wrong.
    for pair in [(3, 5), (5, 3), (4, 4), (0, 0)] {
        rule(pair)?;
    }
    let cases = 300;
    for_all(cases, (counters(), counters()), rule)?;
    Ok(vec![("pairs of counters tried".into(), cases.to_string())])
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
        net.update(3, "color", value);
    }
    until_agreed(&mut net, 4, "color", Duration::from_secs(30)).ok_or_else(|| {
        format!(
            "node 3's writes did not spread: {}",
            views(&net, 4, "color")
        )
    })?;
    // Node 2 has seen node 3's last write and writes the key itself; then
    // node 1, a lower id again, writes after seeing node 2's.
    let mut figures = write_after_seeing(&mut net, 2, "violet")?;
    figures.extend(write_after_seeing(&mut net, 1, "white")?);
    Ok(figures)
}

/// Node `writer`, holding the write every node agrees on, writes `value`
/// over it: that later write must win everywhere.
fn write_after_seeing(net: &mut Network, writer: u64, value: &str) -> Result<Figures, String> {
    let seen = net
        .node(writer)
        .store()
        .get("color")
        .map(|e| v(e.version, e.origin.0))
        .ok_or("the earlier write never reached the writer")?;
    let written = net.update(writer, "color", value);
    let stamp = v(written.version, writer);
    match until_agreed(net, 4, "color", Duration::from_secs(30)) {
        Some(t) if agreed(net, 4, "color").as_deref() == Some(value) => Ok(vec![
            (format!("node {writer}'s write everywhere after"), secs(t)),
            ("its stamp".into(), format!("{stamp} (it had seen {seen})")),
        ]),
        _ if stamp.counter <= seen.counter => Err(format!(
            "node {writer} wrote `color = {value}` after it had seen node {}'s write {seen}, \
             but its write was stamped {stamp} and lost: {}.\n\
             A node's clock must move up to every counter it sees (observe), so its next write \
             is newer than anything it has seen.",
            seen.origin,
            views(net, 4, "color")
        )),
        _ => Err(format!(
            "node {writer}'s write `color = {value}` was stamped {stamp}, above node {}'s \
             {seen} which it had seen, and still lost: {}.\n\
             It was written after node {}'s (its counter is higher): the higher counter must \
             win, whichever node wrote it.",
            seen.origin,
            views(net, 4, "color"),
            seen.origin,
        )),
    }
}
