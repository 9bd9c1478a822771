//! Admission: a peer's message is checked like a client's write before the
//! node acts on any of it.
//!
//! In a room of thirty laptops a peer may run half-finished code, or be
//! someone's experiment; a message is input, not truth. So before a node
//! takes anything from a message it checks, and refuses the whole message if
//! one part fails:
//!
//! * **shape** — every address a plain `host:port`, every key and entry
//!   within the limits a client write has ([`MAX_KEY_LEN`],
//!   [`MAX_ENTRY_BYTES`]), lists no longer than one message should carry,
//!   push-sum numbers finite and in range;
//! * **reach** — no number beyond what honest peers could have made: a
//!   version [`within_reach`](version::within_reach) of this node's clock,
//!   incarnations and heartbeats [`plausible`](membership::plausible)
//!   next to what this node knows. One forged message can then move a
//!   counter only a bounded step, never to where it cannot move any more.
//!
//! A refusal says what was wrong, in words a participant can act on; the
//! host answers it to the sender and counts it. Refusing changes nothing.
//!
//! In the protocol's description, `docs/PROTOCOL.md`: §4.0 (the envelope).

use super::writes::{MAX_ENTRY_BYTES, MAX_KEY_LEN};
use super::Node;
use crate::core::broadcast::{MAX_ACCUSERS, MAX_PER_MESSAGE};
use crate::core::digest::{Digest, DIGEST_KEYS};
use crate::core::heartbeat::{self, Heartbeat, MAX_BEATS_PER_MESSAGE};
use crate::core::membership::{self, Member, MemberStatus};
use crate::core::message::{encoded_entry_len, Envelope, Message};
use crate::core::store::{Carried, Entry};
use crate::core::version::{self, NodeId};
use std::collections::BTreeMap;

/// Most members one `join` or `welcome` carries; a node that knows more
/// sends its list in several welcomes.
pub const MAX_MEMBERS_PER_MESSAGE: usize = 128;
/// Most entry ids or keys one message names (feedback, announcements,
/// grafts, the keys an anti-entropy delta asks for).
pub const MAX_IDS_PER_MESSAGE: usize = DIGEST_KEYS;
/// Longest address: a DNS name (253 bytes), a colon and a port.
pub const MAX_ADDR_LEN: usize = 253 + 6;
/// Largest push-sum sum taken, either side of zero, and largest weight: a
/// cluster of ten million nodes averaging values up to 10^90 stays inside,
/// and a sum of any two stays finite.
pub const MAX_PUSH_SUM: f64 = 1e100;
pub const MAX_PUSH_WEIGHT: f64 = 1e12;

/// Why a peer's message was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refuse(why: impl Into<String>) -> Result<(), Refusal> {
    Err(Refusal(why.into()))
}

/// At most `max` items of `what`.
fn count(what: &str, len: usize, max: usize) -> Result<(), Refusal> {
    match len <= max {
        true => Ok(()),
        false => refuse(format!("{len} {what} in one message; at most {max}")),
    }
}

/// A plain `host:port`: a name or an IPv4 address (letters, digits, dots,
/// dashes) or a bracketed IPv6 address, and a port from 1 to 65535. Nothing
/// that could change the URL a node builds from it: no `/`, `?`, `@`, `#`.
pub fn plain_addr(addr: &str) -> Result<(), String> {
    let bad = || format!("address {:?} is not a plain host:port", clip(addr));
    if addr.len() > MAX_ADDR_LEN {
        return Err(bad());
    }
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    let port_ok = port.parse::<u16>().is_ok_and(|p| p > 0) && !port.starts_with('+');
    let host_ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
    };
    match port_ok && host_ok {
        true => Ok(()),
        false => Err(bad()),
    }
}

/// The first 40 characters of a peer's string, for a message about it.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A key as a client may write it: 1 to [`MAX_KEY_LEN`] bytes.
fn key(key: &str) -> Result<(), Refusal> {
    if key.is_empty() {
        return refuse("an empty key");
    }
    count("bytes of key", key.len(), MAX_KEY_LEN)
}

