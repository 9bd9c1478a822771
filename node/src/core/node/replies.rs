//! Answers: what one message may make a node send back.
//!
//! Some messages are questions: a digest asks "what do I lack?", a pull
//! "what is hot?", a join "whom do you know?". Answered in full, a 200-byte
//! question can bring back a whole store, and a node that does so is an
//! amplifier: whoever can make it answer can make it shout. So the answers
//! to one message, together, are at most [`REPLY_FACTOR`] times that
//! message's bytes (the rule QUIC sets for a server that has not yet
//! checked its client's address, RFC 9000 §8.1, with a factor of 3).
//!
//! Nothing is lost by this, only spread out. What does not fit waits for
//! the next question: anti-entropy's next exchange, the next round's pull,
//! the next page of a join (a welcome that says `more`, answered by a join
//! that carries everything the joiner has learned, so pages grow as they
//! go). Piggybacked membership news on an answer takes only the room left.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4 (every answer is bounded).

use super::Node;
use crate::core::message::{Envelope, Message, MessageId, ENTRY_BUDGET};
use serde::Serialize;
use std::io;

/// The answers to one message are at most this many times its bytes.
pub const REPLY_FACTOR: usize = 3;

/// Bytes a value takes in a message's JSON, counted without building it.
pub fn wire_len<T: Serialize + ?Sized>(value: &T) -> usize {
    struct Counter(usize);
    impl io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing to a counter cannot fail; a value serde cannot write counts 0.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// What is left to answer the message being handled with, and to where.
#[derive(Debug)]
pub(super) struct ReplyBudget {
    to: String,
    left: usize,
    /// Bytes [`Node::answer_batches`] set aside for messages not sent yet.
    prepaid: usize,
}

impl Node {
    /// Bytes of `message` in an envelope from us, before piggybacked news:
    /// what each message of an answer costs before its items.
    pub(super) fn bare_len(&self, message: &Message) -> usize {
        wire_len(&Envelope {
            id: MessageId(u64::MAX),
            from: self.members.me().clone(),
            updates: Vec::new(),
            accusations: Vec::new(),
            message: message.clone(),
        })
    }

    /// Handling a message of `asked` bytes begins: its answers, to `to`,
    /// may take [`REPLY_FACTOR`] times that.
    pub(super) fn open_reply_budget(&mut self, to: &str, asked: usize) {
        self.reply = Some(ReplyBudget {
            to: to.to_owned(),
            left: REPLY_FACTOR.saturating_mul(asked),
            prepaid: 0,
        });
    }

    /// Handling is over: what is sent from now on answers nobody.
    pub(super) fn close_reply_budget(&mut self) {
        self.reply = None;
    }

    /// Bytes still free for answers to `to`, if a message from `to` is being
    /// answered (`None`: not an answer, no budget).
    fn reply_left(&self, to: &str) -> Option<usize> {
        self.reply
            .as_ref()
            .filter(|budget| budget.to == to)
            .map(|budget| budget.left)
    }

    /// A message of `bytes` (before piggybacked news) is about to go to
    /// `to`: pay for it, and say how many bytes of news may ride on it.
    /// `None`: it answers the message being handled and does not fit, so
    /// it is not sent.
    pub(super) fn pay_for_send(&mut self, to: &str, bytes: usize) -> Option<usize> {
        let Some(budget) = self.reply.as_mut().filter(|budget| budget.to == to) else {
            return Some(usize::MAX);
        };
        let from_prepaid = bytes.min(budget.prepaid);
        budget.prepaid -= from_prepaid;
        let due = bytes - from_prepaid;
        if due > budget.left {
            self.counters.replies_cut += 1;
            return None;
        }
        budget.left -= due;
        Some(budget.left)
    }

    /// Piggybacked news of `bytes` rode on a message to `to`: paid for
    /// when that message answers the one being handled.
    pub(super) fn pay_for_news(&mut self, to: &str, bytes: usize) {
        if let Some(budget) = self.reply.as_mut().filter(|budget| budget.to == to) {
            budget.left = budget.left.saturating_sub(bytes);
        }
    }

    /// Split `items` into the messages of an answer to `to`: each message
    /// `bare` bytes before its items, at most `per_message` items and
    /// [`ENTRY_BUDGET`] bytes of them, and all of them within what is left
    /// of the budget. Also says whether items were left out. Outside an
    /// answer, every item goes.
    pub(super) fn answer_batches<T>(
        &mut self,
        to: &str,
        items: Vec<T>,
        bare: usize,
        per_message: usize,
        size: impl Fn(&T) -> usize,
    ) -> (Vec<Vec<T>>, bool) {
        let mut left = self.reply_left(to).unwrap_or(usize::MAX);
        let mut batches: Vec<Vec<T>> = Vec::new();
        let mut used = 0;
        let mut cut = false;
        for item in items {
            let bytes = size(&item);
            let full = batches
                .last()
                .is_none_or(|b| b.len() >= per_message || used + bytes > ENTRY_BUDGET);
            let cost = if full { bare + bytes } else { bytes };
            if cost > left {
                cut = true;
                break;
            }
            left -= cost;
            if full {
                batches.push(Vec::new());
                used = 0;
            }
            used += bytes;
            batches
                .last_mut()
                .expect("a batch was just opened")
                .push(item);
        }
        if let Some(budget) = self.reply.as_mut().filter(|budget| budget.to == to) {
            let reserved = budget.left - left;
            budget.left = left;
            budget.prepaid += reserved;
        }
        if cut {
            self.counters.replies_cut += 1;
        }
        (batches, cut)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Output, Timer};
    use super::*;
    use crate::core::digest::Digest;
    use crate::core::membership::Member;
    use crate::core::store::Carried;
    use crate::core::version::NodeId;
    use crate::core::Config;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::time::Duration;

    fn addr(id: u64) -> String {
        format!("10.0.0.{}:{}", id / 250, 7000 + id % 250)
    }

    fn node(id: u64, neighbors: &[u64]) -> Node {
        let neighbors = neighbors.iter().map(|n| addr(*n)).collect();
        Node::new(Config::new(NodeId(id), addr(id), neighbors))
    }

    /// Node 1 holding `entries` entries and knowing `members` members.
    fn big_node(entries: usize, members: u64, rng: &mut StdRng) -> Node {
        let mut node = node(1, &[]);
        let known: Vec<Member> = (2..2 + members)
            .map(|id| Member::alive(NodeId(id), addr(id)))
            .collect();
        node.know_members(&known);
        for i in 0..entries {
            let value = format!("value {i} with some words in it");
            node.client_update(Duration::ZERO, rng, &format!("key{i:05}"), &value)
                .unwrap();
        }
        node
    }

    fn question(message: Message) -> Envelope {
        Envelope {
            id: MessageId(1),
            from: Member::alive(NodeId(2), addr(2)),
            updates: Vec::new(),
            accusations: Vec::new(),
            message,
        }
    }

    /// The bytes of what `outputs` send to `to`, and how many messages.
    fn sent_to(outputs: &[Output], to: &str) -> (usize, usize) {
        let sends = outputs.iter().filter_map(|o| match o {
            Output::Send {
                to: t, envelope, ..
            } if t == to => Some(wire_len(envelope)),
            _ => None,
        });
        sends.fold((0, 0), |(bytes, n), b| (bytes + b, n + 1))
    }

    #[test]
    fn every_answer_stays_within_three_times_its_question() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut node = big_node(2000, 600, &mut rng);
        let keys: Vec<String> = (0..300).map(|i| format!("key{i:05}")).collect();
        let ids = keys
            .iter()
            .map(|k| Carried {
                key: k.clone(),
                version: node.store().get(k).unwrap().version,
                origin: NodeId(1),
            })
            .collect();
        let questions = [
            Message::Join {
                members: vec![Member::alive(NodeId(2), addr(2))],
                after: None,
            },
            Message::SyncDigest {
                digest: Digest::default(),
            },
            Message::Pull {
                have: Digest::default(),
            },
            Message::SyncDelta {
                entries: Default::default(),
                want: keys,
            },
            Message::Graft { ids },
            Message::Ping { seq: 9 },
        ];
        for message in questions {
            let kind = message.kind();
            let envelope = question(message);
            let asked = wire_len(&envelope);
            let out = node.receive(Duration::ZERO, &mut rng, envelope);
            let (answered, messages) = sent_to(&out, &addr(2));
            assert!(messages > 0, "{kind}: no answer at all");
            assert!(
                answered <= REPLY_FACTOR * asked,
                "{kind}: {asked} bytes asked, {answered} bytes answered"
            );
            eprintln!("{kind:>12}: {asked:>6} bytes asked, {answered:>6} answered");
        }
        assert!(node.counters().replies_cut > 0, "big answers were cut");
    }

    /// Carry messages between `a` and `b` until neither sends any more;
    /// how many messages that took.
    fn shuttle(a: &mut Node, b: &mut Node, first: Vec<Output>, rng: &mut StdRng) -> usize {
        let mut in_flight = first;
        let mut carried = 0;
        while !in_flight.is_empty() {
            let mut next = Vec::new();
            for output in in_flight {
                let Output::Send { to, envelope, .. } = output else {
                    continue;
                };
                carried += 1;
                let node = if to == addr(1) { &mut *a } else { &mut *b };
                next.extend(node.receive(Duration::ZERO, rng, envelope));
            }
            in_flight = next;
        }
        carried
    }

    #[test]
    fn a_joiner_learns_a_big_cluster_page_by_page() {
        let mut rng = StdRng::seed_from_u64(4);
        let mut old = big_node(0, 1000, &mut rng);
        let mut joiner = node(2000, &[1]);
        let start = joiner.start(Duration::ZERO, &mut rng);
        let messages = shuttle(&mut old, &mut joiner, start, &mut rng);
        assert_eq!(joiner.members().len(), 1002, "every member, and itself");
        assert!(messages < 60, "{messages} messages for 1,000 members");
        eprintln!("a joiner learned 1,000 members in {messages} messages");
    }

    #[test]
    fn an_empty_node_catches_up_by_anti_entropy_as_its_digests_grow() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut full = big_node(3000, 0, &mut rng);
        let mut empty = node(2, &[]);
        empty.know_members(&[Member::alive(NodeId(1), addr(1))]);
        let on = crate::core::SettingsChange {
            interval: None,
            anti_entropy: Some(Some(Duration::from_secs(1))),
        };
        empty.change_settings(&on).unwrap();
        let mut exchanges = 0;
        while empty.store().len() < 3000 {
            exchanges += 1;
            assert!(exchanges <= 30, "{} of 3,000 keys", empty.store().len());
            let start = empty.timer(Duration::ZERO, &mut rng, Timer::AntiEntropy);
            shuttle(&mut full, &mut empty, start, &mut rng);
        }
        eprintln!("an empty node caught up with 3,000 keys in {exchanges} exchanges");
    }

    #[test]
    fn wire_len_counts_the_json_bytes() {
        let member = Member::alive(NodeId(7), "127.0.0.1:7007");
        let json = serde_json::to_vec(&member).unwrap();
        assert_eq!(wire_len(&member), json.len());
    }
}
