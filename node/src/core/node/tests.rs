//! Scenario tests: a few cores wired together by hand.
//!
//! [`Net`] plays the network: it holds the messages in flight and delivers
//! them one by one, and it plays the clock, calling every node's gossip round
//! in turn. The RNG is seeded, so each scenario runs the same way every time.

use super::*;
use crate::core::event::NodeState;
use crate::core::store::Entry;
use crate::story::{play, sheet_challenge, Action, Stage};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

struct Net {
    nodes: BTreeMap<String, Node>,
    in_flight: VecDeque<(String, Envelope)>,
    down: BTreeSet<String>,
    rng: StdRng,
    now: Duration,
    /// Time a story let pass that has not yet made a whole round.
    waited: Duration,
    delivered: usize,
}

fn addr(id: u64) -> String {
    format!("10.0.0.{id}:7000")
}

impl Net {
    fn new(seed: u64) -> Net {
        Net {
            nodes: BTreeMap::new(),
            in_flight: VecDeque::new(),
            down: BTreeSet::new(),
            rng: StdRng::seed_from_u64(seed),
            now: Duration::ZERO,
            waited: Duration::ZERO,
            delivered: 0,
        }
    }

    /// Add node `id` knowing the given neighbors, without starting it.
    fn add(&mut self, id: u64, neighbors: &[u64]) {
        let config = Config::new(
            NodeId(id),
            addr(id),
            neighbors.iter().map(|n| addr(*n)).collect(),
        );
        self.nodes.insert(addr(id), Node::new(config));
    }

    fn node(&self, id: u64) -> &Node {
        &self.nodes[&addr(id)]
    }

    fn start(&mut self, id: u64) {
        let node = self.nodes.get_mut(&addr(id)).unwrap();
        let outputs = node.start(self.now, &mut self.rng);
        self.carry_out(outputs);
    }

    fn update(&mut self, id: u64, key: &str, value: &str) -> Entry {
        let node = self.nodes.get_mut(&addr(id)).unwrap();
        let (entry, outputs) = node
            .client_update(self.now, &mut self.rng, key, value)
            .unwrap();
        self.carry_out(outputs);
        entry
    }

    fn carry_out(&mut self, outputs: Vec<Output>) {
        for output in outputs {
            if let Output::Send { to, envelope, .. } = output {
                self.in_flight.push_back((to, envelope));
            }
        }
    }

    /// Deliver everything in flight, and whatever that causes, until quiet.
    /// Messages to a node that is down or absent are lost.
    fn deliver_all(&mut self) {
        while let Some((to, envelope)) = self.in_flight.pop_front() {
            if self.down.contains(&to) {
                continue;
            }
            if let Some(node) = self.nodes.get_mut(&to) {
                self.delivered += 1;
                let outputs = node.receive(self.now, &mut self.rng, envelope);
                self.carry_out(outputs);
            }
        }
    }

    /// One gossip round on every live node, then deliver.
    fn round(&mut self) {
        self.now += Duration::from_secs(1);
        let live: Vec<String> = self
            .nodes
            .keys()
            .filter(|a| !self.down.contains(*a))
            .cloned()
            .collect();
        for a in live {
            let node = self.nodes.get_mut(&a).unwrap();
            let outputs = node.timer(self.now, &mut self.rng, Timer::GossipRound);
            self.carry_out(outputs);
        }
        self.deliver_all();
    }

    fn rounds(&mut self, n: usize) {
        for _ in 0..n {
            self.round();
        }
    }

    fn member_ids(&self, id: u64) -> Vec<u64> {
        self.node(id).members().all().map(|m| m.id.0).collect()
    }

    fn value(&self, id: u64, key: &str) -> Option<String> {
        self.node(id).store().get(key).map(|e| e.value.clone())
    }

    /// Four nodes, each told about all the others, after they have met.
    fn full_cluster(seed: u64) -> Net {
        let mut net = Net::new(seed);
        net.start_cluster(4);
        net
    }

    /// Nodes 1..=n, each told about all the others, after they have met.
    fn start_cluster(&mut self, n: u64) {
        for id in 1..=n {
            self.add(id, &Net::others(n, id));
        }
        for id in 1..=n {
            self.start(id);
        }
        self.deliver_all();
    }

