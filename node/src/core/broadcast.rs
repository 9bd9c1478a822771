//! The broadcast queue: membership news, piggybacked and retransmitted a
//! limited number of times.
//!
//! SWIM does not send membership news in messages of its own. It piggybacks
//! them on the pings, acks and gossip a node sends anyway, so spreading news
//! costs no extra messages. Each piece of news is sent a limited number of
//! times, about λ·log(N+1) (memberlist's `RetransmitMult` × ⌈log10(N+1)⌉):
//! enough for an epidemic to reach everyone with high probability, and then
//! it stops, so traffic stays bounded however much changes.
//!
//! Which news goes first matters when there is more than fits: like
//! memberlist's transmit-limited queue we send the least-sent news first and,
//! among equals, the newest. Fresh news about a member replaces older queued
//! news about the same member. (A storm of restarts is exactly when this
//! bounding and ordering keeps gossip from drowning the network.)
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §5.3 (retransmit limit and suspicion timeout).

use super::membership::Member;
use super::version::NodeId;
use std::time::Duration;

/// Most pieces of news piggybacked on one message.
pub const MAX_PER_MESSAGE: usize = 8;

/// Most accusers named with one suspect (memberlist's K is 2 by default:
/// the first accuser and two confirmations, and one to spare).
pub const MAX_ACCUSERS: usize = 4;

/// How many times each piece of news is sent: `mult × ⌈log10(n + 1)⌉`
/// (memberlist), enough to reach everyone, never unbounded. (Exercise 07.)
pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    let scale = ((members + 1) as f64).log10().ceil().max(1.0);
    mult * scale as u32
}

/// How long a suspect may go unrefuted before it is declared dead:
/// `mult × max(1, log10(n)) × probe interval` (memberlist's formula).
/// (Exercise 07.)
pub fn suspicion_timeout(mult: u32, members: usize, probe_interval: Duration) -> Duration {
    let scale = (members.max(1) as f64).log10().max(1.0);
    probe_interval.mul_f64(mult as f64 * scale)
}

#[derive(Clone, Debug)]
struct Queued {
    member: Member,
    /// For a suspect: who accused it (Lifeguard's confirmations), at most
    /// [`MAX_ACCUSERS`].
    accusers: Vec<NodeId>,
    transmits: u32,
    /// Higher is newer.
    order: u64,
}

/// News waiting to be piggybacked.
#[derive(Clone, Debug, Default)]
pub struct BroadcastQueue {
    queued: Vec<Queued>,
    next_order: u64,
}

impl BroadcastQueue {
    /// Queue news about a member, replacing older news about the same member.
    pub fn push(&mut self, member: Member) {
        self.push_accused(member, None);
    }

    /// Queue news about a member and, for a suspect, who accused it. The
    /// same suspicion queued already gains the accuser, and goes out afresh:
    /// an accusation not sent yet is never lost to a later one (several
    /// nodes often accuse a crashed member within one round).
    pub fn push_accused(&mut self, member: Member, accuser: Option<NodeId>) {
        let mut accusers: Vec<NodeId> = Vec::new();
        if let Some(same) = self.queued.iter().find(|q| {
            q.member.id == member.id
                && q.member.status == member.status
                && q.member.incarnation == member.incarnation
        }) {
            accusers = same.accusers.clone();
        }
        if let Some(accuser) = accuser.filter(|a| !accusers.contains(a)) {
            if accusers.len() == MAX_ACCUSERS {
                accusers.remove(0);
            }
            accusers.push(accuser);
        }
        if accuser.is_none() {
            accusers.clear();
        }
        self.queued.retain(|q| q.member.id != member.id);
        self.next_order += 1;
        self.queued.push(Queued {
            member,
            accusers,
            transmits: 0,
            order: self.next_order,
        });
    }

    /// Take up to `max` pieces of news for one message: least sent first,
    /// then newest, while each `fits` (the room left in the message). Each
    /// counts one transmission; news sent `limit` times is dropped. Each
    /// comes with its accusers, if it has any.
    pub fn take(
        &mut self,
        max: usize,
        limit: u32,
        mut fits: impl FnMut(&Member, &[NodeId]) -> bool,
    ) -> Vec<(Member, Vec<NodeId>)> {
        self.queued
            .sort_by(|a, b| a.transmits.cmp(&b.transmits).then(b.order.cmp(&a.order)));
        let mut taken = Vec::new();
        for queued in self.queued.iter_mut().take(max) {
            if !fits(&queued.member, &queued.accusers) {
                break;
            }
            queued.transmits += 1;
            taken.push((queued.member.clone(), queued.accusers.clone()));
        }
        self.queued.retain(|q| q.transmits < limit);
        taken
    }

    /// Whether news about `id` is still queued.
    pub fn has(&self, id: NodeId) -> bool {
        self.queued.iter().any(|q| q.member.id == id)
    }

    pub fn len(&self) -> usize {
        self.queued.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queued.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: u64) -> Member {
        Member::alive(NodeId(id), format!("h:{id}"))
    }

    #[test]
    fn memberlist_values() {
        // memberlist: RetransmitMult 4, SuspicionMult 4.
        assert_eq!(retransmit_limit(4, 4), 4);
        assert_eq!(retransmit_limit(4, 100), 12);
        assert_eq!(retransmit_limit(4, 1000), 16);
        assert_eq!(retransmit_limit(4, 10_000), 20);
        let second = Duration::from_secs(1);
        assert_eq!(suspicion_timeout(4, 4, second), Duration::from_secs(4));
        assert_eq!(suspicion_timeout(4, 100, second), Duration::from_secs(8));
        assert_eq!(suspicion_timeout(4, 1000, second), Duration::from_secs(12));
        assert_eq!(
            suspicion_timeout(4, 10_000, second),
            Duration::from_secs(16)
        );
    }

    #[test]
    fn news_is_sent_limit_times_then_dropped() {
        let mut queue = BroadcastQueue::default();
        queue.push(member(1));
        let sent: usize = (0..10).map(|_| queue.take(8, 3, |_, _| true).len()).sum();
        assert_eq!(sent, 3);
        assert!(queue.is_empty());
    }

    #[test]
    fn least_sent_and_newest_go_first() {
        let mut queue = BroadcastQueue::default();
        queue.push(member(1));
        queue.push(member(2));
        assert_eq!(
            queue.take(1, 5, |_, _| true)[0].0.id,
            NodeId(2),
            "newest first"
        );
        assert_eq!(
            queue.take(1, 5, |_, _| true)[0].0.id,
            NodeId(1),
            "then the least sent"
        );
        queue.push(member(3));
        assert_eq!(queue.take(1, 5, |_, _| true)[0].0.id, NodeId(3));
    }

    #[test]
    fn fresh_news_replaces_old_news_about_the_same_member() {
        let mut queue = BroadcastQueue::default();
        queue.push(member(1));
        let mut suspect = member(1);
        suspect.status = super::super::membership::MemberStatus::Suspect;
        queue.push_accused(suspect.clone(), Some(NodeId(7)));
        queue.push_accused(suspect.clone(), Some(NodeId(8)));
        assert_eq!(queue.len(), 1);
        assert_eq!(
            queue.take(8, 4, |_, _| true),
            vec![(suspect.clone(), vec![NodeId(7), NodeId(8)])],
            "the same suspicion keeps every accuser"
        );
        // News that changes the member forgets the accusers.
        queue.push(member(1));
        assert_eq!(queue.take(8, 4, |_, _| true), vec![(member(1), vec![])]);
    }
}
