//! Plumtree's messages: payloads down eager links, announcements on lazy
//! ones, prunes and grafts that shape the tree (the tree and its rules are
//! in [`plumtree`](crate::core::plumtree)).
//!
//! ```text
//!  A ── EagerPush {entries} ──▶ B     first copy: B forwards it on its eager links
//!  A ◀────────── Prune ──────── B     a duplicate: the link becomes lazy both ways
//!  A ── IHave {ids} ──────────▶ B     once a round, on lazy links
//!  A ◀────── Graft {ids} ────── B     B missed it: the link is eager again
//! ```
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.6 (the four messages) and §5.6 (the link rules).

use super::{Handling, Node, Output, Timer};
use crate::core::event::Cause;
use crate::core::membership::Member;
use crate::core::message::{encoded_entry_len, pack_entries, Message};
use crate::core::plumtree::{covered, Link, Tree, TreeEvent};
use crate::core::store::{Carried, Entry};
use crate::core::version::NodeId;
use rand::RngCore;
use std::collections::BTreeMap;

impl Node {
    /// The broadcast tree, for tests and the checker.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Let the pieces decide the link to `peer` after `event`.
    fn relink(&mut self, peer: NodeId, event: TreeEvent) {
        let link = self.config.pieces.link_after(event);
        self.tree.set(peer, link);
    }

    /// Send new `entries` (from a client, or first copies from `from`) down
    /// the tree: payloads on eager links now, announcements on lazy links at
    /// the end of the round.
    pub(super) fn tree_push(
        &mut self,
        rng: &mut dyn RngCore,
        from: Option<NodeId>,
        entries: Vec<(String, Entry)>,
        out: &mut Vec<Output>,
    ) {
        if entries.is_empty() {
            return;
        }
        let peers: Vec<(NodeId, Link)> = self
            .members
            .peers()
            .map(|m| (m.id, self.tree.link(m.id)))
            .collect();
        let targets = self.config.pieces.push_targets(&peers, from);
        let addrs: Vec<_> = targets
            .eager
            .iter()
            .filter(|id| **id != self.config.id)
            .filter_map(|id| self.members.get(*id).cloned())
            .collect();
        for batch in pack_entries(entries.clone()) {
            for member in &addrs {
                let payload = Message::EagerPush {
                    entries: batch.clone(),
                };
                self.send(rng, member, payload, out);
            }
        }
        self.counters.rumors_sent += (entries.len() * addrs.len()) as u64;
        for peer in targets.lazy {
            let ids = entries.iter().map(|(key, entry)| Carried::of(key, entry));
            self.tree.announce_later(peer, ids);
        }
    }

    /// A payload arrived: merge it; first copies go on down the tree and
    /// keep the link eager, a duplicate prunes the link.
    pub(super) fn on_eager_push(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        entries: &BTreeMap<String, Entry>,
        h: &mut Handling,
    ) {
        let news_before = h.new.len();
        self.merge_entries(entries, Cause::Rumor, h);
        let fresh: Vec<(String, Entry)> = h.new[news_before..]
            .iter()
            .filter_map(|c| self.store.get(&c.key).map(|e| (c.key.clone(), e.clone())))
            .collect();
        if fresh.is_empty() {
            self.relink(from.id, TreeEvent::Duplicate);
            self.counters.prunes_sent += 1;
            self.send(rng, from, Message::Prune, &mut h.out);
        } else {
            self.relink(from.id, TreeEvent::FirstCopy);
            self.tree_push(rng, Some(from.id), fresh, &mut h.out);
        }
    }

    /// Announcements arrived: for each id we lack, wait a round for the
    /// payload, then graft.
    pub(super) fn on_i_have(&mut self, from: NodeId, ids: &[Carried], h: &mut Handling) {
        for id in ids {
            if covered(self.store.get(&id.key), id) {
                continue;
            }
            if let Some(seq) = self.tree.announced(id, from) {
                h.out.push(Output::SetTimer {
                    timer: Timer::GraftTimeout { seq },
                    after: self.config.interval,
                });
            }
        }
    }

