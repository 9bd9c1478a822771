//! Module 02: where the randomness of a push epidemic comes from. A node
//! hands `choose_peers` and `damp` its own random number generator; the
//! simulator seeds it, so the same seed replays the same run. Randomness
//! taken from anywhere else makes every run different (and a check's
//! verdict with it), and a decision that must only count (after a send)
//! has no randomness to draw from at all.

use super::view;
use crate::check::{Figures, Subject};
use gossip_node::core::rumor::{Spreading, StopRule};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

/// A generator that counts how often it is drawn from.
struct Counted {
    inner: StdRng,
    draws: u32,
}

impl RngCore for Counted {
    fn next_u32(&mut self) -> u32 {
        self.draws += 1;
        self.inner.next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.draws += 1;
        self.inner.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.draws += 1;
        self.inner.fill_bytes(dest)
    }
}

/// The same seed twice gives the same peers and the same coin tosses.
pub fn same_seed_same_choices(s: &Subject) -> Result<Figures, String> {
    let members = view();
    let run = |seed: u64| {
        let mut rng = StdRng::seed_from_u64(seed);
        let peers: Vec<_> = (0..50)
            .map(|_| s.pieces.choose_peers(&members, 2, &mut rng))
            .collect();
        let coins: Vec<u32> = (0..200)
            .map(|_| {
                s.pieces
                    .damp(StopRule::Coin, 3, 3, Spreading::PeerKnew, &mut rng)
            })
            .collect();
        (peers, coins)
    };
    let (first, second) = (run(56), run(56));
    if first.0 != second.0 {
        let round = first.0.iter().zip(&second.0).position(|(a, b)| a != b);
        let round = round.unwrap_or(0);
        return Err(format!(
            "two runs from the same seed chose different peers (round {}: {:?}, then {:?}). \
             Draw from the `rng` the node gives choose_peers, not from a generator of your own: \
             the simulator seeds that one, so a run can be replayed and a check gives the same \
             verdict every time.",
            round + 1,
            first.0[round],
            second.0[round]
        ));
    }
    if first.1 != second.1 {
        return Err(
            "two runs from the same seed tossed the coin differently. Draw from the `rng` the \
             node gives damp, not from a generator of your own: the simulator seeds that one, \
             so a run can be replayed and a check gives the same verdict every time."
                .into(),
        );
    }
    Ok(vec![(
        "replayed from one seed".into(),
        "50 choices of peers, 200 coin tosses".into(),
    )])
}

/// After a send the node counts; only "a peer already knew" may toss the coin.
pub fn sends_draw_nothing(s: &Subject) -> Result<Figures, String> {
    for rule in [StopRule::Rounds, StopRule::Counter, StopRule::Coin] {
        let mut rng = Counted {
            inner: StdRng::seed_from_u64(57),
            draws: 0,
        };
        for _ in 0..20 {
            s.pieces.damp(rule, 3, 3, Spreading::SentTo(2), &mut rng);
        }
        if rng.draws > 0 {
            return Err(format!(
                "{rule}: after a send (SentTo(2)) damp drew {} random numbers in 20 calls. Only \
                 the coin is random, and only when a peer already knew: after a send a node \
                 counts (the counter rule) or waits, and the node has no randomness to give \
                 damp there. Toss the coin inside the PeerKnew arm, not before the match.",
                rng.draws
            ));
        }
    }
    Ok(vec![])
}
