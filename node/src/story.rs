//! Stories: what happens to a cluster and what must follow, written once and
//! played anywhere.
//!
//! A [`Story`] is a list of steps in the workshop's words: start four nodes,
//! crash node 3, update node 1, expect node 4 to hold `news` within 20 s. The
//! same story plays on the simulated network (in virtual time, seeded:
//! [`crate::sim::SimStage`]) and on real processes (the test kit's process
//! stage), because each stage only says how to *act* and how to *look* at a
//! node (its `GET /state`, the rumors it still spreads); [`play`] judges
//! what it sees and does the waiting. A failing step prints the story so far:
//!
//! ```text
//!   ✓ 1. start 4 nodes
//!   ✓ 2. crash node 3
//!   ✓ 3. write news = "second" on node 1
//!   ✗ 4. expect node 4 holds news = "second" within 30s
//!        after 30s: node 4 holds news = "first"
//! ```
//!
//! The sheet's micro-challenge is [`sheet_challenge`]: the core's scenarios,
//! the live tests and the checker all play that one story.

use crate::core::faults::Faults;
use crate::core::membership::MemberStatus;
use crate::core::NodeState;
use std::time::Duration;

mod sheet;
mod text;

pub use sheet::sheet_challenge;

/// Something done to the cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start nodes 1..=n, each knowing the others as neighbors.
    Start { nodes: u64 },
    /// Kill a node at once: no goodbye (SIGKILL, a crash).
    Crash { node: u64 },
    /// Start a crashed node again: same id and address, empty store.
    Restart { node: u64 },
    /// A client writes `key = value` on a node (`POST /update` with JSON).
    Write {
        node: u64,
        key: String,
        value: String,
    },
    /// Cut the link between two nodes, both ways.
    Cut { a: u64, b: u64 },
    /// Restore every cut link.
    Heal,
    /// Inject faults on a node (`POST /admin/faults`).
    SetFaults { node: u64, faults: Faults },
    /// Let time pass.
    Wait { span: Duration },
}

/// Something that must be true of the cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// The node holds `key`, with this value if one is given.
    Holds {
        node: u64,
        key: String,
        value: Option<String>,
    },
    /// The node does not hold `key`.
    Lacks { node: u64, key: String },
    /// The node knows this many members, itself included.
    Knows { node: u64, members: usize },
    /// `observer` believes `member` has `status`.
    Sees {
        observer: u64,
        member: u64,
        status: MemberStatus,
    },
    /// None of these nodes spreads a rumor any more.
    Cold { nodes: Vec<u64> },
}

/// One step of a story.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Do(Action),
    /// `what` must come true within `within`.
    Expect {
        what: Expect,
        within: Duration,
    },
    /// `what` must stay true for all of `span`.
    Hold {
        what: Expect,
        span: Duration,
    },
}

/// A named list of steps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    pub name: String,
    pub steps: Vec<Step>,
}

impl Story {
    pub fn new(name: impl Into<String>) -> Story {
        Story {
            name: name.into(),
            steps: Vec::new(),
        }
    }

    pub fn then(mut self, action: Action) -> Story {
        self.steps.push(Step::Do(action));
        self
    }

    pub fn expect(mut self, what: Expect, within: Duration) -> Story {
        self.steps.push(Step::Expect { what, within });
        self
    }

    pub fn hold(mut self, what: Expect, span: Duration) -> Story {
        self.steps.push(Step::Hold { what, span });
        self
    }
}

/// Where a story plays: a simulated network or real processes.
pub trait Stage {
    /// Carry out one action; `Err` says why it could not be done.
    fn act(&mut self, action: &Action) -> Result<(), String>;
    /// Node `node`'s state, as `GET /state` shows it; `Err` says why it
    /// cannot be seen (no such node, down, no answer).
    fn state(&mut self, node: u64) -> Result<NodeState, String>;
    /// How many rumors node `node` still spreads.
    fn hot_rumors(&mut self, node: u64) -> Result<u64, String>;
    /// Let a little time pass (virtual or real) before looking again.
    fn pass(&mut self, span: Duration);
    /// Time since the stage began (virtual or real).
    fn elapsed(&self) -> Duration;
}