/// Each accusation names a suspect among the message's news and an accuser
/// other than the suspect, once; at most [`MAX_ACCUSERS`] per suspect.
fn admit_accusations(envelope: &Envelope) -> Result<(), Refusal> {
    for (i, a) in envelope.accusations.iter().enumerate() {
        let suspect = envelope
            .updates
            .iter()
            .any(|m| m.id == a.member && m.status == MemberStatus::Suspect);
        if !suspect {
            return refuse(format!(
                "an accusation of node {} names no suspect in the message's news",
                a.member
            ));
        }
        if a.by == a.member {
            return refuse(format!("node {} accuses itself", a.member));
        }
        let before = &envelope.accusations[..i];
        if before.contains(a) {
            return refuse(format!("node {} accuses node {} twice", a.by, a.member));
        }
        if before.iter().filter(|b| b.member == a.member).count() >= MAX_ACCUSERS {
            return refuse(format!(
                "node {} has more than {MAX_ACCUSERS} accusers",
                a.member
            ));
        }
    }
    Ok(())
}

impl Node {
    /// Check a peer's message before acting on it: `Ok` to go on, or why
    /// the whole message is refused. [`Node::receive`] asks this first; a
    /// host may ask it too, to answer the sender.
    pub fn admit(&self, envelope: &Envelope) -> Result<(), Refusal> {
        self.admit_member(&envelope.from, "the sender")?;
        count(
            "piggybacked members",
            envelope.updates.len(),
            MAX_PER_MESSAGE,
        )?;
        for member in &envelope.updates {
            self.admit_member(member, "a piggybacked member")?;
        }
        admit_accusations(envelope)?;
        match &envelope.message {
            Message::Join { members, .. } | Message::Welcome { members, .. } => {
                count("members", members.len(), MAX_MEMBERS_PER_MESSAGE)?;
                for member in members {
                    self.admit_member(member, "a listed member")?;
                }
                Ok(())
            }
            Message::Rumor { entries, pull, .. } => {
                self.admit_entries(entries)?;
                pull.as_ref().map_or(Ok(()), digest)
            }
            Message::Pull { have } => digest(have),
            Message::SyncDigest { digest: d } => digest(d),
            Message::SyncDelta { entries, want } => {
                self.admit_entries(entries)?;
                count("keys wanted", want.len(), MAX_IDS_PER_MESSAGE)?;
                want.iter().try_for_each(|k| key(k))
            }
            Message::EagerPush { entries } => self.admit_entries(entries),
            Message::Feedback { known: ids } | Message::IHave { ids } | Message::Graft { ids } => {
                self.admit_ids(ids)
            }
            Message::PingReq { target, .. } => self.admit_member(target, "the probe's target"),
            Message::PushSum { sum, weight } => self.admit_push_sum(*sum, *weight),
            Message::Heartbeats { beats } => self.admit_beats(beats),
            Message::Ping { .. }
            | Message::Ack { .. }
            | Message::Nack { .. }
            | Message::Leave
            | Message::Prune => Ok(()),
        }
    }

    /// A member record: a plain address, a plausible incarnation.
    fn admit_member(&self, member: &Member, role: &str) -> Result<(), Refusal> {
        plain_addr(&member.addr).map_err(|why| Refusal(format!("{role}: {why}")))?;
        let known = self.members.get(member.id);
        if !membership::plausible(member, known) {
            let known = known.map_or("none".to_owned(), |k| k.incarnation.to_string());
            return refuse(format!(
                "{role}: node {} at incarnation {} is out of reach (known: {known}; at most {} \
                 more)",
                member.id,
                member.incarnation,
                membership::MAX_INCARNATION_JUMP
            ));
        }
        Ok(())
    }

