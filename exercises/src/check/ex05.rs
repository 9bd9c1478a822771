//! Module 05: heartbeat membership. Which heartbeat counts, when a silent
//! member is dead, and a timeout that does not misfire as the cluster grows.

mod timeout;

use super::property::for_all;
use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::heartbeat::{Beat, DetectorKind, Heartbeat};
use gossip_node::core::membership::MemberStatus;
use gossip_node::core::pieces::Implementation;
use gossip_node::core::version::NodeId;
use gossip_node::sim::Network;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "only a higher heartbeat counts, timed by this node's own clock",
            run: taking_heartbeats,
        },
        Check {
            name: "a crashed node is declared dead by all 15 others, after the timeout",
            run: crash_detected,
        },
        Check {
            name: "the timeout grows with the cluster: no healthy node declared dead at 4, 16, 64 and 256 nodes with 20 % loss",
            run: no_false_deaths,
        },
    ]
}

const ROUND: Duration = Duration::from_secs(1);

fn beat(generation: u64, count: u64, seen_at: u64) -> Beat {
    Beat {
        heartbeat: Heartbeat { generation, count },
        seen_at: Duration::from_secs(seen_at),
    }
}

fn taking_heartbeats(s: &Subject) -> Result<Figures, String> {
    let now = Duration::from_secs(100);
    let known = beat(7, 40, 90);
    let dies = "that member would be declared dead while it beats";
    let not_higher = "a heartbeat that is not higher is old news, still travelling in slower \
                      tables: taking it moves the record backwards and refreshes its time, so a \
                      crashed node's old heartbeats keep it alive";
    // (held, heard, taken?, what it is, why it must be so)
    let cases = [
        (
            None,
            (7, 40),
            true,
            "a member we hold no heartbeat for yet",
            dies,
        ),
        (
            Some(known),
            (7, 41),
            true,
            "a higher count in the same life",
            dies,
        ),
        (
            Some(known),
            (8, 1),
            true,
            "a new life (a restart): higher generation, count from 1",
            "that member would be declared dead while it beats: compare the generation first, \
             then the count; a restarted node counts from 1 again",
        ),
        (
            Some(known),
            (7, 40),
            false,
            "the same heartbeat again (an echo)",
            "a crashed node's last heartbeat keeps echoing through every table, and if echoes \
             count it never dies",
        ),
        (
            Some(known),
            (7, 39),
            false,
            "an older heartbeat",
            not_higher,
        ),
        (
            Some(known),
            (6, 99),
            false,
            "a heartbeat of an earlier life",
            not_higher,
        ),
    ];
    for (held, (generation, count), takes, what, lesson) in cases {
        let heard = Heartbeat { generation, count };
        let got = s.pieces.heard_beat(held.as_ref(), heard, now);
        match (got, takes) {
            (None, true) => {
                return Err(format!(
                    "heard_beat ignored {what} ({generation}, {count}): {lesson}."
                ))
            }
            (Some(_), false) => {
                return Err(format!(
                    "heard_beat took {what} ({generation}, {count}) over the held ({}, {}): \
                     {lesson}.",
                    known.heartbeat.generation, known.heartbeat.count
                ))
            }
            (Some(b), true) if b.heartbeat != heard => {
                return Err(format!(
                    "heard_beat kept heartbeat {:?} for {what}; it should keep the one heard, {heard:?}",
                    b.heartbeat
                ))
            }
            (Some(b), true) if b.seen_at != now => {
                return Err(format!(
                    "heard_beat stamped {what} with {:?} instead of now ({now:?}): the timeout \
                     counts from when *this* node saw the heartbeat go up. A sender's clock (or \
                     any other time) is off by skew and by the gossip delay.",
                    b.seen_at
                ))
            }
            _ => {}
        }
    }
    silences(s)?;
    // Then the rule for any heartbeats at all, shrunk to the smallest that breaks it.
    let inputs = (
        proptest::option::of((0..3u64, 0..5u64, 0..100u64)),
        (0..3u64, 0..5u64),
        100..200u64,
    );
    for_all(500, inputs, |(held, (generation, count), now)| {
        let held = held.map(|(g, c, at)| beat(g, c, at));
        let heard = Heartbeat { generation, count };
        let now = Duration::from_secs(now);
        let fresher = held.is_none_or(|h| heard > h.heartbeat);
        let got = s.pieces.heard_beat(held.as_ref(), heard, now);
        let expected = fresher.then_some(Beat {
            heartbeat: heard,
            seen_at: now,
        });
        if got != expected {
            return Err(format!(
                "holding {held:?}, hearing {heard:?} at {now:?}: heard_beat gave {got:?}, \
                 expected {expected:?}. Only a higher (generation, count) counts, stamped now."
            ));
        }
        Ok(())
    })?;
    Ok(vec![(
        "cases".into(),
        "6 named heartbeats, 500 random ones, 6 named silences, 300 random ones".into(),
    )])
}

