//! Dissemination: push, pull and push-pull rounds.
//!
//! Every round a node contacts `fanout` random peers. What travels depends on
//! the mode (Karp et al. 2000 analyse all three):
//!
//! * **push** — "here is my hot news". Fast while few know the rumor, wasteful
//!   at the end, when most pushes reach nodes that already know it.
//! * **pull** — "what news do you have that I lack?" Slow at the start (few
//!   peers have anything to give) but it finishes fast: the last susceptible
//!   nodes ask and get it.
//! * **push-pull** — both in one exchange: the best of each,
//!   about log3 N + O(log log N) rounds.
//!
//! A pull tells the peer what the puller already has (the versions of its
//! recently changed keys), so the peer sends only what is missing. Asked by a
//! node that already had the rumor is feedback too: under the `coin` stop rule
//! it may make the peer stop spreading it.
//!
//! Membership news rides along on every message (see `broadcast`).
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.2 (rumors, pulls, feedback) and §5.5 (when a rumor goes cold).

use super::{Handling, Node, Output};
use crate::core::digest::{entries_for, Digest};
use crate::core::event::{Cause, Event, RumorState};
use crate::core::membership::Member;
use crate::core::message::{encoded_entry_len, pack_rumors, Message};
use crate::core::peer_selection::choose_among;
use crate::core::pieces::Pieces;
use crate::core::rumor::{Damping, Mode, NoDraws, Spreading};
use crate::core::store::{Carried, Entry};
use crate::core::version::NodeId;
use rand::RngCore;
use std::collections::BTreeMap;

/// How many recently changed keys a node remembers, to tell a pulled peer
/// what it already has.
pub(super) const RECENT_KEYS: usize = 256;

/// A push with no entries: it carries only its piggybacked news (or, in
/// push-pull, the pull request).
fn empty_rumor(feedback: bool) -> Message {
    Message::Rumor {
        entries: BTreeMap::new(),
        feedback,
        pull: None,
    }
}

impl Node {
    /// One gossip round: contact `fanout` random peers as the mode says, then
    /// let the stop rule age the rumors.
    pub(super) fn gossip_round(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        let entries = self.hot_entries();
        let peers = self.peers_for_round(rng);
        let feedback = self.rumors.wants_feedback();
        match self.config.mode {
            Mode::Push => {
                let mut messages = pack_rumors(entries.clone(), feedback);
                if messages.is_empty() && !self.broadcasts.is_empty() {
                    // Nothing hot, but membership news waits: an empty push carries it.
                    messages = vec![empty_rumor(false)];
                }
                for message in messages {
                    for peer in &peers {
                        self.send(rng, peer, message.clone(), out);
                    }
                }
                self.count_sends(&entries, peers.len(), out);
            }
            Mode::Pull => {
                let have = self.recent_digest();
                for peer in &peers {
                    self.send(rng, peer, Message::Pull { have: have.clone() }, out);
                }
            }
            Mode::PushPull => {
                let have = self.recent_digest();
                let mut messages = pack_rumors(entries.clone(), feedback);
                if messages.is_empty() {
                    messages.push(empty_rumor(feedback));
                }
                if let Some(Message::Rumor { pull, .. }) = messages.first_mut() {
                    *pull = Some(have);
                }
                for message in &messages {
                    for peer in &peers {
                        self.send(rng, peer, message.clone(), out);
                    }
                }
                self.count_sends(&entries, peers.len(), out);
            }
            Mode::Plumtree => {
                // Payloads went down the tree when they arrived; now the
                // round's announcements. Membership news still needs a ride.
                let before = out.len();
                self.announce_round(rng, out);
                if out.len() == before && !self.broadcasts.is_empty() {
                    for peer in &peers {
                        self.send(rng, peer, empty_rumor(false), out);
                    }
                }
            }
        }
        let damp = damp_with(&*self.config.pieces, self.rumors.damping(), rng);
        for gone in self.rumors.end_round(damp) {
            self.report_removed(&gone, out);
        }
    }

