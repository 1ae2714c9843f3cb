//! The source tree shows the pipeline: sources → record → frame → analysis → report, with the domain's
//! vocabulary under all of them. A stage uses only the stages before it, and no two modules use each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Stage → the stages it may not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &["record", "frame", "sources", "analysis", "report", "cli"],
    ),
    ("record", &["frame", "sources", "analysis", "report", "cli"]),
    ("frame", &["sources", "analysis", "report", "cli"]),
    ("sources", &["analysis", "report", "cli"]),
    ("analysis", &["sources", "report", "cli"]),
    ("report", &["sources", "cli"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` → `a::b`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// Code lines (comments dropped) and where they start.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_tests = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            in_tests = true; // test modules may reach anywhere to build their inputs
        }
        if in_tests || t.starts_with("//") {
            continue;
        }
        out.push((i + 1, line.split("//").next().unwrap_or("").to_owned()));
    }
    out
}

/// The modules a line refers to: `crate::x::y` and `super::y` paths, as far as they name modules.
fn references(
    line: &str,
    module: &str,
    is_dir_module: bool,
    known: &BTreeSet<String>,
) -> Vec<String> {
    let mut refs = Vec::new();
    let parent: Vec<&str> = {
        let mut p: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        if !is_dir_module {
            p.pop();
        }
        p
    };
    let bytes = line.as_bytes();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
        let mut from = 0;
        while let Some(at) = line[from..].find(prefix) {
            let start = from + at;
            from = start + prefix.len();
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                continue;
            }
            let path: String = line[from..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut parts = base.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let mut best = None;
            for seg in path.split("::").filter(|s| !s.is_empty()) {
                parts.push(seg.to_owned());
                let m = parts.join("::");
                if known.contains(&m) {
                    best = Some(m);
                } else {
                    break;
                }
            }
            refs.extend(best);
        }
    }
    refs
}

#[test]
fn each_stage_uses_only_the_stages_before_it_and_no_two_modules_use_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let known: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for f in &files {
        let module = module_of(&src, f);
        let is_dir_module = f.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(f).expect("read");
        let stage = module.split("::").next().unwrap_or_default().to_owned();
        let banned = FORBIDDEN
            .iter()
            .find(|(s, _)| *s == stage)
            .map_or(&[][..], |(_, b)| *b);
        for (line_no, line) in code_lines(&text) {
            for r in references(&line, &module, is_dir_module, &known) {
                let target_stage = r.split("::").next().unwrap_or_default();
                if banned.contains(&target_stage) {
                    wrong.push(format!("{}:{line_no}: {stage} uses {r}", f.display()));
                }
                // A module using its own parent (or a child its parent) is how Rust declares them.
                let related = r.starts_with(&format!("{module}::"))
                    || module.starts_with(&format!("{r}::"))
                    || r == module;
                if !related {
                    uses.entry(module.clone()).or_default().insert(r);
                }
            }
        }
    }
    for (a, targets) in &uses {
        for b in targets {
            if uses.get(b).is_some_and(|t| t.contains(a)) && a < b {
                wrong.push(format!("{a} and {b} use each other"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    // The check sees the tree: it found the stages and their uses.
    for stage in ["sources", "record", "frame", "analysis", "report", "domain"] {
        assert!(known.contains(stage), "{stage}");
    }
    assert!(uses
        .get("sources::lines")
        .is_some_and(|u| u.contains("frame::intake") || u.contains("frame")));
}
