//! Answers that nobody brings node 4 the update, as if a write stayed on the node it was written to.
//! Caught: you answered Nobody
//! Caught: every node that hears it passes it on

pub use gossip_exercises::tour::Messenger;

pub fn who_tells_node_4() -> Messenger {
    // The update was written on node 1; why would node 4 ever see it?
    Messenger::Nobody
}
