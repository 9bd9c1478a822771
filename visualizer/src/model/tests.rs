//! The model's own tests: events in, the page's view out.

use super::*;
use gossip_node::core::message::MessageId;
use gossip_node::core::NodeState;

fn wire(node: u64, event: Event) -> WireEvent {
    WireEvent {
        v: 1,
        node: NodeId(node),
        ts_ms: 1000,
        event,
    }
}

fn hello(node: u64) -> WireEvent {
    wire(
        node,
        Event::Hello {
            state: NodeState {
                id: NodeId(node),
                addr: format!("127.0.0.1:{}", 7000 + node),
                entries: BTreeMap::new(),
                members: vec![],
                push_sum: None,
                health: 0,
            },
            settings: Settings {
                mode: gossip_node::core::Mode::Push,
                fanout: 2,
                interval_ms: 1000,
                rumor_stop: gossip_node::core::rumor::StopRule::Rounds,
                rumor_k: 4,
                anti_entropy_ms: None,
                implementation: "reference".into(),
                detector: "swim".into(),
            },
            spreading: vec![],
        },
    )
}

fn changed(node: u64, cause: Cause) -> WireEvent {
    wire(
        node,
        Event::EntryChanged {
            key: "news".into(),
            value: "hi".into(),
            version: 1,
            origin: NodeId(1),
            cause,
            previous: None,
            previous_value: None,
        },
    )
}

fn carried() -> Carried {
    Carried {
        key: "news".into(),
        version: 1,
        origin: NodeId(1),
    }
}

#[test]
fn follows_an_update_as_it_spreads() {
    let mut model = ClusterModel::default();
    for n in 1..=3 {
        model.apply(n, &hello(n));
    }
    model.apply(1, &changed(1, Cause::Client));
    let stats = model.update_stats().unwrap();
    assert_eq!((stats.infected, stats.alive), (1, 3));

    let id = MessageId(7);
    model.apply(
        1,
        &wire(
            1,
            Event::MessageSent {
                id,
                kind: "rumor".into(),
                to: "x".into(),
                to_id: Some(NodeId(2)),
                bytes: 10,
                carries: vec![carried()],
                members: vec![],
            },
        ),
    );
    model.apply(2, &changed(2, Cause::Rumor));
    model.apply(
        2,
        &wire(
            2,
            Event::MessageReceived {
                id,
                kind: "rumor".into(),
                from: NodeId(1),
                new: vec![carried()],
                known: vec![],
                new_members: vec![],
            },
        ),
    );
    model.apply(
        3,
        &wire(
            3,
            Event::MessageReceived {
                id: MessageId(8),
                kind: "rumor".into(),
                from: NodeId(2),
                new: vec![],
                known: vec![carried()],
                new_members: vec![],
            },
        ),
    );
    let stats = model.update_stats().unwrap();
    assert_eq!(stats.infected, 2);
    assert_eq!(stats.all_infected_at_ms, None);
    let mut done = changed(3, Cause::Rumor);
    done.ts_ms = 2500;
    model.apply(3, &done);
    assert_eq!(model.update_stats().unwrap().all_infected_at_ms, Some(2500));
    assert_eq!(
        (
            stats.messages_sent,
            stats.messages_new,
            stats.messages_redundant
        ),
        (1, 1, 1)
    );
}

fn rumor_state(node: u64, state: RumorState) -> WireEvent {
    wire(
        node,
        Event::RumorState {
            key: "news".into(),
            version: 1,
            origin: NodeId(1),
            state,
        },
    )
}

#[test]
fn residue_is_counted_once_nobody_spreads() {
    let mut model = ClusterModel::default();
    for n in 1..=3 {
        model.apply(n, &hello(n));
    }
    model.apply(1, &changed(1, Cause::Client));
    model.apply(1, &rumor_state(1, RumorState::Infected));
    model.apply(2, &changed(2, Cause::Rumor));
    model.apply(2, &rumor_state(2, RumorState::Infected));
    let stats = model.update_stats().unwrap();
    assert_eq!(
        (stats.infected, stats.spreading, stats.residue),
        (2, 2, None)
    );
    model.apply(1, &rumor_state(1, RumorState::Removed));
    model.apply(2, &rumor_state(2, RumorState::Removed));
    let stats = model.update_stats().unwrap();
    assert_eq!(
        (stats.infected, stats.spreading, stats.residue),
        (2, 0, Some(1))
    );
}

