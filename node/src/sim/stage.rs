//! The simulated network as a stage for [stories](crate::story): each action
//! done to the [`Network`], each expectation checked against its nodes, time
//! passing virtually (a story of minutes plays in milliseconds).

use super::network::Network;
use crate::core::{Config, NodeState};
use crate::story::{Action, Stage};
use std::time::Duration;

/// A story's simulated cluster: nodes 1..=n started with `tune`d configs.
pub struct SimStage {
    seed: u64,
    tune: Box<dyn Fn(&mut Config)>,
    net: Option<Network>,
    /// Virtual time before the cluster started.
    waited: Duration,
}

impl SimStage {
    /// A stage whose `start` builds `Network::cluster(seed, n, tune)`.
    pub fn new(seed: u64, tune: impl Fn(&mut Config) + 'static) -> SimStage {
        SimStage {
            seed,
            tune: Box::new(tune),
            net: None,
            waited: Duration::ZERO,
        }
    }

    /// The network, once a `start` step has built it: its events, counters
    /// and nodes, for what a story does not say.
    pub fn network(&self) -> Option<&Network> {
        self.net.as_ref()
    }

    fn net(&mut self) -> Result<&mut Network, String> {
        self.net
            .as_mut()
            .ok_or_else(|| "no cluster yet: a story begins with `start`".to_owned())
    }

    fn running(&mut self, node: u64) -> Result<&mut Network, String> {
        let net = self.node_exists(node)?;
        match net.is_up(node) {
            true => Ok(net),
            false => Err(format!("node {node} is down")),
        }
    }

    fn node_exists(&mut self, node: u64) -> Result<&mut Network, String> {
        let net = self.net()?;
        if node == 0 || !net.has(node) {
            return Err(format!("there is no node {node}"));
        }
        Ok(net)
    }
}

impl Stage for SimStage {
    fn act(&mut self, action: &Action) -> Result<(), String> {
        match action {
            Action::Start { nodes } => {
                if self.net.is_some() {
                    return Err("the cluster has started already".into());
                }
                let mut net = Network::cluster(self.seed, *nodes, &*self.tune);
                net.record_events();
                self.net = Some(net);
            }
            Action::Crash { node } => self.node_exists(*node)?.crash(*node),
            Action::Restart { node } => self.node_exists(*node)?.restart(*node),
            Action::Write { node, key, value } => {
                self.running(*node)?.update(*node, key, value);
            }
            Action::Cut { a, b } => {
                self.node_exists(*a)?;
                let net = self.node_exists(*b)?;
                net.cut(*a, *b);
                net.cut(*b, *a);
            }
            Action::Heal => self.net()?.heal(),
            Action::SetFaults { node, faults } => {
                faults.validate()?;
                self.node_exists(*node)?.set_faults(*node, faults.clone());
            }
            Action::Wait { span } => self.pass(*span),
        }
        Ok(())
    }

    fn state(&mut self, node: u64) -> Result<NodeState, String> {
        Ok(self.running(node)?.node(node).state())
    }

    fn hot_rumors(&mut self, node: u64) -> Result<u64, String> {
        Ok(self.running(node)?.node(node).hot_rumors() as u64)
    }

    fn pass(&mut self, span: Duration) {
        match &mut self.net {
            Some(net) => net.run_for(span),
            None => self.waited += span,
        }
    }

    fn elapsed(&self) -> Duration {
        self.waited + self.net.as_ref().map_or(Duration::ZERO, Network::now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{play, sheet_challenge, Story};

    #[test]
    fn without_anti_entropy_the_solved_story_fails_and_says_where() {
        let failure = play(&sheet_challenge(true), &mut SimStage::new(1, |_| {})).unwrap_err();
        let text = failure.to_string();
        assert!(text.contains("✓ 1. start 4 nodes"), "{text}");
        assert!(
            text.contains("✗ 11. expect node 3 holds news = \"hello from node 1\" within 30s"),
            "{text}"
        );
        assert!(text.ends_with("after 30s: node 3 lacks news"), "{text}");
    }

    #[test]
    fn a_step_that_cannot_be_done_is_a_clear_failure() {
        let story = Story::new("bad").then(Action::Crash { node: 3 });
        let failure = play(&story, &mut SimStage::new(1, |_| {})).unwrap_err();
        assert_eq!(failure.seen, "no cluster yet: a story begins with `start`");
        let story = Story::new("bad")
            .then(Action::Start { nodes: 2 })
            .then(Action::Crash { node: 9 });
        let failure = play(&story, &mut SimStage::new(1, |_| {})).unwrap_err();
        assert_eq!(
            (failure.step, failure.seen.as_str()),
            (1, "there is no node 9")
        );
    }
}
