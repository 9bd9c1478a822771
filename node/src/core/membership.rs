//! Membership: who is in the cluster, and what each node believes about them.
//!
//! A node starts knowing only the *addresses* of its `--neighbors`, not their
//! ids. It sends each of them a `Join` until they answer. Every message
//! carries its sender, so a node learns a member the first time it hears from
//! it; a `Welcome` (the answer to a join) carries the whole member list. News
//! about members (joined, suspected, dead, left) then travels piggybacked on
//! the messages nodes send anyway (see [`broadcast`](super::broadcast)).
//!
//! Each member has a **status** and an **incarnation** number. Only the member
//! itself raises its incarnation: to refute a suspicion ("I am alive, and
//! newer than that rumor") and when it restarts. News about a member replaces
//! what we know only if it is fresher, by these rules (SWIM, §4.2):
//!
//! | we know       | news                  | taken when              |
//! |---------------|-----------------------|-------------------------|
//! | any status, i | alive, j              | j > i                   |
//! | alive, i      | suspect, j            | j >= i                  |
//! | suspect, i    | suspect, j            | j > i                   |
//! | alive or suspect, i | dead or left, j | j >= i                  |
//!
//! So old rumors can never overwrite new ones, and every node ends with the
//! same view once the news has spread.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §5.2 (membership news and refutation).

use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a node believes about one member's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Answers, as far as we know.
    Alive,
    /// Did not answer a probe, directly or through others; may still refute.
    Suspect,
    /// Suspected for longer than the suspicion timeout: considered crashed.
    Dead,
    /// Said goodbye (Ctrl+C, SIGTERM): gone on purpose, not failed.
    Left,
}

impl MemberStatus {
    /// Whether a member with this status takes part: is probed and gossiped to.
    pub fn is_active(self) -> bool {
        matches!(self, MemberStatus::Alive | MemberStatus::Suspect)
    }
}

/// One member of the cluster as this node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: NodeId,
    /// Where to send it messages: `host:port`. Shared, not copied: a
    /// simulated cluster of 10,000 nodes holds 10^8 member records.
    pub addr: Arc<str>,
    pub status: MemberStatus,
    /// Raised by the member itself to overrule old news about it.
    pub incarnation: u64,
}

impl Member {
    pub fn alive(id: NodeId, addr: impl Into<Arc<str>>) -> Member {
        Member {
            id,
            addr: addr.into(),
            status: MemberStatus::Alive,
            incarnation: 0,
        }
    }
}

/// Does this `news` about a member beat what we know of it (`known`)? SWIM's
/// precedence, the table above: alive news needs a higher incarnation,
/// suspect beats alive at the same incarnation, dead and left beat alive and
/// suspect at the same one, and nothing but a higher alive brings back the
/// dead or the departed. (Exercise 06.)
pub fn overrides(news: &Member, known: &Member) -> bool {
    use MemberStatus::*;
    let (new, old) = (news.incarnation, known.incarnation);
    match (known.status, news.status) {
        (_, Alive) => new > old,
        (Alive, Suspect) => new >= old,
        (Suspect, Suspect) => new > old,
        (Alive | Suspect, Dead | Left) => new >= old,
        (Dead | Left, Suspect | Dead | Left) => false,
    }
}

/// The highest incarnation news of a failure may carry. Incarnations start
/// at a life's start time in milliseconds (about 2^41 today) and grow by one
/// per refutation; this is far beyond, and far below `u64::MAX`, so a
/// refutation (one more) never overflows.
pub const MAX_INCARNATION: u64 = 1 << 62;

/// How far past what a node knows of a member news may put its incarnation:
/// 2^40 ms, about 35 years of restarts. A forged verdict can move a member
/// only this far per message, and the member can always refute it.
pub const MAX_INCARNATION_JUMP: u64 = 1 << 40;

/// Most members a node knows only second-hand (from others' lists and news,
/// never heard from directly). News of more is left out until some answer:
/// ten thousand names in a few messages cannot crowd out the members that
/// do answer, nor grow a member list without bound.
pub const MAX_SECOND_HAND: usize = 256;

/// Most of those one sender may have told us of: one member's lists cannot
/// take all the room the others' news needs.
pub const MAX_SECOND_HAND_PER_SENDER: usize = 64;

/// Could this `news` about a member be true, given what we `known` of it
/// (`None`: a member we never heard of)? Its incarnation must be within
/// [`MAX_INCARNATION_JUMP`] of the known one, and at most
/// [`MAX_INCARNATION`] (one more for "alive": a refutation of the highest
/// verdict must still be believed).
pub fn plausible(news: &Member, known: Option<&Member>) -> bool {
    let ceiling = match news.status {
        MemberStatus::Alive => MAX_INCARNATION + 1,
        _ => MAX_INCARNATION,
    };
    let reach = known.map_or(u64::MAX, |k| {
        k.incarnation.saturating_add(MAX_INCARNATION_JUMP)
    });
    news.incarnation <= ceiling.min(reach)
}

/// What [`Membership::learn`] did with news about a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Learned {
    /// A member this node had never heard of.
    New,
    /// Fresher news about a known member; carries what we believed before.
    Changed(Member),
    /// Nothing new.
    Known,
}

/// The members this node knows, itself included, in a vector sorted by id:
/// lookups are binary searches, and the list costs no more memory than the
/// records themselves (members join rarely; lookups happen on every message).
///
/// A member known only second-hand is **unproven** until it is heard from:
/// probes go to it (that is how it is proven, or found dead), but gossip
/// does not, so a list of names that never answer cannot swallow the
/// rounds meant for members that do.
#[derive(Clone, Debug)]
pub struct Membership {
    me: NodeId,
    members: Vec<Member>,
    /// Unproven members, and who told us of each.
    unproven: BTreeMap<NodeId, NodeId>,
}

