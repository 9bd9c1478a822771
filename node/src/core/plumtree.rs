//! Epidemic broadcast trees: Plumtree (Leitão, Pereira, Rodrigues, 2007).
//!
//! Push gossip is robust because it is redundant: every node sends every
//! rumor to several peers, so most copies arrive at nodes that already have
//! it. Plumtree keeps the robustness and drops the redundancy. Each node
//! splits its peers into two kinds of links:
//!
//! * **eager** links carry the whole payload at once;
//! * **lazy** links carry only an announcement, "I have (key, version,
//!   origin)", batched once a gossip round.
//!
//! ```text
//!  start: every link eager. The first update floods:
//!     A ──payload──▶ B        first copy at B: keep A eager, forward to B's other eager links
//!     C ──payload──▶ B        a duplicate: B makes C lazy and answers PRUNE; C makes B lazy
//!  after one broadcast the eager links form a spanning tree: N − 1 payloads per update
//!
//!  repair: B hears "I have x" from lazy D but no payload of x arrives in time
//!     B ──GRAFT(x)──▶ D       D makes B eager again and sends x; the tree grows a new branch
//! ```
//!
//! So payloads travel a tree (N − 1 per update instead of fanout × rounds ×
//! N), announcements keep gossip's reach, and a crashed node in the tree is
//! routed around by the first graft. `--mode plumtree` runs it; exercise 09
//! writes the two decisions in [`Pieces`](super::pieces::Pieces):
//! `link_after` (which event makes a link eager or lazy) and `push_targets`
//! (who gets the payload, who the announcement).
//!
//! Here every member is a neighbour (the paper runs over a small partial
//! view, HyParView): fine for workshop-sized clusters, and the tree still
//! sends each payload exactly once per node.

use super::event::Carried;
use super::message::{self, Message};
use super::store::Entry;
use super::version::NodeId;
use super::{Handling, Node, Output, Timer};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What a link to a peer carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// Whole payloads, at once.
    Eager,
    /// Announcements of ids, once a round.
    Lazy,
}

/// Something that happened on the link to one peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeEvent {
    /// The peer sent us a payload we did not have.
    FirstCopy,
    /// The peer sent us a payload we already had (we answer with a prune).
    Duplicate,
    /// The peer pruned its link to us.
    Prune,
    /// The peer grafted its link to us: it missed a payload.
    Graft,
    /// The peer announced a payload that never came through the tree: we
    /// graft it (ask it for the payload).
    Missing,
}

/// Who gets a payload whole and who gets its announcement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    pub eager: Vec<NodeId>,
    pub lazy: Vec<NodeId>,
}

/// A node's broadcast tree: its lazy links (every other peer is eager),
/// announcements waiting for the next round, and payloads announced to us
/// that have not arrived.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    lazy: BTreeSet<NodeId>,
    /// Ids to announce at the end of the round, per lazy peer.
    announce: BTreeMap<NodeId, Vec<Carried>>,
    /// Payloads announced but missing: graft number -> (id, announcers left).
    missing: BTreeMap<u64, (Carried, VecDeque<NodeId>)>,
    next_graft: u64,
}

impl Tree {
    /// How this node's link to `peer` is now.
    pub fn link(&self, peer: NodeId) -> Link {
        if self.lazy.contains(&peer) {
            Link::Lazy
        } else {
            Link::Eager
        }
    }

    fn set(&mut self, peer: NodeId, link: Link) {
        match link {
            Link::Eager => self.lazy.remove(&peer),
            Link::Lazy => self.lazy.insert(peer),
        };
    }
}