/// `heartbeat_failed`: dead once the heartbeat has been still for longer
/// than the timeout, never before, and never a panic.
fn silences(s: &Subject) -> Result<(), String> {
    let rule = "a member is dead once its heartbeat has been still for longer than the timeout, \
                and not before";
    let timeout = Duration::from_secs(8);
    for (silent, dead) in [(0, false), (5, false), (8, false), (9, true), (30, true)] {
        let b = beat(1, 1, 100);
        let at = Duration::from_secs(100 + silent);
        if s.pieces.heartbeat_failed(&b, at, timeout) != dead {
            return Err(format!(
                "heartbeat_failed says {} after {silent} s of silence with an 8 s timeout; \
                 it should say {dead}: {rule}.",
                !dead
            ));
        }
    }
    let late = panic::catch_unwind(AssertUnwindSafe(|| {
        s.pieces
            .heartbeat_failed(&b_at(100), Duration::from_secs(99), timeout)
    }));
    match late {
        Ok(false) => {}
        Ok(true) => {
            return Err(
                "heartbeat_failed says dead when the heartbeat went up after `now` (a message \
                 handled late): it must never panic or count that as silence."
                    .into(),
            )
        }
        Err(_) => {
            let message = super::LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .map_or_else(|| "a panic".to_owned(), |(message, _)| message);
            return Err(format!(
                "heartbeat_failed stopped ({message}) on a heartbeat that went up after `now` \
                 (a message handled late).\nSuch a heartbeat has been silent for no time at \
                 all; `now.saturating_sub(beat.seen_at)` never goes below zero."
            ));
        }
    }
    let inputs = (0..100u64, 0..200u64, 0..50u64);
    for_all(300, inputs, |(seen_at, now, timeout)| {
        let (now, timeout) = (Duration::from_secs(now), Duration::from_secs(timeout));
        let got = s.pieces.heartbeat_failed(&b_at(seen_at), now, timeout);
        let dead = now.saturating_sub(Duration::from_secs(seen_at)) > timeout;
        if got == dead {
            return Ok(());
        }
        Err(format!(
            "heartbeat went up at {seen_at} s, now is {now:?}, timeout {timeout:?}: \
             heartbeat_failed says {got}, it should say {dead}: {rule}."
        ))
    })
}

fn b_at(seen_at: u64) -> Beat {
    beat(1, 1, seen_at)
}

/// A formed cluster on the heartbeat detector, running `pieces`.
fn heartbeat_cluster(
    seed: u64,
    n: u64,
    pieces: &Implementation,
    fixed: Option<Duration>,
) -> Network {
    cluster(seed, n, pieces, |c| {
        c.detector = DetectorKind::Heartbeat;
        c.heartbeat_timeout = fixed;
        c.interval = ROUND;
    })
}

fn status(net: &Network, observer: u64, id: u64) -> Option<MemberStatus> {
    net.node(observer)
        .members()
        .get(NodeId(id))
        .map(|m| m.status)
}

/// Healthy members some node holds dead now, plus those declared dead
/// earlier and revived by a later heartbeat.
fn false_deaths(net: &Network, n: u64) -> u64 {
    (1..=n)
        .map(|o| {
            let now_dead = (1..=n)
                .filter(|id| status(net, o, *id) == Some(MemberStatus::Dead))
                .count() as u64;
            now_dead + net.node(o).beats().revived
        })
        .sum()
}

