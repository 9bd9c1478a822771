//! Dissemination at scale: one rumor, up to millions of nodes.
//!
//! The full [`Network`](super::Network) runs complete protocol cores, with
//! membership, SWIM and anti-entropy: a few hundred bytes to a few kilobytes
//! per node, fine up to about 10,000 nodes. To check the O(log N) claims at a
//! million or ten million nodes, this module keeps only what one rumor needs:
//! per node, the round it learned the rumor and what its stop rule has left —
//! 8 bytes a node — and every node knows every other (uniform peer sampling).
//!
//! It makes its decisions with the protocol core's own code: which peer to
//! contact ([`uniform_peer`]), what an exchange carries in each mode
//! ([`Mode::pushes`], [`Mode::pulls`]), and when a node stops spreading
//! ([`Damping`]). Rounds are synchronous, as in the analyses of Pittel,
//! Demers et al. and Karp et al.: what a node learns in round r, it passes on
//! from round r + 1. Time is O(N) per round, O(N log N) for a whole spread.

use crate::core::peer_selection::uniform_peer;
use crate::core::rumor::Damping;
use crate::core::rumor::Mode;
use rand::Rng;
use serde::Serialize;

/// Marks a node that has not heard the rumor.
const NEVER: u32 = u32::MAX;

/// How one run spreads.
#[derive(Clone, Copy, Debug)]
pub struct Epidemic {
    pub nodes: usize,
    pub mode: Mode,
    pub fanout: usize,
    /// `None`: informed nodes spread for ever (the setting of the theory of
    /// rounds to full spread). `Some`: rumor mongering with a stop rule.
    pub damping: Option<Damping>,
    /// Probability that a message is lost.
    pub loss: f64,
    /// Give up after this many rounds.
    pub max_rounds: u32,
}

/// One round's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Round {
    pub round: u32,
    /// Nodes that know the rumor at the end of the round.
    pub informed: u64,
    /// Nodes still spreading it at the end of the round.
    pub spreading: u64,
    /// Messages sent this round (pushes and pull requests).
    pub messages: u64,
    /// Messages that carried the rumor this round.
    pub transmissions: u64,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub rounds: Vec<Round>,
    /// The round in which the last node learned it, if all did.
    pub full_at: Option<u32>,
    /// Fraction of nodes that never heard it.
    pub residue: f64,
    pub messages: u64,
    pub transmissions: u64,
}

impl Epidemic {
    /// Spread one rumor from node 0 until everyone knows, nobody spreads any
    /// more, or `max_rounds` pass.
    pub fn run<R: Rng + ?Sized>(&self, rng: &mut R) -> Spread {
        self.run_watched(rng, |_| {})
    }

    /// [`Epidemic::run`], telling `watch` about each round as it ends (for a
    /// progress bar on long runs).
    pub fn run_watched<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        mut watch: impl FnMut(&Round),
    ) -> Spread {
        let n = self.nodes;
        assert!(n >= 2, "an epidemic needs two nodes");
        let mut learned = vec![NEVER; n];
        let mut left = vec![0u32; n];
        learned[0] = 0;
        left[0] = self.damping.map_or(1, |d| d.fresh());
        let (mut informed, mut spreading) = (1u64, 1u64);
        let mut spread = Spread {
            rounds: Vec::new(),
            full_at: None,
            residue: 0.0,
            messages: 0,
            transmissions: 0,
        };
        for round in 1..=self.max_rounds {
            let mut this = Round {
                round,
                informed,
                spreading,
                messages: 0,
                transmissions: 0,
            };
            for me in 0..n {
                let knows = learned[me] < round;
                let pushes = knows && left[me] > 0 && self.mode.pushes();
                // Under pure pull, only nodes that lack the rumor need to ask;
                // informed nodes would ask too, but learn nothing.
                let asks = self.mode.pulls() && !knows;
                if !pushes && !asks {
                    continue;
                }
                let mut sent = 0;
                for _ in 0..self.fanout {
                    let peer = uniform_peer(n, me, rng);
                    this.messages += 1;
                    let peer_knows = learned[peer] < round;
                    if pushes {
                        sent += 1;
                        this.transmissions += 1;
                        if !self.lost(rng) {
                            if learned[peer] == NEVER {
                                learned[peer] = round;
                                left[peer] = self.damping.map_or(1, |d| d.fresh());
                                this.informed += 1;
                                this.spreading += 1;
                            } else if self.feedback_stops(rng) && left[me] > 0 {
                                left[me] = 0;
                                this.spreading -= 1;
                            }
                        }
                    }
                    // The pull: the peer answers only if it has the rumor hot
                    // and we lack it (the request says what we have).
                    if asks
                        && learned[me] == NEVER
                        && peer_knows
                        && left[peer] > 0
                        && !self.lost(rng)
                    {
                        this.transmissions += 1;
                        if !self.lost(rng) {
                            learned[me] = round;
                            left[me] = self.damping.map_or(1, |d| d.fresh());
                            this.informed += 1;
                            this.spreading += 1;
                        }
                    }
                }
                if let Some(damping) = self.damping {
                    if sent > 0 && left[me] > 0 && damping.after_sends(&mut left[me], sent) {
                        this.spreading -= 1;
                    }
                }
            }
            if let Some(damping) = self.damping {
                for me in 0..n {
                    if learned[me] < round && left[me] > 0 && damping.after_round(&mut left[me]) {
                        this.spreading -= 1;
                    }
                }
            }
            informed = this.informed;
            spreading = this.spreading;
            spread.messages += this.messages;
            spread.transmissions += this.transmissions;
            watch(&this);
            spread.rounds.push(this);
            if informed == n as u64 && spread.full_at.is_none() {
                spread.full_at = Some(round);
                if self.damping.is_none() {
                    break;
                }
            }
            if spreading == 0 {
                break;
            }
        }
        spread.residue = 1.0 - informed as f64 / n as f64;
        spread
    }

    fn lost<R: Rng + ?Sized>(&self, rng: &mut R) -> bool {
        self.loss > 0.0 && rng.random_bool(self.loss)
    }

    /// A push reached a node that already knew: does the stop rule say stop?
    fn feedback_stops<R: Rng + ?Sized>(&self, rng: &mut R) -> bool {
        self.damping.is_some_and(|d| d.after_known(rng))
    }
}
