//! Rumor mongering: spread what is new while it is hot, then stop.
//!
//! Demers et al. (1987) model a rumor like an epidemic (SIR). For one update,
//! every node is
//!
//! * **susceptible** — it has not heard it yet,
//! * **infected** — it knows it and is still spreading it (a *hot* rumor),
//! * **removed** — it knows it but has stopped spreading it.
//!
//! Each gossip round, an infected node tells `fanout` random peers. What
//! decides when it stops is the **stop rule**, the damping that keeps gossip
//! from going on forever:
//!
//! | rule      | the node stops spreading...                                   |
//! |-----------|---------------------------------------------------------------|
//! | `rounds`  | after `k` rounds (the workshop default, k = 4)                |
//! | `counter` | after `k` sends of the rumor (one send = one message to one peer) |
//! | `coin`    | after each send to a peer that *already knew*, with probability 1/k (Demers' feedback coin) |
//!
//! Stopping early saves messages but risks **residue**: nodes that never hear
//! the rumor because everyone stopped too soon. For the feedback coin, Demers
//! gives the residue `s` as the solution of `s = e^{-(k+1)(1-s)}`: about 20 %
//! for k = 1, 6 % for k = 2, 2 % for k = 3. Anti-entropy mops up the residue.
//!
//! A node that comes back with an empty store after every node has removed a
//! rumor will never hear it again from rumor mongering alone.

use super::version::NodeId;
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What a rumor is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rumor {
    /// A key whose entry changed: the entry itself travels with the rumor.
    Entry(String),
    /// A member this node has just learned of.
    Member(NodeId),
}

/// When a node stops spreading a rumor; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopRule {
    Rounds,
    Counter,
    Coin,
}

impl FromStr for StopRule {
    type Err = String;
    fn from_str(text: &str) -> Result<StopRule, String> {
        match text {
            "rounds" => Ok(StopRule::Rounds),
            "counter" => Ok(StopRule::Counter),
            "coin" => Ok(StopRule::Coin),
            other => Err(format!(
                "unknown stop rule {other:?}: use rounds, counter or coin"
            )),
        }
    }
}

impl fmt::Display for StopRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopRule::Rounds => "rounds",
            StopRule::Counter => "counter",
            StopRule::Coin => "coin",
        })
    }
}

/// A stop rule with its `k`: decides, for one node and one rumor, when the
/// spreading ends. The state it works on is one number, the rumor's `left`
/// (rounds or sends left; for `coin` just "still hot"), so a simulation can
/// keep millions of them in a plain vector and use the very same decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Damping {
    pub rule: StopRule,
    pub k: u32,
}

impl Damping {
    pub fn new(rule: StopRule, k: u32) -> Damping {
        Damping { rule, k: k.max(1) }
    }

    /// The `left` of a rumor just learned.
    pub fn fresh(&self) -> u32 {
        self.k
    }

    /// A round in which the rumor was hot is over. True if it goes cold.
    pub fn after_round(&self, left: &mut u32) -> bool {
        if self.rule != StopRule::Rounds {
            return false;
        }
        *left = left.saturating_sub(1);
        *left == 0
    }

    /// The rumor was sent to `times` peers. True if it goes cold.
    pub fn after_sends(&self, left: &mut u32, times: u32) -> bool {
        if self.rule != StopRule::Counter {
            return false;
        }
        *left = left.saturating_sub(times);
        *left == 0
    }

    /// A peer already knew it. True if it goes cold (coin: chance 1/k).
    pub fn after_known<R: Rng + ?Sized>(&self, rng: &mut R) -> bool {
        self.rule == StopRule::Coin && rng.random_ratio(1, self.k)
    }

    /// Whether this rule needs to hear "I already knew".
    pub fn wants_feedback(&self) -> bool {
        self.rule == StopRule::Coin
    }
}

/// The rumors a node is still spreading (it is *infected* with them).
#[derive(Clone, Debug)]
pub struct HotRumors {
    damping: Damping,
    /// Per rumor: what its stop rule has left (see [`Damping`]).
    remaining: BTreeMap<Rumor, u32>,
}