    /// With `forward_at_once` (a lever the bench measures; off as the
    /// exercises teach it): entries new to this node go to `fanout` peers
    /// now, none of them `from`, instead of waiting for the next round.
    /// One hop then costs a round trip instead of half a round on average,
    /// seed 004's sketch; memberlist waits for its next gossip tick. The
    /// sends count against the rumors as a round's would.
    pub(super) fn forward_at_once(
        &mut self,
        rng: &mut dyn RngCore,
        from: Option<NodeId>,
        entries: Vec<(String, Entry)>,
        out: &mut Vec<Output>,
    ) {
        let pushes = matches!(self.config.mode, Mode::Push | Mode::PushPull);
        if !self.config.forward_at_once || !pushes || entries.is_empty() {
            return;
        }
        let skip: Vec<NodeId> = from.into_iter().collect();
        let peers = self.peers_except(rng, &skip);
        let feedback = self.rumors.wants_feedback();
        for message in pack_rumors(entries.clone(), feedback) {
            for peer in &peers {
                self.send(rng, peer, message.clone(), out);
            }
        }
        self.count_sends(&entries, peers.len(), out);
    }

    /// With `forward_at_once`, a death this input declared or taught us goes
    /// on at once too: a message to `fanout` peers (not the dead, not who
    /// told us), which carries the freshest news first, instead of waiting
    /// for the next round's.
    pub(super) fn push_verdicts_at_once(&mut self, rng: &mut dyn RngCore, h: &mut Handling) {
        if !self.config.forward_at_once || h.verdicts.is_empty() {
            return;
        }
        let verdicts = std::mem::take(&mut h.verdicts);
        let skip: Vec<NodeId> = verdicts
            .iter()
            .flat_map(|(dead, by)| [*dead, *by])
            .collect();
        for peer in &self.peers_except(rng, &skip) {
            self.send(rng, peer, empty_rumor(false), &mut h.out);
        }
    }

    /// `fanout` peers for a push made at once, none of them in `skip`:
    /// drawn by `choose_peers` with room to drop those.
    fn peers_except(&self, rng: &mut dyn RngCore, skip: &[NodeId]) -> Vec<Member> {
        let fanout = self.config.fanout;
        let drawn = self
            .config
            .pieces
            .choose_peers(&self.members, fanout + skip.len(), rng);
        drawn
            .into_iter()
            .filter(|id| !skip.contains(id))
            .filter_map(|id| self.members.get(id).cloned())
            .take(fanout)
            .collect()
    }

    /// Start spreading a new entry: the node is now *infected* with it.
    pub(super) fn spread(&mut self, key: &str, entry: &Entry, out: &mut Vec<Output>) {
        self.rumors.heat(key);
        self.remember_recent(key);
        out.push(Output::Event(Event::RumorState {
            key: key.to_owned(),
            version: entry.version,
            origin: entry.origin,
            state: RumorState::Infected,
        }));
    }

    /// A push arrived (with a pull request inside, for push-pull).
    pub(super) fn on_rumor(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        entries: &BTreeMap<String, Entry>,
        feedback: bool,
        pull: Option<&Digest>,
        h: &mut Handling,
    ) {
        self.merge_entries(entries, Cause::Rumor, h);
        let new: Vec<(String, Entry)> = entries
            .iter()
            .filter(|(key, _)| h.new.iter().any(|c| &c.key == *key))
            .map(|(key, entry)| (key.clone(), entry.clone()))
            .collect();
        self.forward_at_once(rng, Some(from.id), new, &mut h.out);
        if feedback && !h.known.is_empty() {
            let known = h.known.clone();
            self.send(rng, from, Message::Feedback { known }, &mut h.out);
        }
        if let Some(have) = pull {
            self.reply_with_hot(rng, from, have, h);
        }
    }

    /// A peer pulled: send it the hot entries it lacks. Hot entries it
    /// already has count as "already knew" for the coin stop rule.
    pub(super) fn reply_with_hot(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        have: &Digest,
        h: &mut Handling,
    ) {
        let hot = self.hot_entries();
        let lacking = self.config.pieces.pull_answer(&hot, have);
        // The hot entries not sent: the puller already had them.
        for (key, _) in hot {
            if lacking.iter().any(|(sent, _)| *sent == key) {
                continue;
            }
            let damp = damp_with(&*self.config.pieces, self.rumors.damping(), rng);
            if self.rumors.already_known(&key, damp) {
                self.report_removed(&key, &mut h.out);
            }
        }
        if lacking.is_empty() {
            return;
        }
        // As many as the answer's bound allows; the rest, at the next pull.
        let feedback = self.rumors.wants_feedback();
        let bare = self.bare_len(&empty_rumor(feedback));
        let (batches, _) = self.answer_batches(&from.addr, lacking, bare, usize::MAX, |(k, e)| {
            encoded_entry_len(k, e)
        });
        let sent: Vec<(String, Entry)> = batches.iter().flatten().cloned().collect();
        for entries in batches {
            let entries = entries.into_iter().collect();
            let pull = None;
            let message = Message::Rumor {
                entries,
                feedback,
                pull,
            };
            self.send(rng, from, message, &mut h.out);
        }
        self.count_sends(&sent, 1, &mut h.out);
    }

