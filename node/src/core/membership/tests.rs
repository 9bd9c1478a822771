//! Tests of the member list and its precedence rules.
use super::*;
use MemberStatus::*;

fn news(status: MemberStatus, incarnation: u64) -> Member {
    Member {
        id: NodeId(2),
        addr: "b:1".into(),
        status,
        incarnation,
    }
}

#[test]
fn a_fresh_node_learns_a_whole_list_at_once() {
    let mut members = Membership::new(Member::alive(NodeId(3), "h:3"));
    let list: Vec<Member> = [5, 1, 3, 2, 5]
        .into_iter()
        .map(|id| Member::alive(NodeId(id), format!("h:{id}")))
        .collect();
    members.learn_all(&list);
    let ids: Vec<u64> = members.all().map(|m| m.id.0).collect();
    assert_eq!(ids, [1, 2, 3, 5]);
    assert_eq!(members.me().id, NodeId(3));
    // Later lists merge member by member, by the usual rules.
    members.learn_all(&[news(Dead, 1)]);
    assert_eq!(members.get(NodeId(2)).unwrap().status, Dead);
}

#[test]
fn learns_new_members_once() {
    let mut members = Membership::new(Member::alive(NodeId(1), "127.0.0.1:7001"));
    let two = Member::alive(NodeId(2), "127.0.0.1:7002");
    assert_eq!(members.learn(&two), Learned::New);
    assert_eq!(members.learn(&two), Learned::Known);
    assert_eq!(members.peers().count(), 1);
}

#[test]
fn a_member_moves_only_with_a_higher_incarnation() {
    let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
    members.learn(&Member::alive(NodeId(2), "b:1"));
    // The same news from another address is a claim, not a move: it
    // must not redirect node 2's traffic.
    let claim = Member::alive(NodeId(2), "evil:1");
    assert_eq!(members.learn(&claim), Learned::Known);
    assert_eq!(members.get(NodeId(2)).unwrap().addr.as_ref(), "b:1");
    // A restart at a new address comes with a higher incarnation.
    let restarted = Member {
        incarnation: 1,
        ..Member::alive(NodeId(2), "b:2")
    };
    assert!(matches!(members.learn(&restarted), Learned::Changed(_)));
    assert_eq!(members.get(NodeId(2)).unwrap().addr.as_ref(), "b:2");
}

#[test]
fn nobody_overrides_who_we_are() {
    let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
    assert_eq!(
        members.learn(&Member::alive(NodeId(1), "evil:1")),
        Learned::Known
    );
    assert_eq!(members.me().addr.as_ref(), "a:1");
}

#[test]
fn the_swim_precedence_rules() {
    assert!(
        overrides(&news(Suspect, 3), &news(Alive, 3)),
        "suspect beats alive of the same incarnation"
    );
    assert!(
        !overrides(&news(Alive, 3), &news(Suspect, 3)),
        "only a refutation (higher) clears a suspicion"
    );
    assert!(overrides(&news(Alive, 4), &news(Suspect, 3)));
    assert!(!overrides(&news(Suspect, 3), &news(Suspect, 3)));
    assert!(overrides(&news(Dead, 3), &news(Suspect, 3)));
    assert!(
        !overrides(&news(Suspect, 9), &news(Dead, 3)),
        "the dead stay dead..."
    );
    assert!(
        overrides(&news(Alive, 4), &news(Dead, 3)),
        "...until they come back newer"
    );
    assert!(overrides(&news(Left, 0), &news(Alive, 0)));
    assert!(!overrides(&news(Alive, 2), &news(Alive, 2)));
}

#[test]
fn dead_and_left_members_are_not_peers() {
    let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
    members.learn(&news(Alive, 0));
    members.learn(&news(Dead, 0));
    assert_eq!(members.peers().count(), 0);
    assert_eq!(members.len(), 2, "still listed, with its status");
}
