//! Faults on the simulated network, set the way a live node's are: per
//! node, with the same [`Faults`] the host-level pipeline
//! ([`effects`](crate::effects)) applies to every message.

use super::{addr, Network};
use crate::core::event::Event;
use crate::core::faults::{Direction, Faults};
use crate::core::version::NodeId;
use std::time::Duration;

impl Network {
    /// Every message is lost with probability `loss` (0.0 to 1.0): the
    /// loss fault on every node, now and added later.
    pub fn set_loss(&mut self, loss: f64) {
        let loss = loss.clamp(0.0, 1.0);
        self.default_faults.loss = loss;
        for host in self.hosts.values_mut() {
            host.faults.loss = loss;
        }
    }

    /// Inject `faults` on node `id`, replacing its faults, as
    /// `POST /admin/faults` does on a live node (and reported the same way).
    pub fn set_faults(&mut self, id: u64, faults: Faults) {
        let host = self.hosts.get_mut(&addr(id)).expect("node exists");
        host.faults = faults.clone();
        self.record(NodeId(id), Event::FaultsChanged { faults });
    }

    /// The faults in force on node `id`.
    pub fn faults(&self, id: u64) -> &Faults {
        &self.hosts[&addr(id)].faults
    }

    /// Drop every message from `from` to `to` (one way): `to` joins the
    /// outgoing partition of `from`.
    pub fn cut(&mut self, from: u64, to: u64) {
        let faults = &mut self.hosts.get_mut(&addr(from)).expect("node exists").faults;
        assert!(
            faults.partition.is_empty() || faults.direction == Direction::Out,
            "node {from} already has a partition that cuts incoming messages"
        );
        faults.direction = Direction::Out;
        if !faults.partition.contains(&NodeId(to)) {
            faults.partition.push(NodeId(to));
        }
    }

    /// Stall node `id` for `span` from now, as `kill -STOP` stalls a
    /// process: it handles nothing, then everything that came due meanwhile
    /// at once, messages and timers alike (unlike the paused fault, which
    /// drops what comes in). Lifeguard's *degraded observer*.
    pub fn stall(&mut self, id: u64, span: Duration) {
        let until = self.now + span;
        let host = self.hosts.get_mut(&addr(id)).expect("node exists");
        host.stalled_until = host.stalled_until.max(until);
    }

    /// Node `id` handles every message `lag` after it arrives, while its
    /// timers ring on time: a process too starved to keep up with its
    /// messages (Lifeguard's *slow message processing*). Its own probes
    /// then seem to fail, and plain SWIM has it accuse healthy members.
    pub fn slow(&mut self, id: u64, lag: Duration) {
        self.hosts.get_mut(&addr(id)).expect("node exists").lag = lag;
    }

    /// Restore every cut link: no node is partitioned any more.
    pub fn heal(&mut self) {
        for host in self.hosts.values_mut() {
            host.faults.partition.clear();
            host.faults.direction = Direction::default();
        }
    }
}
