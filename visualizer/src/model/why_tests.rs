//! The inspector's "why?" on scripted histories: the sheet's story (node 3
//! killed, the key updated, node 3 restarted after the rumor died), a lossy
//! link, a node not yet picked, a node that holds the key, and the bounds.

use super::history::{Fate, MAX_CARRIES, MAX_WRITES_KEPT};
use super::why::{inspect, why};
use super::*;
use gossip_node::core::message::MessageId;
use gossip_node::core::NodeState;

/// A cluster of events with a clock: each event one tenth of a second on.
struct Script {
    model: ClusterModel,
    ms: u64,
    next_id: u64,
    anti_entropy_ms: Option<u64>,
}

impl Script {
    fn new(n: u64, anti_entropy_ms: Option<u64>) -> Script {
        let mut script = Script {
            model: ClusterModel::default(),
            ms: 1_000_000,
            next_id: 1,
            anti_entropy_ms,
        };
        for id in 1..=n {
            script.hello(id);
        }
        script
    }

    fn event(&mut self, node: u64, event: Event) {
        self.ms += 100;
        let wire = WireEvent {
            v: 1,
            node: NodeId(node),
            ts_ms: self.ms,
            event,
        };
        self.model.apply(node, &wire);
    }

    fn hello(&mut self, id: u64) {
        let settings = Settings {
            mode: gossip_node::core::Mode::Push,
            fanout: 2,
            interval_ms: 1000,
            rumor_stop: gossip_node::core::rumor::StopRule::Rounds,
            rumor_k: 4,
            anti_entropy_ms: self.anti_entropy_ms,
            implementation: "reference".into(),
            detector: "swim".into(),
        };
        let state = NodeState {
            id: NodeId(id),
            addr: format!("127.0.0.1:{}", 7000 + id),
            entries: BTreeMap::new(),
            members: vec![],
            push_sum: None,
            health: 0,
        };
        self.event(
            id,
            Event::Hello {
                state,
                settings,
                spreading: vec![],
            },
        );
    }

    fn down(&mut self, id: u64) {
        self.event(id, Event::NodeDown);
    }

    /// Node `node` now holds K at `version` (written on node 1), by `cause`.
    fn holds(&mut self, node: u64, version: u64, cause: Cause) {
        let event = Event::EntryChanged {
            key: "K".into(),
            value: format!("v{version}"),
            version,
            origin: NodeId(1),
            cause,
            previous: None,
            previous_value: None,
        };
        self.event(node, event);
        self.rumor(node, version, RumorState::Infected);
    }

    fn rumor(&mut self, node: u64, version: u64, state: RumorState) {
        let event = Event::RumorState {
            key: "K".into(),
            version,
            origin: NodeId(1),
            state,
        };
        self.event(node, event);
    }

    /// `from` sends K at `version` to `to`; returns the message id.
    fn send(&mut self, from: u64, to: u64, version: u64) -> MessageId {
        let id = MessageId(self.next_id);
        self.next_id += 1;
        let carries = vec![Carried {
            key: "K".into(),
            version,
            origin: NodeId(1),
        }];
        let event = Event::MessageSent {
            id,
            kind: "rumor".into(),
            to: format!("127.0.0.1:{}", 7000 + to),
            to_id: Some(NodeId(to)),
            bytes: 100,
            carries,
            members: vec![],
        };
        self.event(from, event);
        id
    }

    /// `from` tells `to` K at `version`, and it is news there.
    fn tell(&mut self, from: u64, to: u64, version: u64) {
        let id = self.send(from, to, version);
        let new = vec![Carried {
            key: "K".into(),
            version,
            origin: NodeId(1),
        }];
        let event = Event::MessageReceived {
            id,
            kind: "rumor".into(),
            from: NodeId(from),
            new,
            known: vec![],
            new_members: vec![],
        };
        self.event(to, event);
        self.holds(to, version, Cause::Rumor);
    }

