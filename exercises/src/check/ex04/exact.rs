//! Module 04, the exact difference. Over the range a digest covers, B's
//! `compare` sends exactly the entries A (the digest's owner) lacks or holds
//! older, and asks for exactly the keys A holds newer; outside the range it
//! sends and asks for nothing, since A's digest says nothing there.
//!
//! "One exchange makes two stores equal" cannot see traffic that changes
//! nothing: stale entries the peer throws away, keys it already holds, keys
//! outside the range. This check can: it tries random stores and random
//! ranges, and names the first wrong key with what it costs.

use super::{describe, store_pairs};
use crate::check::property::for_all;
use crate::check::{Figures, Subject};
use gossip_node::core::digest::{self, Difference, Digest};
use gossip_node::core::store::Store;
use gossip_node::core::version::NodeId;
use proptest::strategy::Strategy;
use std::cell::Cell;

/// A version as digests carry it: (counter, origin).
type Stamp = (u64, NodeId);

/// Stores A and B of up to 10 writes each, and a range of A's keys: its
/// digest starts after key number `after` (None: from the start) and lists
/// at most `max` keys.
fn ranged_pairs() -> impl Strategy<Value = ((Store, Store), Option<usize>, usize)> {
    (store_pairs(), proptest::option::of(0..10usize), 1..12usize)
}

fn show(stamp: Stamp) -> String {
    format!("v{}@{}", stamp.0, stamp.1)
}

/// Why `newer` beats `older`, in the words of exercise 01.
fn why_newer(newer: Stamp, older: Stamp) -> String {
    let reason = if newer.0 == older.0 {
        "the same counter, so the higher origin breaks the tie"
    } else {
        "a higher counter"
    };
    format!("{} is newer than {} ({reason})", show(newer), show(older))
}

/// The range a digest covers, in words.
fn range(digest: &Digest) -> String {
    let start = match digest.first.as_deref() {
        Some(first) => format!("after {}", first.trim_end_matches('\0')),
        None => "from the first key".to_owned(),
    };
    let end = match digest.last.as_deref() {
        Some(last) => format!("up to {last} (inclusive)"),
        None => "to the end".to_owned(),
    };
    format!("the keys {start} {end}")
}

fn stamp_in(store: &Store, key: &str) -> Option<Stamp> {
    store.get(key).map(|e| (e.version, e.origin))
}

/// The first difference between what B sent and asked for and what it
/// should have, with what it costs; `None` if B's answer is exact.
fn fault(b: &Store, digest: &Digest, yours: &Difference, right: &Difference) -> Option<String> {
    let theirs = |key: &str| digest.versions.get(key).copied();
    let sends = |d: &Difference, key: &str| d.they_lack.iter().any(|(k, _)| k == key);
    for (key, entry) in &yours.they_lack {
        let ours = (entry.version, entry.origin);
        if stamp_in(b, key) != Some(ours) {
            return Some(format!(
                "B sent {key} as {}, which is not what B holds.",
                show(ours)
            ));
        }
        if sends(right, key) {
            continue;
        }
        return Some(if !digest.covers(key) {
            format!(
                "B sent {key}, although it lies outside the digest's range: A's digest says \
                 nothing about the keys there, so B cannot know that A lacks them. A compare \
                 that ignores the range ships every key outside it in every ranged exchange: \
                 the whole store again, the cost ranges exist to avoid."
            )
        } else if theirs(key) == Some(ours) {
            format!(
                "B sent {key} {}, which A already holds at that version (its digest says so): \
                 two stores that agree would keep shipping it.",
                show(ours)
            )
        } else {
            let held = theirs(key).unwrap_or(ours);
            format!(
                "B sent {key} {}, stale data, which A throws away: {}.",
                show(ours),
                why_newer(held, ours)
            )
        });
    }
    for (key, entry) in &right.they_lack {
        if sends(yours, key) {
            continue;
        }
        let ours = (entry.version, entry.origin);
        let why = match theirs(key) {
            None => format!("A's digest covers {key} but does not list it: A lacks it"),
            Some(held) => format!("A holds {}; {}", show(held), why_newer(ours, held)),
        };
        let edge = if digest.last.as_deref() == Some(key.as_str()) {
            format!(" ({key} is the range's last key: `digest.covers` includes it.)")
        } else {
            String::new()
        };
        return Some(format!(
            "B did not send {key} {}: {why}. A stays behind.{edge}",
            show(ours)
        ));
    }
    for key in &yours.we_lack {
        if right.we_lack.contains(key) {
            continue;
        }
        return Some(match (theirs(key), stamp_in(b, key)) {
            (None, _) => {
                format!("B asked for {key}, which A's digest does not list: A has nothing to send.")
            }
            (Some(held), Some(ours)) if held == ours => format!(
                "B asked for {key}, which it already holds at the same version {}: two stores \
                 that agree would keep shipping it back and forth.",
                show(ours)
            ),
            (Some(held), Some(ours)) => format!(
                "B asked for {key} at A's {}, stale data it would throw away: {}. B should \
                 send its own instead.",
                show(held),
                why_newer(ours, held)
            ),
            (Some(_), None) => format!("B asked for {key}, which it should not."),
        });
    }
    for key in &right.we_lack {
        if yours.we_lack.contains(key) {
            continue;
        }
        let held = theirs(key)?;
        let why = match stamp_in(b, key) {
            None => format!("A holds {} and B lacks it", show(held)),
            Some(ours) => format!("A holds {}; {}", show(held), why_newer(held, ours)),
        };
        return Some(format!("B did not ask for {key}: {why}. B stays behind."));
    }
    let (sent, asked) = (yours.they_lack.len(), yours.we_lack.len());
    if sent != right.they_lack.len() || asked != right.we_lack.len() {
        return Some(format!(
            "B sent {sent} entries and asked for {asked} keys, some of them twice: each key \
             travels once."
        ));
    }
    None
}

pub fn exact_difference(s: &Subject) -> Result<Figures, String> {
    let (cases, ranged) = (Cell::new(0u32), Cell::new(0u32));
    for_all(400, ranged_pairs(), |((a, b), after, max)| {
        let after = after.map(|k| format!("k{k:02}"));
        let digest = digest::digest(&a, after.as_deref(), max);
        let yours = s.pieces.compare(&b, &digest);
        let right = digest::compare(&b, &digest);
        cases.set(cases.get() + 1);
        if digest.first.is_some() || digest.last.is_some() {
            ranged.set(ranged.get() + 1);
        }
        match fault(&b, &digest, &yours, &right) {
            None => Ok(()),
            Some(why) => Err(format!(
                "A = {} sends its digest of {}, listing {}; B = {} compares.\n{why}",
                describe(&a),
                range(&digest),
                listed(&digest),
                describe(&b)
            )),
        }
    })?;
    Ok(vec![
        ("random exchanges".into(), cases.get().to_string()),
        (
            "of them over part of the keys".into(),
            ranged.get().to_string(),
        ),
    ])
}

fn listed(digest: &Digest) -> String {
    if digest.versions.is_empty() {
        return "no key".to_owned();
    }
    let shown: Vec<String> = digest
        .versions
        .iter()
        .map(|(k, v)| format!("{k}={}", show(*v)))
        .collect();
    format!("{{{}}}", shown.join(", "))
}
