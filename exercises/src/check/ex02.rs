//! Module 02: whom to tell, and when to stop.

mod randomness;

use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::membership::{Member, MemberStatus, Membership};
use gossip_node::core::rumor::{Spreading, StopRule};
use gossip_node::core::version::NodeId;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "peers: never this node, never a dead one, never twice, up to fanout",
            run: peers_are_valid,
        },
        Check {
            name: "peers: every member equally likely",
            run: peers_are_uniform,
        },
        Check {
            name: "peers: every pair of members equally likely to be chosen together",
            run: pairs_are_uniform,
        },
        Check {
            name: "peers and coin: the same seed, the same choices",
            run: randomness::same_seed_same_choices,
        },
        Check {
            name: "rounds: a rumor stays hot for exactly k rounds",
            run: rounds_rule,
        },
        Check {
            name: "counter: a node stops after k sends",
            run: counter_rule,
        },
        Check {
            name: "coin: a node stops only when a peer already knew, 1 time in k",
            run: coin_rule,
        },
        Check {
            name: "after a send a node counts: only a peer that already knew tosses the coin",
            run: randomness::sends_draw_nothing,
        },
        Check {
            name: "50 nodes, fanout 2, 4 rounds: everyone hears",
            run: everyone_hears,
        },
        Check {
            name: "200 nodes, feedback coin, k = 2: the rumor dies out on its own",
            run: rumor_dies_out,
        },
    ]
}

/// Node 1's view: members 1-10, where 9 is dead and 10 has left.
fn view() -> Membership {
    let mut members = Membership::new(Member::alive(NodeId(1), "sim-1:7000"));
    for id in 2..=10 {
        let mut member = Member::alive(NodeId(id), format!("sim-{id}:7000"));
        member.status = match id {
            8 => MemberStatus::Suspect,
            9 => MemberStatus::Dead,
            10 => MemberStatus::Left,
            _ => MemberStatus::Alive,
        };
        members.learn(&member);
    }
    members
}

fn peers_are_valid(s: &Subject) -> Result<Figures, String> {
    let members = view();
    let mut rng = StdRng::seed_from_u64(51);
    for fanout in [1, 3, 7, 12] {
        for _ in 0..500 {
            let chosen = s.pieces.choose_peers(&members, fanout, &mut rng);
            let expected = fanout.min(7); // 2-8 take part
            if chosen.len() != expected {
                return Err(format!(
                    "with 7 members taking part and fanout {fanout}, {} were chosen: {chosen:?}; \
                     expected {expected}.{}",
                    chosen.len(),
                    left_out(fanout, &chosen)
                ));
            }
            for id in &chosen {
                let why = match id.0 {
                    1 => Some("itself: a node telling itself is a wasted message"),
                    9 => Some("member 9, which is dead"),
                    10 => Some("member 10, which has left"),
                    _ => None,
                };
                if let Some(why) = why {
                    return Err(format!("node 1 chose {why} ({chosen:?})."));
                }
            }
            let mut unique = chosen.clone();
            unique.sort();
            unique.dedup();
            if unique.len() != chosen.len() {
                return Err(format!(
                    "the same peer was chosen twice in one round ({chosen:?}): one message is wasted \
                     and the round reaches fewer nodes than fanout says."
                ));
            }
        }
    }
    Ok(vec![("rounds tried".into(), "2000".into())])
}

/// When every member taking part should have been chosen, which were not.
fn left_out(fanout: usize, chosen: &[NodeId]) -> String {
    if fanout < 7 {
        return String::new();
    }
    let missing: Vec<String> = (2..=8)
        .filter(|id| !chosen.contains(&NodeId(*id)))
        .map(|id| match id {
            8 => "member 8, which is suspect: a suspect still takes part (it may well be alive, \
                  and must hear the gossip that suspects it to refute it)"
                .to_owned(),
            _ => format!("member {id}, which is alive"),
        })
        .collect();
    if missing.is_empty() {
        String::new()
    } else {
        format!(" Left out: {}.", missing.join("; "))
    }
}

