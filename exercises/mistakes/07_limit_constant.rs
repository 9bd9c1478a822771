//! Repeats each piece mult times whatever the cluster's size: enough for 9 nodes, too few for 10,000.
//! Caught: does not grow with the cluster
//! Caught: Too few and news dies

pub fn retransmit_limit(mult: u32, members: usize) -> u32 {
    mult
}
