//! Exercise 00 — the tour. Run the cluster, then answer from what you saw.
//! (Read `README.md` in this folder first.)
//!
//! Each function is a question; replace its `todo!()` with your answer. The
//! checker (`make check EX=00`) replays the same story on a simulated cluster
//! and tells you which answers match what the protocol really does.

/// Who could bring node 4 the update? The three answers to pick from:
/// * `Messenger::OnlyNode3`: only node 3 could have, so node 4 waits for it;
/// * `Messenger::Node1OrNode2`: node 1 itself, or node 2, which heard it from node 1;
/// * `Messenger::Nobody`: an update never reaches a node it was not written to.
pub use gossip_exercises::tour::Messenger;

/// Step 1-3 of the micro-challenge: node 3 is killed, node 1 is updated.
/// Does node 4 end up holding the update?
pub fn node_4_gets_the_update() -> bool {
    // TODO: run `make run`, `make kill NODE=3`, `make update NODE=1`, and look.
    todo!("node_4_gets_the_update: answer true or false")
}

/// And who carries it to node 4?
pub fn who_tells_node_4() -> Messenger {
    // TODO: pick one of the three `Messenger` answers.
    todo!("who_tells_node_4: pick a Messenger")
}

/// Step 4: node 3 is restarted (`make restart NODE=3`) after the rumor has
/// stopped spreading, with the default settings (rumors only, no
/// anti-entropy). Does node 3 catch up on the update it missed?
pub fn restarted_node_3_catches_up() -> bool {
    // TODO: watch node 3's value on the page after the restart.
    todo!("restarted_node_3_catches_up: answer true or false")
}

/// With the default settings (fanout 2, one round a second), how many
/// rounds does an update written on node 1 need, on average, to reach all
/// four nodes? A whole number; the checker accepts ±1.
pub fn rounds_to_reach_all_four() -> u32 {
    // TODO: time it on the page ("all infected after"), or reason it out.
    todo!("rounds_to_reach_all_four: a whole number of rounds")
}
