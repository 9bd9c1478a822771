//! The versioned store: what a node knows, and how it merges what it hears.
//!
//! Each key holds one [`Entry`]: a value and the [`Version`] of the write that
//! produced it. Merging keeps, per key, the entry with the higher version
//! ("last writer wins", where "last" means the Lamport order of
//! [`version`](super::version)). That rule makes merge a join in a
//! semilattice: it is
//!
//! * **commutative** — merging A into B or B into A gives the same store,
//! * **associative** — the order in which three stores meet does not matter,
//! * **idempotent** — hearing the same rumor twice changes nothing.
//!
//! Those three properties are exactly why gossip can deliver messages in any
//! order, any number of times, and still converge. The property tests at the
//! bottom of this file check them on random stores.

use super::version::{self, LamportClock, NodeId, Version};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One value and the stamp of the write that produced it.
///
/// On the wire and in `GET /state` this is `{"value", "version", "origin"}`:
/// `version` is the Lamport counter, `origin` the writer's id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub value: String,
    pub version: u64,
    pub origin: NodeId,
}

impl Entry {
    /// The write's place in the total order.
    pub fn stamp(&self) -> Version {
        Version {
            counter: self.version,
            origin: self.origin,
        }
    }
}

/// One write, named by key and stamp, without its value: what a message
/// carried, what an announcement names, what an event reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    pub key: String,
    pub version: u64,
    pub origin: NodeId,
}

impl Carried {
    pub fn of(key: &str, entry: &Entry) -> Carried {
        Carried {
            key: key.to_owned(),
            version: entry.version,
            origin: entry.origin,
        }
    }
}

/// What [`Store::merge`] did with an incoming entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Merge {
    /// The key was unknown here; the entry was stored.
    Inserted,
    /// The entry beat the one stored here, which it replaced.
    Replaced { previous: Entry },
    /// This store already held the same write or a newer one: nothing changed.
    Stale,
    /// The entry would have grown the store past its bounds
    /// ([`MAX_STORE_KEYS`], [`MAX_STORE_BYTES`]): nothing changed.
    Full,
}

impl Merge {
    /// True when the store changed: the incoming entry was news.
    pub fn is_news(&self) -> bool {
        matches!(self, Merge::Inserted | Merge::Replaced { .. })
    }
}

/// Most keys one store holds, and most bytes of keys and values: a
/// workshop's cluster holds a few dozen, and no peer can make a node hold
/// more than this however many entries it sends.
pub const MAX_STORE_KEYS: usize = 10_000;
pub const MAX_STORE_BYTES: usize = 8 * 1024 * 1024;

/// The keys and values one node holds, with its Lamport clock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    entries: BTreeMap<String, Entry>,
    clock: LamportClock,
    /// Bytes of every key and value held.
    bytes: usize,
}

/// Bytes an entry takes in a store's count.
fn size(key: &str, value: &str) -> usize {
    key.len() + value.len()
}

impl Store {
    /// Whether `key = value` fits in this store, in place of what `key`
    /// holds now, if anything.
    pub fn has_room(&self, key: &str, value: &str) -> bool {
        let held = self.entries.get(key);
        let keys = self.entries.len() + usize::from(held.is_none());
        let freed = held.map_or(0, |e| size(key, &e.value));
        let bytes = self.bytes - freed + size(key, value);
        keys <= MAX_STORE_KEYS && bytes <= MAX_STORE_BYTES
    }

    /// Put `entry` under `key`, keeping the byte count.
    fn put(&mut self, key: &str, entry: Entry) -> Option<Entry> {
        self.bytes += size(key, &entry.value);
        let previous = self.entries.insert(key.to_owned(), entry);
        if let Some(previous) = &previous {
            self.bytes -= size(key, &previous.value);
        }
        previous
    }

    /// A local write (a client's `POST /update`): stamped above everything seen.
    /// Returns the stored entry and what it replaced, if anything. (The
    /// node checks [`Store::has_room`] first.)
    pub fn write(&mut self, me: NodeId, key: &str, value: &str) -> (Entry, Option<Entry>) {
        let stamp = self.clock.tick(me);
        let entry = Entry {
            value: value.to_owned(),
            version: stamp.counter,
            origin: stamp.origin,
        };
        let previous = self.put(key, entry.clone());
        (entry, previous)
    }