    /// A peer says it already knew some of what we sent it.
    pub(super) fn on_feedback(
        &mut self,
        rng: &mut dyn RngCore,
        known: &[Carried],
        h: &mut Handling,
    ) {
        for carried in known {
            let current = self.store.get(&carried.key);
            let same =
                current.is_some_and(|e| e.version == carried.version && e.origin == carried.origin);
            if !same {
                continue;
            }
            let damp = damp_with(&*self.config.pieces, self.rumors.damping(), rng);
            if self.rumors.already_known(&carried.key, damp) {
                self.report_removed(&carried.key, &mut h.out);
            }
        }
    }

    /// The entries this node is still spreading, as `(key, version, origin)`.
    pub(super) fn spreading(&self) -> Vec<Carried> {
        self.hot_entries()
            .iter()
            .map(|(k, e)| Carried::of(k, e))
            .collect()
    }

    /// Remember that `key` changed recently (for pull requests).
    pub(super) fn remember_recent(&mut self, key: &str) {
        self.recent.retain(|k| k != key);
        self.recent.push_back(key.to_owned());
        while self.recent.len() > RECENT_KEYS {
            self.recent.pop_front();
        }
    }

    /// What a pull tells the peer this node already has: the versions of its
    /// recently changed keys.
    fn recent_digest(&self) -> Digest {
        let versions = self
            .recent
            .iter()
            .filter_map(|k| {
                self.store
                    .get(k)
                    .map(|e| (k.clone(), (e.version, e.origin)))
            })
            .collect();
        Digest {
            first: None,
            last: None,
            versions,
        }
    }

    pub(super) fn hot_entries(&self) -> Vec<(String, Entry)> {
        let keys: Vec<String> = self.rumors.hot().cloned().collect();
        entries_for(&self.store, &keys)
    }

    /// The peers to tell this round, chosen by the pieces' `choose_peers`
    /// among the members that answered (see `Membership`).
    pub(super) fn peers_for_round(&self, rng: &mut dyn RngCore) -> Vec<Member> {
        let fanout = self.config.fanout;
        let chosen = self.config.pieces.choose_peers(&self.members, fanout, rng);
        let chosen = chosen
            .into_iter()
            .filter_map(|id| self.members.get(id))
            .cloned()
            .collect();
        self.with_unproven(chosen, fanout, rng)
    }

    /// `chosen`, or, when no member has answered yet (a node that just
    /// started, whose probes are still on their way), up to `k` unproven
    /// ones: never one instead of a member that answered.
    pub(super) fn with_unproven(
        &self,
        chosen: Vec<Member>,
        k: usize,
        rng: &mut dyn RngCore,
    ) -> Vec<Member> {
        if !chosen.is_empty() {
            return chosen;
        }
        let unproven = self.members.active().filter(|m| !self.members.is_peer(m));
        choose_among(unproven, k, rng)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Each entry in `sent` went to `peers` peers: the counter rule counts them.
    pub(super) fn count_sends(
        &mut self,
        sent: &[(String, Entry)],
        peers: usize,
        out: &mut Vec<Output>,
    ) {
        if peers == 0 {
            return;
        }
        self.counters.rumors_sent += (sent.len() * peers) as u64;
        let mut none = NoDraws;
        for (key, _) in sent {
            let damp = damp_with(&*self.config.pieces, self.rumors.damping(), &mut none);
            if self.rumors.sent(key, peers as u32, damp) {
                self.report_removed(key, out);
            }
        }
    }

    /// The node stopped spreading an entry: it is *removed* for that rumor.
    fn report_removed(&self, key: &str, out: &mut Vec<Output>) {
        if let Some(entry) = self.store.get(key) {
            out.push(Output::Event(Event::RumorState {
                key: key.to_owned(),
                version: entry.version,
                origin: entry.origin,
                state: RumorState::Removed,
            }));
        }
    }
}

/// The pieces' stop rule with a node's rule and `k`, drawing from `rng`.
fn damp_with<'a>(
    pieces: &'a dyn Pieces,
    damping: Damping,
    rng: &'a mut dyn RngCore,
) -> impl FnMut(u32, Spreading) -> u32 + 'a {
    let Damping { rule, k } = damping;
    move |left, what| pieces.damp(rule, k, left, what, rng)
}