    fn others(n: u64, id: u64) -> Vec<u64> {
        (1..=n).filter(|o| *o != id).collect()
    }

    fn quiet(&self) -> bool {
        self.nodes.values().all(|n| n.hot_rumors() == 0)
    }
}

#[test]
fn seed_000_a_talks_to_c_and_both_know_all_four() {
    // "A knows B. C knows D. No link between AB and CD yet."
    let mut net = Net::new(0);
    net.add(1, &[3]); // A will talk to C
    net.add(2, &[1]); // B knows A
    net.add(3, &[]); // C
    net.add(4, &[3]); // D knows C
    net.start(2);
    net.start(4);
    net.deliver_all();
    assert_eq!(net.member_ids(1), [1, 2]);
    assert_eq!(net.member_ids(3), [3, 4]);

    // "Suppose A talks to C": one join, one welcome.
    net.start(1);
    net.deliver_all();
    assert_eq!(net.member_ids(1), [1, 2, 3, 4], "A knows A, B, C, D");
    assert_eq!(net.member_ids(3), [1, 2, 3, 4], "C knows A, B, C, D");
}

#[test]
fn a_node_with_one_neighbor_ends_up_knowing_everyone() {
    let mut net = Net::new(1);
    net.add(1, &[]);
    for id in 2..=6 {
        net.add(id, &[1]); // everybody joins through node 1 only
    }
    for id in 1..=6 {
        net.start(id);
    }
    net.deliver_all();
    net.rounds(6);
    for id in 1..=6 {
        assert_eq!(net.member_ids(id), [1, 2, 3, 4, 5, 6], "node {id}");
    }
}

#[test]
fn an_update_reaches_every_node_then_the_rumor_goes_cold() {
    let mut net = Net::full_cluster(2);
    net.rounds(6); // membership rumors die down
    assert!(net.quiet());
    let written = net.update(1, "color", "red");
    assert_eq!(written.version, 1);
    net.rounds(8);
    for id in 1..=4 {
        assert_eq!(net.value(id, "color").as_deref(), Some("red"), "node {id}");
    }
    assert!(net.quiet(), "every node stops pushing after its rounds");
    let before = net.delivered;
    net.rounds(5);
    assert_eq!(net.delivered, before, "no gossip once every rumor is cold");
}

/// The hand-wired net as a stage for stories: a round a second, no faults.
/// The sheet's micro-challenge, the one story the simulator, the live
/// processes and the checker play, plays here on bare cores too.
impl Stage for Net {
    fn act(&mut self, action: &Action) -> Result<(), String> {
        let known = |net: &Net, id: u64| match net.nodes.contains_key(&addr(id)) {
            true => Ok(()),
            false => Err(format!("there is no node {id}")),
        };
        match action {
            Action::Start { nodes } => self.start_cluster(*nodes),
            Action::Crash { node } => {
                known(self, *node)?;
                self.down.insert(addr(*node));
            }
            Action::Restart { node } => {
                known(self, *node)?;
                self.down.remove(&addr(*node));
                let n = self.nodes.len() as u64;
                self.add(*node, &Net::others(n, *node));
                self.start(*node);
                self.deliver_all();
            }
            Action::Write { node, key, value } => {
                self.state(*node)?;
                self.update(*node, key, value);
            }
            Action::Wait { span } => self.pass(*span),
            other => return Err(format!("a hand-wired net cannot {other}")),
        }
        Ok(())
    }

    fn state(&mut self, node: u64) -> Result<NodeState, String> {
        match self.nodes.get(&addr(node)) {
            None => Err(format!("there is no node {node}")),
            Some(_) if self.down.contains(&addr(node)) => Err(format!("node {node} is down")),
            Some(core) => Ok(core.state()),
        }
    }

    fn hot_rumors(&mut self, node: u64) -> Result<u64, String> {
        self.state(node)?;
        Ok(self.node(node).hot_rumors() as u64)
    }