fn peers_are_uniform(s: &Subject) -> Result<Figures, String> {
    let members = view();
    let mut rng = StdRng::seed_from_u64(52);
    let rounds = 28_000;
    let mut counts = [0u32; 11];
    for _ in 0..rounds {
        for id in s.pieces.choose_peers(&members, 2, &mut rng) {
            counts[id.0 as usize] += 1;
        }
    }
    // 7 candidates, 2 a round: 8,000 picks each; 5 % is about 5 standard deviations.
    let expected = rounds as f64 * 2.0 / 7.0;
    for id in 2..=8 {
        let count = counts[id] as f64;
        if (count - expected).abs() > 0.05 * expected {
            let shown: Vec<String> = (2..=8).map(|i| format!("{i}: {}", counts[i])).collect();
            return Err(format!(
                "over {rounds} rounds of fanout 2 each peer should be picked about {expected:.0} \
                 times; got {}. A biased choice slows the spread: some nodes hear late.",
                shown.join(", ")
            ));
        }
    }
    let low = counts[2..=8].iter().min().copied().unwrap_or(0);
    let high = counts[2..=8].iter().max().copied().unwrap_or(0);
    Ok(vec![(
        "picks per peer (min - max)".into(),
        format!("{low} - {high} of {expected:.0} expected"),
    )])
}

fn pairs_are_uniform(s: &Subject) -> Result<Figures, String> {
    let members = view();
    let mut rng = StdRng::seed_from_u64(55);
    let rounds = 28_000;
    let mut together = std::collections::BTreeMap::new();
    for a in 2..=8u64 {
        for b in a + 1..=8 {
            together.insert((a, b), 0u32);
        }
    }
    let mut not_a_pair = 0;
    for _ in 0..rounds {
        let mut chosen: Vec<u64> = s
            .pieces
            .choose_peers(&members, 2, &mut rng)
            .iter()
            .map(|id| id.0)
            .collect();
        chosen.sort();
        match chosen[..] {
            [a, b] if together.contains_key(&(a, b)) => *together.entry((a, b)).or_default() += 1,
            _ => not_a_pair += 1,
        }
    }
    if not_a_pair > 0 {
        return Err(format!(
            "{not_a_pair} of {rounds} rounds of fanout 2 did not choose two different members \
             taking part (see the first check), so the pairs cannot be compared."
        ));
    }
    // 21 pairs: about 1,333 rounds each, standard deviation about 36.
    let expected = rounds as f64 / together.len() as f64;
    let low = together
        .iter()
        .min_by_key(|(_, n)| **n)
        .map(|(p, n)| (*p, *n));
    let high = together
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(p, n)| (*p, *n));
    let (Some(((la, lb), low)), Some(((ha, hb), high))) = (low, high) else {
        return Err("no pair of peers could be counted".into());
    };
    if f64::from(high) > 1.15 * expected || f64::from(low) < 0.85 * expected {
        return Err(format!(
            "over {rounds} rounds of fanout 2 every pair of peers should be chosen together about \
             {expected:.0} times; {ha} and {hb} were chosen together {high} times, {la} and {lb} \
             {low} times. The picks of one round are correlated: some peers always hear together \
             and others never do. The spread is then not the random epidemic whose rounds and \
             residue the protocol counts on, even when each peer alone is picked fairly."
        ));
    }
    Ok(vec![(
        "rounds per pair (min - max)".into(),
        format!("{low} - {high} of {expected:.0} expected"),
    )])
}

/// Apply `events` to a rumor that starts with `k` left; the `left` after each.
fn trace(s: &Subject, rule: StopRule, k: u32, events: &[Spreading]) -> Vec<u32> {
    let mut rng = StdRng::seed_from_u64(53);
    let mut left = k;
    events
        .iter()
        .map(|what| {
            left = s.pieces.damp(rule, k, left, *what, &mut rng);
            left
        })
        .collect()
}

fn rounds_rule(s: &Subject) -> Result<Figures, String> {
    use Spreading::*;
    let got = trace(
        s,
        StopRule::Rounds,
        3,
        &[SentTo(2), PeerKnew, RoundOver, RoundOver, RoundOver],
    );
    if got != [3, 3, 2, 1, 0] {
        return Err(format!(
            "rounds, k = 3: sending, then a peer that knew, then three rounds should leave \
             [3, 3, 2, 1, 0]; your damp left {got:?}. Only the end of a round counts for this rule."
        ));
    }
    Ok(vec![])
}

fn counter_rule(s: &Subject) -> Result<Figures, String> {
    use Spreading::*;
    let got = trace(
        s,
        StopRule::Counter,
        5,
        &[RoundOver, SentTo(2), PeerKnew, SentTo(2), SentTo(2)],
    );
    if got != [5, 3, 3, 1, 0] {
        return Err(format!(
            "counter, k = 5: a round, 2 sends, a peer that knew, 2 sends, 2 sends should leave \
             [5, 3, 3, 1, 0]; your damp left {got:?}. Only sends count (SentTo(2) is 2 sends, \
             one to each peer), and never below 0."
        ));
    }
    Ok(vec![])
}

