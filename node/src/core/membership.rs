//! Membership: who is in the cluster, learned by gossip.
//!
//! A node starts knowing only the *addresses* of its `--neighbors`, not their
//! ids. It sends each of them a `Join` until they answer. Every message
//! carries its sender's id and address, so a node learns a member the first
//! time it hears from it; a `Welcome` (the answer to a join) carries the whole
//! member list, and a newly learned member becomes a rumor of its own that is
//! pushed on like any other news. So a node started with one neighbor ends up
//! knowing everyone, and everyone ends up knowing it.
//!
//! This walking-skeleton membership only ever *adds* members: nothing here
//! decides that a member has died. Failure detection (SWIM) builds on top of it.

use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a node believes about one member's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Alive,
}

/// One member of the cluster as this node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: NodeId,
    /// Where to send it messages: `host:port`.
    pub addr: String,
    pub status: MemberStatus,
    /// Raised by the member itself to overrule old news about it.
    pub incarnation: u64,
}

impl Member {
    pub fn alive(id: NodeId, addr: impl Into<String>) -> Member {
        Member {
            id,
            addr: addr.into(),
            status: MemberStatus::Alive,
            incarnation: 0,
        }
    }
}

/// What [`Membership::learn`] did with a member it heard about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Learned {
    /// A member this node had never heard of.
    New,
    /// A known member with news: a new address or a higher incarnation.
    Changed,
    /// Nothing new.
    Known,
}

/// The members this node knows, itself included.
#[derive(Clone, Debug)]
pub struct Membership {
    me: NodeId,
    members: BTreeMap<NodeId, Member>,
}

impl Membership {
    pub fn new(me: Member) -> Membership {
        let id = me.id;
        Membership {
            me: id,
            members: BTreeMap::from([(id, me)]),
        }
    }

    /// Merge what a message says about a member.
    pub fn learn(&mut self, heard: &Member) -> Learned {
        if heard.id == self.me {
            // Others cannot tell us who we are.
            return Learned::Known;
        }
        match self.members.get_mut(&heard.id) {
            None => {
                self.members.insert(heard.id, heard.clone());
                Learned::New
            }
            Some(known) if heard.incarnation > known.incarnation || heard.addr != known.addr => {
                *known = heard.clone();
                Learned::Changed
            }
            Some(_) => Learned::Known,
        }
    }

    pub fn me(&self) -> &Member {
        &self.members[&self.me]
    }

    pub fn get(&self, id: NodeId) -> Option<&Member> {
        self.members.get(&id)
    }

    /// Every member, this node first among equals (sorted by id).
    pub fn all(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }

    /// Every member except this node: the candidates for peer selection.
    pub fn peers(&self) -> impl Iterator<Item = &Member> {
        self.members.values().filter(move |m| m.id != self.me)
    }

    /// The member listening at `addr`, if one is known.
    pub fn by_addr(&self, addr: &str) -> Option<&Member> {
        self.members.values().find(|m| m.addr == addr)
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_new_members_once() {
        let mut members = Membership::new(Member::alive(NodeId(1), "127.0.0.1:7001"));
        let two = Member::alive(NodeId(2), "127.0.0.1:7002");
        assert_eq!(members.learn(&two), Learned::New);
        assert_eq!(members.learn(&two), Learned::Known);
        assert_eq!(members.peers().count(), 1);
    }

    #[test]
    fn a_moved_member_is_news() {
        let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
        members.learn(&Member::alive(NodeId(2), "b:1"));
        assert_eq!(
            members.learn(&Member::alive(NodeId(2), "b:2")),
            Learned::Changed
        );
        assert_eq!(members.get(NodeId(2)).unwrap().addr, "b:2");
    }

    #[test]
    fn nobody_overrides_who_we_are() {
        let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
        assert_eq!(
            members.learn(&Member::alive(NodeId(1), "evil:1")),
            Learned::Known
        );
        assert_eq!(members.me().addr, "a:1");
    }
}
