//! Counts one round per node, as if each round informed one more node, instead of every informed node pushing to two peers.
//! Caught: you said 4 rounds
//! Caught: three informed nodes send 6 pushes

pub fn rounds_to_reach_all_four() -> u32 {
    // One node hears per round: 2, then 3, then 4... and node 1 itself.
    4
}