/// Whether `id` names what we hold for its key, or something older.
fn covered(entry: Option<&Entry>, id: &Carried) -> bool {
    entry.is_some_and(|e| (e.version, e.origin) >= (id.version, id.origin))
}

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
    pub(super) fn tree_push<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
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
            .filter_map(|id| self.members.get(*id).map(|m| m.addr.clone()))
            .collect();
        for batch in message::pack_entries(entries.clone()) {
            for addr in &addrs {
                let payload = Message::EagerPush {
                    entries: batch.clone(),
                };
                self.send(rng, addr, payload, out);
            }
        }
        self.counters.rumors_sent += (entries.len() * addrs.len()) as u64;
        for peer in targets.lazy {
            let ids = self.tree.announce.entry(peer).or_default();
            ids.extend(entries.iter().map(|(key, entry)| Carried::of(key, entry)));
        }
    }

    /// A payload arrived: merge it; first copies go on down the tree and
    /// keep the link eager, a duplicate prunes the link.
    pub(super) fn on_eager_push<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        from: &super::membership::Member,
        entries: &BTreeMap<String, Entry>,
        h: &mut Handling,
    ) {
        let news_before = h.new.len();
        self.merge_entries(entries, super::event::Cause::Rumor, h);
        let fresh: Vec<(String, Entry)> = h.new[news_before..]
            .iter()
            .filter_map(|c| self.store.get(&c.key).map(|e| (c.key.clone(), e.clone())))
            .collect();
        if fresh.is_empty() {
            self.relink(from.id, TreeEvent::Duplicate);
            self.counters.prunes_sent += 1;
            self.send(rng, &from.addr, Message::Prune, &mut h.out);
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
            let waiting = self.tree.missing.values_mut().find(|(m, _)| m == id);
            if let Some((_, announcers)) = waiting {
                if !announcers.contains(&from) {
                    announcers.push_back(from);
                }
                continue;
            }
            self.tree.next_graft += 1;
            let seq = self.tree.next_graft;
            self.tree
                .missing
                .insert(seq, (id.clone(), VecDeque::from([from])));
            h.out.push(Output::SetTimer {
                timer: Timer::GraftTimeout { seq },
                after: self.config.interval,
            });
        }
    }

    /// The payload announced under graft number `seq` has not come: graft
    /// the next announcer, and wait half a round for the one after.
    pub(super) fn graft_timeout<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        seq: u64,
        h: &mut Handling,
    ) {
        let Some((id, mut announcers)) = self.tree.missing.remove(&seq) else {
            return;
        };
        if covered(self.store.get(&id.key), &id) {
            return;
        }
        let Some(peer) = announcers.pop_front() else {
            return;
        };
        self.relink(peer, TreeEvent::Missing);
        if let Some(addr) = self.members.get(peer).map(|m| m.addr.clone()) {
            self.counters.grafts_sent += 1;
            let graft = Message::Graft {
                ids: vec![id.clone()],
            };
            self.send(rng, &addr, graft, &mut h.out);
        }
        // If this one is down too, the next announcer is asked soon after.
        self.tree.missing.insert(seq, (id, announcers));
        h.out.push(Output::SetTimer {
            timer: Timer::GraftTimeout { seq },
            after: self.config.interval / 2,
        });
    }

    /// A peer grafted us: make the link eager and send what it asked for.
    pub(super) fn on_graft<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        from: &super::membership::Member,
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
        self.counters.rumors_sent += held.len() as u64;
        for entries in message::pack_entries(held) {
            self.send(rng, &from.addr, Message::EagerPush { entries }, &mut h.out);
        }
    }

    pub(super) fn on_prune(&mut self, from: NodeId) {
        self.relink(from, TreeEvent::Prune);
    }

    /// End of a round: announce this round's new ids on the lazy links.
    pub(super) fn announce_round<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut Vec<Output>) {
        let announce = std::mem::take(&mut self.tree.announce);
        for (peer, ids) in announce {
            let Some(addr) = self.members.get(peer).map(|m| m.addr.clone()) else {
                continue;
            };
            self.counters.ids_announced += ids.len() as u64;
            self.send(rng, &addr, Message::IHave { ids }, out);
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
