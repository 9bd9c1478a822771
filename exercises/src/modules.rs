//! The curriculum's modules: where each lives, and what `make hint` says.

/// One module of the workshop.
#[derive(Debug)]
pub struct Module {
    pub number: u8,
    /// Its folder under `exercises/`.
    pub folder: &'static str,
    pub title: &'static str,
    /// The file you complete, inside the folder.
    pub file: &'static str,
    /// Whether it replaces protocol pieces a live node can run.
    pub has_pieces: bool,
    /// The functions you write, as the file names them.
    pub functions: &'static [&'static str],
}

/// The modules with checks, in order.
pub const MODULES: &[Module] = &[
    Module {
        number: 0,
        folder: "00_tour",
        title: "the tour: run it, break it, predict it",
        file: "tour.rs",
        has_pieces: false,
        functions: &[
            "node_4_gets_the_update",
            "who_tells_node_4",
            "restarted_node_3_catches_up",
            "rounds_to_reach_all_four",
        ],
    },
    Module {
        number: 1,
        folder: "01_versions",
        title: "versions and merge: last writer wins, by Lamport clock",
        file: "versions.rs",
        has_pieces: true,
        functions: &["newer", "observe"],
    },
    Module {
        number: 2,
        folder: "02_push_rumor",
        title: "peer selection and push rumors with damping",
        file: "rumor.rs",
        has_pieces: true,
        functions: &["choose_peers", "damp"],
    },
    Module {
        number: 3,
        folder: "03_pull",
        title: "pull and push-pull: count the rounds",
        file: "pull.rs",
        has_pieces: true,
        functions: &["pull_answer"],
    },
    Module {
        number: 4,
        folder: "04_anti_entropy",
        title: "anti-entropy: digests and deltas",
        file: "anti_entropy.rs",
        has_pieces: true,
        functions: &["digest", "compare"],
    },
    Module {
        number: 5,
        folder: "05_heartbeat",
        title: "heartbeat membership: why a fixed timeout misfires",
        file: "heartbeat.rs",
        has_pieces: true,
        functions: &["heard_beat", "heartbeat_failed", "heartbeat_timeout"],
    },
    Module {
        number: 6,
        folder: "06_swim",
        title: "SWIM: suspect, refute, dead",
        file: "swim.rs",
        has_pieces: true,
        functions: &["overrides", "refute"],
    },
    Module {
        number: 7,
        folder: "07_storms",
        title: "gossip storms: bounded retransmission",
        file: "storms.rs",
        has_pieces: true,
        functions: &["retransmit_limit", "suspicion_timeout"],
    },
    Module {
        number: 8,
        folder: "08_aggregation",
        title: "aggregation: push-sum finds the average and the size",
        file: "push_sum.rs",
        has_pieces: true,
        functions: &["push_sum_split", "push_sum_merge"],
    },
    Module {
        number: 9,
        folder: "09_plumtree",
        title: "bonus: Plumtree, epidemic broadcast trees",
        file: "plumtree.rs",
        has_pieces: true,
        functions: &["link_after", "push_targets"],
    },
];

/// The module numbered `number`, if it exists.
pub fn module(number: u8) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.number == number)
}

impl Module {
    /// `exercises/04_anti_entropy/anti_entropy.rs`
    pub fn path(&self) -> String {
        format!("exercises/{}/{}", self.folder, self.file)
    }

    /// Where the reference stands, to compare once your code passes.
    pub fn reference(&self) -> String {
        let solution = format!("exercises/solutions/{}/{}", self.folder, self.file);
        if !self.has_pieces {
            return solution;
        }
        let pieces: Vec<String> = self
            .functions
            .iter()
            .map(|f| format!("Pieces::{f}"))
            .collect();
        format!(
            "{solution}, and the core's own {} in node/src/core/pieces.rs",
            pieces.join(", ")
        )
    }

    /// This module's section of `hints.md`.
    pub fn hints(&self) -> Option<&'static str> {
        let all = include_str!("../hints.md");
        let heading = format!("## {:02}\n", self.number);
        let start = all.find(&heading)? + heading.len();
        let rest = &all[start..];
        let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
        Some(rest[..end].trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_has_hints_a_folder_and_a_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for module in MODULES {
            let hints = module
                .hints()
                .unwrap_or_else(|| panic!("no hints for {:02}", module.number));
            assert!(hints.starts_with("1."), "{:02}: {hints}", module.number);
            assert!(
                root.join(module.folder).join("README.md").exists(),
                "{:?}",
                module
            );
            assert!(
                root.join(module.folder).join(module.file).exists(),
                "{:?}",
                module
            );
            assert!(root
                .join("solutions")
                .join(module.folder)
                .join(module.file)
                .exists());
        }
    }

    #[test]
    fn every_listed_function_stands_in_the_starter_and_the_solution() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for module in MODULES {
            for file in [
                root.join(module.folder).join(module.file),
                root.join("solutions").join(module.folder).join(module.file),
            ] {
                let text = std::fs::read_to_string(&file).unwrap();
                for function in module.functions {
                    assert!(
                        text.contains(&format!("pub fn {function}(")),
                        "{} has no `pub fn {function}`",
                        file.display()
                    );
                }
            }
        }
    }
}
