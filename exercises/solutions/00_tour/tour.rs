//! Exercise 00 — the tour: the answers.

pub use gossip_exercises::tour::Messenger;

/// Yes: node 1 pushes to two random peers a round, so nodes 2 and 4 hear
/// it within a round or two, and node 2 passes it on too.
pub fn node_4_gets_the_update() -> bool {
    true
}

/// Node 1 or node 2. Gossip has no fixed path: any informed node may be
/// the one that picks node 4.
pub fn who_tells_node_4() -> Messenger {
    Messenger::Node1OrNode2
}

/// No: rumors are only spread while they are hot (4 rounds by default). A
/// node that comes back later hears nothing until someone writes the key
/// again. Anti-entropy (exercise 04) fixes exactly this.
pub fn restarted_node_3_catches_up() -> bool {
    false
}

/// One or two: in round 1 node 1 tells two of the three others; in round 2
/// the three informed nodes (six pushes) all but surely reach the last one.
pub fn rounds_to_reach_all_four() -> u32 {
    2
}
