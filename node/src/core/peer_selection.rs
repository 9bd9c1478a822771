//! Peer selection: whom to tell this round.
//!
//! The heart of an epidemic is that each node contacts a few peers chosen
//! **uniformly at random** (the sheet's "every few seconds, each node picks a
//! random neighbor"). Randomness is what makes the spread fast (O(log N)
//! rounds) and robust: no fixed path exists that one failure could cut.
//!
//! `fanout` is how many peers a node tells per round. Fanout 1 gives the
//! classic analysis (Demers et al. 1987, Karp et al. 2000); a larger fanout
//! spreads faster and sends more redundant messages.
//!
//! [`Membership::random_peers`](super::membership::Membership::random_peers)
//! is the same choice made in O(fanout) instead of O(N), which the gossip
//! rounds use; [`choose_peers`] walks any list of candidates.
//!
//! The RNG is passed in, never global, so a seeded test picks the same peers
//! on every run.

use super::membership::Member;
use rand::seq::IteratorRandom;
use rand::Rng;

/// Pick up to `fanout` distinct peers uniformly at random.
pub fn choose_peers<'a, R: Rng + ?Sized>(
    peers: impl Iterator<Item = &'a Member>,
    fanout: usize,
    rng: &mut R,
) -> Vec<&'a Member> {
    peers.choose_multiple(rng, fanout)
}

/// The index-based twin of [`choose_peers`] for simulations with millions of
/// nodes numbered `0..n`: one peer other than `me`, uniformly at random.
pub fn uniform_peer<R: Rng + ?Sized>(n: usize, me: usize, rng: &mut R) -> usize {
    debug_assert!(n >= 2, "a peer needs someone else");
    let pick = rng.random_range(0..n - 1);
    if pick >= me {
        pick + 1
    } else {
        pick
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::version::NodeId;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::collections::BTreeMap;

    fn members(n: u64) -> Vec<Member> {
        (1..=n)
            .map(|i| Member::alive(NodeId(i), format!("h:{i}")))
            .collect()
    }

    #[test]
    fn never_more_than_fanout_and_never_twice() {
        let all = members(10);
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..100 {
            let mut chosen: Vec<_> = choose_peers(all.iter(), 3, &mut rng)
                .iter()
                .map(|m| m.id)
                .collect();
            assert_eq!(chosen.len(), 3);
            chosen.sort();
            chosen.dedup();
            assert_eq!(chosen.len(), 3);
        }
    }

    #[test]
    fn uniform_peer_is_never_me_and_covers_everyone_else() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen = [0u32; 5];
        for _ in 0..5000 {
            let p = uniform_peer(5, 2, &mut rng);
            assert_ne!(p, 2);
            seen[p] += 1;
        }
        assert_eq!(seen[2], 0);
        assert!(
            seen.iter()
                .enumerate()
                .all(|(i, c)| i == 2 || (1100..1400).contains(c)),
            "{seen:?}"
        );
    }

    #[test]
    fn fewer_peers_than_fanout_means_everyone() {
        let all = members(2);
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(choose_peers(all.iter(), 5, &mut rng).len(), 2);
    }

    #[test]
    fn every_peer_is_picked_about_equally_often() {
        let all = members(4);
        let mut rng = StdRng::seed_from_u64(42);
        let mut counts: BTreeMap<NodeId, u32> = BTreeMap::new();
        for _ in 0..4000 {
            for m in choose_peers(all.iter(), 1, &mut rng) {
                *counts.entry(m.id).or_default() += 1;
            }
        }
        for count in counts.values() {
            assert!((850..1150).contains(count), "skewed choice: {counts:?}");
        }
    }
}
