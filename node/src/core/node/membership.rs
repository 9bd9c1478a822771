//! Joining, news about members, refuting, leaving: how a node's member list
//! changes as messages arrive (the precedence of news is
//! [`membership::overrides`](crate::core::membership::overrides), the
//! refute rule [`swim::refute`](crate::core::swim::refute)).
//!
//! ```text
//!  A ── Join {members A knows} ──▶ B     sent every round until B answers
//!  A ◀── Welcome {members B knows} ── B  both now know the union
//! ```
//!
//! Every message names its sender and carries up to
//! [`MAX_PER_MESSAGE`](crate::core::broadcast::MAX_PER_MESSAGE) pieces of
//! membership news, each sent a limited number of times.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.1 (joining) and §5.2 (which news wins).

use super::MAX_MEMBERS_PER_MESSAGE;
use super::{Handling, Node, Output};
use crate::core::broadcast::MAX_PER_MESSAGE;
use crate::core::event::Event;
use crate::core::heartbeat::DetectorKind;
use crate::core::membership::{Learned, Member, MemberStatus};
use crate::core::membership::{MAX_SECOND_HAND, MAX_SECOND_HAND_PER_SENDER};
use crate::core::message::{Accusation, Message};
use crate::core::peer_selection::choose_among;
use crate::core::version::NodeId;
use rand::RngCore;

use super::wire_len;

impl Node {
    /// Send a join to every neighbor address no known member answers at yet.
    /// A neighbor that is down is simply tried again next round.
    pub(super) fn join_unknown_neighbors(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        let unknown: Vec<String> = self
            .config
            .neighbors
            .iter()
            .filter(|addr| **addr != self.config.addr && self.members.by_addr(addr).is_none())
            .cloned()
            .collect();
        for addr in unknown {
            self.send_join(rng, &addr, None, out);
        }
    }

    /// A join to `to`: ourselves first (the one member a join must carry),
    /// then whom we know, as many as fit (in answer to a welcome, the join
    /// is bounded like any answer; see `replies.rs`).
    fn send_join(
        &mut self,
        rng: &mut dyn RngCore,
        to: &str,
        after: Option<NodeId>,
        out: &mut Vec<Output>,
    ) {
        let known: Vec<Member> = std::iter::once(self.members.me())
            .chain(self.members.peers())
            .take(MAX_MEMBERS_PER_MESSAGE)
            .cloned()
            .collect();
        let empty = Message::Join {
            members: Vec::new(),
            after,
        };
        let bare = self.bare_len(&empty);
        let (mut pages, _) = self.answer_batches(to, known, bare, MAX_MEMBERS_PER_MESSAGE, |m| {
            wire_len(m) + 1
        });
        let Some(members) = pages.drain(..).next() else {
            return;
        };
        if self.config.neighbors.iter().any(|n| n == to) {
            // A neighbor the host named: its welcome will vouch for its list.
            self.joining.insert(to.to_owned());
        }
        self.send(rng, to, Message::Join { members, after }, out);
    }

    /// A join arrived: welcome its sender with the members we know (after
    /// `after`, for the next page), as many as the answer's bound allows, in
    /// welcomes that each fit in one message. The last says `more` when
    /// members were left for another page.
    pub(super) fn on_join(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        after: Option<NodeId>,
        h: &mut Handling,
    ) {
        let page: Vec<Member> = self
            .members
            .all()
            .filter(|m| after.is_none_or(|after| m.id > after))
            .cloned()
            .collect();
        let empty = Message::Welcome {
            members: Vec::new(),
            more: true,
        };
        let bare = self.bare_len(&empty);
        let (welcomes, more) =
            self.answer_batches(&from.addr, page, bare, MAX_MEMBERS_PER_MESSAGE, |m| {
                wire_len(m) + 1
            });
        let last = welcomes.len().saturating_sub(1);
        for (i, members) in welcomes.into_iter().enumerate() {
            let more = more && i == last;
            self.send(rng, from, Message::Welcome { members, more }, &mut h.out);
        }
    }

    /// A welcome arrived; its members were learned with the message. If it
    /// says `more`, ask for the next page: a join after its last member.
    pub(super) fn on_welcome(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        members: &[Member],
        more: bool,
        h: &mut Handling,
    ) {
        // The end of its last page ends what it vouches for (a message of
        // a page that is not its last is always full).
        if !more && members.len() < MAX_MEMBERS_PER_MESSAGE {
            self.joining.remove(&*from.addr);
        }
        if let Some(last) = members.iter().map(|m| m.id).max().filter(|_| more) {
            let to = from.addr.clone();
            self.send_join(rng, &to, Some(last), &mut h.out);
        }
    }

