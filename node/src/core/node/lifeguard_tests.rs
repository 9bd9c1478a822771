//! Lifeguard on hand-wired cores: a prober whose acks never arrive doubts
//! itself and slows down; a helper's nack spares it; an answered probe
//! restores it; refuting costs a point; a suspect hears of it in the ping;
//! and with `lifeguard: false` none of this happens.

use super::*;
use crate::core::lifeguard::MAX_SCORE;
use crate::core::membership::MemberStatus;
use crate::core::message::MessageId;
use rand::rngs::StdRng;
use rand::SeedableRng;

fn addr(id: u64) -> String {
    format!("10.0.1.{id}:7000")
}

/// Node `id` that already knows `others`, with Lifeguard on or off.
fn node(id: u64, others: &[u64], lifeguard: bool) -> Node {
    let mut config = Config::new(NodeId(id), addr(id), Vec::new());
    config.swim.lifeguard = lifeguard;
    let mut node = Node::new(config);
    let members: Vec<Member> = others
        .iter()
        .map(|o| Member::alive(NodeId(*o), addr(*o)))
        .collect();
    node.know_members(&members);
    node
}

/// The messages in `out`: (to, envelope).
fn sent(out: &[Output]) -> Vec<(String, Envelope)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { to, envelope, .. } => Some((to.clone(), envelope.clone())),
            _ => None,
        })
        .collect()
}

/// Node `id`'s ack of the ping numbered `seq`.
fn ack_from(id: u64, seq: u64) -> Envelope {
    Envelope {
        id: MessageId(1000 + seq),
        from: Member::alive(NodeId(id), addr(id)),
        updates: Vec::new(),
        accusations: Vec::new(),
        message: Message::Ack { seq },
    }
}

/// When the timer matching `which` was set for, if it was.
fn timer(out: &[Output], which: impl Fn(&Timer) -> bool) -> Option<Duration> {
    out.iter().find_map(|o| match o {
        Output::SetTimer { timer, after } if which(timer) => Some(*after),
        _ => None,
    })
}

/// One protocol period of `node` in which nothing it sends arrives: the
/// period's start, then its probe's timeout. The next period's delay.
fn silent_period(node: &mut Node, rng: &mut StdRng) -> Duration {
    let start = node.timer(Duration::ZERO, rng, Timer::ProbePeriod);
    let next = timer(&start, |t| *t == Timer::ProbePeriod).expect("the next period is set");
    if let Some(seq) = start.iter().find_map(|o| match o {
        Output::SetTimer {
            timer: Timer::ProbeTimeout { seq },
            ..
        } => Some(*seq),
        _ => None,
    }) {
        node.timer(Duration::ZERO, rng, Timer::ProbeTimeout { seq });
    }
    next
}

#[test]
fn a_prober_that_hears_nothing_doubts_itself_and_slows_down() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut a = node(1, &[2, 3, 4], true);
    let mut delays = Vec::new();
    for _ in 0..12 {
        delays.push(silent_period(&mut a, &mut rng));
    }
    assert_eq!(delays[0], Duration::from_secs(1), "healthy at first");
    assert_eq!(
        a.health(),
        MAX_SCORE,
        "every unanswered probe and missing nack counts"
    );
    assert_eq!(
        *delays.last().unwrap(),
        Duration::from_secs(8),
        "probing 8 times slower"
    );
    // Its probe timeout stretches the same way.
    let start = a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    let timeout = timer(&start, |t| matches!(t, Timer::ProbeTimeout { .. }));
    assert_eq!(timeout, Some(Duration::from_secs(4)));
}

