//! The protocol core is a one-way stack: rules, then the wire, then the node.
//!
//! This test reads the core's source (what each file names through `super::`
//! or `crate::core::`, outside comments and test modules), builds the graph
//! of which module uses which, and fails on a module that imports a higher
//! layer, on a circle, and on a file that no layer lists. Run it with
//! `--no-capture` to see the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module may use its own layer and those below.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "rules",
        &[
            "version",
            "store",
            "membership",
            "peer_selection",
            "rumor",
            "digest",
            "swim",
            "lifeguard",
            "heartbeat",
            "broadcast",
            "plumtree",
            "aggregate",
            "faults",
        ],
    ),
    ("wire", &["message", "event"]),
    ("node", &["pieces", "config", "node"]),
];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The source without comments and without the test module at its end.
fn code_of(source: &str) -> String {
    let cut = source
        .find("#[cfg(test)]\nmod tests {")
        .unwrap_or(source.len());
    source[..cut]
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names right after each `prefix` in `code`: `prefix::name` gives
/// `name`, `prefix::{a, b::c}` gives `a` and `b`.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // part of a longer path, e.g. `super::super::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let head = item.trim().split("::").next().unwrap_or("").trim();
                if !head.is_empty() {
                    names.push(head.to_owned());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

/// What `pub use module::{A, B}` in core/mod.rs re-exports: name -> module.
fn reexports(index: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for statement in code_of(index).split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (module, items) = path.split_once("::").expect("pub use module::item");
        let items = items.trim_matches(|c: char| c == '{' || c == '}' || c.is_whitespace());
        for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            map.insert(item.to_owned(), module.trim().to_owned());
        }
    }
    map
}

/// The graph of the core under `dir`: module -> the core modules it uses.
fn core_graph(dir: &Path) -> Graph {
    let index = std::fs::read_to_string(dir.join("mod.rs")).expect("core/mod.rs");
    let reexported = reexports(&index);
    let mut graph = Graph::new();
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the core's folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).expect("a core subfolder") {
                let inner = inner.expect("a directory entry").path();
                files.push((path.file_name().unwrap().to_string_lossy().into(), inner));
            }
        } else if path.file_name().is_some_and(|n| n != "mod.rs") {
            files.push((path.file_stem().unwrap().to_string_lossy().into(), path));
        }
    }
    for (module, path) in files {
        let code = code_of(&std::fs::read_to_string(&path).expect("a core file"));
        let nested = path.parent() != Some(dir);
        let top_of_nested = nested && path.file_name().is_some_and(|n| n == "mod.rs");
        let mut uses = Vec::new();
        uses.extend(names_after(&code, "crate::core::"));
        if nested && !top_of_nested {
            uses.extend(names_after(&code, "super::super::"));
        } else {
            uses.extend(names_after(&code, "super::"));
        }
        let targets = graph.entry(module.clone()).or_default();
        for name in uses {
            let target = reexported.get(&name).cloned().unwrap_or(name);
            if target != module && target != "self" {
                targets.insert(target);
            }
        }
    }
    graph
}

/// Every edge that goes up a layer, and every module no layer lists.
fn layer_faults(graph: &Graph) -> Vec<String> {
    let mut faults = Vec::new();
    for (module, uses) in graph {
        let Some(mine) = layer_of(module) else {
            faults.push(format!("{module}.rs is in no layer: add it to LAYERS"));
            continue;
        };
        for used in uses {
            match layer_of(used) {
                Some(theirs) if theirs > mine => faults.push(format!(
                    "{module} ({}) uses {used} ({}): a lower layer must not import a higher one",
                    LAYERS[mine].0, LAYERS[theirs].0
                )),
                Some(_) => {}
                None => faults.push(format!("{module} uses {used}, which no layer lists")),
            }
        }
    }
    faults
}

/// A circle in the graph, as the modules along it, if there is one.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_core_is_a_one_way_stack() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let graph = core_graph(&dir);
    for (module, uses) in &graph {
        let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
        println!("{module:>15} -> {}", uses.join(", "));
    }
    assert!(
        graph.len() >= 17,
        "the scan found too few modules: {graph:?}"
    );
    assert!(
        graph["node"].contains("config") && graph["message"].contains("store"),
        "the scan misses imports: {graph:?}"
    );
    let faults = layer_faults(&graph);
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    if let Some(circle) = find_circle(&graph) {
        panic!("a circle in the core: {}", circle.join(" -> "));
    }
}

#[test]
fn the_check_itself_sees_circles_and_upward_imports() {
    let graph: Graph = [
        ("store", vec!["version", "rumor"]),
        ("rumor", vec!["store"]),
        ("version", vec!["message"]),
        ("message", vec![]),
    ]
    .into_iter()
    .map(|(m, uses)| (m.to_owned(), uses.into_iter().map(String::from).collect()))
    .collect();
    let circle = find_circle(&graph).expect("store and rumor use each other");
    assert!(circle.contains(&"store".to_owned()) && circle.contains(&"rumor".to_owned()));
    let faults = layer_faults(&graph);
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(faults[0].starts_with("version (rules) uses message (wire)"));
    let code = "use super::{Handling, Node};\nuse crate::core::digest::Digest;\n// super::faults\n";
    let code = code_of(code);
    assert_eq!(names_after(&code, "super::"), ["Handling", "Node"]);
    assert_eq!(names_after(&code, "crate::core::"), ["digest"]);
}
