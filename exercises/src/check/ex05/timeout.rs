//! Module 05, the timeout's shape, checked without a simulation: it stays
//! within a few rounds per doubling of the cluster at every size, counts
//! rounds (so it scales with the gossip interval), never shrinks as the
//! cluster grows, and does grow. The lossy clusters of `ex05.rs` show what
//! a timeout that is too short costs; these rules catch the rest.

use super::ROUND;
use crate::check::scenario::secs;
use crate::check::Subject;
use std::time::Duration;

/// The cluster sizes the timeout's shape is checked at.
const SIZES: [usize; 6] = [4, 16, 64, 256, 1024, 4096];

/// The longest timeout allowed at `n` nodes, in rounds: 4 (log2 N + 1),
/// 12 rounds at 4 nodes. A heartbeat crosses N nodes in about 2 log2 N
/// rounds even with loss; a timeout far above that notices crashes late.
fn most_rounds(n: usize) -> f64 {
    4.0 * ((n as f64).log2() + 1.0)
}

/// The timeout stays within [`most_rounds`] at every size, and counts
/// rounds: the same number of them whatever a round lasts.
pub fn bounded_and_in_rounds(s: &Subject) -> Result<(), String> {
    for n in SIZES {
        let timeout = s.pieces.heartbeat_timeout(n, ROUND);
        if timeout.as_secs_f64() > most_rounds(n) * ROUND.as_secs_f64() {
            return Err(format!(
                "at {n} nodes your timeout is {}: a crash goes unnoticed that long, where a \
                 heartbeat crosses {n} nodes in about {:.0} rounds. Grow the timeout with log2 N, \
                 not with N.",
                secs(timeout),
                2.0 * (n as f64).log2()
            ));
        }
    }
    let slow = ROUND * 5;
    let (short, long) = (
        s.pieces.heartbeat_timeout(64, ROUND),
        s.pieces.heartbeat_timeout(64, slow),
    );
    let (rounds, slow_rounds) = (short.div_duration_f64(ROUND), long.div_duration_f64(slow));
    if (rounds - slow_rounds).abs() > 0.5 {
        let cost = if slow_rounds < rounds {
            "healthy members would be declared dead before their heartbeat can cross the cluster"
        } else {
            "crashes would be noticed that many rounds late"
        };
        return Err(format!(
            "at 64 nodes your timeout is {} with {} rounds, {rounds:.1} rounds, but {} with {} \
             rounds, {slow_rounds:.1} rounds: a heartbeat travels one hop per round, so the \
             timeout counts rounds (a multiple of `interval`). With {} rounds {cost}.",
            secs(short),
            secs(ROUND),
            secs(long),
            secs(slow),
            secs(slow)
        ));
    }
    Ok(())
}

/// A note for a misfire when the timeout shrinks as the cluster grows.
pub fn shrinking(small: Duration, n: u64, timeout: Duration) -> String {
    if timeout < small {
        format!(
            "\nYour timeout shrinks as the cluster grows ({} at 4 nodes, {} at {n}): the wrong \
             way round.",
            secs(small),
            secs(timeout)
        )
    } else {
        String::new()
    }
}

/// The timeout never shrinks as the cluster grows, and does grow.
pub fn grows(s: &Subject) -> Result<(), String> {
    let timeouts: Vec<Duration> = SIZES
        .iter()
        .map(|n| s.pieces.heartbeat_timeout(*n, ROUND))
        .collect();
    for (i, pair) in timeouts.windows(2).enumerate() {
        if pair[1] < pair[0] {
            return Err(format!(
                "your timeout shrinks as the cluster grows: {} at {} nodes, {} at {}. A \
                 heartbeat needs more rounds to cross a bigger cluster, not fewer.",
                secs(pair[0]),
                SIZES[i],
                secs(pair[1]),
                SIZES[i + 1]
            ));
        }
    }
    // From 256 to 4096 nodes: four doublings, about eight rounds more.
    let (mid, top) = (timeouts[3], timeouts[SIZES.len() - 1]);
    let added = top.saturating_sub(mid).div_duration_f64(ROUND);
    if added > 0.0 && added < 7.0 {
        return Err(format!(
            "from 256 to 4096 nodes your timeout grows by {added:.1} rounds ({} to {}): a \
             heartbeat's slowest path grows by about two rounds per doubling of the cluster, \
             eight over these four. A timeout that grows more slowly (a logarithm in another \
             base than 2, a smaller factor) fits the clusters tried here and misfires in bigger \
             ones: 2 × log2 N rounds, plus the margin.",
            secs(mid),
            secs(top)
        ));
    }
    let (first, last) = (timeouts[0], timeouts[SIZES.len() - 1]);
    if last <= first {
        return Err(format!(
            "your timeout is {} at 4 nodes and still {} at 4096: a heartbeat needs about two \
             more rounds per doubling of the cluster, so a fixed timeout that fits small \
             clusters misfires in big ones. Grow it with log2 N.",
            secs(first),
            secs(last)
        ));
    }
    Ok(())
}
