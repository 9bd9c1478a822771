//! The bench's levers, off as the exercises teach gossip: what each one
//! sends when it is on, and that it sends nothing more when it is off.

use super::*;
use crate::core::message::MessageId;
use rand::rngs::StdRng;
use rand::SeedableRng;

fn addr(id: u64) -> String {
    format!("h:{id}")
}

fn from(id: u64, message: Message) -> Envelope {
    Envelope {
        id: MessageId(id),
        from: Member::alive(NodeId(id), addr(id)),
        updates: Vec::new(),
        accusations: Vec::new(),
        message,
    }
}

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