#[test]
fn a_helper_that_nacks_spares_the_prober_and_an_ack_heals_it() {
    let mut rng = StdRng::seed_from_u64(2);
    // Node 1 knows only 2 (the target, down) and 3 (the helper).
    let mut a = node(1, &[2, 3], true);
    let mut c = node(3, &[1, 2], true);
    // Probe until the target is 2 (round robin: within two periods); node
    // 3, if it comes first, answers.
    let mut seq = None;
    for _ in 0..2 {
        let start = a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
        let (to, ping) = sent(&start).into_iter().next().expect("a ping");
        let Message::Ping { seq: s } = ping.message else {
            panic!("the period starts with a ping");
        };
        if to == addr(2) {
            seq = Some(s);
            break;
        }
        a.receive(Duration::ZERO, &mut rng, ack_from(3, s));
    }
    let seq = seq.expect("node 2 is probed within two periods");
    let asked = a.timer(Duration::ZERO, &mut rng, Timer::ProbeTimeout { seq });
    let (to, request) = sent(&asked).into_iter().next().expect("a ping-req");
    assert_eq!(to, addr(3));
    // The helper pings node 2 for us (lost: it is down), then nacks.
    let relayed = c.receive(Duration::ZERO, &mut rng, request);
    let relay_seq = relayed
        .iter()
        .find_map(|o| match o {
            Output::SetTimer {
                timer: Timer::RelayNack { seq },
                ..
            } => Some(*seq),
            _ => None,
        })
        .expect("the helper will nack");
    let nacked = c.timer(
        Duration::ZERO,
        &mut rng,
        Timer::RelayNack { seq: relay_seq },
    );
    let (to, nack) = sent(&nacked).into_iter().next().expect("a nack");
    assert_eq!(to, addr(1));
    assert_eq!(nack.message, Message::Nack { seq });
    a.receive(Duration::ZERO, &mut rng, nack);
    let next = a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    assert_eq!(a.health(), 0, "the helper said node 2 is silent to it too");
    assert_eq!(
        timer(&next, |t| *t == Timer::ProbePeriod),
        Some(Duration::from_secs(1))
    );

    // Without the nack, the same failure costs a point; an ack wins it back.
    let mut b = node(1, &[2, 3], true);
    silent_period(&mut b, &mut rng);
    silent_period(&mut b, &mut rng);
    assert!(b.health() >= 1);
    // This period's start judges the last silent one; then its probe is answered.
    let start = b.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    let before = b.health();
    let (to, ping) = sent(&start).into_iter().next().expect("a ping");
    let Message::Ping { seq } = ping.message else {
        panic!("the period starts with a ping");
    };
    let target = if to == addr(2) { 2 } else { 3 };
    b.receive(Duration::ZERO, &mut rng, ack_from(target, seq));
    b.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    assert_eq!(b.health(), before - 1, "an answered probe heals a point");
}

#[test]
fn refuting_costs_a_point_and_a_suspect_hears_of_it_in_the_ping() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut a = node(1, &[2], true);
    let incarnation = a.members().me().incarnation;
    let accusation = Envelope {
        id: MessageId(8),
        from: Member::alive(NodeId(2), addr(2)),
        updates: vec![Member {
            status: MemberStatus::Suspect,
            ..Member::alive(NodeId(1), addr(1))
        }],
        accusations: Vec::new(),
        message: Message::Ping { seq: 1 },
    };
    let out = a.receive(Duration::ZERO, &mut rng, accusation);
    assert!(a.members().me().incarnation > incarnation, "it refuted");
    assert_eq!(a.health(), 1);
    assert!(out.contains(&Output::Event(Event::HealthChanged { score: 1 })));

    // Node 1 believes node 2 suspect: its ping to 2 says so first.
    let suspect = Member {
        status: MemberStatus::Suspect,
        ..Member::alive(NodeId(2), addr(2))
    };
    let mut h = Handling::default();
    a.apply_member_news(&suspect, NodeId(3), &mut h);
    let start = a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    let (_, ping) = sent(&start)
        .into_iter()
        .find(|(to, _)| *to == addr(2))
        .expect("a ping to 2");
    assert_eq!(
        ping.updates.first().map(|m| (m.id, m.status)),
        Some((NodeId(2), MemberStatus::Suspect))
    );
}

#[test]
fn with_lifeguard_off_nothing_stretches() {
    let mut rng = StdRng::seed_from_u64(4);
    let mut a = node(1, &[2, 3, 4], false);
    let delays: Vec<Duration> = (0..10).map(|_| silent_period(&mut a, &mut rng)).collect();
    assert!(
        delays.iter().all(|d| *d == Duration::from_secs(1)),
        "{delays:?}"
    );
    assert_eq!(a.health(), 0);
}

/// A nack counts only from a helper that was asked, once each: a stranger
/// cannot talk a prober out of its doubt.
#[test]
fn only_the_helpers_asked_may_nack() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut a = node(1, &[2, 3], true);
    let start = a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    let (to, ping) = sent(&start).into_iter().next().expect("a ping");
    let Message::Ping { seq } = ping.message else {
        panic!("the period starts with a ping");
    };
    let asked = a.timer(Duration::ZERO, &mut rng, Timer::ProbeTimeout { seq });
    let (helper, _) = sent(&asked).into_iter().next().expect("a ping-req");
    assert_ne!(helper, to);
    // A stranger (node 9) nacks, twice; the helper does not.
    for id in [10, 11] {
        let forged = Envelope {
            id: MessageId(id),
            from: Member::alive(NodeId(9), addr(9)),
            updates: Vec::new(),
            accusations: Vec::new(),
            message: Message::Nack { seq },
        };
        a.receive(Duration::ZERO, &mut rng, forged);
    }
    a.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    assert_eq!(a.health(), 1, "the helper's missing nack still counts");
}
