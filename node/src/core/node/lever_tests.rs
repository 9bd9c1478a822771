//! The bench's levers, off as the exercises teach gossip: what each one
//! sends when it is on, and that it sends nothing more when it is off.

use super::crowd_tests::{addr, from};
use super::*;
use crate::core::message::MessageId;
use crate::core::store::Entry;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

/// Node 1 with members 2 to 5, all of which have answered, and one hot
/// rumor (a client's write), with `rumors_with_probes` as given.
fn node_with_news(with_probes: bool, rng: &mut StdRng) -> Node {
    let mut config = Config::new(NodeId(1), addr(1), vec![]);
    config.rumors_with_probes = with_probes;
    let mut node = Node::new(config);
    let members: Vec<Member> = (2..=5)
        .map(|id| Member::alive(NodeId(id), addr(id)))
        .collect();
    node.know_members(&members);
    node.client_update(Duration::ZERO, rng, "color", "red")
        .unwrap();
    node
}

/// The keys of every rumor push in `out`, with where it went.
fn pushes(out: &[Output]) -> Vec<(String, Vec<String>)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { to, envelope, .. } => match &envelope.message {
                Message::Rumor { entries, .. } => {
                    Some((to.clone(), entries.keys().cloned().collect()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Where the pings in `out` went.
fn pinged(out: &[Output]) -> Vec<String> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { to, envelope, .. }
                if matches!(envelope.message, Message::Ping { .. }) =>
            {
                Some(to.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn with_probes_on_a_probe_and_an_ack_each_go_with_the_hot_rumors() {
    let mut rng = StdRng::seed_from_u64(41);
    let mut node = node_with_news(true, &mut rng);
    let color = vec!["color".to_owned()];

    let out = node.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    let probed = pinged(&out);
    assert_eq!(probed.len(), 1, "{out:?}");
    assert_eq!(pushes(&out), vec![(probed[0].clone(), color.clone())]);

    let out = node.receive(Duration::ZERO, &mut rng, from(3, Message::Ping { seq: 9 }));
    assert_eq!(pushes(&out), vec![(addr(3), color.clone())], "{out:?}");

    // A member only heard of (node 9, from node 2) is probed without
    // rumors: until it answers, rumors do not go to it.
    let mut news = from(2, Message::Ack { seq: 0 });
    news.updates = vec![Member::alive(NodeId(9), addr(9))];
    node.receive(Duration::ZERO, &mut rng, news);
    let mut probed_nine = false;
    for _ in 0..6 {
        let out = node.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
        let probed = pinged(&out);
        if probed == [addr(9)] {
            probed_nine = true;
            assert_eq!(pushes(&out), vec![], "{out:?}");
        } else {
            assert_eq!(pushes(&out), vec![(probed[0].clone(), color.clone())]);
        }
    }
    assert!(probed_nine, "node 9 was probed");

    // Once the rumor has gone cold, a probe goes alone.
    for _ in 0..10 {
        node.timer(Duration::ZERO, &mut rng, Timer::GossipRound);
    }
    let out = node.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    assert_eq!(pinged(&out).len(), 1, "{out:?}");
    assert_eq!(pushes(&out), vec![]);
}

#[test]
fn with_probes_off_a_probe_and_an_ack_go_alone() {
    let mut rng = StdRng::seed_from_u64(42);
    let mut node = node_with_news(false, &mut rng);
    let out = node.timer(Duration::ZERO, &mut rng, Timer::ProbePeriod);
    assert_eq!(pinged(&out).len(), 1, "{out:?}");
    assert_eq!(pushes(&out), vec![]);
    let out = node.receive(Duration::ZERO, &mut rng, from(3, Message::Ping { seq: 9 }));
    assert_eq!(pushes(&out), vec![], "{out:?}");
}

#[test]
fn rumors_sent_with_probes_count_against_a_counter_stop_rule() {
    let mut rng = StdRng::seed_from_u64(43);
    let mut config = Config::new(NodeId(1), addr(1), vec![]);
    config.rumors_with_probes = true;
    config.rumor_stop = crate::core::rumor::StopRule::Counter;
    config.rumor_k = 3;
    let mut node = Node::new(config);
    let members: Vec<Member> = (2..=5)
        .map(|id| Member::alive(NodeId(id), addr(id)))
        .collect();
    node.know_members(&members);
    node.client_update(Duration::ZERO, &mut rng, "color", "red")
        .unwrap();
    // Three pings answered with the rumor use up its three sends.
    let mut with_rumor = 0;
    for seq in 0..6 {
        let out = node.receive(Duration::ZERO, &mut rng, from(2, Message::Ping { seq }));
        with_rumor += pushes(&out).len();
    }
    assert_eq!(with_rumor, 3);
}

#[test]
fn forward_at_once_pushes_a_new_entry_now_and_never_back_to_its_sender() {
    let mut rng = StdRng::seed_from_u64(31);
    let mut config = Config::new(NodeId(1), "h:1", vec![]);
    config.fanout = 2;
    config.forward_at_once = true;
    let mut node = Node::new(config);
    let others: Vec<Member> = (2..=5)
        .map(|id| Member::alive(NodeId(id), format!("h:{id}")))
        .collect();
    node.know_members(&others);
    let rumors_to = |out: &[Output]| -> Vec<String> {
        out.iter()
            .filter_map(|o| match o {
                Output::Send { to, envelope, .. }
                    if matches!(envelope.message, Message::Rumor { .. }) =>
                {
                    Some(to.clone())
                }
                _ => None,
            })
            .collect()
    };
    // A client's write goes out with the call, not at the next round.
    let (_, out) = node
        .client_update(Duration::ZERO, &mut rng, "color", "red")
        .unwrap();
    assert_eq!(rumors_to(&out).len(), 2, "{out:?}");
    // A rumor new to us goes on at once, to two peers, neither its sender.
    for _ in 0..20 {
        let entry = Entry {
            value: "x".into(),
            version: node.store().clock() + 1,
            origin: NodeId(2),
        };
        let rumor = Envelope {
            id: MessageId(rng.random()),
            from: Member::alive(NodeId(2), "h:2"),
            updates: vec![],
            accusations: Vec::new(),
            message: Message::Rumor {
                entries: BTreeMap::from([("k".to_owned(), entry)]),
                feedback: false,
                pull: None,
            },
        };
        let out = node.receive(Duration::ZERO, &mut rng, rumor.clone());
        let to = rumors_to(&out);
        assert_eq!(to.len(), 2, "{out:?}");
        assert!(!to.contains(&"h:2".to_owned()));
        // The same rumor again is not news: nothing goes out at once.
        assert!(rumors_to(&node.receive(Duration::ZERO, &mut rng, rumor)).is_empty());
    }
    // Off (the default), nothing leaves before the round.
    let mut plain = Node::new(Config::new(NodeId(1), "h:1", vec![]));
    plain.know_members(&others);
    let (_, out) = plain
        .client_update(Duration::ZERO, &mut rng, "color", "red")
        .unwrap();
    assert!(rumors_to(&out).is_empty());
}

#[test]
fn forward_at_once_pushes_a_death_on_at_once() {
    let mut rng = StdRng::seed_from_u64(32);
    let mut config = Config::new(NodeId(1), "h:1", vec![]);
    config.fanout = 2;
    config.forward_at_once = true;
    let mut node = Node::new(config);
    let others: Vec<Member> = (2..=6)
        .map(|id| Member::alive(NodeId(id), format!("h:{id}")))
        .collect();
    node.know_members(&others);
    let dead = Member {
        status: crate::core::membership::MemberStatus::Dead,
        ..Member::alive(NodeId(6), "h:6")
    };
    let news = Envelope {
        id: MessageId(7),
        from: Member::alive(NodeId(2), "h:2"),
        updates: vec![dead],
        accusations: Vec::new(),
        message: Message::Ack { seq: 1 },
    };
    let out = node.receive(Duration::ZERO, &mut rng, news.clone());
    let carried: Vec<String> = out
        .iter()
        .filter_map(|o| match o {
            Output::Send { to, envelope, .. }
                if envelope.updates.iter().any(|m| m.id == NodeId(6)) =>
            {
                Some(to.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(carried.len(), 2, "{out:?}");
    assert!(!carried.iter().any(|to| to == "h:2" || to == "h:6"));
    // Heard again, it is not news: nothing at once.
    assert!(node
        .receive(Duration::ZERO, &mut rng, news)
        .iter()
        .all(|o| !matches!(o, Output::Send { .. })));
}