    fn why(&self, node: u64) -> super::why::Why {
        why(&self.model, NodeId(node), "K").expect("the node is known")
    }
}

#[test]
fn the_sheets_story_down_then_back_after_the_rumor_died() {
    let mut s = Script::new(4, None);
    s.holds(1, 1, Cause::Client);
    for to in 2..=4 {
        s.tell(1, to, 1);
    }
    s.down(3);
    s.holds(1, 2, Cause::Client);
    s.tell(1, 2, 2);
    s.tell(2, 4, 2);
    let refused = s.send(1, 3, 2);
    let event = Event::MessageUndelivered {
        id: refused,
        to: "127.0.0.1:7003".into(),
        reason: "connection refused".into(),
    };
    s.event(1, event);

    let answer = s.why(3);
    assert!(
        answer.diagnosis.contains("Node 3 is down"),
        "{}",
        answer.diagnosis
    );
    assert!(answer.fix.contains("Restart"), "{}", answer.fix);
    assert_eq!(answer.messages.len(), 1);
    assert!(matches!(answer.messages[0].fate, Fate::Undelivered { .. }));

    for node in [1, 2, 4] {
        s.rumor(node, 2, RumorState::Removed);
    }
    s.hello(3);
    let answer = s.why(3);
    let diagnosis = &answer.diagnosis;
    assert!(diagnosis.contains("Node 3 restarted"), "{diagnosis}");
    assert!(
        diagnosis.contains("after every node had stopped spreading"),
        "{diagnosis}"
    );
    assert!(diagnosis.contains("Anti-entropy is off"), "{diagnosis}");
    assert!(answer.fix.contains("--anti-entropy"), "{}", answer.fix);
    assert_eq!(answer.holders, 3);
    assert_eq!(answer.newest.as_ref().map(|e| e.version), Some(2));
    assert_eq!(answer.lives.len(), 2, "{:?}", answer.lives);

    // With anti-entropy on, the answer says it will be repaired.
    let mut s = Script::new(2, Some(5000));
    s.holds(1, 1, Cause::Client);
    s.rumor(1, 1, RumorState::Removed);
    let answer = s.why(2);
    assert!(
        answer.diagnosis.contains("Anti-entropy runs every 5000 ms"),
        "{}",
        answer.diagnosis
    );
}

#[test]
fn messages_lost_to_loss_while_the_rumor_is_hot() {
    let mut s = Script::new(3, None);
    s.holds(1, 1, Cause::Client);
    for _ in 0..2 {
        let id = s.send(1, 3, 1);
        let event = Event::MessageDropped {
            id,
            to: "127.0.0.1:7003".into(),
            reason: "loss".into(),
        };
        s.event(1, event);
    }
    let answer = s.why(3);
    assert!(
        answer
            .diagnosis
            .contains("still spreading from 1 node(s) (1)"),
        "{}",
        answer.diagnosis
    );
    assert!(
        answer.diagnosis.contains("2 lost to injected loss"),
        "{}",
        answer.diagnosis
    );
    assert!(answer.fix.contains("Wait"), "{}", answer.fix);

    // Not picked at all yet.
    let answer = s.why(2);
    assert!(
        answer.diagnosis.contains("None has picked node 2 yet"),
        "{}",
        answer.diagnosis
    );
}

#[test]
fn a_node_that_had_it_and_restarted_lost_it() {
    let mut s = Script::new(2, None);
    s.holds(1, 1, Cause::Client);
    s.tell(1, 2, 1);
    s.down(2);
    s.hello(2);
    let answer = s.why(2);
    assert!(
        answer
            .diagnosis
            .contains("Node 2 had it (node 1's rumor brought it"),
        "{}",
        answer.diagnosis
    );
    assert!(
        answer.diagnosis.contains("restarted"),
        "{}",
        answer.diagnosis
    );
}

