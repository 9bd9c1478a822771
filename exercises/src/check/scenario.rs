//! Small helpers the checks share: clusters on the simulator, and waiting
//! until something holds.

use gossip_node::core::pieces::Implementation;
use gossip_node::core::Config;
use gossip_node::sim::Network;
use std::time::Duration;

/// `n` nodes that know each other, running `pieces`; `tune` adjusts the rest.
pub fn cluster(seed: u64, n: u64, pieces: &Implementation, tune: impl Fn(&mut Config)) -> Network {
    Network::formed_cluster(seed, n, |config| {
        config.pieces = pieces.clone();
        tune(config);
    })
}

/// Run until every running node holds the same entry for `key`; the time
/// it took, or `None` within `limit`.
pub fn until_agreed(net: &mut Network, n: u64, key: &str, limit: Duration) -> Option<Duration> {
    net.run_until(limit, |net| agreed(net, n, key).is_some())
}

/// The value every running node holds for `key`, if they all hold the same.
pub fn agreed(net: &Network, n: u64, key: &str) -> Option<String> {
    let mut running = (1..=n).filter(|id| net.is_up(*id));
    let first = net.node(running.next()?).store().get(key)?.clone();
    running
        .all(|id| net.node(id).store().get(key) == Some(&first))
        .then_some(first.value)
}

/// What each node holds for `key`, for a failure message.
pub fn views(net: &Network, n: u64, key: &str) -> String {
    (1..=n)
        .map(|id| {
            let held = match net.node(id).store().get(key) {
                Some(e) => format!("{:?} (v{}@{})", e.value, e.version, e.origin),
                None => "nothing".to_owned(),
            };
            let down = if net.is_up(id) { "" } else { " [down]" };
            format!("node {id}{down}: {held}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
