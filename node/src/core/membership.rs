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

use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

    /// Whether this news about a member overrides `known` (see the table above).
    pub fn overrides(&self, known: &Member) -> bool {
        use MemberStatus::*;
        let (new, old) = (self.incarnation, known.incarnation);
        match (known.status, self.status) {
            (_, Alive) => new > old,
            (Alive, Suspect) => new >= old,
            (Suspect, Suspect) => new > old,
            (Alive | Suspect, Dead | Left) => new >= old,
            (Dead | Left, Suspect | Dead | Left) => false,
        }
    }
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

    /// Merge news about another member. (News about ourselves is the SWIM
    /// layer's business: it refutes instead.)
    pub fn learn(&mut self, heard: &Member) -> Learned {
        if heard.id == self.me {
            return Learned::Known;
        }
        match self.members.get_mut(&heard.id) {
            None => {
                self.members.insert(heard.id, heard.clone());
                Learned::New
            }
            Some(known) if heard.overrides(known) => {
                Learned::Changed(std::mem::replace(known, heard.clone()))
            }
            Some(known)
                if heard.status == known.status
                    && heard.incarnation == known.incarnation
                    && heard.addr != known.addr =>
            {
                // Same news, new address: the member moved.
                Learned::Changed(std::mem::replace(known, heard.clone()))
            }
            Some(_) => Learned::Known,
        }
    }

    /// Change our own entry (a refutation, or leaving).
    pub fn update_me(&mut self, status: MemberStatus, incarnation: u64) -> Member {
        let me = self
            .members
            .get_mut(&self.me)
            .expect("we are always a member");
        me.status = status;
        me.incarnation = incarnation;
        me.clone()
    }

    pub fn me(&self) -> &Member {
        &self.members[&self.me]
    }

    pub fn get(&self, id: NodeId) -> Option<&Member> {
        self.members.get(&id)
    }

    /// Every member, this node among them (sorted by id).
    pub fn all(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }

    /// The other members that take part (alive or suspect): the candidates
    /// for gossip and probes.
    pub fn peers(&self) -> impl Iterator<Item = &Member> {
        self.members
            .values()
            .filter(move |m| m.id != self.me && m.status.is_active())
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
    use MemberStatus::*;

    fn news(status: MemberStatus, incarnation: u64) -> Member {
        Member {
            id: NodeId(2),
            addr: "b:1".into(),
            status,
            incarnation,
        }
    }

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
        assert!(matches!(
            members.learn(&Member::alive(NodeId(2), "b:2")),
            Learned::Changed(_)
        ));
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

    #[test]
    fn the_swim_precedence_rules() {
        assert!(
            news(Suspect, 3).overrides(&news(Alive, 3)),
            "suspect beats alive of the same incarnation"
        );
        assert!(
            !news(Alive, 3).overrides(&news(Suspect, 3)),
            "only a refutation (higher) clears a suspicion"
        );
        assert!(news(Alive, 4).overrides(&news(Suspect, 3)));
        assert!(!news(Suspect, 3).overrides(&news(Suspect, 3)));
        assert!(news(Dead, 3).overrides(&news(Suspect, 3)));
        assert!(
            !news(Suspect, 9).overrides(&news(Dead, 3)),
            "the dead stay dead..."
        );
        assert!(
            news(Alive, 4).overrides(&news(Dead, 3)),
            "...until they come back newer"
        );
        assert!(news(Left, 0).overrides(&news(Alive, 0)));
        assert!(!news(Alive, 2).overrides(&news(Alive, 2)));
    }

    #[test]
    fn dead_and_left_members_are_not_peers() {
        let mut members = Membership::new(Member::alive(NodeId(1), "a:1"));
        members.learn(&news(Alive, 0));
        members.learn(&news(Dead, 0));
        assert_eq!(members.peers().count(), 0);
        assert_eq!(members.len(), 2, "still listed, with its status");
    }
}
