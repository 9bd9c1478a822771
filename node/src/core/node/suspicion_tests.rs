//! Dynamic suspicion on hand-wired cores: a lone accuser's suspicion lasts
//! six times the plain timeout, each independent accuser shortens it (the
//! same accuser heard through others does not), the node passes each
//! confirmation on, a refutation ends it, and with Lifeguard off or too few
//! members to confirm it lasts the plain timeout.

use super::*;
use crate::core::membership::MemberStatus;
use crate::core::message::MessageId;
use rand::rngs::StdRng;
use rand::SeedableRng;

fn addr(id: u64) -> String {
    format!("10.0.2.{id}:7000")
}

/// Node 1 knowing nodes 2 to `last`, Lifeguard on or off.
fn node(last: u64, lifeguard: bool) -> Node {
    let mut config = Config::new(NodeId(1), addr(1), Vec::new());
    config.swim.lifeguard = lifeguard;
    let mut node = Node::new(config);
    let members: Vec<Member> = (2..=last)
        .map(|id| Member::alive(NodeId(id), addr(id)))
        .collect();
    node.know_members(&members);
    node
}

fn suspect(id: u64) -> Member {
    Member {
        status: MemberStatus::Suspect,
        ..Member::alive(NodeId(id), addr(id))
    }
}

/// A ping from `sender` saying `suspect` is suspect, accused by `accuser`.
fn news(sender: u64, suspect_id: u64, accuser: Option<u64>) -> Envelope {
    Envelope {
        id: MessageId(sender * 100 + suspect_id),
        from: Member::alive(NodeId(sender), addr(sender)),
        updates: vec![suspect(suspect_id)],
        accusations: accuser
            .map(|by| Accusation {
                member: NodeId(suspect_id),
                by: NodeId(by),
            })
            .into_iter()
            .collect(),
        message: Message::Ping { seq: 1 },
    }
}

/// The suspicion timer `out` sets, if any: when it rings, after `now`.
fn suspicion_timer(out: &[Output]) -> Option<Duration> {
    out.iter().find_map(|o| match o {
        Output::SetTimer {
            timer: Timer::SuspicionTimeout { .. },
            after,
        } => Some(*after),
        _ => None,
    })
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn close(a: Option<Duration>, b: f64) -> bool {
    a.is_some_and(|a| (a.as_secs_f64() - b).abs() < 0.01)
}

#[test]
fn a_lone_accuser_waits_longest_and_each_independent_one_shortens_it() {
    let mut rng = StdRng::seed_from_u64(1);
    // 8 members: plain timeout 4 s, a lone accuser's 24 s, 2 confirmations.
    let mut a = node(8, true);
    let out = a.receive(secs(0.0), &mut rng, news(2, 8, Some(2)));
    assert_eq!(suspicion_timer(&out), Some(secs(24.0)), "a lone accuser");
    // Node 3 passes on node 2's accusation: the same accuser, not a second.
    let out = a.receive(secs(1.0), &mut rng, news(3, 8, Some(2)));
    assert_eq!(suspicion_timer(&out), None, "node 2 heard twice is one");
    // Node 4 accuses on its own: 11.38 s from the start, 9.38 s from now.
    let out = a.receive(secs(2.0), &mut rng, news(4, 8, Some(4)));
    assert!(close(suspicion_timer(&out), 9.38), "{out:?}");
    // The confirmation goes out again, naming its accuser.
    let next = a.timer(secs(2.0), &mut rng, Timer::GossipRound);
    let carried = next.iter().any(|o| {
        matches!(o, Output::Send { envelope, .. }
            if envelope.accusations.contains(&Accusation { member: NodeId(8), by: NodeId(4) }))
    });
    assert!(carried, "the confirmation is passed on: {next:?}");
    // A second independent accuser: down to the plain 4 s.
    let out = a.receive(secs(3.0), &mut rng, news(5, 8, Some(5)));
    assert_eq!(suspicion_timer(&out), Some(secs(1.0)));
    // The first timer, set for 24 s, may ring early on a host that keeps
    // every timer: only the time left counts.
    let timeout = Timer::SuspicionTimeout {
        id: NodeId(8),
        incarnation: 0,
    };
    let early = a.timer(secs(3.5), &mut rng, timeout);
    assert_eq!(suspicion_timer(&early), Some(secs(0.5)), "not yet");
    assert_eq!(
        a.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Suspect
    );
    a.timer(secs(4.0), &mut rng, timeout);
    assert_eq!(
        a.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Dead
    );
    assert!(a.suspicions.is_empty(), "a verdict ends the suspicion");
}

#[test]
fn its_own_failed_probe_is_one_more_accusation() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut a = node(8, true);
    a.receive(secs(0.0), &mut rng, news(2, 8, Some(2)));
    let mut h = Handling::at(secs(1.0));
    a.suspect(NodeId(8), &mut h);
    assert!(close(suspicion_timer(&h.out), 10.38), "{:?}", h.out);
    // The same failure again is not a third accuser.
    let mut h = Handling::at(secs(2.0));
    a.suspect(NodeId(8), &mut h);
    assert_eq!(suspicion_timer(&h.out), None);
}

