//! The network's own tests: latency draws, and faults that act as a live
//! node's do.

use super::*;

#[test]
fn latencies_follow_their_distribution() {
    let mut rng = StdRng::seed_from_u64(3);
    let ms = Duration::from_millis;
    let uniform = Latency::Uniform {
        min: ms(1),
        max: ms(10),
    };
    let tail = Latency::Exponential {
        min: ms(1),
        mean_extra: ms(20),
    };
    let draws = |latency: Latency, rng: &mut StdRng| -> Vec<f64> {
        (0..20_000)
            .map(|_| latency.draw(rng).as_secs_f64() * 1e3)
            .collect()
    };
    let u = draws(uniform, &mut rng);
    assert!(u.iter().all(|d| (1.0..=10.0).contains(d)));
    let mean = u.iter().sum::<f64>() / u.len() as f64;
    assert!((mean - 5.5).abs() < 0.1, "uniform mean {mean}");
    let t = draws(tail, &mut rng);
    assert!(t.iter().all(|d| *d >= 1.0));
    let mean = t.iter().sum::<f64>() / t.len() as f64;
    assert!((mean - 21.0).abs() < 0.6, "exponential mean {mean}");
    // The tail: about e^-3 ≈ 5 % of messages take more than 3 means extra.
    let late = t.iter().filter(|d| **d > 61.0).count() as f64 / t.len() as f64;
    assert!((late - (-3f64).exp()).abs() < 0.01, "late share {late}");
}

#[test]
fn faults_set_on_a_simulated_node_act_as_on_a_live_one() {
    use crate::core::membership::MemberStatus;
    let mut net = Network::formed_cluster(4, 5, |_| {});
    net.record_events();
    net.run_for(Duration::from_secs(5));
    let status =
        |net: &Network, observer: u64| net.node(observer).members().get(NodeId(2)).unwrap().status;
    // Paused, as `POST /admin/faults {"paused": true}` pauses a live node:
    // silent, so the others find it dead.
    let paused = Faults {
        paused: true,
        ..Faults::default()
    };
    net.set_faults(2, paused);
    let dead = net.run_until(Duration::from_secs(60), |net| {
        [1, 3, 4, 5]
            .iter()
            .all(|o| status(net, *o) == MemberStatus::Dead)
    });
    assert!(dead.is_some(), "a paused node is found dead");
    let dropped = net.events().iter().any(|(_, node, e)| {
        *node == NodeId(2)
            && matches!(e, Event::MessageDropped { reason, .. } if reason == "paused")
    });
    assert!(
        dropped,
        "its messages are reported dropped, as a live node reports them"
    );
    // Resumed: it hears it was declared dead and refutes.
    net.set_faults(2, Faults::default());
    let back = net.run_until(Duration::from_secs(60), |net| {
        [1, 3, 4, 5]
            .iter()
            .all(|o| status(net, *o) == MemberStatus::Alive)
    });
    assert!(back.is_some(), "a resumed node comes back");
    let changed = net
        .events()
        .iter()
        .filter(|(_, node, e)| *node == NodeId(2) && matches!(e, Event::FaultsChanged { .. }))
        .count();
    assert_eq!(
        changed, 2,
        "each change is reported, as the live node reports it"
    );
}

#[test]
fn an_injected_delay_holds_every_message_that_long() {
    let mut net = Network::formed_cluster(5, 3, |_| {});
    net.record_events();
    let slow = Faults {
        delay_ms: 400,
        ..Faults::default()
    };
    net.set_faults(1, slow);
    net.run_for(Duration::from_secs(10));
    // Each message's time in flight, by who sent it.
    let mut sent_at = BTreeMap::new();
    let mut transit: BTreeMap<NodeId, Vec<Duration>> = BTreeMap::new();
    for (at, node, event) in net.events() {
        match event {
            Event::MessageSent { id, .. } => {
                sent_at.insert(*id, (*at, *node));
            }
            Event::MessageReceived { id, .. } => {
                let (sent, sender) = sent_at[id];
                transit.entry(sender).or_default().push(*at - sent);
            }
            _ => {}
        }
    }
    let ms = Duration::from_millis;
    assert!(transit[&NodeId(1)].len() > 10);
    assert!(transit[&NodeId(1)]
        .iter()
        .all(|t| (ms(401)..=ms(410)).contains(t)));
    assert!(
        transit[&NodeId(2)].iter().all(|t| *t <= ms(10)),
        "others are quick"
    );
}
