//! Answers that only node 3 can bring node 4 the update: the right "yes", but a fixed path in mind.
//! Caught: you answered OnlyNode3
//! Caught: it cannot be node 3

pub use gossip_exercises::tour::Messenger;

pub fn who_tells_node_4() -> Messenger {
    // Node 4 is node 3's neighbour, so node 3 must be the one that tells it.
    Messenger::OnlyNode3
}
