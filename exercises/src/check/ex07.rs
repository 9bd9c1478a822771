//! Module 07: the formulas that keep membership gossip bounded, and a
//! rolling restart that is too fast: 20 of 60 nodes restarted in a few seconds.
//!
//! The formulas are graded on memberlist's values, on every power of ten
//! (where ceilings and logarithms go off by one) and on random sizes,
//! multipliers and probe periods. A wrong value is reported with the shape
//! of the whole curve (does it grow with N? like log N? with the period?),
//! because the shape is what decides whether a storm drains.

use super::property::for_all;
use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::pieces::{Pieces, Reference};
use gossip_node::sim::network::addr;
use gossip_node::sim::Network;
use proptest::prop_oneof;
use proptest::strategy::Strategy;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "the retransmit limit is mult × ⌈log10(N + 1)⌉ for any N and mult: it grows like log N and is never 0",
            run: limit,
        },
        Check {
            name: "the suspicion timeout is mult × max(1, log10 N) probe periods for any N, mult and period",
            run: timeout,
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

/// Cluster sizes of memberlist's table, and the powers of ten around them.
const MEMBERLIST: [usize; 8] = [1, 4, 9, 10, 99, 100, 1_000, 10_000];

/// Every power of ten up to 10^8 and the sizes on either side: where a
/// missing +1, a floor or a cap shows.
fn edges() -> Vec<usize> {
    let mut sizes = vec![1, 2, 3];
    let mut power = 10;
    while power <= 100_000_000 {
        sizes.extend([power - 1, power, power + 1]);
        power *= 10;
    }
    sizes
}

/// Random cluster sizes: small, medium and large equally often.
fn any_size() -> impl Strategy<Value = usize> {
    prop_oneof![1..=100usize, 1..=100_000usize, 1..=100_000_000usize]
}

/// The shape of the curve, at the sizes where its growth shows.
const SHAPE: [usize; 6] = [1, 10, 100, 1_000, 10_000, 100_000];

fn limit(s: &Subject) -> Result<Figures, String> {
    let wrong = |mult: u32, n: usize| -> Result<(), String> {
        let (yours, expected) = (
            s.pieces.retransmit_limit(mult, n),
            Reference.retransmit_limit(mult, n),
        );
        if yours == expected {
            return Ok(());
        }
        let effect = if yours > expected {
            "too many repeats: every extra one is traffic on every message of every storm, \
             and mult × ⌈log10(N + 1)⌉ already reaches everyone."
        } else {
            "Too few and news dies before it reaches everyone: nodes keep an old view of who \
             is alive."
        };
        Err(format!(
            "retransmit_limit({mult}, {n}) = {yours}; memberlist uses {expected} \
             (mult × ⌈log10(N + 1)⌉): {effect}\n{}",
            limit_shape(s, n)
        ))
    };
    for mult in [2, 4] {
        for n in MEMBERLIST {
            wrong(mult, n)?;
        }
    }
    for mult in 1..=10 {
        for n in edges() {
            wrong(mult, n)?;
        }
    }
    for_all(500, (1..=10u32, any_size()), |(mult, n)| wrong(mult, n))?;
    Ok(vec![(
        "at N = 10,000, mult 4".into(),
        format!(
            "{} transmissions (sizes tried: powers of ten ± 1 to 10^8, 500 random)",
            s.pieces.retransmit_limit(4, 10_000)
        ),
    )])
}

/// What is wrong with the whole curve of the retransmit limit, in words,
/// and the curve next to memberlist's.
fn limit_shape(s: &Subject, n: usize) -> String {
    let curve = |mult: u32| -> Vec<u32> {
        SHAPE
            .iter()
            .map(|n| s.pieces.retransmit_limit(mult, *n))
            .collect()
    };
    let yours = curve(4);
    let theirs: Vec<u32> = SHAPE
        .iter()
        .map(|n| Reference.retransmit_limit(4, *n))
        .collect();
    let (one, eight) = (curve(1), curve(8));
    let round_only = format!(
        "The curve is memberlist's at round sizes and differs near N = {n}: an edge of \
         rounding or precision (an f32 keeps 7 digits, so 10,000,001 becomes 10^7)."
    );
    let shape = if yours.contains(&0) {
        "Some news is sent 0 times: it never leaves the node that learned it."
    } else if yours.iter().any(|l| *l >= 1_000_000) {
        "News is repeated for ever, as good as: every message carries every piece, and a \
         burst of restarts becomes a storm."
    } else if yours.windows(2).all(|w| w[0] == w[1]) {
        "The limit does not grow with the cluster: the repeats that reach 10 nodes fall far \
         short of 100,000."
    } else if yours.windows(2).any(|w| w[1] < w[0]) {
        "The limit shrinks as the cluster grows: the biggest clusters get the fewest repeats."
    } else if yours[5] > 2 * yours[4] {
        "The limit grows faster than log N: ten times the nodes should add mult repeats, \
         not multiply them, or a big cluster's storm never drains."
    } else if yours[5] == yours[4] {
        "The limit stops growing past 10,000 nodes: a cap takes away the repeats big \
         clusters need."
    } else if one == eight {
        "The limit ignores the multiplier: an operator who sets RetransmitMult gets no change."
    } else if eight
        .iter()
        .zip(&one)
        .all(|(e, o)| e.checked_sub(*o) == Some(7))
    {
        "The limit adds the multiplier instead of multiplying by it: it hardly grows with \
         the cluster."
    } else if (1..SHAPE.len()).all(|i| yours[i] * 10 >= theirs[i] * 14) {
        "The limit is well above memberlist's at every size: a logarithm in another base \
         than 10 (log2 gives about 3.3 times the repeats, ln about 2.3)."
    } else if (1..SHAPE.len()).all(|i| yours[i] + 4 == theirs[i]) {
        if s.pieces.retransmit_limit(4, 11) == Reference.retransmit_limit(4, 11) {
            "The limit is one mult short at exact powers of ten: ⌈log10 N⌉ where memberlist \
             takes ⌈log10(N + 1)⌉ (10 nodes have two digits: they need 2 × mult repeats)."
        } else {
            "The limit is one mult short almost everywhere: the logarithm is rounded down \
             where memberlist rounds it up (11 nodes get the repeats of 9)."
        }
    } else if yours == theirs {
        &round_only
    } else {
        ""
    };
    format!(
        "{shape} With mult 4 at N = 1, 10, 100, 1,000, 10,000, 100,000 yours gives {yours:?}; \
         memberlist {theirs:?}."
    )
    .trim_start()
    .to_owned()
}

fn timeout(s: &Subject) -> Result<Figures, String> {
    let wrong = |mult: u32, n: usize, period: Duration| -> Result<(), String> {
        let (yours, expected) = (
            s.pieces.suspicion_timeout(mult, n, period),
            Reference.suspicion_timeout(mult, n, period),
        );
        if yours.abs_diff(expected) <= Duration::from_millis(1) {
            return Ok(());
        }
        let effect = if yours > expected {
            "too long: a node that really died stays suspected, and is still probed and sent \
             to, long after any refutation could have arrived."
        } else {
            "Too short and slow nodes are declared dead before their refutation arrives."
        };
        Err(format!(
            "suspicion_timeout({mult}, {n}, {period:?}) = {yours:?}; memberlist uses \
             {expected:?} (mult × max(1, log10 N) periods): {effect}\n{}",
            timeout_shape(s, n)
        ))
    };
    let second = Duration::from_secs(1);
    for mult in [2, 4] {
        for n in MEMBERLIST {
            wrong(mult, n, second)?;
        }
    }
    for period in [200, 1_500, 50, 10_000].map(Duration::from_millis) {
        for n in MEMBERLIST {
            wrong(4, n, period)?;
        }
    }
    for mult in 1..=10 {
        for n in edges() {
            wrong(mult, n, second)?;
        }
    }
    let periods = (10..=10_000u64).prop_map(Duration::from_millis);
    for_all(
        500,
        (1..=10u32, any_size(), periods),
        |(mult, n, period)| wrong(mult, n, period),
    )?;
    Ok(vec![(
        "at N = 10,000, mult 4".into(),
        format!(
            "{:?} with a 1 s period, {:?} with 200 ms",
            s.pieces.suspicion_timeout(4, 10_000, second),
            s.pieces
                .suspicion_timeout(4, 10_000, Duration::from_millis(200))
        ),
    )])
}

/// What is wrong with the whole curve of the suspicion timeout, in words,
/// and the curve next to memberlist's.
fn timeout_shape(s: &Subject, n: usize) -> String {
    let at = |mult: u32, n: usize, millis: u64| {
        s.pieces
            .suspicion_timeout(mult, n, Duration::from_millis(millis))
    };
    let curve =
        |mult: u32| -> Vec<Duration> { SHAPE.iter().map(|n| at(mult, *n, 1_000)).collect() };
    let yours = curve(4);
    let theirs: Vec<Duration> = SHAPE
        .iter()
        .map(|n| Reference.suspicion_timeout(4, *n, Duration::from_secs(1)))
        .collect();
    let round_only = format!(
        "The curve is memberlist's at round sizes and differs near N = {n}: an edge of \
         rounding or precision."
    );
    let periods = [200, 1_000, 2_000];
    let by_period: Vec<Duration> = periods.iter().map(|p| at(4, 100, *p)).collect();
    let steps = |n: usize, low: usize, high: usize| {
        at(4, n, 1_000) != Reference.suspicion_timeout(4, n, Duration::from_secs(1))
            && [at(4, low, 1_000), at(4, high, 1_000)].contains(&at(4, n, 1_000))
    };
    let rounded_log = steps(50, 10, 100) && steps(500, 100, 1_000);
    let whole_seconds = [200, 1_500, 2_500]
        .iter()
        .all(|p| at(4, 100, *p) == at(4, 100, p / 1_000 * 1_000));
    let shape = if by_period.windows(2).all(|w| w[0] == w[1]) {
        "The timeout ignores the probe interval: it must be counted in protocol periods, \
         because a refutation travels one hop per period; with a short period it is far too \
         long, with a long one far too short."
    } else if whole_seconds {
        "The timeout takes the probe interval in whole seconds (`as_secs`): a 200 ms period \
         counts as 0, so every suspect is declared dead at once, and 1.5 s counts as 1. \
         Multiply the whole Duration (`mul_f64`)."
    } else if yours.iter().chain(&by_period).any(Duration::is_zero) {
        "Some suspects are declared dead at once (a 0 s timeout): they have no time at all \
         to refute."
    } else if yours[1..].windows(2).all(|w| w[0] == w[1]) {
        "The timeout does not grow with the cluster: a refutation needs O(log N) periods to \
         spread, so a big cluster declares healthy nodes dead."
    } else if yours[1..].windows(2).any(|w| w[1] < w[0]) {
        "The timeout shrinks as the cluster grows: the biggest clusters, where a refutation \
         takes longest to spread, give it the least time."
    } else if yours[5] > yours[4] * 2 {
        "The timeout grows faster than log N: a dead node in a big cluster stays suspected \
         for minutes."
    } else if curve(1) == curve(8) {
        "The timeout ignores the multiplier: an operator who sets SuspicionMult gets no change."
    } else if (2..SHAPE.len()).all(|i| yours[i].as_secs_f64() >= theirs[i].as_secs_f64() * 1.4) {
        "The timeout is well above memberlist's at every size: a logarithm in another base \
         than 10 (log2 gives about 3.3 times, ln about 2.3)."
    } else if rounded_log {
        "The timeout jumps at powers of ten instead of growing smoothly: log10 N was rounded \
         to a whole number (99 nodes get the timeout of 10 or of 100)."
    } else if yours == theirs {
        &round_only
    } else {
        ""
    };
    let show = |v: &[Duration]| -> String {
        let shown: Vec<String> = v
            .iter()
            .map(|d| format!("{:.2}", d.as_secs_f64()))
            .collect();
        format!("[{}] s", shown.join(", "))
    };
    format!(
        "{shape} With mult 4 and a 1 s period at N = 1, 10, 100, 1,000, 10,000, 100,000 yours \
         gives {}; memberlist {}.",
        show(&yours),
        show(&theirs)
    )
    .trim_start()
    .to_owned()
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
