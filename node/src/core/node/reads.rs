//! What a host may read of a node: the state `GET /state` shows, the hello a
//! visualizer gets first, the counters `/metrics` shows, and the parts
//! tests and the simulator look at. Reading changes nothing.

use super::{Counters, Node};
use crate::core::config::Config;
use crate::core::event::{Event, NodeState, PushSumState};
use crate::core::membership::Membership;
use crate::core::store::Store;

impl Node {
    /// Everything this node holds, as `GET /state` shows it.
    pub fn state(&self) -> NodeState {
        NodeState {
            id: self.config.id,
            addr: self.config.addr.clone(),
            entries: self.store.entries().clone(),
            members: self.members.all().cloned().collect(),
            push_sum: self.push_sum.map(|p| PushSumState {
                sum: p.sum,
                weight: p.weight,
                estimate: p.estimate(),
            }),
            health: self.health,
        }
    }

    /// The event a node sends first to a new watcher.
    pub fn hello(&self) -> Event {
        Event::Hello {
            state: self.state(),
            settings: self.config.settings(),
            spreading: self.spreading(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn members(&self) -> &Membership {
        &self.members
    }

    /// Lifeguard's local health score (0 healthy).
    pub fn health(&self) -> u32 {
        self.health
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Pieces of membership news waiting to be piggybacked.
    pub fn queued_news(&self) -> usize {
        self.broadcasts.len()
    }

    /// How many rumors (entries and member news) this node is still spreading.
    pub fn hot_rumors(&self) -> usize {
        self.rumors.len() + self.broadcasts.len()
    }
}
