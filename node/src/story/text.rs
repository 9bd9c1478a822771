//! How a story reads: each step in the workshop's words, and a failure as
//! the story so far, ✓ for each step that came true, ✗ where it stopped.

use super::{Action, Expect, Failure, Step, Story};
use std::fmt;

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Start { nodes } => write!(f, "start {nodes} nodes"),
            Action::Crash { node } => write!(f, "crash node {node}"),
            Action::Restart { node } => write!(f, "restart node {node}"),
            Action::Write { node, key, value } => {
                write!(f, "write {key} = {value:?} on node {node}")
            }
            Action::Cut { a, b } => write!(f, "cut the link between nodes {a} and {b}"),
            Action::Heal => write!(f, "heal every cut link"),
            Action::SetFaults { node, faults } => write!(
                f,
                "set faults on node {node}: {}",
                serde_json::to_string(faults).unwrap_or_default()
            ),
            Action::Wait { span } => write!(f, "wait {}", humantime::format_duration(*span)),
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Holds {
                node,
                key,
                value: Some(value),
            } => write!(f, "node {node} holds {key} = {value:?}"),
            Expect::Holds { node, key, .. } => write!(f, "node {node} holds {key}"),
            Expect::Lacks { node, key } => write!(f, "node {node} lacks {key}"),
            Expect::Knows { node, members } => write!(f, "node {node} knows {members} members"),
            Expect::Sees {
                observer,
                member,
                status,
            } => write!(f, "node {observer} sees node {member} {status:?}"),
            Expect::Cold { nodes } => {
                let list: Vec<String> = nodes.iter().map(u64::to_string).collect();
                write!(f, "nodes {} spread no rumor", list.join(", "))
            }
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Do(action) => write!(f, "{action}"),
            Step::Expect { what, within } => {
                write!(
                    f,
                    "expect {what} within {}",
                    humantime::format_duration(*within)
                )
            }
            Step::Hold { what, span } => {
                write!(f, "expect {what} for {}", humantime::format_duration(*span))
            }
        }
    }
}

impl fmt::Display for Story {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.name)?;
        for (at, step) in self.steps.iter().enumerate() {
            writeln!(f, "  {}. {step}", at + 1)?;
        }
        Ok(())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.story.name)?;
        for (at, step) in self.story.steps.iter().enumerate().take(self.step + 1) {
            let mark = if at == self.step { '✗' } else { '✓' };
            writeln!(f, "  {mark} {}. {step}", at + 1)?;
        }
        write!(f, "       {}", self.seen)
    }
}
