//! Digests: comparing stores and sending only the difference (the rules of
//! anti-entropy; the exchange itself is in `node/anti_entropy.rs`).
//!
//! Rumor spreading is fast but can miss a node: one that was down while the
//! rumor was hot, or whose messages were lost. Demers et al. (1987) back it up
//! with **anti-entropy**: every so often a node picks a random peer and the two
//! make their stores equal. Even if every rumor is lost, repeated anti-entropy
//! reaches everyone, in O(log N) rounds like any epidemic.
//!
//! Sending whole stores would cost bytes proportional to everything held. Like
//! Cassandra and Scuttlebutt we send a **digest** instead, one version per key
//! and no values, and then only the entries the other side lacks:
//!
//! ```text
//!   A ── SyncDigest {key: version, ...} ─────────────▶ B   "this is what I hold"
//!   A ◀──── SyncDelta {entries A lacks, want: [keys]} ─ B   "take these; send me those"
//!   A ── SyncDelta {the wanted entries, want: []} ────▶ B
//! ```
//!
//! The cost is the digest plus the difference: two converged nodes exchange a
//! digest and an empty delta. A store too big for one message is compared one
//! key range at a time; each exchange covers the next range.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.3 (the anti-entropy exchange).

use super::store::{Entry, Store};
use super::version::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Bound;

/// Most keys one digest covers; larger stores are compared range by range.
/// (A digest entry is about 20 bytes, so this stays far below 64 KiB.)
pub const DIGEST_KEYS: usize = 1500;

/// The versions a node holds for a range of keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// First key of the range covered (inclusive); `None`: from the start.
    pub first: Option<String>,
    /// Last key covered (inclusive); `None`: to the end.
    pub last: Option<String>,
    /// Key to `[version, origin]` for every key held in the range.
    pub versions: BTreeMap<String, (u64, NodeId)>,
}

impl Digest {
    /// Whether `key` falls in the range this digest covers.
    pub fn covers(&self, key: &str) -> bool {
        self.first.as_deref().is_none_or(|first| key >= first)
            && self.last.as_deref().is_none_or(|last| key <= last)
    }
}

/// What one side must send and ask for, given the other side's digest.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Difference {
    /// Entries the digest's owner lacks or holds older: send them.
    pub they_lack: Vec<(String, Entry)>,
    /// Keys the digest's owner holds newer than we do: ask for them.
    pub we_lack: Vec<String>,
}

/// The versions of up to `max_keys` keys of `store`, after key `after` (or
/// from the start): what one anti-entropy exchange sends. The range ends at
/// the last key included, or at the end of the key space when the store's
/// keys run out. (Exercise 04.)
pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    let start = match after {
        Some(key) => Bound::Excluded(key.to_owned()),
        None => Bound::Unbounded,
    };
    let mut versions = BTreeMap::new();
    let mut keys = store
        .entries()
        .range::<String, _>((start, Bound::Unbounded));
    for (key, entry) in keys.by_ref().take(max_keys) {
        versions.insert(key.clone(), (entry.version, entry.origin));
    }
    let more = keys.next().is_some();
    Digest {
        first: after.map(|k| format!("{k}\u{0}")), // the smallest key after `after`
        last: if more {
            versions.keys().next_back().cloned()
        } else {
            None
        },
        versions,
    }
}

/// Given a peer's `digest`, the entries it lacks (or holds older) and the
/// keys it holds newer than `store` does, over the digest's range only.
/// (Exercise 04.)
pub fn compare(store: &Store, digest: &Digest) -> Difference {
    let mut difference = Difference::default();
    for (key, entry) in store.entries() {
        if !digest.covers(key) {
            continue;
        }
        let theirs = digest.versions.get(key);
        if theirs.is_none_or(|&(version, origin)| (version, origin) < (entry.version, entry.origin))
        {
            difference.they_lack.push((key.clone(), entry.clone()));
        }
    }
    for (key, &(version, origin)) in &digest.versions {
        let mine = store.get(key);
        if mine.is_none_or(|e| (e.version, e.origin) < (version, origin)) {
            difference.we_lack.push(key.clone());
        }
    }
    difference
}

