//! Thinks node 4 is cut off while node 3 is down, as if the update had to travel along a fixed chain 1 → 2 → 3 → 4.
//! Caught: you answered no, but node 4 held the update
//! Caught: Gossip needs no fixed path

pub use gossip_exercises::tour::Messenger;

pub fn node_4_gets_the_update() -> bool {
    // Node 3 sits between node 2 and node 4, and node 3 is down.
    false
}

pub fn who_tells_node_4() -> Messenger {
    Messenger::OnlyNode3
}
