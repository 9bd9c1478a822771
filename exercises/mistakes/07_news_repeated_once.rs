//! Sends each piece of membership news once: it dies one hop from the node that learned it, before it reaches everyone.
//! Caught: Too few and news dies
//! Caught: does not grow with the cluster

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    // Every node that hears the news repeats it too, so once should do.
    1
}
