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
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.2 and §5.5 (when a node stops spreading a rumor).

use super::digest::Digest;
use super::store::Entry;
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a round moves rumors between a node and its peers.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Mode {
    /// "Here is my hot news": fast at first, wasteful at the end.
    Push,
    /// "What news do you have that I lack?": slow at first, quick to finish.
    Pull,
    /// Both in one exchange: about log3 N + O(log log N) rounds.
    #[value(alias = "pushpull")]
    PushPull,
    /// Payloads down a broadcast tree at once, ids announced each round.
    Plumtree,
}

impl Mode {
    /// Whether a node that knows the rumor tells the peer it contacts.
    pub fn pushes(self) -> bool {
        matches!(self, Mode::Push | Mode::PushPull)
    }

    /// Whether a node asks the peer it contacts for what it lacks.
    pub fn pulls(self) -> bool {
        matches!(self, Mode::Pull | Mode::PushPull)
    }
}

/// When a node stops spreading a rumor; see the module docs.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, strum::Display,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StopRule {
    /// After `k` rounds.
    Rounds,
    /// After `k` sends.
    Counter,
    /// With chance 1/k whenever a peer already knew.
    Coin,
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
pub struct NoDraws;

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

/// The stop rule (exercise 02): a hot rumor has `left` to go (it starts at
/// `k`); after `what` happened, how much is left? 0: this node stops
/// spreading it. `rounds` counts rounds down, `counter` counts sends down,
/// `coin` stops with chance 1/k each time a peer already knew.
pub fn damp(rule: StopRule, k: u32, left: u32, what: Spreading, rng: &mut dyn RngCore) -> u32 {
    Damping::new(rule, k).next_left(left, what, rng)
}

/// What a pull brings back (exercise 03): of this node's `hot` entries, those
/// the puller lacks or holds older, by the versions it sent (`have`). The
/// others count as "it already knew" for the stop rule.
pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    hot.iter()
        .filter(|(key, entry)| {
            have.versions
                .get(key)
                .is_none_or(|theirs| *theirs < (entry.version, entry.origin))
        })
        .cloned()
        .collect()
}

/// The keys whose entries a node is still spreading (it is *infected* with
/// them). Each stop-rule decision is asked of a `damp` function with the
/// shape of [`damp`] after the rule and `k`: `(left, what) -> left`.
#[derive(Clone, Debug)]
pub struct HotRumors {
    damping: Damping,
    /// Per key: what its stop rule has left (see [`Damping`]).
    remaining: BTreeMap<String, u32>,
}

impl HotRumors {
    pub fn new(rule: StopRule, k: u32) -> HotRumors {
        HotRumors {
            damping: Damping::new(rule, k),
            remaining: BTreeMap::new(),
        }
    }

    /// The stop rule and its `k`.
    pub fn damping(&self) -> Damping {
        self.damping
    }

    /// Start spreading `key` (again, if it was: a newer version of a key is
    /// fresh news even while the old one was still spreading).
    pub fn heat(&mut self, key: &str) {
        self.remaining.insert(key.to_owned(), self.damping.fresh());
    }

    /// The keys to spread now.
    pub fn hot(&self) -> impl Iterator<Item = &String> {
        self.remaining.keys()
    }

    pub fn is_hot(&self, key: &str) -> bool {
        self.remaining.contains_key(key)
    }

    /// A round is over. Returns the keys that went cold.
    pub fn end_round(&mut self, mut damp: impl FnMut(u32, Spreading) -> u32) -> Vec<String> {
        let mut gone = Vec::new();
        self.remaining.retain(|key, left| {
            *left = damp(*left, Spreading::RoundOver);
            if *left == 0 {
                gone.push(key.clone());
            }
            *left > 0
        });
        gone
    }

    /// `key` was sent to `times` peers. Returns true if it went cold.
    pub fn sent(&mut self, key: &str, times: u32, damp: impl FnMut(u32, Spreading) -> u32) -> bool {
        self.step(key, Spreading::SentTo(times), damp)
    }

    /// A peer said it already knew `key`. Returns true if it went cold.
    pub fn already_known(&mut self, key: &str, damp: impl FnMut(u32, Spreading) -> u32) -> bool {
        self.step(key, Spreading::PeerKnew, damp)
    }

    /// Apply the stop rule to one hot rumor; true if it went cold.
    fn step(
        &mut self,
        key: &str,
        what: Spreading,
        mut damp: impl FnMut(u32, Spreading) -> u32,
    ) -> bool {
        let Some(left) = self.remaining.get_mut(key) else {
            return false;
        };
        *left = damp(*left, what);
        if *left > 0 {
            return false;
        }
        self.remaining.remove(key);
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

    const COLOR: &str = "color";

    /// The reference rule of `hot`, drawing from `rng`.
    fn rule<'a>(
        hot: &HotRumors,
        rng: &'a mut dyn RngCore,
    ) -> impl FnMut(u32, Spreading) -> u32 + 'a {
        let Damping { rule, k } = hot.damping();
        move |left, what| damp(rule, k, left, what, rng)
    }

    #[test]
    fn rounds_a_rumor_is_spread_for_exactly_k_rounds() {
        let mut hot = HotRumors::new(StopRule::Rounds, 3);
        hot.heat(COLOR);
        let mut rounds = 0;
        while hot.is_hot(COLOR) {
            rounds += 1;
            hot.end_round(rule(&hot, &mut NoDraws));
        }
        assert_eq!(rounds, 3);
    }

    #[test]
    fn rounds_news_about_a_hot_key_reheats_it() {
        let mut hot = HotRumors::new(StopRule::Rounds, 2);
        hot.heat(COLOR);
        hot.end_round(rule(&hot, &mut NoDraws));
        hot.heat(COLOR);
        assert!(hot.end_round(rule(&hot, &mut NoDraws)).is_empty());
        assert_eq!(
            hot.end_round(rule(&hot, &mut NoDraws)),
            vec![COLOR.to_owned()]
        );
    }

    #[test]
    fn counter_stops_after_k_sends() {
        let mut hot = HotRumors::new(StopRule::Counter, 5);
        hot.heat(COLOR);
        assert!(!hot.sent(COLOR, 2, rule(&hot, &mut NoDraws)));
        assert!(!hot.sent(COLOR, 2, rule(&hot, &mut NoDraws)));
        assert!(
            hot.sent(COLOR, 2, rule(&hot, &mut NoDraws)),
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
            hot.heat(COLOR);
            assert!(
                hot.end_round(rule(&hot, &mut NoDraws)).is_empty()
                    && !hot.sent(COLOR, 10, rule(&hot, &mut NoDraws)),
                "only feedback counts"
            );
            if hot.already_known(COLOR, rule(&hot, &mut rng)) {
                stopped += 1;
            }
        }
        assert!((900..1100).contains(&stopped), "about 1 in 3: {stopped}");
    }

    #[test]
    fn stop_rules_parse() {
        use clap::ValueEnum;
        assert_eq!(StopRule::from_str("coin", false), Ok(StopRule::Coin));
        assert!(StopRule::from_str("never", false).is_err());
        assert_eq!(StopRule::Coin.to_string(), "coin");
        assert_eq!(Mode::from_str("pushpull", false), Ok(Mode::PushPull));
        assert_eq!(Mode::PushPull.to_string(), "push-pull");
    }
}
