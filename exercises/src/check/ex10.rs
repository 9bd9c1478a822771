//! Module 10: Lifeguard's three rules on their own, then a degraded
//! observer and a real crash on the simulator.
//!
//! The rules are graded on every score and event a node can meet and on
//! random durations. The scenarios are the two halves of the paper's
//! claim: a node that handles its messages late (its process starved)
//! must no longer get healthy members declared dead, and a real crash must
//! still be found as fast as plain SWIM finds it. Plain SWIM's runs, the
//! yardstick of both, are the same for every learner and are run once.

use super::property::for_all;
use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::event::Event;
use gossip_node::core::lifeguard::{HealthEvent, MAX_SCORE};
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::pieces::{Implementation, Pieces, Reference};
use gossip_node::core::version::NodeId;
use gossip_node::sim::Network;
use proptest::strategy::Strategy;
use std::sync::OnceLock;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "the health score: +1 for a lone failed probe, +1 per missing nack, +1 for refuting, -1 for an answered probe, always within 0 to 7",
            run: score_rule,
        },
        Check {
            name: "a doubtful node waits longer: base × (score + 1), for any base",
            run: scaling_rule,
        },
        Check {
            name: "a suspicion lasts from max down to min as confirmations arrive (memberlist's formula), for any min, max, k and count",
            run: suspicion_rule,
        },
        Check {
            name: "a degraded observer (handling its messages 5 s late) gets no healthy member declared dead; without Lifeguard it does",
            run: degraded_observer,
        },
        Check {
            name: "confirmations keep a real crash's detection as fast as plain SWIM's, far below a lone accuser's wait",
            run: crash_detection,
        },
    ]
}

/// Every event a node can meet, with up to five helpers asked.
fn events() -> Vec<HealthEvent> {
    let mut all = vec![HealthEvent::ProbeAcked, HealthEvent::Refuted];
    for asked in 0..=5 {
        for nacks in 0..=asked {
            all.push(HealthEvent::ProbeFailed {
                nacks_expected: asked,
                nacks,
            });
        }
    }
    all
}

fn score_rule(s: &Subject) -> Result<Figures, String> {
    let mut cases = 0;
    for score in 0..=MAX_SCORE {
        for event in events() {
            cases += 1;
            let yours = s.pieces.health_after(score, event);
            let expected = Reference.health_after(score, event);
            if yours != expected {
                return Err(format!(
                    "health_after({score}, {event:?}) = {yours}; Lifeguard says {expected}. {}",
                    score_why(score, event, yours)
                ));
            }
        }
    }
    Ok(vec![(
        "cases".into(),
        format!("{cases}: every score 0 to 7, every event with up to 5 helpers"),
    )])
}

/// Why a wrong score is wrong, in what it does to the node.
fn score_why(score: u32, event: HealthEvent, yours: u32) -> String {
    if yours > MAX_SCORE {
        return format!(
            "The score never goes above {MAX_SCORE}: timeouts stretch at most 8 times, or a \
             node that doubts itself for long would wait for ever."
        );
    }
    match event {
        HealthEvent::ProbeAcked if yours >= score && score > 0 => {
            "An answered probe must take a point off: it shows this node can hear and be heard. \
             Without it, a node degraded once stays slow for ever after it recovers."
                .into()
        }
        HealthEvent::ProbeAcked => {
            "An answered probe takes one point off, no more, and never below 0: a node that has \
             just been degraded regains its speed step by step."
                .into()
        }
        HealthEvent::Refuted if yours <= score => {
            "Having to refute a suspicion about ourselves says others do not hear us in time: \
             that counts against our health, one point."
                .into()
        }
        HealthEvent::Refuted => "Refuting costs one point.".into(),
        HealthEvent::ProbeFailed {
            nacks_expected: 0, ..
        } => "A probe that failed with no helper asked costs one point: the target may be down, \
              or we may be the slow one."
            .into(),
        HealthEvent::ProbeFailed {
            nacks_expected,
            nacks,
        } if yours > score + (nacks_expected - nacks) as u32 => format!(
            "{nacks} of the {nacks_expected} helpers sent a nack: each nack shows a helper could \
             not reach the target either, so the network works and the target is the problem. \
             Only the helpers that sent nothing at all count against us."
        ),
        HealthEvent::ProbeFailed {
            nacks_expected,
            nacks,
        } => format!(
            "{} of the {nacks_expected} helpers asked did not even send a nack: each silence \
             suggests it is we who cannot hear, one point each.",
            nacks_expected - nacks
        ),
    }
}

/// Bases a node scales: zero, the smallest, a probe timeout, a period, an hour.
const BASES: [Duration; 6] = [
    Duration::ZERO,
    Duration::from_nanos(1),
    Duration::from_millis(200),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(3600),
];

/// A microsecond either way: what float arithmetic on a duration may cost.
const SLACK: Duration = Duration::from_micros(1);

fn near(a: Duration, b: Duration, slack: Duration) -> bool {
    a.abs_diff(b) <= slack
}

