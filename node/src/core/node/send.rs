//! Sending: every message a node sends leaves through [`Node::send`]. It
//! is wrapped in an envelope from this node, pays for itself when it
//! answers the message being handled (see `replies.rs`), and carries as
//! much membership news as there is room for (see `broadcast`).

use super::{wire_len, Node, Output};
use crate::core::membership::Member;
use crate::core::message::{Envelope, Message, MessageId};
use crate::core::version::NodeId;
use rand::RngCore;

impl Node {
    /// Send `message` to `to`, with membership news piggybacked on it.
    pub(super) fn send<'a>(
        &mut self,
        rng: &mut dyn RngCore,
        to: impl Into<Recipient<'a>>,
        message: Message,
        out: &mut Vec<Output>,
    ) {
        self.send_with_news(rng, to.into(), message, true, out);
    }

    /// Send `message` to `member` with, first of its news, what we believe
    /// of `member` itself (Lifeguard's buddy system: a suspect learns it is
    /// suspected from the ping, not rounds later from gossip).
    pub(super) fn send_first_telling(
        &mut self,
        rng: &mut dyn RngCore,
        member: &Member,
        message: Message,
        out: &mut Vec<Output>,
    ) {
        self.send(rng, member, message, out);
        if let Some(Output::Send { envelope, .. }) = out.last_mut() {
            envelope.updates.retain(|m| m.id != member.id);
            envelope.updates.insert(0, member.clone());
        }
    }

    /// Pass a ping or ack on for someone else, with no news of ours on it:
    /// a relay costs what the message it relays costs.
    pub(super) fn relay<'a>(
        &mut self,
        rng: &mut dyn RngCore,
        to: impl Into<Recipient<'a>>,
        message: Message,
        out: &mut Vec<Output>,
    ) {
        self.send_with_news(rng, to.into(), message, false, out);
    }

    fn send_with_news(
        &mut self,
        rng: &mut dyn RngCore,
        to: Recipient<'_>,
        message: Message,
        news: bool,
        out: &mut Vec<Output>,
    ) {
        let mut envelope = Envelope {
            id: MessageId::random(rng),
            from: self.members.me().clone(),
            updates: Vec::new(),
            accusations: Vec::new(),
            message,
        };
        // An answer pays for itself out of the budget, news last.
        let Some(room) = self.pay_for_send(to.addr, wire_len(&envelope)) else {
            return;
        };
        if news {
            (envelope.updates, envelope.accusations) = self.piggyback(room);
        }
        let news = wire_len(&envelope.updates) + wire_len(&envelope.accusations);
        self.pay_for_news(to.addr, news);
        out.push(Output::Send {
            to: to.addr.to_owned(),
            to_id: to.id,
            envelope,
        });
    }
}

/// Whom a message goes to: an address, and the member there if known.
pub(super) struct Recipient<'a> {
    addr: &'a str,
    id: Option<NodeId>,
}

impl<'a> From<&'a Member> for Recipient<'a> {
    fn from(member: &'a Member) -> Recipient<'a> {
        Recipient {
            addr: &member.addr,
            id: Some(member.id),
        }
    }
}

/// A bare address: a neighbor from the command line, not yet met.
impl<'a> From<&'a str> for Recipient<'a> {
    fn from(addr: &'a str) -> Recipient<'a> {
        Recipient { addr, id: None }
    }
}