/// The entries of `store` for `keys`, for answering a `want` list.
pub fn entries_for(store: &Store, keys: &[String]) -> Vec<(String, Entry)> {
    keys.iter()
        .filter_map(|k| store.get(k).map(|e| (k.clone(), e.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn store(writes: &[(&str, u64, u64)]) -> Store {
        let mut store = Store::default();
        for (key, version, origin) in writes {
            let entry = Entry {
                value: format!("{key}-{version}-{origin}"),
                version: *version,
                origin: NodeId(*origin),
            };
            store.merge(key, &entry);
        }
        store
    }

    /// Run the three steps between two stores; returns entries sent each way.
    fn sync(a: &mut Store, b: &mut Store, after: Option<&str>, max_keys: usize) -> (usize, usize) {
        let digest = digest(a, after, max_keys);
        let from_b = compare(b, &digest);
        for (key, entry) in &from_b.they_lack {
            a.merge(key, entry);
        }
        let from_a = entries_for(a, &from_b.we_lack);
        for (key, entry) in &from_a {
            b.merge(key, entry);
        }
        (from_a.len(), from_b.they_lack.len())
    }

    #[test]
    fn converged_stores_exchange_nothing_but_the_digest() {
        let mut a = store(&[("x", 1, 1), ("y", 2, 2)]);
        let mut b = a.clone();
        assert_eq!(sync(&mut a, &mut b, None, DIGEST_KEYS), (0, 0));
    }

    #[test]
    fn each_side_gets_only_what_it_lacks() {
        let mut a = store(&[("x", 5, 1), ("y", 1, 1)]);
        let mut b = store(&[("y", 3, 2), ("z", 1, 2)]);
        let (to_b, to_a) = sync(&mut a, &mut b, None, DIGEST_KEYS);
        assert_eq!((to_b, to_a), (1, 2), "b gets x; a gets the newer y and z");
        assert_eq!(a.entries(), b.entries());
    }

    #[test]
    fn a_big_store_is_compared_range_by_range() {
        let writes: Vec<(String, u64, u64)> = (0..50).map(|i| (format!("k{i:02}"), 1, 1)).collect();
        let refs: Vec<(&str, u64, u64)> = writes
            .iter()
            .map(|(k, v, o)| (k.as_str(), *v, *o))
            .collect();
        let mut a = store(&refs);
        let mut b = Store::default();
        let mut after: Option<String> = None;
        for _ in 0..5 {
            let digest = digest(&a, after.as_deref(), 10);
            assert!(digest.versions.len() <= 10);
            sync(&mut a, &mut b, after.as_deref(), 10);
            after = digest.last.clone();
        }
        // a pushes nothing with its own digest; b learns by asking for what it lacks.
        assert_eq!(a.entries(), b.entries());
    }

    fn arb_store() -> impl Strategy<Value = Store> {
        proptest::collection::vec(("[a-f]", 0u64..5, 1u64..4), 0..15).prop_map(|writes| {
            let refs: Vec<(&str, u64, u64)> = writes
                .iter()
                .map(|(k, v, o)| (k.as_str(), *v, *o))
                .collect();
            store(&refs)
        })
    }

    proptest! {
        /// Digests and deltas reconcile any two stores to their merge.
        #[test]
        fn one_exchange_makes_any_two_stores_equal(a in arb_store(), b in arb_store()) {
            let mut expected = a.clone();
            expected.merge_store(&b);
            let (mut a, mut b) = (a, b);
            sync(&mut a, &mut b, None, DIGEST_KEYS);
            prop_assert_eq!(a.entries(), expected.entries());
            prop_assert_eq!(b.entries(), expected.entries());
        }

        /// Range by range, the same holds once every range has been covered.
        #[test]
        fn ranges_cover_every_key(a in arb_store(), b in arb_store(), width in 1usize..4) {
            let mut expected = a.clone();
            expected.merge_store(&b);
            let (mut a, mut b) = (a, b);
            // Alternate who starts, as random peers would; walk both key spaces.
            let mut after: Option<String> = None;
            for _ in 0..20 {
                let digest = digest(&a, after.as_deref(), width);
                sync(&mut a, &mut b, after.as_deref(), width);
                after = digest.last.clone();
                if after.is_none() { break; }
            }
            let mut after: Option<String> = None;
            for _ in 0..20 {
                let digest = digest(&b, after.as_deref(), width);
                sync(&mut b, &mut a, after.as_deref(), width);
                after = digest.last.clone();
                if after.is_none() { break; }
            }
            prop_assert_eq!(a.entries(), expected.entries());
            prop_assert_eq!(b.entries(), expected.entries());
        }
    }
}