fn scaling_rule(s: &Subject) -> Result<Figures, String> {
    let check = |(base, score): (Duration, u32)| -> Result<(), String> {
        let yours = s.pieces.health_scaled(base, score);
        let expected = Reference.health_scaled(base, score);
        if near(yours, expected, SLACK) {
            return Ok(());
        }
        let why = if score > 0 && near(yours, base, SLACK) {
            "It does not stretch: a node that doubts itself must wait longer before it judges, \
             or it goes on accusing at its healthy pace."
                .to_owned()
        } else if score == 0 {
            "A healthy node (score 0) keeps its timings: base × 1.".to_owned()
        } else if yours > expected {
            format!(
                "Too long: the worst score ({MAX_SCORE}) waits 8 times the base, no more; a \
                 longer wait only delays the detection of real failures."
            )
        } else {
            "Too short: score s waits s + 1 times the base, so the worst one waits 8 times."
                .to_owned()
        };
        Err(format!(
            "health_scaled({base:?}, {score}) = {yours:?}; Lifeguard waits {expected:?}. {why}"
        ))
    };
    for base in BASES {
        for score in 0..=MAX_SCORE {
            check((base, score))?;
        }
    }
    let bases = (0u64..=3_600_000_000_000).prop_map(Duration::from_nanos);
    for_all(300, (bases, 0..=MAX_SCORE), check)?;
    Ok(vec![(
        "a 500 ms probe timeout at the worst score".into(),
        format!(
            "{:?} (and 300 random bases up to an hour)",
            s.pieces.health_scaled(Duration::from_millis(500), MAX_SCORE)
        ),
    )])
}

/// A millisecond either way on a suspicion of seconds.
const SUSPICION_SLACK: Duration = Duration::from_millis(1);

fn suspicion_rule(s: &Subject) -> Result<Figures, String> {
    let check = |(min, max, k, c): (Duration, Duration, u32, u32)| -> Result<(), String> {
        let yours = s.pieces.confirmed_timeout(min, max, k, c);
        let expected = Reference.confirmed_timeout(min, max, k, c);
        if near(yours, expected, SUSPICION_SLACK) {
            return Ok(());
        }
        Err(format!(
            "confirmed_timeout(min {min:?}, max {max:?}, k {k}, {c} confirmations) = {yours:?}; \
             memberlist waits {expected:?}. {}",
            suspicion_why(s, min, max, k, c, yours)
        ))
    };
    let (min, max) = (Duration::from_secs(4), Duration::from_secs(24));
    // memberlist's defaults: suspicion mult 4, so k = 2, and max 6 × min.
    for c in 0..=4 {
        check((min, max, 2, c))?;
    }
    for k in 0..=6 {
        for c in 0..=k + 2 {
            check((min, max, k, c))?;
            check((Duration::from_millis(800), Duration::from_millis(4800), k, c))?;
        }
    }
    check((min, min, 2, 0))?;
    let mins = (1u64..=60_000).prop_map(Duration::from_millis);
    let inputs = (mins, 1u32..=10, 0u32..=8, 0u32..=20)
        .prop_map(|(min, times, k, c)| (min, min * times, k, c));
    for_all(400, inputs, check)?;
    let one = s.pieces.confirmed_timeout(min, max, 2, 1);
    Ok(vec![(
        "min 4 s, max 24 s, k 2".into(),
        format!(
            "a lone accuser {}, one confirmation {}, two {}",
            secs(s.pieces.confirmed_timeout(min, max, 2, 0)),
            secs(one),
            secs(s.pieces.confirmed_timeout(min, max, 2, 2)),
        ),
    )])
}

/// What a wrong suspicion timeout gets wrong: its whole curve, in words.
fn suspicion_why(s: &Subject, min: Duration, max: Duration, k: u32, c: u32, yours: Duration) -> String {
    let at = |c| s.pieces.confirmed_timeout(min, max, k, c);
    let curve: Vec<String> = (0..=k + 1).map(|c| format!("{c}: {}", secs(at(c)))).collect();
    let curve = format!("Yours by confirmations: {}.", curve.join(", "));
    let why = if yours < min {
        "Never below min: min is plain SWIM's suspicion timeout, the time news needs to reach \
         the suspect and its refutation to come back."
    } else if k == 0 {
        "With k = 0 no confirmation is awaited (too few members could confirm): the suspicion \
         lasts min, as in plain SWIM."
    } else if c == 0 && yours < max {
        "A lone accuser waits the longest, max: it may be the degraded one, and waiting gives \
         the suspect time to hear of it and refute."
    } else if c >= k && yours > min {
        "After k independent confirmations the suspicion is as sure as it gets: min."
    } else if (1..=k).all(|c| at(c) == at(0)) {
        "Confirmations must shorten the suspicion: several members failing to reach the suspect \
         on their own is strong evidence, and the verdict should come sooner."
    } else {
        "Between max and min the timeout falls along the logarithm of (confirmations + 1), \
         over the logarithm of (k + 1): the first confirmation cuts the most."
    };
    format!("{why} {curve}")
}

/// The cluster of the two scenarios: 8 nodes, memberlist's timings.
const NODES: u64 = 8;