    /// The payload announced under graft number `seq` has not come: graft
    /// the next announcer, and wait half a round for the one after.
    pub(super) fn graft_timeout(&mut self, rng: &mut dyn RngCore, seq: u64, h: &mut Handling) {
        let Some((id, mut announcers)) = self.tree.take_missing(seq) else {
            return;
        };
        if covered(self.store.get(&id.key), &id) {
            return;
        }
        let Some(peer) = announcers.pop_front() else {
            return;
        };
        self.relink(peer, TreeEvent::Missing);
        if let Some(member) = self.members.get(peer).cloned() {
            self.counters.grafts_sent += 1;
            let graft = Message::Graft {
                ids: vec![id.clone()],
            };
            self.send(rng, &member, graft, &mut h.out);
        }
        // If this one is down too, the next announcer is asked soon after.
        self.tree.still_missing(seq, id, announcers);
        h.out.push(Output::SetTimer {
            timer: Timer::GraftTimeout { seq },
            after: self.config.interval / 2,
        });
    }

    /// A peer grafted us: make the link eager and send what it asked for.
    pub(super) fn on_graft(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        ids: &[Carried],
        h: &mut Handling,
    ) {
        self.relink(from.id, TreeEvent::Graft);
        let held: Vec<(String, Entry)> = ids
            .iter()
            .filter_map(|id| {
                let entry = self.store.get(&id.key).filter(|e| covered(Some(e), id))?;
                Some((id.key.clone(), entry.clone()))
            })
            .collect();
        // As many as the answer's bound allows; the rest, at the next graft.
        let empty = Message::EagerPush {
            entries: BTreeMap::new(),
        };
        let bare = self.bare_len(&empty);
        let (batches, _) = self.answer_batches(&from.addr, held, bare, usize::MAX, |(k, e)| {
            encoded_entry_len(k, e)
        });
        for batch in batches {
            self.counters.rumors_sent += batch.len() as u64;
            let entries = batch.into_iter().collect();
            self.send(rng, from, Message::EagerPush { entries }, &mut h.out);
        }
    }

    pub(super) fn on_prune(&mut self, from: NodeId) {
        self.relink(from, TreeEvent::Prune);
    }

    /// End of a round: announce this round's new ids on the lazy links.
    pub(super) fn announce_round(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        for (peer, ids) in self.tree.take_announcements() {
            let Some(member) = self.members.get(peer).cloned() else {
                continue;
            };
            self.counters.ids_announced += ids.len() as u64;
            self.send(rng, &member, Message::IHave { ids }, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::Mode;
    use crate::sim::Network;
    use std::time::Duration;

    const N: u64 = 16;

    fn tree_cluster(seed: u64) -> Network {
        Network::formed_cluster(seed, N, |c| c.mode = Mode::Plumtree)
    }

    fn payloads(net: &Network) -> u64 {
        (1..=N)
            .filter(|id| net.is_up(*id))
            .map(|id| net.node(id).counters().rumors_sent)
            .sum()
    }

    fn everyone_has(net: &Network, key: &str, value: &str) -> bool {
        (1..=N)
            .filter(|id| net.is_up(*id))
            .all(|id| net.value(id, key) == Some(value))
    }

    /// Write `key` on `writer`; the payloads it took to reach everyone up.
    fn broadcast(net: &mut Network, writer: u64, key: &str) -> u64 {
        let before = payloads(net);
        net.update(writer, key, "v");
        net.run_until(Duration::from_secs(30), |net| everyone_has(net, key, "v"))
            .unwrap_or_else(|| panic!("{key} did not reach everyone"));
        net.run_for(Duration::from_secs(3));
        payloads(net) - before
    }

    #[test]
    fn after_the_first_broadcast_payloads_follow_a_tree() {
        let mut net = tree_cluster(1);
        net.run_for(Duration::from_secs(5));
        let first = broadcast(&mut net, 1, "first");
        assert!(first > 2 * (N - 1), "the first one floods: {first}");
        for (i, writer) in [2, 7, 16, 4, 9].into_iter().enumerate() {
            let cost = broadcast(&mut net, writer, &format!("k{i}"));
            assert_eq!(cost, N - 1, "update {i} from node {writer}");
        }
    }

    #[test]
    fn a_crashed_tree_node_is_routed_around_by_grafts() {
        let mut net = tree_cluster(2);
        net.run_for(Duration::from_secs(5));
        broadcast(&mut net, 1, "first");
        for id in [2, 3, 5] {
            net.crash(id);
        }
        for (i, writer) in [1, 8, 12].into_iter().enumerate() {
            broadcast(&mut net, writer, &format!("after-{i}"));
        }
        let grafts: u64 = (1..=N).map(|id| net.node(id).counters().grafts_sent).sum();
        assert!(
            grafts > 0,
            "the crashes broke branches that grafts repaired"
        );
    }
}