fn crash_detected(s: &Subject) -> Result<Figures, String> {
    const N: u64 = 16;
    let mut net = heartbeat_cluster(51, N, &s.pieces, None);
    net.run_for(Duration::from_secs(30));
    let early = false_deaths(&net, N);
    if early > 0 {
        return Err(format!(
            "in 30 s of a healthy 16-node cluster without loss, nodes gave {early} verdicts of \
             \"dead\" about healthy members: the timeout is shorter than a heartbeat takes to travel, or the \
             time kept is not when this node saw it go up."
        ));
    }
    let timeout = net.node(1).heartbeat_timeout();
    net.crash(N);
    let limit = timeout + Duration::from_secs(30);
    let all = |net: &Network| (1..N).all(|o| status(net, o, N) == Some(MemberStatus::Dead));
    let first = net.run_until(limit, |net| {
        (1..N).any(|o| status(net, o, N) == Some(MemberStatus::Dead))
    });
    let Some(first) = first else {
        return Err(format!(
            "node {N} crashed; {} later no node holds it dead (timeout {}). Its last heartbeat \
             keeps circulating in the tables: does an equal heartbeat refresh the time?",
            secs(limit),
            secs(timeout)
        ));
    };
    if first < timeout {
        return Err(format!(
            "node {N} was declared dead {} after its crash, before the timeout of {}.",
            secs(first),
            secs(timeout)
        ));
    }
    let Some(rest) = net.run_until(limit, all) else {
        let alive: Vec<String> = (1..N)
            .filter(|o| status(&net, *o, N) != Some(MemberStatus::Dead))
            .map(|o| o.to_string())
            .collect();
        return Err(format!(
            "node {N} crashed; nodes {} still hold it alive long after the timeout.",
            alive.join(", ")
        ));
    };
    let after = false_deaths(&net, N) - (N - 1);
    if after > 0 {
        return Err(format!(
            "besides node {N}, healthy members were declared dead {after} times."
        ));
    }
    Ok(vec![
        ("timeout at 16 nodes".into(), secs(timeout)),
        ("first node holds it dead after".into(), secs(first)),
        ("all 15 hold it dead after".into(), secs(first + rest)),
    ])
}

/// How long the healthy clusters run at 20 % loss.
const LOSSY_RUN: Duration = Duration::from_secs(90);

/// False deaths in [`LOSSY_RUN`] of a healthy `n`-node cluster at 20 % loss.
fn misfires(n: u64, pieces: &Implementation, fixed: Option<Duration>) -> u64 {
    let mut net = heartbeat_cluster(52, n, pieces, fixed);
    net.set_loss(0.2);
    net.run_for(LOSSY_RUN);
    false_deaths(&net, n)
}

fn no_false_deaths(s: &Subject) -> Result<Figures, String> {
    let small = s.pieces.heartbeat_timeout(4, ROUND);
    if small > ROUND * 12 {
        return Err(format!(
            "at 4 nodes your timeout is {}: a crash goes unnoticed that long, where a \
             heartbeat arrives within 5 rounds even at 20 % loss. Grow the timeout with the \
             cluster instead of making it long for every size.",
            secs(small)
        ));
    }
    timeout::bounded_and_in_rounds(s)?;
    let fixed = Duration::from_secs(5);
    let mut figures = vec![("your timeout at 4 nodes".into(), secs(small))];
    // The big clusters, then the small ones: there loss alone, not size,
    // stretches a heartbeat's slowest path.
    for n in [64, 256, 4, 16] {
        let timeout = s.pieces.heartbeat_timeout(n as usize, ROUND);
        let yours = misfires(n, &s.pieces, None);
        if yours > 0 {
            let why = if n > 16 || (n > 4 && timeout <= small) {
                "A heartbeat crosses a cluster this size in more rounds than a small one needs: \
                 make the timeout grow with log2 N."
            } else {
                "Loss stretches a heartbeat's slowest path: at 20 % loss it can take 5 rounds \
                 to cross even 4 nodes. Leave a margin of a few rounds above what a heartbeat \
                 needs on a clean network."
            };
            return Err(format!(
                "with your timeout of {} at {n} nodes and 20 % loss, healthy nodes were \
                 declared dead {yours} times in {}. {why}{}",
                secs(timeout),
                secs(LOSSY_RUN),
                timeout::shrinking(small, n, timeout)
            ));
        }
        let label = format!(
            "healthy nodes declared dead in {} at {n} nodes, 20 % loss",
            secs(LOSSY_RUN)
        );
        match n {
            64 => {
                // What a fixed timeout, fine for 4 nodes, does here.
                let theirs = misfires(n, &s.pieces, Some(fixed));
                figures.push((format!("your timeout at {n} nodes"), secs(timeout)));
                figures.push((
                    label,
                    format!("yours 0; a fixed {} timeout {theirs}", secs(fixed)),
                ));
            }
            256 => {
                figures.push((format!("your timeout at {n} nodes"), secs(timeout)));
                figures.push((label, "yours 0".into()));
            }
            _ => {}
        }
    }
    figures.push((
        format!(
            "healthy nodes declared dead in {} at 4 and 16 nodes, 20 % loss",
            secs(LOSSY_RUN)
        ),
        "yours 0".into(),
    ));
    timeout::grows(s)?;
    Ok(figures)
}