/// Node 8 handles its messages this much late for the degraded run.
const LAG: Duration = Duration::from_secs(5);

/// How long the degraded run lasts.
const DEGRADED_FOR: Duration = Duration::from_secs(150);

/// Healthy members (all but the degraded node 8) declared dead by anyone
/// in a run with `pieces`, Lifeguard on or off; and node 8's health score
/// at the end.
fn degraded_run(pieces: &Implementation, lifeguard: bool) -> (usize, u32) {
    let mut net = cluster(101, NODES, pieces, |config| {
        config.swim.lifeguard = lifeguard;
    });
    net.run_for(Duration::from_secs(3));
    net.record_events();
    net.slow(NODES, LAG);
    net.run_for(DEGRADED_FOR);
    let declared = net
        .events()
        .iter()
        .filter(|(_, _, event)| {
            matches!(event, Event::MemberChanged { member, .. }
                if member.status == MemberStatus::Dead && member.id != NodeId(NODES))
        })
        .count();
    (declared, net.node(NODES).health())
}

/// Plain SWIM's run: the same for everyone, so run once.
fn plain_degraded() -> usize {
    static PLAIN: OnceLock<usize> = OnceLock::new();
    *PLAIN.get_or_init(|| degraded_run(&Implementation::reference(), false).0)
}

fn degraded_observer(s: &Subject) -> Result<Figures, String> {
    let (yours, health) = degraded_run(&s.pieces, true);
    let plain = plain_degraded();
    let run = format!(
        "node 8 of {NODES} handled every message {} late for {}",
        secs(LAG),
        secs(DEGRADED_FOR)
    );
    if yours > 0 {
        return Err(format!(
            "{run}: a healthy member was marked dead in some node's view {yours} times with \
             your Lifeguard (plain SWIM: {plain}); node 8's health score ended at {health}. A degraded node must doubt \
             itself: its failed probes and missing nacks raise its score, its timeouts stretch, \
             and its lone accusations wait the longest, time enough for the suspects' \
             refutations to reach it."
        ));
    }
    if plain == 0 {
        return Err(format!(
            "{run}, and even plain SWIM declared nobody dead: the scenario proves nothing \
             (this is the checker's fault, not yours)."
        ));
    }
    Ok(vec![
        ("a healthy member marked dead in some view, with Lifeguard".into(), "0 times".into()),
        ("a healthy member marked dead in some view, plain SWIM".into(), format!("{plain} times")),
        ("node 8's health score at the end".into(), format!("{health} of {MAX_SCORE}")),
        ("the run".into(), run),
    ])
}

/// Crashes, one per seed, of node 8 of 8.
const CRASH_SEEDS: [u64; 5] = [111, 112, 113, 114, 115];

/// The median time until every other node holds the crashed node dead.
fn median_detection(pieces: &Implementation, lifeguard: bool) -> Option<Duration> {
    let mut times = Vec::new();
    for seed in CRASH_SEEDS {
        let mut net = cluster(seed, NODES, pieces, |config| {
            config.swim.lifeguard = lifeguard;
        });
        net.run_for(Duration::from_secs(5));
        net.crash(NODES);
        let all_dead = |net: &Network| {
            (1..NODES).all(|id| {
                let m = net.node(id).members().get(NodeId(NODES));
                m.is_some_and(|m| m.status == MemberStatus::Dead)
            })
        };
        times.push(net.run_until(Duration::from_secs(60), all_dead)?);
    }
    times.sort();
    Some(times[times.len() / 2])
}

fn crash_detection(s: &Subject) -> Result<Figures, String> {
    static PLAIN: OnceLock<Option<Duration>> = OnceLock::new();
    let plain = PLAIN
        .get_or_init(|| median_detection(&Implementation::reference(), false))
        .ok_or("plain SWIM did not detect the crash (the checker's fault, not yours)")?;
    let lone = s.pieces.confirmed_timeout(Duration::from_secs(4), Duration::from_secs(24), 2, 0);
    let Some(yours) = median_detection(&s.pieces, true) else {
        return Err(format!(
            "node 8 crashed, and 60 s later some node still did not hold it dead (plain SWIM: \
             {} in the median). Each member that fails to reach it confirms the suspicion, and \
             confirmations must bring the wait down to min.",
            secs(plain)
        ));
    };
    let allowed = plain + Duration::from_secs(2);
    if yours > allowed {
        return Err(format!(
            "node 8 crashed: dead everywhere after {} in the median of {} crashes, plain SWIM \
             after {}. Every other member probes it and fails on its own: those are \
             confirmations, and with k of them the suspicion lasts min, as long as plain \
             SWIM's. A suspicion that stays long whatever the confirmations makes Lifeguard \
             slower than what it improves.",
            secs(yours),
            CRASH_SEEDS.len(),
            secs(plain)
        ));
    }
    Ok(vec![
        (
            "crashed node dead everywhere, median of 5".into(),
            format!("{} (plain SWIM {})", secs(yours), secs(plain)),
        ),
        ("a lone accuser would wait".into(), secs(lone)),
    ])
}
