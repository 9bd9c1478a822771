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

use super::pieces::Pieces;
use super::version::NodeId;
use rand::{Rng, RngCore};
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

/// What just happened to a hot rumor at one node: the moments a stop rule
/// may decide that the node stops spreading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spreading {
    /// A gossip round in which the rumor was hot is over.
    RoundOver,
    /// The rumor was just sent to this many peers.
    SentTo(u32),
    /// A peer answered that it already knew the rumor.
    PeerKnew,
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

    /// The stop rule itself: a rumor with `left` to go, after `what`
    /// happened, has this much left (0: the node stops spreading it).
    /// `rounds` counts rounds down, `counter` counts sends down, `coin`
    /// stops with chance 1/k each time a peer already knew.
    pub fn next_left(&self, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
        match (self.rule, what) {
            (StopRule::Rounds, Spreading::RoundOver) => left.saturating_sub(1),
            (StopRule::Counter, Spreading::SentTo(times)) => left.saturating_sub(times),
            (StopRule::Coin, Spreading::PeerKnew) if rng.random_ratio(1, self.k) => 0,
            _ => left,
        }
    }

    /// A round in which the rumor was hot is over. True if it goes cold.
    pub fn after_round(&self, left: &mut u32) -> bool {
        self.apply(left, Spreading::RoundOver, &mut NoDraws)
    }

    /// The rumor was sent to `times` peers. True if it goes cold.
    pub fn after_sends(&self, left: &mut u32, times: u32) -> bool {
        self.apply(left, Spreading::SentTo(times), &mut NoDraws)
    }

    /// A peer already knew it. True if it goes cold (coin: chance 1/k).
    pub fn after_known<R: Rng + ?Sized>(&self, rng: &mut R) -> bool {
        let mut left = 1;
        let mut rng = rng;
        self.apply(&mut left, Spreading::PeerKnew, &mut rng)
    }

    /// Update `left` for `what`; true if the rumor just went cold.
    fn apply(&self, left: &mut u32, what: Spreading, rng: &mut dyn RngCore) -> bool {
        let before = *left;
        *left = self.next_left(before, what, rng);
        before > 0 && *left == 0
    }

    /// Whether this rule needs to hear "I already knew".
    pub fn wants_feedback(&self) -> bool {
        self.rule == StopRule::Coin
    }
}

/// Randomness for decisions that draw none (rounds and sends are counted,
/// not drawn): it says so if it is ever asked.
struct NoDraws;

impl RngCore for NoDraws {
    fn next_u32(&mut self) -> u32 {
        unreachable!("counting rounds or sends draws no random numbers")
    }
    fn next_u64(&mut self) -> u64 {
        unreachable!("counting rounds or sends draws no random numbers")
    }
    fn fill_bytes(&mut self, _: &mut [u8]) {
        unreachable!("counting rounds or sends draws no random numbers")
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

    /// A round is over. Returns the rumors that went cold. `pieces` holds
    /// the stop rule ([`Pieces::damp`]).
    pub fn end_round(&mut self, pieces: &dyn Pieces, rng: &mut dyn RngCore) -> Vec<Rumor> {
        let Damping { rule, k } = self.damping;
        let mut gone = Vec::new();
        self.remaining.retain(|rumor, left| {
            *left = pieces.damp(rule, k, *left, Spreading::RoundOver, rng);
            if *left == 0 {
                gone.push(rumor.clone());
            }
            *left > 0
        });
        gone
    }

    /// The rumor was sent to `times` peers. Returns true if it went cold.
    pub fn sent(&mut self, pieces: &dyn Pieces, rumor: &Rumor, times: u32) -> bool {
        self.step(pieces, rumor, Spreading::SentTo(times), &mut NoDraws)
    }

    /// A peer said it already knew the rumor. Returns true if it went cold.
    pub fn already_known(
        &mut self,
        pieces: &dyn Pieces,
        rumor: &Rumor,
        rng: &mut dyn RngCore,
    ) -> bool {
        self.step(pieces, rumor, Spreading::PeerKnew, rng)
    }

    /// Apply the stop rule to one hot rumor; true if it went cold.
    fn step(
        &mut self,
        pieces: &dyn Pieces,
        rumor: &Rumor,
        what: Spreading,
        rng: &mut dyn RngCore,
    ) -> bool {
        let Damping { rule, k } = self.damping;
        let Some(left) = self.remaining.get_mut(rumor) else {
            return false;
        };
        *left = pieces.damp(rule, k, *left, what, rng);
        if *left > 0 {
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
    use crate::core::pieces::Reference;
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
            hot.end_round(&Reference, &mut NoDraws);
        }
        assert_eq!(rounds, 3);
    }

    #[test]
    fn rounds_news_about_a_hot_key_reheats_it() {
        let mut hot = HotRumors::new(StopRule::Rounds, 2);
        hot.heat(color());
        hot.end_round(&Reference, &mut NoDraws);
        hot.heat(color());
        assert!(hot.end_round(&Reference, &mut NoDraws).is_empty());
        assert_eq!(hot.end_round(&Reference, &mut NoDraws), vec![color()]);
    }

    #[test]
    fn counter_stops_after_k_sends() {
        let mut hot = HotRumors::new(StopRule::Counter, 5);
        hot.heat(color());
        assert!(!hot.sent(&Reference, &color(), 2));
        assert!(!hot.sent(&Reference, &color(), 2));
        assert!(
            hot.sent(&Reference, &color(), 2),
            "the fifth send uses it up"
        );
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
                hot.end_round(&Reference, &mut NoDraws).is_empty()
                    && !hot.sent(&Reference, &color(), 10),
                "only feedback counts"
            );
            if hot.already_known(&Reference, &color(), &mut rng) {
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
