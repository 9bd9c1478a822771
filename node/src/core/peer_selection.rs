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
//! [`choose_peers`] is the reference rule of exercise 02; it uses
//! [`random_peers`], the same choice as [`choose_among`] made in O(fanout)
//! instead of O(N), which matters when a simulated cluster has 10,000 nodes.
//!
//! The RNG is passed in, never global, so a seeded test picks the same peers
//! on every run.

use super::membership::{Member, Membership};
use super::version::NodeId;
use rand::seq::IteratorRandom;
use rand::{Rng, RngCore};

/// Whom to tell this round: up to `fanout` distinct members that take part
/// (alive or suspect, see [`Membership::peers`]), never this node itself,
/// chosen uniformly at random. (Exercise 02.)
pub fn choose_peers(members: &Membership, fanout: usize, rng: &mut dyn RngCore) -> Vec<NodeId> {
    random_peers(members, fanout, rng)
        .into_iter()
        .map(|m| m.id)
        .collect()
}

/// Pick up to `fanout` distinct peers of a list uniformly at random.
pub fn choose_among<'a, R: Rng + ?Sized>(
    peers: impl Iterator<Item = &'a Member>,
    fanout: usize,
    rng: &mut R,
) -> Vec<&'a Member> {
    peers.choose_multiple(rng, fanout)
}

/// Up to `k` distinct peers of `members` (see [`Membership::peers`]),
/// uniformly at random. It draws random positions in the list and skips
/// this node, inactive members and repeats, so a gossip round costs O(k)
/// and not O(N). When most members are inactive, it falls back to a full
/// scan.
pub fn random_peers<'a, R: Rng + ?Sized>(
    members: &'a Membership,
    k: usize,
    rng: &mut R,
) -> Vec<&'a Member> {
    let list = members.list();
    let mut chosen: Vec<usize> = Vec::with_capacity(k);
    for _ in 0..4 * k + 16 {
        if chosen.len() == k {
            return chosen.into_iter().map(|at| &list[at]).collect();
        }
        let at = rng.random_range(0..list.len());
        let member = &list[at];
        if members.is_peer(member) && !chosen.contains(&at) {
            chosen.push(at);
        }
    }
    choose_among(members.peers(), k, rng)
}

/// The index-based twin of [`choose_among`] for simulations with millions of
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
    use crate::core::membership::MemberStatus;
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
            let mut chosen: Vec<_> = choose_among(all.iter(), 3, &mut rng)
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
        assert_eq!(choose_among(all.iter(), 5, &mut rng).len(), 2);
    }

    #[test]
    fn every_peer_is_picked_about_equally_often() {
        let all = members(4);
        let mut rng = StdRng::seed_from_u64(42);
        let mut counts: BTreeMap<NodeId, u32> = BTreeMap::new();
        for _ in 0..4000 {
            for m in choose_among(all.iter(), 1, &mut rng) {
                *counts.entry(m.id).or_default() += 1;
            }
        }
        for count in counts.values() {
            assert!((850..1150).contains(count), "skewed choice: {counts:?}");
        }
    }

    #[test]
    fn random_peers_are_distinct_active_others_chosen_evenly() {
        let mut members = Membership::new(Member::alive(NodeId(1), "h:1"));
        for id in 2..=10 {
            members.learn(&Member::alive(NodeId(id), format!("h:{id}")));
        }
        members.learn(&Member {
            status: MemberStatus::Dead,
            incarnation: 1,
            ..Member::alive(NodeId(10), "h:10")
        });
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let mut counts = [0u32; 11];
        for _ in 0..8_000 {
            let chosen = random_peers(&members, 2, &mut rng);
            assert_eq!(chosen.len(), 2);
            assert_ne!(chosen[0].id, chosen[1].id);
            for m in chosen {
                counts[m.id.0 as usize] += 1;
            }
        }
        assert_eq!(
            (counts[1], counts[10]),
            (0, 0),
            "never itself, never the dead"
        );
        // 16,000 picks over 8 peers: 2,000 each, give or take a few percent.
        for (id, count) in counts.iter().enumerate().take(10).skip(2) {
            assert!((1_850..=2_150).contains(count), "{id}: {count}");
        }
        // More than there are: everyone active, once.
        assert_eq!(random_peers(&members, 20, &mut rng).len(), 8);
    }
}