    /// Merge one entry heard from a peer: keep it only if it is newer.
    pub fn merge(&mut self, key: &str, entry: &Entry) -> Merge {
        self.merge_by(key, entry, version::newer, version::observe)
    }

    /// [`Store::merge`] with the two rules given: `newer` decides which
    /// write wins, `observe` how the clock moves (exercise 01 plugs in here).
    pub fn merge_by(
        &mut self,
        key: &str,
        entry: &Entry,
        newer: impl Fn(Version, Version) -> bool,
        observe: impl Fn(u64, u64) -> u64,
    ) -> Merge {
        let wins = match self.entries.get(key) {
            None => true,
            Some(mine) => newer(entry.stamp(), mine.stamp()),
        };
        if wins && !self.has_room(key, &entry.value) {
            return Merge::Full;
        }
        self.clock.set(observe(self.clock.current(), entry.version));
        if !wins {
            return Merge::Stale;
        }
        match self.put(key, entry.clone()) {
            None => Merge::Inserted,
            Some(previous) => Merge::Replaced { previous },
        }
    }

    /// Merge every entry of another store into this one.
    pub fn merge_store(&mut self, other: &Store) {
        for (key, entry) in &other.entries {
            self.merge(key, entry);
        }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    pub fn entries(&self) -> &BTreeMap<String, Entry> {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The highest Lamport counter this node has made or seen.
    pub fn clock(&self) -> u64 {
        self.clock.current()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(value: &str, version: u64, origin: u64) -> Entry {
        Entry {
            value: value.into(),
            version,
            origin: NodeId(origin),
        }
    }

    #[test]
    fn newer_write_replaces_older() {
        let mut store = Store::default();
        assert_eq!(store.merge("color", &entry("red", 1, 1)), Merge::Inserted);
        assert_eq!(
            store.merge("color", &entry("blue", 2, 2)),
            Merge::Replaced {
                previous: entry("red", 1, 1)
            }
        );
        assert_eq!(store.merge("color", &entry("red", 1, 1)), Merge::Stale);
        assert_eq!(store.get("color").unwrap().value, "blue");
    }

    #[test]
    fn hearing_the_same_write_twice_is_stale() {
        let mut store = Store::default();
        store.merge("k", &entry("v", 7, 3));
        assert_eq!(store.merge("k", &entry("v", 7, 3)), Merge::Stale);
    }

    #[test]
    fn a_local_write_after_merging_wins() {
        let mut store = Store::default();
        store.merge("k", &entry("theirs", 10, 9));
        let (mine, previous) = store.write(NodeId(1), "k", "mine");
        assert_eq!(mine.version, 11);
        assert_eq!(previous.unwrap().value, "theirs");
    }

    /// Random stores: a handful of keys, small counters so that writes collide.
    fn arb_store() -> impl Strategy<Value = Store> {
        let write = ("[a-d]", 0u64..6, 1u64..4);
        proptest::collection::vec(write, 0..12).prop_map(|writes| {
            let mut store = Store::default();
            for (key, version, origin) in writes {
                // One stamp is one write: it always names the same value.
                let value = format!("{key}-{version}-{origin}");
                store.merge(&key, &entry(&value, version, origin));
            }
            store
        })
    }

    /// The entries of `a` after merging `b` into it.
    fn merged(a: &Store, b: &Store) -> BTreeMap<String, Entry> {
        let mut out = a.clone();
        out.merge_store(b);
        out.entries().clone()
    }

    fn store_of(entries: &BTreeMap<String, Entry>) -> Store {
        let mut store = Store::default();
        for (key, entry) in entries {
            store.merge(key, entry);
        }
        store
    }

    proptest! {
        #[test]
        fn merge_is_commutative(a in arb_store(), b in arb_store()) {
            prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        }

        #[test]
        fn merge_is_associative(a in arb_store(), b in arb_store(), c in arb_store()) {
            let left = merged(&store_of(&merged(&a, &b)), &c);
            let right = merged(&a, &store_of(&merged(&b, &c)));
            prop_assert_eq!(left, right);
        }

        #[test]
        fn merge_is_idempotent(a in arb_store(), b in arb_store()) {
            let once = merged(&a, &b);
            let twice = merged(&store_of(&once), &b);
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(&merged(&a, &a), a.entries());
        }
    }
}
