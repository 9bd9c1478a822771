//! The anti-entropy exchange: a digest, and the deltas both ways (see
//! [`digest`](crate::core::digest) for what is compared).
//!
//! ```text
//!   A ── SyncDigest {key: version, ...} ─────────────▶ B   "this is what I hold"
//!   A ◀──── SyncDelta {entries A lacks, want: [keys]} ─ B   "take these; send me those"
//!   A ── SyncDelta {the wanted entries, want: []} ────▶ B
//! ```
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.3 (the exchange, its paging and its timer).

use super::{Handling, Node, Output};
use crate::core::digest::{entries_for, Digest, DIGEST_KEYS};
use crate::core::event::Cause;
use crate::core::membership::Member;
use crate::core::message::{encoded_entry_len, Message};
use crate::core::peer_selection::random_peers;
use crate::core::store::Entry;
use rand::RngCore;
use std::collections::BTreeMap;

impl Node {
    /// Step 1: send one random peer the digest of the next key range.
    pub(super) fn start_sync(&mut self, rng: &mut dyn RngCore, out: &mut Vec<Output>) {
        let peers = random_peers(&self.members, 1, rng)
            .into_iter()
            .cloned()
            .collect();
        let Some(to) = self.with_unproven(peers, 1, rng).pop() else {
            return;
        };
        let digest =
            self.config
                .pieces
                .digest(&self.store, self.sync_cursor.as_deref(), DIGEST_KEYS);
        self.sync_cursor = digest.last.clone();
        self.counters.syncs_started += 1;
        self.send(rng, &to, Message::SyncDigest { digest }, out);
    }

    /// Step 2: answer a digest with what its sender lacks, and ask for what we lack.
    pub(super) fn on_sync_digest(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        digest: &Digest,
        h: &mut Handling,
    ) {
        let difference = self.config.pieces.compare(&self.store, digest);
        self.send_deltas(rng, &from.addr, difference.they_lack, difference.we_lack, h);
    }

    /// Steps 2 and 3 arriving: merge, and send what was asked for.
    pub(super) fn on_sync_delta(
        &mut self,
        rng: &mut dyn RngCore,
        from: &Member,
        entries: &BTreeMap<String, Entry>,
        want: &[String],
        h: &mut Handling,
    ) {
        self.merge_entries(entries, Cause::AntiEntropy, h);
        if !want.is_empty() {
            let wanted = entries_for(&self.store, want);
            self.send_deltas(rng, &from.addr, wanted, Vec::new(), h);
        }
    }

    /// Send `entries` as deltas that each fit in a message, as many as the
    /// answer's bound allows (the rest waits for the next exchange), and at
    /// least one, so the peer hears the answer even when there is nothing to
    /// give; the `want` list rides on the first.
    fn send_deltas(
        &mut self,
        rng: &mut dyn RngCore,
        to: &str,
        entries: Vec<(String, Entry)>,
        mut want: Vec<String>,
        h: &mut Handling,
    ) {
        let bare = self.bare_len(&Message::SyncDelta {
            entries: BTreeMap::new(),
            want: want.clone(),
        });
        let (batches, _) = self.answer_batches(to, entries, bare, usize::MAX, |(k, e)| {
            encoded_entry_len(k, e)
        });
        let mut batches: Vec<BTreeMap<String, Entry>> = batches
            .into_iter()
            .map(|batch| batch.into_iter().collect())
            .collect();
        if batches.is_empty() {
            batches.push(BTreeMap::new());
        }
        for entries in batches {
            let want = std::mem::take(&mut want);
            self.send(rng, to, Message::SyncDelta { entries, want }, &mut h.out);
        }
    }
}
