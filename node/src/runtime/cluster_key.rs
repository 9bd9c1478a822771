//! The cluster key: only nodes that hold it can speak to the cluster.
//!
//! In a room of laptops on one Wi-Fi anyone can post a message to any node.
//! With `--cluster-key` (or `GOSSIP_CLUSTER_KEY`), every peer message
//! carries a tag, the HMAC-SHA256 of its body under the key, in the header
//! [`HEADER`]; a node with the key checks the tag before it even parses the
//! body, and refuses a message with a wrong or missing one. The key itself
//! never travels and is never shown: not in `/state`, not in events, not in
//! logs (its `Debug` says only that there is one). Serf's keyring does the
//! same with AES-GCM, which also hides the messages; here they stay
//! readable on purpose, so that participants can watch them.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

/// The header that carries a message's tag, in hex.
pub const HEADER: &str = "x-gossip-tag";
/// Shortest key accepted, in bytes: a guessable key protects nothing.
pub const MIN_KEY_LEN: usize = 16;

type Tagger = Hmac<Sha256>;

/// A cluster's shared key.
#[derive(Clone)]
pub struct ClusterKey(Vec<u8>);

impl ClusterKey {
    /// A key from the text given on the command line: at least
    /// [`MIN_KEY_LEN`] bytes.
    pub fn new(text: &str) -> Result<ClusterKey, String> {
        if text.len() < MIN_KEY_LEN {
            return Err(format!(
                "a cluster key needs at least {MIN_KEY_LEN} characters, not {}: try the \
                 output of `openssl rand -hex 16`",
                text.len()
            ));
        }
        Ok(ClusterKey(text.as_bytes().to_vec()))
    }

    fn tagger(&self) -> Tagger {
        Tagger::new_from_slice(&self.0).expect("HMAC takes a key of any length")
    }

    /// The tag of `body`, in hex, for [`HEADER`].
    pub fn tag(&self, body: &[u8]) -> String {
        let mut tagger = self.tagger();
        tagger.update(body);
        hex::encode(tagger.finalize().into_bytes())
    }

    /// Whether `tag` (hex, as sent) is `body`'s tag under this key; compared
    /// in constant time.
    pub fn verify(&self, body: &[u8], tag: &str) -> bool {
        let Ok(bytes) = hex::decode(tag) else {
            return false;
        };
        let mut tagger = self.tagger();
        tagger.update(body);
        tagger.verify_slice(&bytes).is_ok()
    }
}

impl fmt::Debug for ClusterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClusterKey(hidden)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_made_with_the_key_verifies_and_nothing_else_does() {
        let key = ClusterKey::new("correct horse battery staple").unwrap();
        let other = ClusterKey::new("another key of the room").unwrap();
        let body = br#"{"kind":"ping","seq":1}"#;
        let tag = key.tag(body);
        assert_eq!(tag.len(), 64);
        assert!(key.verify(body, &tag));
        assert!(!other.verify(body, &tag));
        assert!(!key.verify(br#"{"kind":"ping","seq":2}"#, &tag));
        assert!(!key.verify(body, "zz"));
        assert!(!key.verify(body, ""));
        assert!(!key.verify(body, &tag[..62]));
    }

    #[test]
    fn a_short_key_is_refused_and_no_key_is_ever_shown() {
        assert!(ClusterKey::new("short")
            .unwrap_err()
            .contains("at least 16"));
        let key = ClusterKey::new("correct horse battery staple").unwrap();
        assert_eq!(format!("{key:?}"), "ClusterKey(hidden)");
    }
}
