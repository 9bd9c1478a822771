//! The workshop sheet's stories, written once for every stage.

use super::{Action, Expect, Story};
use std::time::Duration;

/// The workshop sheet's micro-challenge on four nodes: node 3 is killed, node
/// 1 updates, node 4 still gets it; node 3 restarts and rejoins. Without
/// anti-entropy the old news never comes back to node 3 (rumor mongering
/// does not repeat old news); with it (`anti_entropy`: the sheet's
/// challenge, solved) node 3 catches up. The cluster must run the sheet's
/// defaults or faster (a round a second at most).
pub fn sheet_challenge(anti_entropy: bool) -> Story {
    let s = Duration::from_secs;
    let name = if anti_entropy {
        "the sheet's challenge: a restarted node 3 catches up by anti-entropy"
    } else {
        "the sheet's micro-challenge: kill 3, update 1, restart 3"
    };
    let holds = |node: u64, value: &str| Expect::Holds {
        node,
        key: "news".into(),
        value: Some(value.into()),
    };
    let story = Story::new(name)
        .then(Action::Start { nodes: 4 })
        .expect(
            Expect::Knows {
                node: 4,
                members: 4,
            },
            s(20),
        )
        .then(Action::Crash { node: 3 })
        .then(Action::Write {
            node: 1,
            key: "news".into(),
            value: "hello from node 1".into(),
        })
        .expect(holds(4, "hello from node 1"), s(30))
        .expect(holds(2, "hello from node 1"), s(30))
        .expect(
            Expect::Cold {
                nodes: vec![1, 2, 4],
            },
            s(30),
        )
        // A node stops spreading after its last push: let that one land.
        .then(Action::Wait { span: s(2) })
        .then(Action::Restart { node: 3 })
        .expect(
            Expect::Knows {
                node: 3,
                members: 4,
            },
            s(20),
        );
    if anti_entropy {
        story.expect(holds(3, "hello from node 1"), s(30))
    } else {
        story
            .then(Action::Write {
                node: 2,
                key: "fresh".into(),
                value: "after the restart".into(),
            })
            .expect(
                Expect::Holds {
                    node: 3,
                    key: "fresh".into(),
                    value: Some("after the restart".into()),
                },
                s(30),
            )
            .hold(
                Expect::Lacks {
                    node: 3,
                    key: "news".into(),
                },
                s(5),
            )
    }
}
