//! `gossip-broken-node`: `gossip-node` running pieces broken on purpose,
//! the worst of the mistakes a participant's half-finished code can make,
//! all at once. The room's tests put it among healthy nodes, holding the
//! cluster key like everyone else, to show that what it sends cannot
//! poison them: checks in the core, not trust in the pieces, keep the
//! others whole.
//!
//! Its mistakes (each one found in a mistake catalogue of `exercises/`):
//! the clock adds what it saw instead of taking the larger; every write,
//! even an older one, counts as newer; every piece of membership news wins;
//! it refutes every news about itself, even "alive", one higher each time,
//! and unchecked at the top; news is repeated
//! for ever and suspicion lasts no time at all; every member is told
//! every round; a pull or a digest is answered with everything held.

use clap::Parser;
use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::membership::{Member, Membership};
use gossip_node::core::pieces::{Implementation, Pieces};
use gossip_node::core::store::{Entry, Store};
use gossip_node::core::version::{NodeId, Version};
use gossip_node::runtime::{cli::Cli, startup};
use rand::RngCore;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

struct Broken;

impl Pieces for Broken {
    fn describe(&self) -> String {
        "broken on purpose".to_owned()
    }

    fn newer(&self, _incoming: Version, _current: Version) -> bool {
        true
    }

    fn observe(&self, clock: u64, seen: u64) -> u64 {
        clock.wrapping_add(seen).wrapping_add(1)
    }

    fn choose_peers(&self, members: &Membership, _: usize, _: &mut dyn RngCore) -> Vec<NodeId> {
        members.all().map(|m| m.id).collect()
    }

    fn pull_answer(&self, hot: &[(String, Entry)], _have: &Digest) -> Vec<(String, Entry)> {
        hot.to_vec()
    }

    fn compare(&self, store: &Store, _digest: &Digest) -> Difference {
        let they_lack = store
            .entries()
            .iter()
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        let we_lack = Vec::new();
        Difference { they_lack, we_lack }
    }

    fn overrides(&self, _news: &Member, _known: &Member) -> bool {
        true
    }

    fn refute(&self, _me: &Member, news: &Member) -> Option<u64> {
        Some(news.incarnation.wrapping_add(1))
    }

    fn retransmit_limit(&self, _mult: u32, _members: usize) -> u32 {
        u32::MAX
    }

    fn suspicion_timeout(&self, _: u32, _: usize, _: Duration) -> Duration {
        Duration::ZERO
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    startup::init_logging();
    let pieces = Implementation(Arc::new(Broken));
    startup::serve("gossip-broken-node", cli, Some(pieces)).await
}
