//! What a row of the live table measures: our node as the exercises teach
//! it (Lifeguard on, as memberlist), our node with levers turned on, or
//! Serf.
//!
//! The levers are node options, off by default, each aimed at one figure.
//! The default table has one row with [`LEVERS`] together; `--each-lever`
//! gives each of [`EACH_LEVER`] a row of its own instead, against the row
//! as taught, so that each figure can be put down to one option.

use crate::cluster::Cluster;
use crate::{ours, serf};
use anyhow::Result;
use std::path::Path;

/// Node options that make up one row.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Lever {
    /// The row's name: `gossip-node, <name>`.
    pub name: &'static str,
    /// The options, as on the command line.
    pub flags: &'static [&'static str],
}

/// The default table's levers row: forwarding at once moves "update
/// everywhere", suspecting a refused connection moves "killed node dead".
pub const LEVERS: Lever = Lever {
    name: "levers",
    flags: &["--forward-at-once", "on", "--suspect-refused", "on"],
};

/// One row each with `--each-lever`.
pub const EACH_LEVER: &[Lever] = &[
    Lever {
        name: "forward at once",
        flags: &["--forward-at-once", "on"],
    },
    Lever {
        name: "rumors with probes",
        flags: &["--rumors-with-probes", "on"],
    },
    Lever {
        name: "suspect refused",
        flags: &["--suspect-refused", "on"],
    },
    // Not a lever but its absence: plain SWIM's fixed suspicion timeout,
    // against Lifeguard's, which starts 6 x longer and shortens with
    // confirmations.
    Lever {
        name: "Lifeguard off",
        flags: &["--lifeguard", "off"],
    },
];

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum System {
    Ours,
    OursWith(Lever),
    Serf,
}

impl System {
    pub fn name(self) -> String {
        match self {
            System::Ours => "gossip-node".into(),
            System::OursWith(lever) => format!("gossip-node, {}", lever.name),
            System::Serf => "serf".into(),
        }
    }

    /// Its name in a ratio column's header.
    pub fn short(self) -> &'static str {
        match self {
            System::Ours => "ours",
            System::OursWith(lever) => lever.name,
            System::Serf => "serf",
        }
    }

    pub fn start(self, dir: &Path, n: usize) -> Result<Box<dyn Cluster>> {
        Ok(match self {
            System::Ours => Box::new(ours::Ours::start(dir, n, &[])?),
            System::OursWith(lever) => Box::new(ours::Ours::start(dir, n, lever.flags)?),
            System::Serf => Box::new(serf::Serf::start(dir, n)?),
        })
    }
}

/// The rows of one bench run, Serf last.
pub fn chosen(levers: bool, each_lever: bool, with_serf: bool) -> Vec<System> {
    let mut systems = vec![System::Ours];
    if each_lever {
        systems.extend(EACH_LEVER.iter().map(|l| System::OursWith(*l)));
    } else if levers {
        systems.push(System::OursWith(LEVERS));
    }
    if with_serf {
        systems.push(System::Serf);
    }
    systems
}

/// Which row the others are divided by: Serf's when it runs, else ours
/// as taught (what a lever bought); none when there is one row.
pub fn baseline(systems: &[System]) -> Option<usize> {
    if systems.len() < 2 {
        return None;
    }
    systems
        .iter()
        .position(|s| *s == System::Serf)
        .or_else(|| systems.iter().position(|s| *s == System::Ours))
}

/// How each row of ours was started, for the table's head.
pub fn describe(systems: &[System]) -> String {
    let mut lines =
        vec!["gossip-node: as the exercises teach it, Lifeguard on (as Serf)".to_owned()];
    for system in systems {
        if let System::OursWith(lever) = system {
            lines.push(format!(
                "{}: the same with {}",
                system.name(),
                lever.flags.join(" ")
            ));
        }
    }
    lines.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lever_gets_a_row_against_the_row_as_taught() {
        let rows = chosen(true, true, false);
        assert_eq!(rows.len(), 1 + EACH_LEVER.len());
        assert_eq!(baseline(&rows), Some(0), "against the row as taught");
        let head = describe(&rows);
        for lever in EACH_LEVER {
            assert!(head.contains(&lever.flags.join(" ")), "{head}");
        }
        // With Serf, everything is against Serf; alone, nothing to divide by.
        let rows = chosen(true, false, true);
        assert_eq!(
            rows,
            vec![System::Ours, System::OursWith(LEVERS), System::Serf]
        );
        assert_eq!(baseline(&rows), Some(2), "against Serf");
        assert_eq!(baseline(&chosen(false, false, false)), None);
    }
}
