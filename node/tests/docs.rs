//! The README maps concepts to files: every relative link in it, and in the
//! docs beside it, must name a file or folder that exists, so the map does
//! not rot when code moves.

use std::path::Path;

/// The relative targets of Markdown links `[text](target)` in `text`.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or("");
        let external = target.contains("://") || target.starts_with("mailto:");
        if !target.is_empty() && !external && !target.contains(' ') {
            links.push(target.to_owned());
        }
    }
    links
}

#[test]
fn every_relative_link_in_the_readme_and_docs_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut missing = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("a readable page");
        let dir = page.parent().expect("a page sits in a folder");
        for link in relative_links(&text) {
            if !dir.join(&link).exists() {
                missing.push(format!("{}: {link}", page.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "links to nothing:\n{}",
        missing.join("\n")
    );
}

#[test]
fn links_are_read_the_way_markdown_writes_them() {
    let text = "see [a](node/src/a.rs), [b](https://x.org/b), [c](docs/P.md#one), [d](#top)";
    assert_eq!(relative_links(text), ["node/src/a.rs", "docs/P.md"]);
}

/// The page's lesson lists each module's live step (`static/js/lesson_modules.js`);
/// each command there must be one its module's README gives, so the lesson
/// never tells a participant to type something the module does not say.
#[test]
fn the_lessons_commands_are_the_modules_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let modules = std::fs::read_to_string(root.join("static/js/lesson_modules.js"))
        .expect("the lesson's module list");
    let mut checked = 0;
    for line in modules.lines().filter(|l| l.contains("readme: ")) {
        let field = |name: &str| -> String {
            let at = line.find(&format!("{name}: ")).expect("field") + name.len() + 2;
            let quote = line[at..].chars().next().expect("a quoted value");
            let rest = &line[at + 1..];
            rest[..rest.find(quote).expect("closing quote")].to_owned()
        };
        let (readme, command) = (field("readme"), field("command"));
        let text = std::fs::read_to_string(root.join("exercises").join(&readme).join("README.md"))
            .unwrap_or_else(|e| panic!("exercises/{readme}/README.md: {e}"));
        assert!(
            text.contains(&command),
            "exercises/{readme}/README.md does not give `{command}`"
        );
        checked += 1;
    }
    assert_eq!(checked, 10, "one live step per module, 01 to 10");
}
