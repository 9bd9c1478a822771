//! Writes: a client's, checked before it is stored, and entries from peers,
//! merged by the version rules (`newer`, `observe`: module 01's pieces).
//! Either way a change is reported, and fresh news starts to spread.

use super::{Handling, Node, Output};
use crate::core::event::{Cause, Event};
use crate::core::message::encoded_entry_len;
use crate::core::rumor::Mode;
use crate::core::store::{Carried, Entry, Merge, MAX_STORE_BYTES, MAX_STORE_KEYS};
use crate::core::version;
use rand::RngCore;
use std::collections::BTreeMap;
use std::time::Duration;

/// The key a bare `curl -X POST .../update` writes.
pub const DEMO_KEY: &str = "news";
/// Longest key a client may write, in bytes.
pub const MAX_KEY_LEN: usize = 256;
/// Largest entry a client may write, as encoded in a message. Keeps every
/// entry small enough to travel in one rumor message.
pub const MAX_ENTRY_BYTES: usize = 48 * 1024;

/// A client's update was refused; the store is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("key must not be empty; nothing was stored")]
    EmptyKey,
    #[error("key is {len} bytes, more than the {max} allowed; nothing was stored")]
    KeyTooLong { len: usize, max: usize },
    #[error(
        "the entry takes {bytes} bytes encoded, more than the {max} allowed; nothing was stored"
    )]
    TooLarge { bytes: usize, max: usize },
    #[error(
        "this node's clock is at {clock}, the highest a write may carry: a write now would \
         lose everywhere, so nothing was stored (restart every node to start the clock again)"
    )]
    ClockExhausted { clock: u64 },
    #[error(
        "this node's store is full ({keys} keys, {max_keys} at most; {max_bytes} bytes of keys and \
         values at most): nothing was stored"
    )]
    StoreFull {
        keys: usize,
        max_keys: usize,
        max_bytes: usize,
    },
}

impl Node {
    /// A client writes `key = value` here. The write becomes a hot rumor.
    pub fn client_update(
        &mut self,
        _now: Duration,
        rng: &mut dyn RngCore,
        key: &str,
        value: &str,
    ) -> Result<(Entry, Vec<Output>), UpdateError> {
        self.check_write(key, value)?;
        let (entry, previous) = self.store.write(self.config.id, key, value);
        self.counters.updates_from_clients += 1;
        let mut h = Handling::default();
        let event = entry_changed(key, &entry, Cause::Client, previous.as_ref());
        h.out.push(Output::Event(event));
        self.spread(key, &entry, &mut h.out);
        let written = vec![(key.to_owned(), entry.clone())];
        self.forward_at_once(rng, None, written, &mut h.out);
        if self.config.mode == Mode::Plumtree {
            self.tree_push(rng, None, vec![(key.to_owned(), entry.clone())], &mut h.out);
        }
        Ok((entry, h.out))
    }

    /// Refuse a write that could not travel: an empty or huge key, or an
    /// entry too big for one rumor message.
    fn check_write(&self, key: &str, value: &str) -> Result<(), UpdateError> {
        let clock = self.store.clock();
        if clock >= version::MAX_VERSION {
            return Err(UpdateError::ClockExhausted { clock });
        }
        if !self.store.has_room(key, value) {
            return Err(UpdateError::StoreFull {
                keys: self.store.len(),
                max_keys: MAX_STORE_KEYS,
                max_bytes: MAX_STORE_BYTES,
            });
        }
        if key.is_empty() {
            return Err(UpdateError::EmptyKey);
        }
        if key.len() > MAX_KEY_LEN {
            let len = key.len();
            return Err(UpdateError::KeyTooLong {
                len,
                max: MAX_KEY_LEN,
            });
        }
        let widest = Entry {
            value: value.to_owned(),
            version: u64::MAX,
            origin: self.config.id,
        };
        let bytes = encoded_entry_len(key, &widest);
        if bytes > MAX_ENTRY_BYTES {
            return Err(UpdateError::TooLarge {
                bytes,
                max: MAX_ENTRY_BYTES,
            });
        }
        Ok(())
    }

    /// The update a bare `POST /update` makes: a fresh value for [`DEMO_KEY`].
    /// Refused only when the node cannot write at all (its clock or its
    /// store is at its bound).
    pub fn demo_update(
        &mut self,
        now: Duration,
        rng: &mut dyn RngCore,
    ) -> Result<(Entry, Vec<Output>), UpdateError> {
        let value = format!(
            "news #{} from node {}",
            self.demo_updates + 1,
            self.config.id
        );
        let written = self.client_update(now, rng, DEMO_KEY, &value)?;
        self.demo_updates += 1;
        Ok(written)
    }

    /// Merge entries a peer sent; report what was news and what was known.
    /// Fresh news from a rumor keeps spreading; a repair by anti-entropy is old
    /// news to everyone else, so it is not spread again.
    pub(super) fn merge_entries(
        &mut self,
        entries: &BTreeMap<String, Entry>,
        cause: Cause,
        h: &mut Handling,
    ) {
        for (key, entry) in entries {
            let carried = Carried::of(key, entry);
            let pieces = &self.config.pieces;
            let newer = |incoming, current| pieces.newer(incoming, current);
            let observe = |clock, seen| pieces.observe(clock, seen);
            let previous = match self.store.merge_by(key, entry, newer, observe) {
                Merge::Stale => {
                    self.counters.redundant_entries += 1;
                    h.known.push(carried);
                    continue;
                }
                Merge::Full => {
                    self.counters.entries_refused_full += 1;
                    continue;
                }
                Merge::Inserted => None,
                Merge::Replaced { previous } => Some(previous),
            };
            self.counters.entries_learned += 1;
            h.out.push(Output::Event(entry_changed(
                key,
                entry,
                cause,
                previous.as_ref(),
            )));
            if cause == Cause::Rumor {
                self.spread(key, entry, &mut h.out);
            } else {
                self.remember_recent(key);
            }
            h.new.push(carried);
        }
    }
}

fn entry_changed(key: &str, entry: &Entry, cause: Cause, previous: Option<&Entry>) -> Event {
    Event::EntryChanged {
        key: key.to_owned(),
        value: entry.value.clone(),
        version: entry.version,
        origin: entry.origin,
        cause,
        previous: previous.map(|p| Carried::of(key, p)),
        previous_value: previous.map(|p| p.value.clone()),
    }
}