#[test]
fn news_without_an_accusation_is_accused_by_its_sender_and_a_stranger_cannot_confirm() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut a = node(8, true);
    a.receive(secs(0.0), &mut rng, news(2, 8, None));
    assert_eq!(a.suspicions.get(NodeId(8)).unwrap().accusers(), [NodeId(2)]);
    // An accusation by a node nobody knows counts as its sender's: node 2 again.
    let out = a.receive(secs(1.0), &mut rng, news(2, 8, Some(999)));
    assert_eq!(suspicion_timer(&out), None);
    // Accusing the suspect itself, or a member the news does not suspect,
    // is refused whole.
    let mut own = news(3, 8, Some(8));
    assert!(a.receive_checked(secs(1.0), &mut rng, own.clone()).is_err());
    own.updates[0].status = MemberStatus::Alive;
    own.accusations[0].by = NodeId(3);
    assert!(a.receive_checked(secs(1.0), &mut rng, own).is_err());
    let mut twice = news(3, 8, Some(3));
    twice.accusations.push(Accusation {
        member: NodeId(8),
        by: NodeId(3),
    });
    assert!(a.receive_checked(secs(1.0), &mut rng, twice).is_err());
    let mut crowd = news(3, 8, None);
    crowd.accusations = (2..=6)
        .map(|by| Accusation {
            member: NodeId(8),
            by: NodeId(by),
        })
        .collect();
    assert!(
        a.receive_checked(secs(1.0), &mut rng, crowd).is_err(),
        "at most four accusers per suspect"
    );
    assert_eq!(a.suspicions.get(NodeId(8)).unwrap().confirmations(), 0);
    // Two accusers named in one message: both count.
    let mut both = news(3, 8, Some(3));
    both.accusations.push(Accusation {
        member: NodeId(8),
        by: NodeId(4),
    });
    let out = a.receive(secs(2.0), &mut rng, both);
    assert_eq!(suspicion_timer(&out), Some(secs(2.0)), "down to min, 4 s");
}

#[test]
fn accusations_made_at_once_all_go_out() {
    // Nodes 1 and 2 both accuse node 8 before either has sent a message:
    // node 1's own accusation must not be lost to node 2's.
    let mut rng = StdRng::seed_from_u64(6);
    let mut a = node(8, true);
    let mut h = Handling::at(secs(0.0));
    a.suspect(NodeId(8), &mut h);
    a.receive(secs(0.1), &mut rng, news(2, 8, Some(2)));
    let next = a.timer(secs(0.2), &mut rng, Timer::GossipRound);
    let named: Vec<NodeId> = next
        .iter()
        .find_map(|o| match o {
            Output::Send { envelope, .. } => {
                Some(envelope.accusations.iter().map(|a| a.by).collect())
            }
            _ => None,
        })
        .expect("a message carries the news");
    assert_eq!(named, [NodeId(1), NodeId(2)]);
}

#[test]
fn a_refutation_ends_the_suspicion() {
    let mut rng = StdRng::seed_from_u64(4);
    let mut a = node(8, true);
    a.receive(secs(0.0), &mut rng, news(2, 8, Some(2)));
    let mut alive = news(8, 8, None);
    alive.updates.clear();
    alive.from.incarnation = 1;
    a.receive(secs(1.0), &mut rng, alive);
    assert_eq!(
        a.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Alive
    );
    assert!(a.suspicions.is_empty());
    // The old timer finds nothing to judge.
    let timeout = Timer::SuspicionTimeout {
        id: NodeId(8),
        incarnation: 0,
    };
    a.timer(secs(24.0), &mut rng, timeout);
    assert_eq!(
        a.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Alive
    );
}

#[test]
fn plain_timeout_with_lifeguard_off_or_too_few_to_confirm() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut off = node(8, false);
    let out = off.receive(secs(0.0), &mut rng, news(2, 8, Some(2)));
    assert_eq!(suspicion_timer(&out), Some(secs(4.0)));
    let next = off.timer(secs(0.0), &mut rng, Timer::GossipRound);
    let accusations = next
        .iter()
        .any(|o| matches!(o, Output::Send { envelope, .. } if !envelope.accusations.is_empty()));
    assert!(!accusations, "plain SWIM sends no accusations");
    // Three members: besides the suspect only node 2 could confirm, and
    // memberlist awaits two, so none is awaited.
    let mut small = node(3, true);
    let out = small.receive(secs(0.0), &mut rng, news(2, 3, Some(2)));
    assert_eq!(suspicion_timer(&out), Some(secs(4.0)));
}

#[test]
fn a_refused_connection_is_an_accusation_only_with_the_lever() {
    let mut lever = node(8, true);
    lever.config.swim.suspect_refused = true;
    let out = lever.unreachable(secs(1.0), &addr(8));
    assert_eq!(
        lever.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Suspect
    );
    assert_eq!(suspicion_timer(&out), Some(secs(24.0)), "a lone accuser");
    assert_eq!(
        lever.suspicions.get(NodeId(8)).unwrap().accusers(),
        [NodeId(1)]
    );
    // An address no member has is nobody to suspect.
    assert!(lever.unreachable(secs(1.0), "10.9.9.9:1").is_empty());
    // Off (the default): nothing changes.
    let mut plain = node(8, true);
    assert!(plain.unreachable(secs(1.0), &addr(8)).is_empty());
    assert_eq!(
        plain.members().get(NodeId(8)).unwrap().status,
        MemberStatus::Alive
    );
}
