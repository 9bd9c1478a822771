//! The settings a host may change while a node runs: how often it gossips
//! (slow motion on a projector) and whether, and how often, it runs
//! anti-entropy (the sheet's last step: turn it on, and see node 3 catch
//! up). Everything else is fixed for a node's life.

use super::{Node, Output, Timer};
use crate::core::config::Config;
use std::time::Duration;

/// Refuse a period outside [`Config::INTERVALS`].
fn check(what: &str, every: Duration) -> Result<(), String> {
    if Config::INTERVALS.contains(&every) {
        return Ok(());
    }
    Err(format!(
        "the {what} must be between {:?} and {:?}, not {every:?}",
        Config::INTERVALS.start(),
        Config::INTERVALS.end()
    ))
}

/// A change of the live settings; `None` leaves one as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsChange {
    /// Gossip every this often, from the next round on (the round already
    /// scheduled keeps its time).
    pub interval: Option<Duration>,
    /// Run anti-entropy this often, or not at all (`Some(None)`).
    pub anti_entropy: Option<Option<Duration>>,
}

impl Node {
    /// Apply `change`, all of it or (when one value is out of range) none.
    pub fn change_settings(&mut self, change: &SettingsChange) -> Result<Vec<Output>, String> {
        if let Some(interval) = change.interval {
            check("interval", interval)?;
        }
        if let Some(Some(every)) = change.anti_entropy {
            check("anti-entropy period", every)?;
        }
        if let Some(interval) = change.interval {
            self.config.interval = interval;
        }
        match change.anti_entropy {
            Some(every) => Ok(self.set_anti_entropy(every)),
            None => Ok(Vec::new()),
        }
    }

    /// Run anti-entropy every `every` (checked), or not at all, from the
    /// next exchange on; turning it on starts the first exchange's timer.
    fn set_anti_entropy(&mut self, every: Option<Duration>) -> Vec<Output> {
        self.config.anti_entropy = every;
        let mut out = Vec::new();
        if let (Some(after), false) = (every, self.anti_entropy_ticking) {
            self.anti_entropy_ticking = true;
            out.push(Output::SetTimer {
                timer: Timer::AntiEntropy,
                after,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::version::NodeId;
    use rand::SeedableRng;

    fn anti_entropy(every: Option<u64>) -> SettingsChange {
        SettingsChange {
            interval: None,
            anti_entropy: Some(every.map(Duration::from_secs)),
        }
    }

    fn timers(out: &[Output]) -> usize {
        out.iter()
            .filter(|o| {
                matches!(
                    o,
                    Output::SetTimer {
                        timer: Timer::AntiEntropy,
                        ..
                    }
                )
            })
            .count()
    }

    #[test]
    fn anti_entropy_turns_on_and_off_without_a_second_timer() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut node = Node::new(Config::new(NodeId(1), "h:1", vec![]));
        assert_eq!(timers(&node.start(Duration::ZERO, &mut rng)), 0);

        let on = node.change_settings(&anti_entropy(Some(2))).unwrap();
        assert_eq!(timers(&on), 1, "turning it on sets the timer");
        let again = node.change_settings(&anti_entropy(Some(3))).unwrap();
        assert_eq!(timers(&again), 0, "one timer is already set");

        // Off: the timer that fires does nothing and is not set again.
        node.change_settings(&anti_entropy(None)).unwrap();
        let fired = node.timer(Duration::from_secs(2), &mut rng, Timer::AntiEntropy);
        assert_eq!(timers(&fired), 0);
        assert!(fired.iter().all(|o| !matches!(o, Output::Send { .. })));
        // On again: a fresh timer, since none is set any more.
        let on = node.change_settings(&anti_entropy(Some(2))).unwrap();
        assert_eq!(timers(&on), 1);

        // All or nothing: a bad period changes neither setting.
        let bad = SettingsChange {
            interval: Some(Duration::from_millis(500)),
            anti_entropy: Some(Some(Duration::from_millis(1))),
        };
        assert!(node.change_settings(&bad).is_err());
        assert_eq!(node.config().interval, Duration::from_secs(1));
        assert_eq!(node.config().anti_entropy, Some(Duration::from_secs(2)));
        let slower = SettingsChange {
            interval: Some(Duration::from_millis(500)),
            anti_entropy: None,
        };
        assert!(node.change_settings(&slower).unwrap().is_empty());
        assert_eq!(node.config().interval, Duration::from_millis(500));
        let too_slow = SettingsChange {
            interval: Some(Duration::from_secs(7200)),
            anti_entropy: None,
        };
        assert!(node.change_settings(&too_slow).is_err());
    }
}