impl Membership {
    pub fn new(me: Member) -> Membership {
        Membership {
            me: me.id,
            members: vec![me],
            unproven: BTreeMap::new(),
        }
    }

    fn position(&self, id: NodeId) -> Result<usize, usize> {
        self.members.binary_search_by_key(&id, |m| m.id)
    }

    /// Merge news about another member. (News about ourselves is the SWIM
    /// layer's business: it refutes instead.)
    pub fn learn(&mut self, heard: &Member) -> Learned {
        self.learn_by(heard, &overrides)
    }

    /// [`Membership::learn`], with `overrides` deciding whether news beats
    /// what we know (exercise 06 plugs in here).
    pub fn learn_by(
        &mut self,
        heard: &Member,
        overrides: &dyn Fn(&Member, &Member) -> bool,
    ) -> Learned {
        if heard.id == self.me {
            return Learned::Known;
        }
        let at = match self.position(heard.id) {
            Err(at) => {
                self.members.insert(at, heard.clone());
                return Learned::New;
            }
            Ok(at) => at,
        };
        let known = &mut self.members[at];
        // Only fresher news replaces. A member that moves to a new address
        // restarts, with a higher incarnation; the same news from another
        // address is someone else's claim, and must not redirect its traffic.
        if overrides(heard, known) {
            Learned::Changed(std::mem::replace(known, heard.clone()))
        } else {
            Learned::Known
        }
    }

    /// Merge a whole list of members. A node that knows only itself takes
    /// the list in one go (a sort instead of a search per member).
    pub fn learn_all(&mut self, heard: &[Member]) {
        if self.members.len() > 1 {
            for member in heard {
                self.learn(member);
            }
            return;
        }
        let mut all = Vec::with_capacity(heard.len() + 1);
        all.push(self.members[0].clone());
        all.extend(heard.iter().filter(|m| m.id != self.me).cloned());
        // Stable: for an id listed twice, the first listing stays.
        all.sort_by_key(|m| m.id);
        all.dedup_by_key(|m| m.id);
        self.members = all;
    }

    /// Change our own entry (a refutation, or leaving).
    pub fn update_me(&mut self, status: MemberStatus, incarnation: u64) -> Member {
        let at = self.position(self.me).expect("we are always a member");
        let me = &mut self.members[at];
        me.status = status;
        me.incarnation = incarnation;
        me.clone()
    }

    /// Set a member's status without the precedence rules: a node's own
    /// local verdict (the heartbeat detector's). Returns the member as it is
    /// now and its status before, or `None` if unknown or unchanged.
    pub fn set_status(
        &mut self,
        id: NodeId,
        status: MemberStatus,
    ) -> Option<(Member, MemberStatus)> {
        let i = self.position(id).ok()?;
        let member = &mut self.members[i];
        if member.status == status {
            return None;
        }
        let previous = std::mem::replace(&mut member.status, status);
        Some((member.clone(), previous))
    }

    pub fn me(&self) -> &Member {
        self.get(self.me).expect("we are always a member")
    }

    pub fn get(&self, id: NodeId) -> Option<&Member> {
        self.position(id).ok().map(|at| &self.members[at])
    }

    /// Every member, this node among them (sorted by id).
    pub fn all(&self) -> impl Iterator<Item = &Member> {
        self.members.iter()
    }

    /// The other members that take part (alive or suspect) and have been
    /// heard from: the candidates for gossip.
    pub fn peers(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(move |m| self.is_peer(m))
    }

    /// Whether `member` is one of [`Membership::peers`].
    pub fn is_peer(&self, member: &Member) -> bool {
        member.id != self.me && member.status.is_active() && !self.unproven.contains_key(&member.id)
    }

    /// Every other member that takes part, proven or not: whom probes go to.
    pub fn active(&self) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(move |m| m.id != self.me && m.status.is_active())
    }

    /// `id` was told of by `by`, never heard from itself.
    pub fn mark_unproven(&mut self, id: NodeId, by: NodeId) {
        if id != self.me && self.get(id).is_some() {
            self.unproven.insert(id, by);
        }
    }

    /// `id` was heard from (or vouched for by the host).
    pub fn mark_proven(&mut self, id: NodeId) {
        self.unproven.remove(&id);
    }

    pub fn is_unproven(&self, id: NodeId) -> bool {
        self.unproven.contains_key(&id)
    }

    /// How many members are unproven, and how many of them `by` told us of.
    pub fn unproven_count(&self, by: NodeId) -> (usize, usize) {
        let from_by = self.unproven.values().filter(|b| **b == by).count();
        (self.unproven.len(), from_by)
    }

    /// Forget one unproven member that is gone (dead or left without ever
    /// answering), one that `by` told us of if given: its room goes to news
    /// of others. `false` if there is none.
    pub fn forget_gone_unproven(&mut self, by: Option<NodeId>) -> bool {
        let gone = self.unproven.iter().find(|(id, teller)| {
            by.is_none_or(|by| **teller == by)
                && self.get(**id).is_some_and(|m| !m.status.is_active())
        });
        let Some((&id, _)) = gone else {
            return false;
        };
        self.unproven.remove(&id);
        if let Ok(at) = self.position(id) {
            self.members.remove(at);
        }
        true
    }

    /// Every member as a slice sorted by id, for picking by position.
    pub fn list(&self) -> &[Member] {
        &self.members
    }

    /// This node's own id.
    pub fn me_id(&self) -> NodeId {
        self.me
    }

    /// The member listening at `addr`, if one is known.
    pub fn by_addr(&self, addr: &str) -> Option<&Member> {
        self.members.iter().find(|m| &*m.addr == addr)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

#[cfg(test)]
mod tests;
