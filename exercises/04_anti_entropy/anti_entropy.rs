//! Exercise 04 — anti-entropy with digests and deltas. (Read `README.md` in
//! this folder first.) This is the workshop sheet's challenge: make node 3
//! catch up after a restart, and repair what lost messages left behind.
//!
//! Check your work with `make check EX=04`; once it passes, the checker
//! tells you where the reference stands, to compare.

use gossip_node::core::digest::{Difference, Digest};
use gossip_node::core::store::Store;
use std::collections::BTreeMap; // for Digest::versions

/// What this node tells a peer it holds: the version of each key, no values.
///
/// Cover up to `max_keys` keys of `store`, in key order, starting after the
/// key `after` (or from the first key when `after` is `None`).
pub fn digest(store: &Store, after: Option<&str>, max_keys: usize) -> Digest {
    // TODO: walk `store.entries()` (a BTreeMap, sorted by key): skip keys up
    // to and including `after`, take at most `max_keys`, and put each key's
    // `(entry.version, entry.origin)` into `versions`.
    //
    // Then say which range you covered, so the peer compares only that:
    // `first` is `after` followed by the character '\0' (the smallest key
    // after it), or `None` from the start; `last` is the last key you took
    // if the store holds more keys after it, or `None` if you reached the end.
    todo!("digest: the versions of one range of keys")
}

/// A peer sent us its `digest`. Compare it with our `store`, over the range
/// the digest covers (`digest.covers(key)`):
///
/// * `they_lack`: our entries the peer does not hold, or holds older;
/// * `we_lack`: keys the peer holds newer than we do (or that we lack).
///
/// Keys both sides hold at the same version appear in neither list: when
/// two stores already agree, nothing but the digest travels.
pub fn compare(store: &Store, digest: &Digest) -> Difference {
    // TODO: two loops. Versions compare as `(version, origin)` pairs, like
    // exercise 01's `newer`.
    todo!("compare: what to send, what to ask for")
}