#[test]
fn a_late_close_does_not_kill_a_restarted_node() {
    let mut model = ClusterModel::default();
    model.apply(1, &hello(3));
    model.apply(2, &hello(3)); // node 3 restarted, new connection
    assert!(!model.disconnected(NodeId(3), 1, 0));
    assert!(model.node(NodeId(3)).unwrap().connected);
    assert!(model.disconnected(NodeId(3), 2, 0));
    assert!(!model.node(NodeId(3)).unwrap().connected);
}

#[test]
fn a_restarted_node_starts_empty() {
    let mut model = ClusterModel::default();
    model.apply(1, &hello(3));
    model.apply(1, &changed(3, Cause::Rumor));
    model.disconnected(NodeId(3), 1, 0);
    model.apply(2, &hello(3));
    assert!(model.node(NodeId(3)).unwrap().entries.is_empty());
}

/// A client write on `node`: `key = value` at `version`.
fn write(node: u64, value: &str, version: u64) -> WireEvent {
    wire(
        node,
        Event::EntryChanged {
            key: "news".into(),
            value: value.into(),
            version,
            origin: NodeId(node),
            cause: Cause::Client,
            previous: None,
            previous_value: None,
        },
    )
}

#[test]
fn a_forged_write_at_an_absurd_version_does_not_freeze_the_update_panel() {
    let mut model = ClusterModel::default();
    model.apply(1, &hello(1));
    model.apply(1, &write(1, "forged", u64::MAX));
    model.apply(1, &write(1, "real", 2));
    assert_eq!(model.update_stats().unwrap().value, "real");
    // An honest late arrival of an older write still keeps the newer one.
    model.apply(1, &write(1, "newer", 5));
    model.apply(1, &write(1, "older", 4));
    assert_eq!(model.update_stats().unwrap().value, "newer");
}

#[test]
fn a_node_view_keeps_bounded_entries_and_values() {
    let mut model = ClusterModel::default();
    model.apply(1, &hello(1));
    let long = "x".repeat(10 * MAX_VALUE_SHOWN);
    model.apply(1, &write(1, &long, 1));
    let shown = &model.node(NodeId(1)).unwrap().entries["news"].value;
    assert_eq!(
        shown.chars().count(),
        MAX_VALUE_SHOWN + 1,
        "clipped, with an ellipsis"
    );
    for i in 0..(MAX_ENTRIES_SHOWN as u64 + 10) {
        let event = Event::EntryChanged {
            key: format!("k{i}"),
            value: "v".into(),
            version: 2 + i,
            origin: NodeId(2),
            cause: Cause::Rumor,
            previous: None,
            previous_value: None,
        };
        model.apply(1, &wire(1, event));
    }
    assert_eq!(
        model.node(NodeId(1)).unwrap().entries.len(),
        MAX_ENTRIES_SHOWN
    );
}

/// A second hello on the same connection (new settings) keeps the node's
/// injected faults on the page; a hello on a new connection (a restarted
/// process) starts healthy.
#[test]
fn a_second_hello_keeps_the_faults_a_new_life_clears_them() {
    let mut model = ClusterModel::default();
    model.apply(1, &hello(1));
    let faults = Faults {
        loss: 0.3,
        ..Faults::default()
    };
    model.apply(
        1,
        &wire(
            1,
            Event::FaultsChanged {
                faults: faults.clone(),
            },
        ),
    );
    model.apply(1, &hello(1));
    assert_eq!(model.node(NodeId(1)).unwrap().faults, faults);
    model.disconnected(NodeId(1), 1, 0);
    model.apply(2, &hello(1));
    assert!(model.node(NodeId(1)).unwrap().faults.is_clear());
}
