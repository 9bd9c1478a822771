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
            name: "a node refutes a suspicion, death or departure of itself, and nothing else",
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

/// A live node's incarnation is its start time in milliseconds: this one
/// is a start in November 2026, and a multiple of 2^32, where an
/// incarnation kept in 32 bits wraps to 0.
const STARTED_MS: u64 = 418 << 32;

/// The incarnations compared: news older, the same, newer, much newer, and
/// at the size of real start times (one millisecond either side of a wrap).
const INCARNATIONS: [(u64, u64); 6] = [
    (3, 2),
    (3, 3),
    (3, 4),
    (3, 9),
    (STARTED_MS - 1, STARTED_MS),
    (STARTED_MS, STARTED_MS - 1),
];

fn precedence(s: &Subject) -> Result<Figures, String> {
    let mut cases = 0;
    for known_status in STATUSES {
        for news_status in STATUSES {
            for (known_inc, news_inc) in INCARNATIONS {
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
                        why(&known, &news, swim)
                    ));
                }
            }
        }
    }
    Ok(vec![("cases compared".into(), cases.to_string())])
}

/// The reason behind one precedence rule, for the case at hand: `replace`
/// is what SWIM does with this news.
fn why(known: &Member, news: &Member, replace: bool) -> &'static str {
    use MemberStatus::*;
    match (known.status, news.status, replace) {
        (Dead | Left, Alive, true) => "Only the member itself raises its incarnation: an alive with a higher one is its refutation or its restart, fresher than the verdict. This is how a member comes back.",
        (_, Alive, true) => "Only the member itself raises its incarnation: an alive with a higher one is its answer to the news we hold, and fresher.",
        (Dead | Left, Alive, false) => "Only the member raises its incarnation; an alive of the same incarnation is older than the verdict (its last word before it died or left), and an older one older still: taking it would revive the dead with their own old news.",
        (_, Alive, false) => "Only the member raises its incarnation; an alive with the same or an older one is old news, or a suspicion could never stick.",
        (Alive, Suspect, true) => "A suspicion at the member's current incarnation is fresh: it must replace alive, so the member hears it and refutes.",
        (Alive, Suspect, false) => "A suspicion of an older incarnation is already beaten: the member answered it with the alive we hold.",
        (Suspect, Suspect, true) => "A suspicion of a later incarnation is news: the member refuted the earlier one and is suspected again.",
        (Suspect, Suspect, false) => "The same suspicion heard twice is not news: taking it again would spread it again and restart the suspicion timer, so a crashed member would take longer to be declared dead.",
        (Alive | Suspect, Dead | Left, true) => "Death and departure are final for that incarnation: they win at the same incarnation or later.",
        (Alive | Suspect, Dead | Left, false) => "A death or departure of an older incarnation is old news: the member has since answered it with a higher incarnation.",
        (Dead | Left, _, _) => "Only the member itself, alive with a higher incarnation, comes back from dead or left; a suspicion or another verdict about it changes nothing.",
    }
}

fn refutation_rule(s: &Subject) -> Result<Figures, String> {
    let mut cases = 0;
    for my_status in [MemberStatus::Alive, MemberStatus::Left] {
        for news_status in STATUSES {
            for news_inc in [3, 4, 5, 6] {
                cases += 1;
                let (me, news) = (member(my_status, 4), member(news_status, news_inc));
                let yours = s.pieces.refute(&me, &news);
                let expected = Reference.refute(&me, &news);
                if yours == expected {
                    continue;
                }
                let should = match expected {
                    Some(i) => format!("announce alive with incarnation {i}"),
                    None => "do nothing".to_owned(),
                };
                return Err(format!(
                    "we are {}; news says we are {}: we should {should}, but your refute says \
                     {yours:?}.\n{}",
                    show(&me),
                    show(&news),
                    refute_why(&me, &news, yours)
                ));
            }
        }
    }
    Ok(vec![("cases compared".into(), cases.to_string())])
}

/// Why `refute` must answer as SWIM does, for the case at hand.
fn refute_why(me: &Member, news: &Member, yours: Option<u64>) -> String {
    use MemberStatus::*;
    if me.status == Left {
        return "A node that left is gone on purpose: answering \"alive\" would undo its goodbye, \
                and the others would take it back."
            .into();
    }
    if news.status == Alive {
        return "News that we are alive needs no answer: refuting it raises our incarnation, the \
                new alive comes back to us as news, and we refute again, for ever."
            .into();
    }
    if news.incarnation < me.incarnation {
        return format!(
            "A {} of an older incarnation is already beaten by our alive of incarnation {}: \
             refuting it again spreads more news each time an old rumor reaches us.",
            noun(news.status),
            me.incarnation
        );
    }
    match yours {
        None if news.status == Dead => "A node wrongly declared dead (a pause, a healed \
             partition) must answer too: nobody else can say it is alive, so it would stay dead \
             for the others while it runs."
            .into(),
        None if news.status == Left => "We are running, so we have not left: our own goodbye \
             makes us left before it goes out, and then we refute nothing. News that we left, at \
             our incarnation or later, is someone else's (a forged or a confused verdict): \
             unanswered, the others drop us for good while we run."
            .into(),
        None => "A suspicion of us at our incarnation or later must be answered, or its timer \
             runs out and we are declared dead while we run."
            .into(),
        Some(i) if i <= news.incarnation => format!(
            "An alive of incarnation {i} loses to the news it answers (a {} of incarnation {}): \
             at the same incarnation suspect and dead beat alive. Announce one more than the \
             news' incarnation.",
            noun(news.status),
            news.incarnation
        ),
        Some(_) => "One more than the news' incarnation beats it everywhere; only the member \
             raises its incarnation, one step at a time."
            .into(),
    }
}

/// What news of this status is, as a noun.
fn noun(status: MemberStatus) -> &'static str {
    match status {
        MemberStatus::Alive => "sign of life",
        MemberStatus::Suspect => "suspicion",
        MemberStatus::Dead => "death",
        MemberStatus::Left => "departure",
    }
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
