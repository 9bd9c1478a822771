//! A crowd of names that never answer, against one node: they are learned
//! only up to a bound, gossip never goes to them while members that answer
//! are there, and probes find them dead and make room again. A real
//! newcomer is proven within a round by a proof ping of its own.

use super::*;
use crate::core::membership::{MemberStatus, MAX_SECOND_HAND, MAX_SECOND_HAND_PER_SENDER};
use crate::core::message::MessageId;
use crate::core::swim::{MAX_PROOFS, PROOF_ROUNDS};
use rand::rngs::StdRng;
use rand::SeedableRng;

pub(super) fn addr(id: u64) -> String {
    format!("10.0.{}.{}:7000", id / 250, id % 250)
}

/// A message from member `id` (at [`addr`]) that carries no news.
pub(super) fn from(id: u64, message: Message) -> Envelope {
    Envelope {
        id: MessageId(id),
        from: Member::alive(NodeId(id), addr(id)),
        updates: Vec::new(),
        accusations: Vec::new(),
        message,
    }
}

/// Node 1, knowing the real members 2, 3 and 4, after `senders` strangers
/// each sent it welcomes naming 1,280 members that do not exist.
fn crowded(senders: u64, rng: &mut StdRng) -> Node {
    let mut node = Node::new(Config::new(NodeId(1), addr(1), Vec::new()));
    node.know_members(&[2, 3, 4].map(|id| Member::alive(NodeId(id), addr(id))));
    for sender in 0..senders {
        for page in 0..10 {
            let first = 10_000 + (sender * 10 + page) * 128;
            let members = (first..first + 128)
                .map(|id| Member::alive(NodeId(id), addr(id)))
                .collect();
            let welcome = Message::Welcome {
                members,
                more: false,
            };
            node.receive(Duration::ZERO, rng, from(100 + sender, welcome));
        }
    }
    node
}

#[test]
fn one_sender_gets_a_small_share_and_all_senders_a_bounded_one() {
    let mut rng = StdRng::seed_from_u64(1);
    let one = crowded(1, &mut rng);
    // Itself, the three real members, and the sender's share of unproven
    // members: the sender (it has not answered a probe yet) and its fakes.
    assert_eq!(one.members().len(), 1 + 3 + MAX_SECOND_HAND_PER_SENDER);
    let many = crowded(40, &mut rng);
    assert!(many.members().len() <= 1 + 3 + MAX_SECOND_HAND + 40);
    assert!(many.counters().members_refused >= 40 * 1280 - MAX_SECOND_HAND as u64);
}

#[test]
fn gossip_goes_to_members_that_answered_while_any_do() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut node = crowded(40, &mut rng);
    let real = [NodeId(2), NodeId(3), NodeId(4)];
    for _ in 0..200 {
        for peer in node.peers_for_round(&mut rng) {
            assert!(real.contains(&peer.id), "gossip went to {}", peer.id);
        }
    }
    // Anti-entropy too (turned on: off, its timer sends nothing).
    let on = crate::core::SettingsChange {
        interval: None,
        anti_entropy: Some(Some(Duration::from_secs(1))),
    };
    node.change_settings(&on).unwrap();
    let mut exchanges = 0;
    for _ in 0..50 {
        for output in node.timer(Duration::ZERO, &mut rng, Timer::AntiEntropy) {
            if let Output::Send { to_id, .. } = output {
                assert!(to_id.is_some_and(|id| real.contains(&id)));
                exchanges += 1;
            }
        }
    }
    assert!(
        exchanges >= 50,
        "{exchanges} anti-entropy exchanges started"
    );
}

/// The suspicion timers among `outputs`, kept with when they ring.
fn keep(outputs: Vec<Output>, now: Duration, due: &mut Vec<(Duration, Timer)>) {
    for output in outputs {
        if let Output::SetTimer { timer, after } = output {
            if matches!(timer, Timer::SuspicionTimeout { .. }) {
                due.push((now + after, timer));
            }
        }
    }
}

#[test]
fn probes_find_the_fakes_dead_and_their_room_goes_to_real_news() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut node = crowded(1, &mut rng);
    let mut now = Duration::ZERO;
    // Probe period after probe period, nobody fake ever answers; the real
    // members are not probed for the test's sake (their acks do not matter).
    // Suspicion timers ring when they are due.
    let mut suspicions: Vec<(Duration, Timer)> = Vec::new();
    for _ in 0..400 {
        now += Duration::from_secs(1);
        let outputs = node.timer(now, &mut rng, Timer::ProbePeriod);
        keep(outputs, now, &mut suspicions);
        let (ringing, later) = suspicions.into_iter().partition(|(at, _)| *at <= now);
        suspicions = later;
        for (_, timer) in ringing {
            let outputs = node.timer(now, &mut rng, timer);
            keep(outputs, now, &mut suspicions);
        }
    }
    let fakes_alive = node
        .members()
        .all()
        .filter(|m| m.id.0 >= 10_000 && m.status.is_active())
        .count();
    assert_eq!(fakes_alive, 0, "every fake was probed and found dead");
    // News of a real newcomer from node 2 finds room now.
    let newcomer = Member::alive(NodeId(5), addr(5));
    let mut news = from(2, Message::Ping { seq: 1 });
    news.updates = vec![newcomer];
    node.receive(now, &mut rng, news);
    let known = node.members().get(NodeId(5)).map(|m| m.status);
    assert_eq!(known, Some(MemberStatus::Alive));
}

