//! The tour's (module 00) answer type, shared by your file, the solution
//! and the checker.

/// Who could bring node 4 an update written on node 1 while node 3 is down?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Messenger {
    /// Only node 3 could have: node 4 waits for it.
    OnlyNode3,
    /// Node 1 itself, or node 2, which heard it from node 1.
    Node1OrNode2,
    /// Nobody: an update never reaches a node that is not the one written to.
    Nobody,
}