#[test]
fn nothing_is_missing_and_unknown_keys_are_said_so() {
    let mut s = Script::new(2, None);
    s.holds(1, 1, Cause::Client);
    s.tell(1, 2, 1);
    assert!(s.why(2).diagnosis.contains("nothing is missing"));
    let unknown = why(&s.model, NodeId(2), "nobody").unwrap();
    assert!(
        unknown.diagnosis.contains("No node holds"),
        "{}",
        unknown.diagnosis
    );
    assert!(why(&s.model, NodeId(9), "K").is_none());

    // The inspector says how node 2 learned K: by rumor, from node 1.
    let seen = inspect(&s.model, NodeId(2)).unwrap();
    assert_eq!(seen.entries.len(), 1);
    assert_eq!(seen.entries[0].cause, Some(Cause::Rumor));
    assert_eq!(seen.entries[0].from, Some(NodeId(1)));
    assert_eq!(seen.keys, vec!["K".to_owned()]);
    let origin = inspect(&s.model, NodeId(1)).unwrap();
    assert_eq!(origin.entries[0].cause, Some(Cause::Client));
}

#[test]
fn the_history_stays_bounded() {
    let mut s = Script::new(2, None);
    s.holds(1, 1, Cause::Client);
    for _ in 0..MAX_CARRIES + 500 {
        s.send(1, 2, 1);
    }
    assert_eq!(s.model.history().carries_kept(), MAX_CARRIES);
    for _ in 0..40 {
        s.down(2);
        s.hello(2);
    }
    assert!(s.model.history().lives(NodeId(2)).len() <= super::history::MAX_LIVES);
    // The newest messages are the ones kept, and still found by id.
    let last = s.send(1, 2, 1);
    let event = Event::MessageDropped {
        id: last,
        to: "127.0.0.1:7002".into(),
        reason: "partition".into(),
    };
    s.event(1, event);
    let answer = s.why(2);
    assert!(answer.messages.len() <= 40);
    let fate = &answer.messages.last().unwrap().fate;
    assert_eq!(
        fate,
        &Fate::Dropped {
            reason: "partition".into()
        }
    );
}

/// Each node streams on its own connection: the receiver's "received" can
/// reach the visualizer before the sender's "sent". The fate still counts.
#[test]
fn a_receipt_that_overtakes_its_send_still_counts() {
    let mut s = Script::new(2, None);
    s.holds(1, 1, Cause::Client);
    let id = MessageId(99);
    let carried = Carried {
        key: "K".into(),
        version: 1,
        origin: NodeId(1),
    };
    let received = Event::MessageReceived {
        id,
        kind: "rumor".into(),
        from: NodeId(1),
        new: vec![carried.clone()],
        known: vec![],
        new_members: vec![],
    };
    s.event(2, received);
    s.holds(2, 1, Cause::Rumor);
    let sent = Event::MessageSent {
        id,
        kind: "rumor".into(),
        to: "127.0.0.1:7002".into(),
        to_id: Some(NodeId(2)),
        bytes: 100,
        carries: vec![carried],
        members: vec![],
    };
    s.event(1, sent);
    let seen = inspect(&s.model, NodeId(2)).unwrap();
    assert_eq!(seen.entries[0].from, Some(NodeId(1)));
}

/// A stream that claims its messages carried thousands of long keys cannot
/// make the history grow past its budget of writes.
#[test]
fn forged_fat_messages_stay_within_the_budget() {
    let mut s = Script::new(2, None);
    let writes: Vec<Carried> = (0..5_000)
        .map(|i| Carried {
            key: format!("{i:0>2000}"),
            version: 1,
            origin: NodeId(1),
        })
        .collect();
    for id in 0..100 {
        let event = Event::MessageSent {
            id: MessageId(1_000_000 + id),
            kind: "sync_delta".into(),
            to: "127.0.0.1:7002".into(),
            to_id: Some(NodeId(2)),
            bytes: 100,
            carries: writes.clone(),
            members: vec![],
        };
        s.event(1, event);
    }
    assert!(s.model.history().writes_kept() <= MAX_WRITES_KEPT);
    assert!(s.model.history().carries_kept() >= 1, "the newest is kept");
}