fn coin_rule(s: &Subject) -> Result<Figures, String> {
    use Spreading::*;
    let mut rng = StdRng::seed_from_u64(54);
    // Many times each: a coin tossed on the wrong event lands only 1 in k.
    for what in [RoundOver, SentTo(3)] {
        if (0..300).any(|_| s.pieces.damp(StopRule::Coin, 3, 3, what, &mut rng) != 3) {
            return Err(format!(
                "coin: {what:?} changed `left`; only a peer that already knew may stop the rumor."
            ));
        }
    }
    let trials = 6_000;
    let tosses: Vec<u32> = (0..trials)
        .map(|_| s.pieces.damp(StopRule::Coin, 3, 3, PeerKnew, &mut rng))
        .collect();
    if let Some(other) = tosses.iter().find(|&&left| left != 0 && left != 3) {
        return Err(format!(
            "coin, k = 3: a peer that already knew left the rumor at {other} (from 3). The coin \
             either stops the rumor (0) or leaves it as it was: counting down as well mixes the \
             counter rule into the coin, nodes stop after a few \"already knew\" answers \
             whatever the coin says, and more nodes never hear the rumor."
        ));
    }
    let stopped = tosses.iter().filter(|&&left| left == 0).count();
    // 1 in 3 of 6,000: 2,000, standard deviation about 37.
    if !(1_800..=2_200).contains(&stopped) {
        return Err(format!(
            "coin, k = 3: of {trials} times a peer already knew, the node stopped {stopped} times; \
             about 2,000 (1 in 3) was expected."
        ));
    }
    // k = 1: the coin always lands: every "already knew" stops the rumor.
    if let Some(left) = (0..100)
        .map(|_| s.pieces.damp(StopRule::Coin, 1, 1, PeerKnew, &mut rng))
        .find(|&left| left != 0)
    {
        return Err(format!(
            "coin, k = 1: a peer that already knew left the rumor at {left}; with k = 1 the \
             chance to stop is 1 in 1, every time. A coin that never lands keeps the rumor hot \
             for ever."
        ));
    }
    Ok(vec![(
        "stopped, of 6,000 'already knew'".into(),
        stopped.to_string(),
    )])
}

fn everyone_hears(s: &Subject) -> Result<Figures, String> {
    let n = 50;
    let mut net = cluster(61, n, &s.pieces, |_| {});
    net.run_for(Duration::from_secs(2));
    net.update(1, "news", "hello");
    let all = |net: &gossip_node::sim::Network| (1..=n).all(|id| net.value(id, "news").is_some());
    let took = net.run_until(Duration::from_secs(30), all);
    let sent: u64 = (1..=n).map(|id| net.node(id).counters().rumors_sent).sum();
    match took {
        Some(t) => Ok(vec![
            ("all 50 held it after".into(), secs(t)),
            (
                "rumor messages per node".into(),
                format!("{:.1}", sent as f64 / n as f64),
            ),
        ]),
        None => {
            let missing = (1..=n)
                .filter(|id| net.value(*id, "news").is_none())
                .count();
            Err(format!(
                "after 30 s, {missing} of {n} nodes never heard the update ({sent} rumor messages \
                 were sent). Are peers chosen, and does a rumor stay hot for 4 rounds?"
            ))
        }
    }
}

fn rumor_dies_out(s: &Subject) -> Result<Figures, String> {
    use gossip_node::core::rumor::StopRule as Rule;
    let n = 200;
    let mut net = cluster(62, n, &s.pieces, |c| {
        c.fanout = 1;
        c.rumor_stop = Rule::Coin;
        c.rumor_k = 2;
    });
    net.run_for(Duration::from_secs(2));
    net.update(1, "news", "hello");
    let cold = |net: &gossip_node::sim::Network| (1..=n).all(|id| net.node(id).hot_rumors() == 0);
    let took = net.run_until(Duration::from_secs(300), cold);
    let informed = (1..=n)
        .filter(|id| net.value(*id, "news").is_some())
        .count();
    let residue = 1.0 - informed as f64 / n as f64;
    let Some(t) = took else {
        let hot = (1..=n).filter(|id| net.node(*id).hot_rumors() > 0).count();
        return Err(format!(
            "after 300 s, {hot} nodes are still spreading the rumor: with the coin rule a node \
             stops only when a peer already knew, 1 time in k."
        ));
    };
    if residue > 0.25 {
        return Err(format!(
            "the rumor died out after {} but {:.0} % of the nodes never heard it; Demers' \
             formula expects about 6 % for k = 2.",
            secs(t),
            residue * 100.0
        ));
    }
    Ok(vec![
        ("died out after".into(), secs(t)),
        (
            "residue (never heard)".into(),
            format!("{:.1} % (Demers: 6.0 %)", residue * 100.0),
        ),
    ])
}
