//! Module 06: SWIM's precedence and refutation, alone and in a cluster.

use super::scenario::{cluster, secs};
use super::{Check, Figures, Subject};
use gossip_node::core::membership::{Member, MemberStatus};
use gossip_node::core::pieces::{Pieces, Reference};
use gossip_node::core::version::NodeId;
use gossip_node::sim::Network;
use std::time::Duration;

pub fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "news about a member wins exactly by SWIM's precedence rules",
            run: precedence,
        },
        Check {
            name: "a node refutes a suspicion or death of itself, and nothing else",
            run: refutation_rule,
        },
        Check {
            name: "8 nodes: a crashed node is marked dead by every other",
            run: crash_is_detected,
        },
        Check {
            name: "a node that was only slow refutes its suspicion and stays alive",
            run: slow_node_refutes,
        },
        Check {
            name: "a restarted node is taken back as alive",
            run: restart_is_accepted,
        },
    ]
}

const STATUSES: [MemberStatus; 4] = [
    MemberStatus::Alive,
    MemberStatus::Suspect,
    MemberStatus::Dead,
    MemberStatus::Left,
];

fn member(status: MemberStatus, incarnation: u64) -> Member {
    Member {
        status,
        incarnation,
        ..Member::alive(NodeId(5), "sim-5:7000")
    }
}

fn show(m: &Member) -> String {
    format!("{:?} (incarnation {})", m.status, m.incarnation).to_lowercase()
}

fn precedence(s: &Subject) -> Result<Figures, String> {
    let mut cases = 0;
    for known_status in STATUSES {
        for news_status in STATUSES {
            for (known_inc, news_inc) in [(3, 2), (3, 3), (3, 4)] {
                cases += 1;
                let known = member(known_status, known_inc);
                let news = member(news_status, news_inc);
                let yours = s.pieces.overrides(&news, &known);
                let swim = Reference.overrides(&news, &known);
                if yours != swim {
                    let verdict = if swim {
                        "must replace"
                    } else {
                        "must not replace"
                    };
                    return Err(format!(
                        "we know member 5 is {}; news says {}: it {verdict} what we know, but your \
                         overrides says {yours}.\n{}",
                        show(&known),
                        show(&news),
                        why(&known, &news)
                    ));
                }
            }
        }
    }
    Ok(vec![("cases compared".into(), cases.to_string())])
}

/// The reason behind one precedence rule, in protocol terms.
fn why(known: &Member, news: &Member) -> &'static str {
    use MemberStatus::*;
    match (known.status, news.status) {
        (_, Alive) => "Only the member raises its incarnation; an alive with the same or an older one is old news, or a suspicion could never stick.",
        (Alive, Suspect) => "A suspicion at the member's current incarnation is fresh: it must replace alive, so the member hears it and refutes.",
        (Suspect, Suspect) => "The same suspicion heard twice is not news; a suspicion of a later incarnation is.",
        (Alive | Suspect, Dead | Left) => "Death and departure are final for that incarnation: they win at the same incarnation or later.",
        (Dead | Left, _) => "Only the member itself, alive with a higher incarnation, comes back from dead or left.",
    }
}

fn refutation_rule(s: &Subject) -> Result<Figures, String> {
    let cases = [
        (
            member(MemberStatus::Alive, 4),
            member(MemberStatus::Suspect, 4),
            Some(5),
        ),
        (
            member(MemberStatus::Alive, 4),
            member(MemberStatus::Dead, 6),
            Some(7),
        ),
        (
            member(MemberStatus::Alive, 4),
            member(MemberStatus::Suspect, 3),
            None,
        ),
        (
            member(MemberStatus::Alive, 4),
            member(MemberStatus::Alive, 4),
            None,
        ),
        (
            member(MemberStatus::Left, 4),
            member(MemberStatus::Dead, 4),
            None,
        ),
    ];
    for (me, news, expected) in cases {
        let yours = s.pieces.refute(&me, &news);
        if yours != expected {
            let should = match expected {
                Some(i) => format!("announce alive with incarnation {i}"),
                None => "do nothing".to_owned(),
            };
            return Err(format!(
                "we are {}; news says we are {}: we should {should}, but your refute says {yours:?}.",
                show(&me),
                show(&news)
            ));
        }
    }
    Ok(vec![])
}