#[test]
fn only_the_welcome_a_node_asked_a_neighbor_for_vouches_for_its_list() {
    let mut rng = StdRng::seed_from_u64(4);
    let mut node = Node::new(Config::new(NodeId(1), addr(1), vec![addr(2)]));
    node.start(Duration::ZERO, &mut rng);
    let welcome = |first: u64, count: u64| Message::Welcome {
        members: (first..first + count)
            .map(|id| Member::alive(NodeId(id), addr(id)))
            .collect(),
        more: false,
    };
    // The answer to our join: every member listed is proven at once.
    node.receive(Duration::ZERO, &mut rng, from(2, welcome(3, 5)));
    assert_eq!(
        node.members().peers().count(),
        6,
        "node 2 and the five it listed"
    );
    // A later, unasked-for welcome from the same neighbor is news like any.
    node.receive(Duration::ZERO, &mut rng, from(2, welcome(10_000, 128)));
    let unproven = node.members().unproven_count(NodeId(2));
    assert_eq!(unproven.1, MAX_SECOND_HAND_PER_SENDER);
    assert_eq!(node.members().peers().count(), 6);
}

/// The pings among `outputs`: (to whom, seq).
fn pings(outputs: &[Output]) -> Vec<(NodeId, u64)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            Output::Send {
                to_id: Some(to),
                envelope,
                ..
            } => match envelope.message {
                Message::Ping { seq } => Some((*to, seq)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn a_member_learned_second_hand_gets_a_proof_ping_and_its_ack_proves_it() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut node = Node::new(Config::new(NodeId(1), addr(1), Vec::new()));
    node.know_members(&[2, 3, 4].map(|id| Member::alive(NodeId(id), addr(id))));
    let mut news = from(2, Message::Feedback { known: Vec::new() });
    news.updates = vec![Member::alive(NodeId(5), addr(5))];
    node.receive(Duration::ZERO, &mut rng, news);
    assert!(node.members().is_unproven(NodeId(5)));
    // The next round pings it, outside the probe order.
    let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    let to_five: Vec<u64> = pings(&round)
        .into_iter()
        .filter(|(to, _)| *to == NodeId(5))
        .map(|(_, seq)| seq)
        .collect();
    assert_eq!(to_five.len(), 1, "one proof ping to the newcomer");
    let seq = to_five[0];
    // An ack of another number, or of this number from another, proves nothing.
    node.receive(
        Duration::ZERO,
        &mut rng,
        from(5, Message::Ack { seq: seq + 7 }),
    );
    node.receive(Duration::ZERO, &mut rng, from(3, Message::Ack { seq }));
    assert!(node.members().is_unproven(NodeId(5)));
    node.receive(Duration::ZERO, &mut rng, from(5, Message::Ack { seq }));
    assert!(
        !node.members().is_unproven(NodeId(5)),
        "its own ack proves it"
    );
    // A proven member is not pinged again for proof.
    let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    assert!(pings(&round).iter().all(|(to, _)| *to != NodeId(5)));
}

#[test]
fn a_crowd_of_fakes_costs_a_bounded_number_of_proof_pings() {
    let mut rng = StdRng::seed_from_u64(6);
    let mut node = crowded(40, &mut rng);
    let mut to_fakes = 0;
    for _ in 0..500 {
        let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
        to_fakes += pings(&round).iter().filter(|(to, _)| to.0 >= 100).count();
    }
    assert!(to_fakes > 0, "the first fakes learned are pinged once");
    assert!(
        to_fakes <= MAX_PROOFS,
        "{to_fakes} proof pings to fakes in 500 rounds"
    );
}

/// The one proof ping to `id` in `outputs`.
fn proof_ping_to(outputs: &[Output], id: u64) -> Option<u64> {
    let mut seqs = pings(outputs)
        .into_iter()
        .filter(|(to, _)| *to == NodeId(id));
    let (_, seq) = seqs.next()?;
    assert!(seqs.next().is_none(), "one proof ping to node {id}");
    Some(seq)
}

#[test]
fn a_late_ack_proves_nothing_and_a_newcomer_that_speaks_for_itself_goes_first() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut node = crowded(1, &mut rng); // 64 fakes wait for their proof ping
                                         // Node 5 writes to us itself: it is pinged in the very next round.
    node.receive(
        Duration::ZERO,
        &mut rng,
        from(5, Message::Feedback { known: Vec::new() }),
    );
    let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    let seq = proof_ping_to(&round, 5).expect("the newcomer goes before the fakes");
    for _ in 0..=PROOF_ROUNDS {
        node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    }
    node.receive(Duration::ZERO, &mut rng, from(5, Message::Ack { seq }));
    assert!(
        node.members().is_unproven(NodeId(5)),
        "an ack rounds too late"
    );
}

#[test]
fn a_proof_ping_acked_too_late_proves_nothing_even_alone() {
    let mut rng = StdRng::seed_from_u64(8);
    let mut node = Node::new(Config::new(NodeId(1), addr(1), Vec::new()));
    node.know_members(&[Member::alive(NodeId(2), addr(2))]);
    let mut news = from(2, Message::Feedback { known: Vec::new() });
    news.updates = vec![Member::alive(NodeId(5), addr(5))];
    node.receive(Duration::ZERO, &mut rng, news);
    let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    let seq = proof_ping_to(&round, 5).expect("a proof ping");
    for _ in 0..=PROOF_ROUNDS {
        let round = node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
        assert_eq!(proof_ping_to(&round, 5), None, "one proof ping only");
    }
    node.receive(Duration::ZERO, &mut rng, from(5, Message::Ack { seq }));
    assert!(node.members().is_unproven(NodeId(5)));
}
