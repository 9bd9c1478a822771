//! How the simulated network carries out what a node asks: through the
//! pipeline every host shares ([`effects`](crate::effects)), into the step
//! queue instead of sockets and tokio timers.

use super::{Network, Step};
use crate::core::event::Event;
use crate::core::message::MessageId;
use crate::core::version::NodeId;
use crate::core::{Output, Timer};
use crate::effects::{self, Carrier, Transmit};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::time::Duration;

impl Network {
    /// Do what node `from` asked, through the pipeline every host shares
    /// ([`effects`](crate::effects)), with that node's faults.
    pub(super) fn carry_out(&mut self, from: &str, outputs: Vec<Output>) {
        let host = &self.hosts[from];
        let (life, id, faults) = (host.life, host.node.config().id, host.faults.clone());
        // The pipeline draws from the network's one RNG; the carrier gets it
        // back for each transmission, so the draws keep their order.
        let mut rng = std::mem::replace(&mut self.rng, StdRng::from_seed([0; 32]));
        let mut sim = Simulated {
            net: self,
            from,
            id,
            life,
        };
        effects::carry_out(outputs, &faults, &mut rng, &mut sim);
        self.rng = rng;
    }
}

/// The simulated end of the pipeline: the step queue and the recording.
struct Simulated<'a> {
    net: &'a mut Network,
    from: &'a str,
    id: NodeId,
    life: u64,
}

impl Carrier for Simulated<'_> {
    fn count_sent(&mut self, _kind: &'static str, bytes: usize) {
        self.net.stats.sent += 1;
        self.net.stats.bytes += bytes as u64;
    }

    fn transmit(&mut self, message: Transmit, rng: &mut dyn RngCore) {
        let Transmit {
            to,
            envelope,
            delay,
            ..
        } = message;
        let transit = self.net.latency.draw(rng);
        let lag = self.net.hosts.get(&to).map_or(Duration::ZERO, |h| h.lag);
        let at = self.net.now + delay + transit + lag;
        self.net.schedule(at, Step::Deliver { to, envelope });
    }

    fn dropped(&mut self, id: MessageId, to: &str, reason: &'static str) {
        if reason == "loss" {
            self.net.stats.lost += 1;
        } else {
            self.net.stats.blocked += 1;
        }
        let event = Event::MessageDropped {
            id,
            to: to.to_owned(),
            reason: reason.into(),
        };
        self.net.record(self.id, event);
    }

    fn set_timer(&mut self, timer: Timer, after: Duration) {
        let step = Step::Fire {
            addr: self.from.to_owned(),
            life: self.life,
            timer,
        };
        self.net.schedule(self.net.now + after, step);
    }

    fn report(&mut self, event: Event) {
        self.net.record(self.id, event);
    }
}