/// How often a stage looks again while it waits for an expectation.
pub const POLL: Duration = Duration::from_millis(20);

/// What a played story measured: for each step, how long it took to come
/// true (`None` for an action or a hold).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Played {
    pub took: Vec<Option<Duration>>,
}

/// A story that did not come true: the story, the failing step, what was
/// seen instead, and what the steps before it measured. Its `Display` is
/// the story so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub story: Story,
    pub step: usize,
    pub seen: String,
    pub played: Played,
}

/// Play `story` on `stage`, step by step, until the end or the first step
/// that does not come true.
pub fn play(story: &Story, stage: &mut impl Stage) -> Result<Played, Failure> {
    let mut played = Played::default();
    let fail = |step: usize, seen: String, played: &Played| Failure {
        story: story.clone(),
        step,
        seen,
        played: played.clone(),
    };
    for (at, step) in story.steps.iter().enumerate() {
        let took = match step {
            Step::Do(action) => {
                stage.act(action).map_err(|why| fail(at, why, &played))?;
                None
            }
            Step::Expect { what, within } => {
                let start = stage.elapsed();
                loop {
                    match what.judge(stage) {
                        Ok(()) => break Some(stage.elapsed() - start),
                        Err(seen) if stage.elapsed() - start >= *within => {
                            let waited = humantime::format_duration(*within);
                            return Err(fail(at, format!("after {waited}: {seen}"), &played));
                        }
                        Err(_) => stage.pass(POLL),
                    }
                }
            }
            Step::Hold { what, span } => {
                let start = stage.elapsed();
                loop {
                    if let Err(seen) = what.judge(stage) {
                        let after = humantime::format_duration(stage.elapsed() - start);
                        return Err(fail(at, format!("after {after}: {seen}"), &played));
                    }
                    if stage.elapsed() - start >= *span {
                        break None;
                    }
                    stage.pass(POLL);
                }
            }
        };
        played.took.push(took);
    }
    Ok(played)
}

impl Expect {
    /// Whether this holds on `stage` now; if not, what is the case instead.
    pub fn judge(&self, stage: &mut impl Stage) -> Result<(), String> {
        match self {
            Expect::Holds { node, key, value } => {
                let state = stage.state(*node)?;
                match (state.entries.get(key), value) {
                    (Some(held), Some(wanted)) if held.value == *wanted => Ok(()),
                    (Some(_), None) => Ok(()),
                    (Some(held), Some(_)) => {
                        Err(format!("node {node} holds {key} = {:?}", held.value))
                    }
                    (None, _) => Err(format!("node {node} lacks {key}")),
                }
            }
            Expect::Lacks { node, key } => match stage.state(*node)?.entries.get(key) {
                None => Ok(()),
                Some(held) => Err(format!("node {node} holds {key} = {:?}", held.value)),
            },
            Expect::Knows { node, members } => {
                let known = stage.state(*node)?.members.len();
                match known == *members {
                    true => Ok(()),
                    false => Err(format!("node {node} knows {known} members")),
                }
            }
            Expect::Sees {
                observer,
                member,
                status,
            } => {
                let state = stage.state(*observer)?;
                match state.members.iter().find(|m| m.id.0 == *member) {
                    Some(m) if m.status == *status => Ok(()),
                    Some(m) => Err(format!("node {observer} sees node {member} {:?}", m.status)),
                    None => Err(format!("node {observer} does not know node {member}")),
                }
            }
            Expect::Cold { nodes } => {
                for node in nodes {
                    let hot = stage.hot_rumors(*node)?;
                    if hot > 0 {
                        return Err(format!("node {node} still spreads {hot} rumors"));
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Failure {}

impl Story {
    /// The position of the first step expecting something `what` matches.
    pub fn step_where(&self, what: impl Fn(&Expect) -> bool) -> Option<usize> {
        self.steps.iter().position(|step| match step {
            Step::Expect { what: e, .. } | Step::Hold { what: e, .. } => what(e),
            Step::Do(_) => false,
        })
    }
}
