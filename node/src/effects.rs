//! Carrying out what the core asks: one pipeline for every host.
//!
//! The core answers every input with [`Output`]s. Whoever hosts it, the live
//! runtime or the simulator, does the same with each message the node sends:
//!
//! ```text
//!   Output::Send ─▶ encode once ─▶ count ─▶ report message_sent ─▶ faults? ─┬─▶ transmit after the delay
//!                                                                          └─▶ report message_dropped
//! ```
//!
//! and hands timers and events on. Only the last steps differ between hosts
//! (a tokio task and an HTTP client, or a virtual clock and a queue), so a
//! host implements [`Carrier`] and calls [`carry_out`]. The faults are the
//! core's own model ([`Faults`]): what `POST /admin/faults` sets on a live
//! node is what the simulator sets with `Network::set_faults`, and both
//! drop, delay and pause by the very same decisions.

use crate::core::event::Event;
use crate::core::faults::Faults;
use crate::core::message::{Envelope, MessageId};
use crate::core::version::NodeId;
use crate::core::{Output, Timer};
use rand::RngCore;
use std::time::Duration;

/// One message on its way out: encoded, counted, reported, past the faults.
#[derive(Debug)]
pub struct Transmit {
    pub to: String,
    pub to_id: Option<NodeId>,
    pub envelope: Envelope,
    /// The envelope as JSON: what travels.
    pub body: Vec<u8>,
    /// The injected delay to wait before sending.
    pub delay: Duration,
}

/// What a host does at the end of the pipeline.
pub trait Carrier {
    /// Count a message of `kind`, `bytes` long, as sent.
    fn count_sent(&mut self, kind: &'static str, bytes: usize);
    /// Put a message on its way (a simulated network draws its transit
    /// time from `rng`, the stream the faults draw from).
    fn transmit(&mut self, message: Transmit, rng: &mut dyn RngCore);
    /// A fault dropped the message `id` to `to`: count and report it.
    fn dropped(&mut self, id: MessageId, to: &str, reason: &'static str);
    /// Call the node's timer `timer` once `after` has passed.
    fn set_timer(&mut self, timer: Timer, after: Duration);
    /// Report an event to whoever watches.
    fn report(&mut self, event: Event);
}

/// Carry out one node's `outputs` through `carrier`, judging each message
/// by the node's `faults` (with `rng`, which draws only when a fault needs
/// it: a healthy node's messages take no random numbers).
pub fn carry_out(
    outputs: Vec<Output>,
    faults: &Faults,
    rng: &mut dyn RngCore,
    carrier: &mut impl Carrier,
) {
    for output in outputs {
        match output {
            Output::Send {
                to,
                to_id,
                envelope,
            } => {
                let body = serde_json::to_vec(&envelope).expect("messages always encode");
                carrier.count_sent(envelope.message.kind(), body.len());
                carrier.report(Event::sent(&envelope, &to, to_id, body.len()));
                if let Some(reason) = faults.drop_outgoing(to_id, rng) {
                    carrier.dropped(envelope.id, &to, reason);
                    continue;
                }
                let delay = faults.delay(rng);
                let message = Transmit {
                    to,
                    to_id,
                    envelope,
                    body,
                    delay,
                };
                carrier.transmit(message, rng);
            }
            Output::SetTimer { timer, after } => carrier.set_timer(timer, after),
            Output::Event(event) => carrier.report(event),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::faults::Direction;
    use crate::core::membership::Member;
    use crate::core::message::Message;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[derive(Default)]
    struct Record {
        counted: Vec<(&'static str, usize)>,
        sent: Vec<String>,
        dropped: Vec<(String, &'static str)>,
        timers: Vec<Timer>,
        events: Vec<Event>,
    }

    impl Carrier for Record {
        fn count_sent(&mut self, kind: &'static str, bytes: usize) {
            self.counted.push((kind, bytes));
        }
        fn transmit(&mut self, message: Transmit, _: &mut dyn RngCore) {
            assert_eq!(
                message.body,
                serde_json::to_vec(&message.envelope).unwrap(),
                "the body is the envelope"
            );
            self.sent.push(message.to);
        }
        fn dropped(&mut self, _: MessageId, to: &str, reason: &'static str) {
            self.dropped.push((to.to_owned(), reason));
        }
        fn set_timer(&mut self, timer: Timer, _: Duration) {
            self.timers.push(timer);
        }
        fn report(&mut self, event: Event) {
            self.events.push(event);
        }
    }

    fn ping(to: u64) -> Output {
        Output::Send {
            to: format!("h:{to}"),
            to_id: Some(NodeId(to)),
            envelope: Envelope {
                id: MessageId(to),
                from: Member::alive(NodeId(1), "h:1"),
                updates: vec![],
                accusations: Vec::new(),
                message: Message::Ping { seq: to },
            },
        }
    }

    #[test]
    fn every_message_is_counted_and_reported_and_faults_decide_the_rest() {
        let faults = Faults {
            partition: vec![NodeId(3)],
            direction: Direction::Out,
            ..Faults::default()
        };
        let outputs = vec![
            ping(2),
            ping(3),
            Output::SetTimer {
                timer: Timer::GossipRound,
                after: Duration::from_secs(1),
            },
        ];
        let mut record = Record::default();
        carry_out(outputs, &faults, &mut StdRng::seed_from_u64(1), &mut record);
        assert_eq!(record.counted.len(), 2, "a dropped message was sent too");
        assert!(record
            .counted
            .iter()
            .all(|(kind, bytes)| *kind == "ping" && *bytes > 0));
        assert_eq!(record.sent, ["h:2"]);
        assert_eq!(record.dropped, [("h:3".to_owned(), "partition")]);
        assert_eq!(record.timers, [Timer::GossipRound]);
        let sent_events = record
            .events
            .iter()
            .filter(|e| matches!(e, Event::MessageSent { .. }))
            .count();
        assert_eq!(sent_events, 2);
    }

    #[test]
    fn a_paused_node_sends_nothing_and_a_healthy_one_draws_no_randomness() {
        struct Counting(u64);
        impl RngCore for Counting {
            fn next_u32(&mut self) -> u32 {
                self.0 += 1;
                7
            }
            fn next_u64(&mut self) -> u64 {
                self.0 += 1;
                7
            }
            fn fill_bytes(&mut self, dest: &mut [u8]) {
                self.0 += 1;
                dest.fill(7);
            }
        }
        let mut draws = Counting(0);
        let mut record = Record::default();
        carry_out(vec![ping(2)], &Faults::default(), &mut draws, &mut record);
        assert_eq!((record.sent.len(), draws.0), (1, 0));
        let paused = Faults {
            paused: true,
            ..Faults::default()
        };
        carry_out(vec![ping(2)], &paused, &mut draws, &mut record);
        assert_eq!(record.dropped, [("h:2".to_owned(), "paused")]);
    }
}