impl HotRumors {
    pub fn new(rule: StopRule, k: u32) -> HotRumors {
        HotRumors {
            damping: Damping::new(rule, k),
            remaining: BTreeMap::new(),
        }
    }

    /// Start spreading a rumor (again, if it was: a newer version of a key is
    /// fresh news even while the old one was still spreading).
    pub fn heat(&mut self, rumor: Rumor) {
        self.remaining.insert(rumor, self.damping.fresh());
    }

    /// The rumors to spread now.
    pub fn hot(&self) -> Vec<Rumor> {
        self.remaining.keys().cloned().collect()
    }

    pub fn is_hot(&self, rumor: &Rumor) -> bool {
        self.remaining.contains_key(rumor)
    }

    /// A round is over. Returns the rumors that went cold.
    pub fn end_round(&mut self) -> Vec<Rumor> {
        let damping = self.damping;
        let mut gone = Vec::new();
        self.remaining.retain(|rumor, left| {
            let cold = damping.after_round(left);
            if cold {
                gone.push(rumor.clone());
            }
            !cold
        });
        gone
    }

    /// The rumor was sent to `times` peers. Returns true if it went cold.
    pub fn sent(&mut self, rumor: &Rumor, times: u32) -> bool {
        let cold = match self.remaining.get_mut(rumor) {
            Some(left) => self.damping.after_sends(left, times),
            None => false,
        };
        if cold {
            self.remaining.remove(rumor);
        }
        cold
    }

    /// A peer said it already knew the rumor. Returns true if it went cold.
    pub fn already_known<R: Rng + ?Sized>(&mut self, rumor: &Rumor, rng: &mut R) -> bool {
        if !self.remaining.contains_key(rumor) || !self.damping.after_known(rng) {
            return false;
        }
        self.remaining.remove(rumor);
        true
    }

    /// Whether senders of this board's rumors want to hear "I already knew".
    pub fn wants_feedback(&self) -> bool {
        self.damping.wants_feedback()
    }

    /// How many rumors are still hot.
    pub fn len(&self) -> usize {
        self.remaining.len()
    }

    pub fn is_empty(&self) -> bool {
        self.remaining.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn color() -> Rumor {
        Rumor::Entry("color".into())
    }

    #[test]
    fn rounds_a_rumor_is_spread_for_exactly_k_rounds() {
        let mut hot = HotRumors::new(StopRule::Rounds, 3);
        hot.heat(color());
        let mut rounds = 0;
        while hot.is_hot(&color()) {
            rounds += 1;
            hot.end_round();
        }
        assert_eq!(rounds, 3);
    }

    #[test]
    fn rounds_news_about_a_hot_key_reheats_it() {
        let mut hot = HotRumors::new(StopRule::Rounds, 2);
        hot.heat(color());
        hot.end_round();
        hot.heat(color());
        assert!(hot.end_round().is_empty());
        assert_eq!(hot.end_round(), vec![color()]);
    }

    #[test]
    fn counter_stops_after_k_sends() {
        let mut hot = HotRumors::new(StopRule::Counter, 5);
        hot.heat(color());
        assert!(!hot.sent(&color(), 2));
        assert!(!hot.sent(&color(), 2));
        assert!(hot.sent(&color(), 2), "the fifth send uses it up");
        assert!(hot.is_empty());
    }

    #[test]
    fn coin_stops_only_on_feedback_with_probability_one_in_k() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut stopped = 0;
        for _ in 0..3000 {
            let mut hot = HotRumors::new(StopRule::Coin, 3);
            hot.heat(color());
            assert!(
                hot.end_round().is_empty() && !hot.sent(&color(), 10),
                "only feedback counts"
            );
            if hot.already_known(&color(), &mut rng) {
                stopped += 1;
            }
        }
        assert!((900..1100).contains(&stopped), "about 1 in 3: {stopped}");
    }

    #[test]
    fn stop_rules_parse() {
        assert_eq!("coin".parse::<StopRule>().unwrap(), StopRule::Coin);
        assert!("never".parse::<StopRule>().is_err());
    }
}