    /// Entries as a client may write them, stamped within reach of our clock.
    fn admit_entries(&self, entries: &BTreeMap<String, Entry>) -> Result<(), Refusal> {
        count("entries", entries.len(), MAX_IDS_PER_MESSAGE)?;
        let clock = self.store.clock();
        for (k, entry) in entries {
            key(k)?;
            let bytes = encoded_entry_len(k, entry);
            if bytes > MAX_ENTRY_BYTES {
                return refuse(format!(
                    "entry {:?} takes {bytes} bytes; at most {MAX_ENTRY_BYTES}",
                    clip(k)
                ));
            }
            self.admit_version(k, entry.version, clock)?;
        }
        Ok(())
    }

    fn admit_version(&self, k: &str, version: u64, clock: u64) -> Result<(), Refusal> {
        match version::within_reach(clock, version) {
            true => Ok(()),
            false => refuse(format!(
                "{:?} at version {version} is out of reach of this node's clock ({clock}; at \
                 most {} ahead, and at most {})",
                clip(k),
                version::MAX_VERSION_JUMP,
                version::MAX_VERSION
            )),
        }
    }

    fn admit_ids(&self, ids: &[Carried]) -> Result<(), Refusal> {
        count("entry ids", ids.len(), MAX_IDS_PER_MESSAGE)?;
        let clock = self.store.clock();
        for id in ids {
            key(&id.key)?;
            self.admit_version(&id.key, id.version, clock)?;
        }
        Ok(())
    }

    /// A push-sum share: finite, in range, and only where push-sum runs.
    fn admit_push_sum(&self, sum: f64, weight: f64) -> Result<(), Refusal> {
        if self.push_sum.is_none() {
            return refuse("push-sum is off on this node (start it with --value)");
        }
        let in_range = sum.is_finite()
            && sum.abs() <= MAX_PUSH_SUM
            && weight.is_finite()
            && (0.0..=MAX_PUSH_WEIGHT).contains(&weight);
        match in_range {
            true => Ok(()),
            false => refuse(format!(
                "push-sum share ({sum}, {weight}) out of range: the sum finite and at most \
                 {MAX_PUSH_SUM:e} either way, the weight from 0 to {MAX_PUSH_WEIGHT:e}"
            )),
        }
    }

    fn admit_beats(&self, beats: &[(NodeId, Heartbeat)]) -> Result<(), Refusal> {
        count("heartbeats", beats.len(), MAX_BEATS_PER_MESSAGE)?;
        for (id, heard) in beats {
            let known = self.beats.get(*id).map(|b| b.heartbeat);
            if !heartbeat::plausible(*heard, known) {
                return refuse(format!(
                    "node {id}'s heartbeat {}/{} is out of reach",
                    heard.generation, heard.count
                ));
            }
        }
        Ok(())
    }
}

/// A digest: at most [`DIGEST_KEYS`] keys, each a key a client could write.
fn digest(digest: &Digest) -> Result<(), Refusal> {
    count("digest keys", digest.versions.len(), DIGEST_KEYS)?;
    let bounds = digest.first.iter().chain(&digest.last);
    bounds
        .chain(digest.versions.keys())
        .try_for_each(|k| key(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_host_and_port_is_an_address() {
        for good in ["127.0.0.1:7001", "laptop-3.local:7002", "[::1]:7003", "a:1"] {
            assert_eq!(plain_addr(good), Ok(()), "{good}");
        }
        for bad in [
            "127.0.0.1",
            "127.0.0.1:0",
            "127.0.0.1:70000",
            "127.0.0.1:+80",
            ":7001",
            "evil.example/x?:7001",
            "user@host:7001",
            "host:7001/admin/crash",
            "[not-v6]:7001",
            "a b:7001",
        ] {
            assert!(plain_addr(bad).is_err(), "{bad}");
        }
        assert!(plain_addr(&format!("{}:7001", "a".repeat(300))).is_err());
    }
}
