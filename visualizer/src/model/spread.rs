//! How the most recent update spread, against how theory says it should.
//!
//! The measured curve is the number of live nodes holding the update, one
//! point each time that number changes, in milliseconds since the write. The
//! predicted curve is the mean-field epidemic for this cluster (its size,
//! fanout, mode and round length), computed by the core's own theory code
//! (`gossip_node::sim::theory::expected_informed_with_fanout`), not re-derived
//! in the page. Theory assumes every informed node keeps spreading; the stop
//! rules make the real curve lag it at the end, and that gap is a lesson.
//! Beside them: messages carrying the update, counted per round.

use gossip_node::core::event::Settings;
use gossip_node::core::rumor::Mode;
use gossip_node::sim::theory::expected_informed_with_fanout;
use serde::Serialize;

/// Most points kept of the measured curve, and most rounds of messages.
const MAX_POINTS: usize = 1000;
const MAX_ROUNDS: usize = 300;
/// The predicted curve stops once it is this close to every node.
const THEORY_ROUNDS: u32 = 60;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    /// The assumptions of the predicted curve, said in words.
    pub assumed: String,
    /// (ms since the write, live nodes holding it).
    pub measured: Vec<(u64, usize)>,
    /// (ms since the write, live nodes expected to hold it).
    pub theory: Vec<(u64, f64)>,
    /// Messages carrying the update sent in each round since the write.
    pub sent_per_round: Vec<u64>,
    /// Length of a round, ms.
    pub round_ms: u64,
    #[serde(skip)]
    written_at_ms: u64,
    /// For whom the theory was computed: (nodes, settings).
    #[serde(skip)]
    theory_for: Option<(usize, Mode, usize, u64)>,
    /// Something changed since the page last heard.
    #[serde(skip)]
    dirty: bool,
}

impl Spread {
    /// A new update, written at `written_at_ms`.
    pub fn begin(written_at_ms: u64) -> Spread {
        Spread {
            written_at_ms,
            dirty: true,
            ..Spread::default()
        }
    }

    fn since(&self, ts_ms: u64) -> u64 {
        ts_ms.saturating_sub(self.written_at_ms)
    }

    /// `holding` live nodes of `alive` hold the update at `ts_ms`; the
    /// cluster's settings are `settings`.
    pub fn observe(
        &mut self,
        ts_ms: u64,
        holding: usize,
        alive: usize,
        settings: Option<&Settings>,
    ) {
        if let Some(settings) = settings {
            self.predict(alive, settings);
        }
        if self.measured.last().is_none_or(|&(_, n)| n != holding)
            && self.measured.len() < MAX_POINTS
        {
            self.measured.push((self.since(ts_ms), holding));
            self.dirty = true;
        }
    }

    /// A message carrying the update was sent at `ts_ms`.
    pub fn sent(&mut self, ts_ms: u64) {
        let round = (self.since(ts_ms) / self.round_ms.max(1)) as usize;
        if round < MAX_ROUNDS {
            if self.sent_per_round.len() <= round {
                self.sent_per_round.resize(round + 1, 0);
            }
            self.sent_per_round[round] += 1;
        }
    }

    /// The predicted curve for `nodes` nodes running `settings`, computed
    /// again only when one of them changes.
    fn predict(&mut self, nodes: usize, settings: &Settings) {
        // Plumtree pushes payloads down a tree: as fast as a push, at best.
        let (mode, as_push) = match settings.mode {
            Mode::Plumtree => (Mode::Push, true),
            mode => (mode, false),
        };
        let key = (nodes, mode, settings.fanout, settings.interval_ms);
        if nodes == 0 || self.theory_for == Some(key) {
            return;
        }
        self.theory_for = Some(key);
        self.round_ms = settings.interval_ms.max(1);
        let curve = expected_informed_with_fanout(mode, nodes, settings.fanout, THEORY_ROUNDS);
        let close = 1.0 - 0.5 / nodes as f64;
        let last = curve
            .iter()
            .position(|&i| i >= close)
            .unwrap_or(curve.len() - 1);
        self.theory = curve[..=last]
            .iter()
            .enumerate()
            .map(|(round, informed)| (round as u64 * self.round_ms, informed * nodes as f64))
            .collect();
        self.assumed = format!(
            "{mode}{}, fanout {}, {} ms rounds, {nodes} nodes",
            if as_push { " (plumtree, as push)" } else { "" },
            settings.fanout,
            self.round_ms
        );
        self.dirty = true;
    }

    /// The spread, if it changed since the last time this was asked.
    pub fn news(&mut self) -> Option<Spread> {
        std::mem::take(&mut self.dirty).then(|| self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gossip_node::core::rumor::StopRule;

    fn settings(mode: Mode, fanout: usize) -> Settings {
        Settings {
            mode,
            fanout,
            interval_ms: 200,
            rumor_stop: StopRule::Counter,
            rumor_k: 3,
            anti_entropy_ms: None,
            implementation: "reference".into(),
            detector: "swim".into(),
        }
    }

    #[test]
    fn the_curve_rises_from_one_node_to_all_of_them_and_theory_goes_first() {
        let mut spread = Spread::begin(10_000);
        let push = settings(Mode::Push, 3);
        for (ms, holding) in [(10_000, 1), (10_150, 1), (10_200, 3), (10_400, 4)] {
            spread.observe(ms, holding, 4, Some(&push));
        }
        assert_eq!(spread.measured, [(0, 1), (200, 3), (400, 4)]);
        let (first, last) = (spread.theory[0], *spread.theory.last().unwrap());
        assert_eq!(first, (0, 1.0));
        assert!(last.1 > 3.5 && last.1 <= 4.0, "{last:?}");
        assert!(spread
            .assumed
            .contains("push, fanout 3, 200 ms rounds, 4 nodes"));
        // Fanout 3 is faster than fanout 1, and push-pull faster than push.
        let rounds = |mode, fanout| {
            let mut s = Spread::begin(0);
            s.observe(0, 1, 1000, Some(&settings(mode, fanout)));
            s.theory.len()
        };
        assert!(rounds(Mode::Push, 3) < rounds(Mode::Push, 1));
        assert!(rounds(Mode::PushPull, 1) < rounds(Mode::Push, 1));
    }

    #[test]
    fn messages_are_counted_by_round_and_news_comes_once() {
        let mut spread = Spread::begin(0);
        spread.observe(0, 1, 4, Some(&settings(Mode::Push, 2)));
        for ms in [10, 20, 250, 450, 460] {
            spread.sent(ms);
        }
        assert_eq!(spread.sent_per_round, [2, 1, 2]);
        assert!(spread.news().is_some());
        assert!(spread.news().is_none(), "told once");
        spread.observe(500, 2, 4, None);
        assert!(spread.news().is_some());
    }
}