    /// Any message teaches us about its sender. If we believe the sender is
    /// failing while it is talking to us, we tell it so (a ping carrying that
    /// belief), and it refutes.
    /// (Not with heartbeats: there each node judges on its own, and a member
    /// comes back when its heartbeat goes up, not by refuting.)
    pub(super) fn hear_from(&mut self, rng: &mut dyn RngCore, from: &Member, h: &mut Handling) {
        let swim = self.config.detector == DetectorKind::Swim;
        let doubted = self.members.get(from.id).cloned().filter(|known| {
            let failing = known.status != MemberStatus::Alive;
            swim && failing && known.incarnation >= from.incarnation
        });
        self.apply_member_news(from, from.id, h);
        if h.vouched || !swim {
            // Vouched for by the host; or, with heartbeats (no probes to be
            // answered), heard from directly.
            self.members.mark_proven(from.id);
        }
        if let Some(known) = doubted {
            if !self.broadcasts.has(known.id) {
                self.broadcasts.push(known);
                // The freshest news goes first on the next message: this ping.
                self.send(rng, from, Message::Ping { seq: 0 }, &mut h.out);
            }
        }
    }

    /// Merge news about a member, from our own probing or from a peer (`by`).
    /// News about ourselves that says we are failing is refuted. Accepted news
    /// is reported and queued to be piggybacked on.
    pub(super) fn apply_member_news(&mut self, news: &Member, by: NodeId, h: &mut Handling) {
        if news.id == self.config.id {
            self.maybe_refute(news, h);
            return;
        }
        // A member we never heard of is unproven until it answers one of
        // our probes, unless the host vouches for it (a welcome from a
        // neighbor). With heartbeats, there are no probes: news from the
        // member itself is proof enough.
        let swim = self.config.detector == DetectorKind::Swim;
        let unproven = !h.vouched && self.members.get(news.id).is_none() && (by != news.id || swim);
        if unproven && !self.room_for_unproven(news, by) {
            self.counters.members_refused += 1;
            return;
        }
        let pieces = &self.config.pieces;
        let previous = match self
            .members
            .learn_by(news, &|news, known| pieces.overrides(news, known))
        {
            Learned::Known => {
                // Not news, but maybe another accuser of a suspicion we hold.
                self.maybe_confirm(news, by, h);
                return;
            }
            Learned::New => {
                if unproven {
                    self.members.mark_unproven(news.id, by);
                    // Probed next: the sooner it answers, the sooner we gossip with it.
                    self.detector.probe_soon(news.id, by == news.id);
                }
                h.new_members.push(news.id);
                None
            }
            Learned::Changed(before) => Some(before.status),
        };
        self.suspicions.end(news.id);
        self.broadcasts.push(news.clone());
        if news.status == MemberStatus::Dead {
            h.verdicts.push((news.id, by));
        }
        if news.status == MemberStatus::Suspect {
            let accusers = self.accusers_of(news, by, h);
            self.start_suspicion(news, &accusers, h);
        }
        h.out.push(Output::Event(Event::MemberChanged {
            member: news.clone(),
            previous,
            by,
        }));
    }

    /// Whether `news`, of a member we never heard of, told us by `by` (or
    /// by itself), may be taken. Not when it is already gone (dead or left:
    /// nothing to gossip with), nor when [`MAX_SECOND_HAND`] members are
    /// unproven, or [`MAX_SECOND_HAND_PER_SENDER`] of them came from `by`,
    /// unless one of those is gone and can be forgotten to make room: then
    /// it waits until it shows up, or room does. Ten thousand fakes cannot
    /// crowd out the members that answer.
    fn room_for_unproven(&mut self, news: &Member, by: NodeId) -> bool {
        if !news.status.is_active() {
            return false;
        }
        let (all, from_by) = self.members.unproven_count(by);
        let sender_has_room =
            from_by < MAX_SECOND_HAND_PER_SENDER || self.members.forget_gone_unproven(Some(by));
        sender_has_room && (all < MAX_SECOND_HAND || self.members.forget_gone_unproven(None))
    }

    /// Someone says we are suspect or dead: say, fresher, that we are alive.
    fn maybe_refute(&mut self, news: &Member, h: &mut Handling) {
        let me = self.members.me().clone();
        let Some(incarnation) = self.config.pieces.refute(&me, news) else {
            return;
        };
        let refuted = self.members.update_me(MemberStatus::Alive, incarnation);
        self.broadcasts.push(refuted.clone());
        // Lifeguard: having to refute says others do not hear us in time.
        self.health_event(crate::core::lifeguard::HealthEvent::Refuted, h);
        let event = Event::MemberChanged {
            member: refuted,
            previous: Some(news.status),
            by: self.config.id,
        };
        h.out.push(Output::Event(event));
    }

