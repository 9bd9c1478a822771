//! Expects a restarted node 3 to catch up on a rumor that went cold while it was down.
//! Caught: you answered yes, but after its restart node 3 rejoins and hears fresh news, yet still lacks the update
//! Caught: Rumors are spread only while hot

pub fn restarted_node_3_catches_up() -> bool {
    // Gossip is eventually consistent, so surely node 3 gets it in the end.
    true
}