    fn pass(&mut self, span: Duration) {
        self.waited += span;
        while self.waited >= Duration::from_secs(1) {
            self.waited -= Duration::from_secs(1);
            self.round();
        }
    }

    fn elapsed(&self) -> Duration {
        self.now + self.waited
    }
}

#[test]
fn the_sheets_micro_challenge_plays_on_bare_cores() {
    for seed in 1..=5 {
        if let Err(failure) = play(&sheet_challenge(false), &mut Net::new(seed)) {
            panic!("seed {seed}: {failure}");
        }
    }
}

#[test]
fn without_anti_entropy_bare_cores_fail_the_challenge_where_node_3_should_catch_up() {
    let failure = play(&sheet_challenge(true), &mut Net::new(3)).unwrap_err();
    assert!(
        failure
            .to_string()
            .ends_with("after 30s: node 3 lacks news"),
        "{failure}"
    );
}

#[test]
fn concurrent_writes_converge_to_the_same_winner() {
    let mut net = Net::full_cluster(4);
    net.rounds(6);
    // Both write before hearing of the other: same Lamport counter, origin breaks the tie.
    let a = net.update(1, "color", "red");
    let b = net.update(4, "color", "blue");
    assert_eq!(a.version, b.version);
    net.rounds(10);
    for id in 1..=4 {
        assert_eq!(
            net.value(id, "color").as_deref(),
            Some("blue"),
            "node {id}: origin 4 beats origin 1"
        );
    }
}

#[test]
fn a_neighbor_that_is_down_is_retried_every_round() {
    let mut net = Net::new(5);
    net.add(1, &[2]);
    net.add(2, &[]);
    net.down.insert(addr(2));
    net.start(1);
    net.rounds(3); // node 1 joins into the void three more times
    assert_eq!(net.member_ids(1), [1]);
    net.down.remove(&addr(2));
    net.start(2);
    net.round();
    assert_eq!(net.member_ids(1), [1, 2]);
    assert_eq!(net.member_ids(2), [1, 2]);
}

#[test]
fn redundant_messages_are_reported_as_known() {
    let mut net = Net::full_cluster(6);
    net.rounds(6);
    net.update(1, "k", "v");
    net.rounds(6);
    let redundant: u64 = net
        .nodes
        .values()
        .map(|n| n.counters().redundant_entries)
        .sum();
    let learned: u64 = net
        .nodes
        .values()
        .map(|n| n.counters().entries_learned)
        .sum();
    assert_eq!(learned, 3, "each of the three other nodes learns it once");
    assert!(
        redundant > 0,
        "with fanout 2 among 4 nodes some pushes are redundant"
    );
}

#[test]
fn bad_keys_leave_the_store_unchanged() {
    let mut node = Node::new(Config::new(NodeId(1), "a:1", vec![]));
    let mut rng = StdRng::seed_from_u64(0);
    assert_eq!(
        node.client_update(Duration::ZERO, &mut rng, "", "x")
            .unwrap_err(),
        UpdateError::EmptyKey
    );
    let long = "k".repeat(MAX_KEY_LEN + 1);
    assert!(matches!(
        node.client_update(Duration::ZERO, &mut rng, &long, "x"),
        Err(UpdateError::KeyTooLong { .. })
    ));
    assert!(node.store().is_empty());
}

#[test]
fn demo_updates_are_numbered_and_newer_each_time() {
    let mut node = Node::new(Config::new(NodeId(7), "a:1", vec![]));
    let mut rng = StdRng::seed_from_u64(0);
    let (first, _) = node.demo_update(Duration::ZERO, &mut rng).unwrap();
    let (second, _) = node.demo_update(Duration::ZERO, &mut rng).unwrap();
    assert_eq!(first.value, "news #1 from node 7");
    assert!(second.stamp() > first.stamp());
    assert_eq!(
        node.store().get(DEMO_KEY).unwrap().value,
        "news #2 from node 7"
    );
}

#[test]
fn same_seed_same_run() {
    let run = |seed| {
        let mut net = Net::full_cluster(seed);
        net.update(2, "k", "v");
        net.rounds(8);
        net.delivered
    };
    assert_eq!(run(9), run(9));
}