fn status(net: &Network, observer: u64, id: u64) -> Option<MemberStatus> {
    net.node(observer)
        .members()
        .get(NodeId(id))
        .map(|m| m.status)
}

fn crash_is_detected(s: &Subject) -> Result<Figures, String> {
    let mut net = cluster(81, 8, &s.pieces, |_| {});
    net.run_for(Duration::from_secs(3));
    net.crash(8);
    let all_dead = |net: &Network| (1..=7).all(|id| status(net, id, 8) == Some(MemberStatus::Dead));
    match net.run_until(Duration::from_secs(30), all_dead) {
        Some(t) => Ok(vec![("dead in all 7 views after".into(), secs(t))]),
        None => {
            let views: Vec<String> = (1..=7)
                .map(|id| format!("node {id}: {:?}", status(&net, id, 8)))
                .collect();
            Err(format!(
                "30 s after node 8 crashed, not every node marks it dead: {}.\nA suspicion must \
                 replace alive, and dead must replace suspect.",
                views.join(", ")
            ))
        }
    }
}

fn slow_node_refutes(s: &Subject) -> Result<Figures, String> {
    let mut net = cluster(82, 8, &s.pieces, |_| {});
    net.run_for(Duration::from_secs(3));
    // Node 5's messages stop getting out: its acks are lost, so it looks dead.
    for other in 1..=8 {
        net.cut(5, other);
    }
    let suspected = |net: &Network| {
        (1..=8).any(|id| id != 5 && status(net, id, 5) == Some(MemberStatus::Suspect))
    };
    let first = net
        .run_until(Duration::from_secs(20), suspected)
        .ok_or("nobody suspected node 5 although none of its acks got through")?;
    net.run_for(Duration::from_secs(1));
    net.heal();
    net.run_for(Duration::from_secs(20));
    let incarnation = net.node(5).members().me().incarnation;
    let views: Vec<(u64, Option<MemberStatus>)> = (1..=8)
        .filter(|id| *id != 5)
        .map(|id| (id, status(&net, id, 5)))
        .collect();
    if views.iter().all(|(_, s)| *s == Some(MemberStatus::Alive)) && incarnation > 0 {
        Ok(vec![
            ("first suspected after".into(), secs(first)),
            ("refuted with incarnation".into(), incarnation.to_string()),
        ])
    } else {
        Err(format!(
            "node 5 was only unreachable for a moment, yet 20 s after its link healed the others \
             hold it as {views:?} (its incarnation is {incarnation}). It hears the suspicion about \
             itself and must answer \"alive\" with a higher incarnation, which everyone accepts."
        ))
    }
}

fn restart_is_accepted(s: &Subject) -> Result<Figures, String> {
    let mut net = cluster(83, 6, &s.pieces, |_| {});
    net.run_for(Duration::from_secs(3));
    net.crash(3);
    let dead = |net: &Network| {
        [1, 2, 4, 5, 6]
            .iter()
            .all(|id| status(net, *id, 3) == Some(MemberStatus::Dead))
    };
    net.run_until(Duration::from_secs(30), dead)
        .ok_or("node 3 crashed but was never marked dead everywhere")?;
    net.restart(3);
    let alive = |net: &Network| {
        [1, 2, 4, 5, 6]
            .iter()
            .all(|id| status(net, *id, 3) == Some(MemberStatus::Alive))
    };
    match net.run_until(Duration::from_secs(30), alive) {
        Some(t) => Ok(vec![("alive again everywhere after".into(), secs(t))]),
        None => Err(
            "node 3 restarted with a higher incarnation, but 30 s later some nodes still hold it \
             dead: an alive with a higher incarnation must replace dead."
                .into(),
        ),
    }
}