    /// Say goodbye: mark ourselves left and tell a few members directly; the
    /// news spreads from them.
    pub(super) fn announce_leave(&mut self, rng: &mut dyn RngCore, h: &mut Handling) {
        let incarnation = self.members.me().incarnation;
        let left = self.members.update_me(MemberStatus::Left, incarnation);
        self.broadcasts.push(left.clone());
        h.out.push(Output::Event(Event::MemberChanged {
            member: left,
            previous: Some(MemberStatus::Alive),
            by: self.config.id,
        }));
        let told: Vec<Member> = choose_among(self.members.peers(), 3, rng)
            .into_iter()
            .cloned()
            .collect();
        for member in &told {
            self.send(rng, member, Message::Leave, &mut h.out);
        }
    }

    /// Membership news to ride on a message, within `room` bytes, with
    /// who accused each suspect among it.
    pub(super) fn piggyback(&mut self, room: usize) -> (Vec<Member>, Vec<Accusation>) {
        let limit = self
            .config
            .pieces
            .retransmit_limit(self.config.swim.retransmit_mult, self.members.len());
        // Both lists' brackets, and the accusations' field name.
        let mut room = room.saturating_sub(2 + ACCUSATIONS_FIELD);
        let news = self.broadcasts.take(MAX_PER_MESSAGE, limit, |member, by| {
            let one = wire_len(&Accusation {
                member: member.id,
                by: member.id,
            }) + 1;
            let bytes = wire_len(member) + 1 + one * by.len(); // and commas
            let fits = bytes <= room;
            if fits {
                room -= bytes;
            }
            fits
        });
        let accusations = news
            .iter()
            .flat_map(|(m, by)| {
                by.iter().map(|by| Accusation {
                    member: m.id,
                    by: *by,
                })
            })
            .collect();
        (news.into_iter().map(|(m, _)| m).collect(), accusations)
    }
}

/// `,"accusations":[]` in an envelope's JSON.
const ACCUSATIONS_FIELD: usize = 17;

#[cfg(test)]
mod tests {
    use super::super::Output;
    use super::*;
    use crate::core::message::{Envelope, MessageId};
    use crate::core::Config;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::time::Duration;

    fn addr(id: u64) -> String {
        format!("10.0.0.{id}:7000")
    }

    /// The addresses a node sends to: where the sender, or a target, is known,
    /// whatever address a message names for it.
    fn sent_to(outputs: &[Output]) -> Vec<String> {
        outputs
            .iter()
            .filter_map(|o| match o {
                Output::Send { to, .. } => Some(to.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn answers_and_relayed_pings_go_only_to_known_addresses() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut node = Node::new(Config::new(NodeId(1), addr(1), vec![]));
        node.know_members(&[
            Member::alive(NodeId(2), addr(2)),
            Member::alive(NodeId(3), addr(3)),
        ]);
        let elsewhere = "10.9.9.9:80";
        // Node 3 asks us to ping node 2, naming another address for it.
        let ping_req = Envelope {
            id: MessageId(1),
            from: Member::alive(NodeId(3), addr(3)),
            updates: vec![],
            accusations: Vec::new(),
            message: Message::PingReq {
                seq: 5,
                target: Member::alive(NodeId(2), elsewhere),
            },
        };
        let out = node.receive(Duration::ZERO, &mut rng, ping_req);
        assert_eq!(sent_to(&out), [addr(2)]);
        // A ping that claims to be node 2 from another address is answered at
        // node 2's known address.
        let ping = Envelope {
            id: MessageId(2),
            from: Member::alive(NodeId(2), elsewhere),
            updates: vec![],
            accusations: Vec::new(),
            message: Message::Ping { seq: 6 },
        };
        let out = node.receive(Duration::ZERO, &mut rng, ping);
        assert_eq!(sent_to(&out), [addr(2)]);
        // A ping-req for a member we do not know is not relayed at all.
        let unknown = Envelope {
            id: MessageId(3),
            from: Member::alive(NodeId(3), addr(3)),
            updates: vec![],
            accusations: Vec::new(),
            message: Message::PingReq {
                seq: 7,
                target: Member::alive(NodeId(9), elsewhere),
            },
        };
        assert!(sent_to(&node.receive(Duration::ZERO, &mut rng, unknown)).is_empty());
    }
}
