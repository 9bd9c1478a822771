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
//! writes the two decisions:
//! [`link_after`] (which event makes a link eager or lazy) and
//! [`push_targets`] (who gets the payload, who the announcement).
//!
//! Here every member is a neighbour (the paper runs over a small partial
//! view, HyParView): fine for workshop-sized clusters, and the tree still
//! sends each payload exactly once per node.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.6 and §5.6 (the link rules).

use super::store::{Carried, Entry};
use super::version::NodeId;
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

    /// Make the link to `peer` eager or lazy.
    pub fn set(&mut self, peer: NodeId, link: Link) {
        match link {
            Link::Eager => self.lazy.remove(&peer),
            Link::Lazy => self.lazy.insert(peer),
        };
    }

    /// Announce these ids to lazy `peer` at the end of the round.
    pub fn announce_later(&mut self, peer: NodeId, ids: impl IntoIterator<Item = Carried>) {
        self.announce.entry(peer).or_default().extend(ids);
    }

    /// The round's announcements, per lazy peer; none are left waiting.
    pub fn take_announcements(&mut self) -> BTreeMap<NodeId, Vec<Carried>> {
        std::mem::take(&mut self.announce)
    }

    /// `from` announced `id`, which we lack. A graft number when this is the
    /// first announcement of it (time to wait for the payload), `None` when
    /// we already wait for it (`from` is remembered as one more announcer).
    pub fn announced(&mut self, id: &Carried, from: NodeId) -> Option<u64> {
        let waiting = self.missing.values_mut().find(|(m, _)| m == id);
        if let Some((_, announcers)) = waiting {
            if !announcers.contains(&from) {
                announcers.push_back(from);
            }
            return None;
        }
        self.next_graft += 1;
        let seq = self.next_graft;
        self.missing
            .insert(seq, (id.clone(), VecDeque::from([from])));
        Some(seq)
    }

    /// The payload awaited under graft number `seq` and the announcers not
    /// yet asked, if it is still awaited.
    pub fn take_missing(&mut self, seq: u64) -> Option<(Carried, VecDeque<NodeId>)> {
        self.missing.remove(&seq)
    }

    /// Keep waiting for `id` under graft number `seq`.
    pub fn still_missing(&mut self, seq: u64, id: Carried, announcers: VecDeque<NodeId>) {
        self.missing.insert(seq, (id, announcers));
    }
}

/// Whether `id` names what we hold for its key, or something older.
pub fn covered(entry: Option<&Entry>, id: &Carried) -> bool {
    entry.is_some_and(|e| (e.version, e.origin) >= (id.version, id.origin))
}

/// After `event` on the link to a peer, is the link eager (whole payloads)
/// or lazy (announcements)? A first copy keeps the link that brought it
/// eager; a duplicate or a prune makes it lazy; a graft, either way, makes
/// it eager again. (Exercise 09.)
pub fn link_after(event: TreeEvent) -> Link {
    match event {
        TreeEvent::FirstCopy | TreeEvent::Graft | TreeEvent::Missing => Link::Eager,
        TreeEvent::Duplicate | TreeEvent::Prune => Link::Lazy,
    }
}

/// New payloads came `from` a peer (`None`: from a client here). Of `peers`
/// (each with its link), who gets the payload now and who its announcement
/// at the end of the round? Never the peer it came from: it has it.
/// (Exercise 09.)
pub fn push_targets(peers: &[(NodeId, Link)], from: Option<NodeId>) -> Targets {
    let mut targets = Targets::default();
    for (peer, link) in peers.iter().filter(|(p, _)| Some(*p) != from) {
        match link {
            Link::Eager => targets.eager.push(*peer),
            Link::Lazy => targets.lazy.push(*peer),
        }
    }
    targets
}
