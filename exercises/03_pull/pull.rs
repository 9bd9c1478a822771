//! Exercise 03 — pull and push-pull. (Read `README.md` in this folder first.)
//!
//! In a pull, a node asks a random peer "anything new?" and says what it
//! already has (the versions of its recently changed keys). The peer answers
//! with what it is spreading and the asker lacks. `make check EX=03`; once
//! it passes, the checker tells you where the reference stands.

use gossip_node::core::digest::Digest;
use gossip_node::core::store::Entry;

/// A peer pulled from us. `hot` holds the entries we are spreading (key,
/// entry); `have` maps the keys the peer holds to `(version, origin)`.
/// Return the hot entries to send it: those it does not hold, or holds at
/// an older version. Send nothing it already has: every copy should be news.
pub fn pull_answer(hot: &[(String, Entry)], have: &Digest) -> Vec<(String, Entry)> {
    // TODO: filter `hot`. Compare versions as `(version, origin)` pairs;
    // `have.versions.get(key)` is `None` when the peer lacks the key.
    todo!("pull_answer: what does the puller lack?")
}
