//! Rumor spreading: push what is new, for a bounded number of rounds.
//!
//! Demers et al. (1987) call an update a node has just learned a **hot
//! rumor**. Each round, a node pushes its hot rumors to `fanout` random peers.
//! It does not push forever: after `rounds` rounds the rumor goes cold and the
//! node stops talking about it. A peer that learns the rumor from it turns it
//! hot in turn, so the news keeps moving while it is fresh, and the traffic
//! dies down once (almost) everybody has it.
//!
//! This is *not* a full-state exchange. A node that was down while a rumor was
//! hot, and comes back with an empty store, will not hear about it again: once
//! every node has let the rumor go cold, nobody mentions it. Catching such a
//! node up is the job of anti-entropy, the workshop sheet's challenge.

use super::version::NodeId;
use std::collections::BTreeMap;

/// What a rumor is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rumor {
    /// A key whose entry changed: the entry itself travels with the rumor.
    Entry(String),
    /// A member this node has just learned of.
    Member(NodeId),
}

/// The rumors a node is still spreading, each with its remaining rounds.
#[derive(Clone, Debug, Default)]
pub struct HotRumors {
    remaining: BTreeMap<Rumor, u32>,
}

impl HotRumors {
    /// Make a rumor hot for `rounds` rounds (again, if it already was: a newer
    /// version of a key is fresh news even if the old one was still spreading).
    pub fn heat(&mut self, rumor: Rumor, rounds: u32) {
        if rounds > 0 {
            self.remaining.insert(rumor, rounds);
        }
    }

    /// Start a round: the rumors to push now. Each one has one round fewer
    /// left; those that reach zero go cold and are forgotten.
    pub fn start_round(&mut self) -> Vec<Rumor> {
        let hot: Vec<Rumor> = self.remaining.keys().cloned().collect();
        self.remaining.retain(|_, left| {
            *left -= 1;
            *left > 0
        });
        hot
    }

    /// How many rumors are still hot.
    pub fn len(&self) -> usize {
        self.remaining.len()
    }

    pub fn is_empty(&self) -> bool {
        self.remaining.is_empty()
    }

    /// Rounds left for one rumor (0 when it is cold).
    pub fn rounds_left(&self, rumor: &Rumor) -> u32 {
        self.remaining.get(rumor).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rumor_is_pushed_for_exactly_its_rounds() {
        let mut hot = HotRumors::default();
        hot.heat(Rumor::Entry("color".into()), 3);
        let pushes: usize = (0..10).map(|_| hot.start_round().len()).sum();
        assert_eq!(pushes, 3);
        assert!(hot.is_empty());
    }

    #[test]
    fn news_about_a_hot_key_reheats_it() {
        let mut hot = HotRumors::default();
        let color = Rumor::Entry("color".into());
        hot.heat(color.clone(), 2);
        hot.start_round();
        hot.heat(color.clone(), 2);
        assert_eq!(hot.rounds_left(&color), 2);
    }
}
