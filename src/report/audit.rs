//! The inputs of a run, grouped for the page's audit trail: per folder and shape, with the files, records
//! and skips of each group and one digest over its files' digests, so a 20,000-file export is a few rows.
//! The per-file list (each file's own SHA-256) stays in `tables/inputs.*` and `summary.json`.
//!
//! A group's digest is the SHA-256 of its files' SHA-256 digests, lowercase hex, sorted, one per line,
//! each line ending in a newline: what `sha256sum FILES | cut -c1-64 | sort | sha256sum` prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Table;
use crate::analysis::summary::InputRow;

/// Groups on the page at most: deeper folders are merged into their parents until the groups fit.
pub const MAX_GROUPS: usize = 20;
/// Files named one by one in a group's check command at most.
const MAX_LISTED: usize = 8;
/// Standard input's folder in the table.
const STDIN: &str = "(standard input)";

/// How a reader recomputes every group's digest (the page says it under the table).
pub const RECIPE: &str = "Each group's digest is the SHA-256 of its files' SHA-256 digests (lowercase hex, sorted, \
one per line, each ending in a newline). The command under it recomputes it from the files; each file's own \
digest is in tables/inputs and summary.json.";

#[derive(Debug, Clone, PartialEq)]
pub struct InputGroup {
    pub folder: String,
    pub shape: &'static str,
    pub files: usize,
    pub records: u64,
    pub skipped: u64,
    /// None when a file of the group has no digest (standard input, or a file that could not be read).
    pub digest: Option<String>,
    /// A shell command that prints `digest`, when one can be given.
    pub check: Option<String>,
}

/// Groups `inputs` by folder and shape. `walked` are the directories named on the command line (as the
/// input paths spell them): a folder inside one holds nothing but what was read, so its files can be found
/// again with `find`.
pub fn group(inputs: &[InputRow], walked: &[PathBuf]) -> Vec<InputGroup> {
    let mut folders: Vec<PathBuf> = inputs.iter().map(|i| folder_of(&i.path)).collect();
    loop {
        let count = |folders: &[PathBuf]| {
            let mut keys: Vec<(&PathBuf, &str)> = folders
                .iter()
                .zip(inputs)
                .map(|(f, i)| (f, i.format))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys.len()
        };
        let deepest = folders.iter().map(|f| depth(f)).max().unwrap_or(0);
        if count(&folders) <= MAX_GROUPS || deepest <= 1 {
            break;
        }
        for f in folders.iter_mut().filter(|f| depth(f) == deepest) {
            if let Some(parent) = f.parent() {
                *f = parent.to_path_buf();
            }
        }
    }
    let mut groups: BTreeMap<(PathBuf, &'static str), Vec<&InputRow>> = BTreeMap::new();
    for (f, i) in folders.iter().zip(inputs) {
        groups.entry((f.clone(), i.format)).or_default().push(i);
    }
    groups
        .iter()
        .map(|((folder, shape), files)| {
            let digest = digest_of(files);
            let alone = walked.iter().any(|d| folder.starts_with(d))
                && inputs.iter().zip(&folders).all(|(i, f)| {
                    !Path::new(&i.path).starts_with(folder) || (f == folder && i.format == *shape)
                });
            InputGroup {
                folder: folder.display().to_string(),
                shape,
                files: files.len(),
                records: files.iter().map(|i| i.records).sum(),
                skipped: files.iter().map(|i| i.skipped).sum(),
                check: digest
                    .as_ref()
                    .and_then(|_| check_command(folder, files, alone)),
                digest,
            }
        })
        .collect()
}

fn folder_of(path: &str) -> PathBuf {
    if path == "-" {
        return PathBuf::from(STDIN);
    }
    match Path::new(path).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn depth(p: &Path) -> usize {
    p.components().count()
}

/// The group's digest: see the module's documentation.
fn digest_of(files: &[&InputRow]) -> Option<String> {
    let mut digests: Vec<&str> = files
        .iter()
        .map(|i| i.sha256.as_deref())
        .collect::<Option<_>>()?;
    digests.sort_unstable();
    let mut h = Sha256::new();
    for d in digests {
        h.update(d.as_bytes());
        h.update(b"\n");
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// `find` over a folder that holds only this group (as the walk saw it: hidden files are not read), or
/// the files named one by one when there are few.
fn check_command(folder: &Path, files: &[&InputRow], alone: bool) -> Option<String> {
    const DIGESTS: &str = "| cut -c1-64 | sort | sha256sum";
    if alone {
        let f = quote(&folder.display().to_string());
        return Some(format!(
            "find -L {f} -type f ! -name '.*' -exec sha256sum {{}} + {DIGESTS}"
        ));
    }
    (files.len() <= MAX_LISTED).then(|| {
        let names: Vec<String> = files.iter().map(|i| quote(&i.path)).collect();
        format!("sha256sum {} {DIGESTS}", names.join(" "))
    })
}

/// `s` as one POSIX shell word.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl InputGroup {
    /// Folder, shape, files, records, skipped: what every table of the groups shows.
    fn counts(&self) -> Vec<String> {
        vec![
            self.folder.clone(),
            self.shape.to_owned(),
            self.files.to_string(),
            self.records.to_string(),
            self.skipped.to_string(),
        ]
    }
}

const COUNTS: [&str; 5] = ["folder", "shape", "files", "records", "skipped"];

/// The groups as the page's (and `tables/input_groups.*`) table.
pub fn table(groups: &[InputGroup]) -> Table {
    let mut headers = COUNTS.to_vec();
    headers.extend(["sha256 of the files' sha256", "check with"]);
    Table {
        name: "input_groups",
        title: format!("Inputs by folder and shape ({} groups)", groups.len()),
        headers,
        rows: groups
            .iter()
            .map(|g| {
                let mut row = g.counts();
                row.push(g.digest.clone().unwrap_or_default());
                row.push(g.check.clone().unwrap_or_default());
                row
            })
            .collect(),
        numeric: vec![false, false, true, true, true, false, false],
    }
}

/// The groups' counts alone (no digests): how a summary for people lists many inputs.
pub fn counts_table(groups: &[InputGroup], title: String) -> Table {
    Table {
        name: "input_groups",
        title,
        headers: COUNTS.to_vec(),
        rows: groups.iter().map(InputGroup::counts).collect(),
        numeric: vec![false, false, true, true, true],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str, format: &'static str, sha: &str) -> InputRow {
        InputRow {
            path: path.into(),
            format,
            records: 2,
            skipped: 1,
            sha256: Some(sha.into()),
        }
    }

    #[test]
    fn an_export_tree_becomes_one_group_per_task_and_shape() {
        let mut inputs = Vec::new();
        for task in ["t1", "t2"] {
            for s in 0..40 {
                inputs.push(row(
                    &format!("in/exportedlogs/{task}/s{s}/000000.gz"),
                    "cloudwatch-s3-export",
                    &format!("{s:064x}"),
                ));
            }
        }
        inputs.push(row("in/cli/tail.txt", "logs-tail", &"a".repeat(64)));
        inputs.push(row("in/cli/events.json", "cli-log-events", &"b".repeat(64)));
        let groups = group(&inputs, &[PathBuf::from("in")]);
        let folders: Vec<(&str, &str, usize)> = groups
            .iter()
            .map(|g| (g.folder.as_str(), g.shape, g.files))
            .collect();
        assert_eq!(
            folders,
            vec![
                ("in/cli", "cli-log-events", 1),
                ("in/cli", "logs-tail", 1),
                ("in/exportedlogs/t1", "cloudwatch-s3-export", 40),
                ("in/exportedlogs/t2", "cloudwatch-s3-export", 40),
            ]
        );
        assert_eq!(groups[2].records, 80);
        assert_eq!(groups[2].skipped, 40);
        // A folder of one shape is found again with find; a mixed one names its files.
        assert!(groups[2]
            .check
            .as_deref()
            .unwrap()
            .starts_with("find -L 'in/exportedlogs/t1'"));
        assert_eq!(
            groups[0].check.as_deref(),
            Some("sha256sum 'in/cli/events.json' | cut -c1-64 | sort | sha256sum")
        );
    }

    #[test]
    fn the_digest_is_over_the_sorted_file_digests() {
        let a = row("d/a", "x", &"b".repeat(64));
        let b = row("d/b", "x", &"a".repeat(64));
        let text = format!("{}\n{}\n", "a".repeat(64), "b".repeat(64));
        let want: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest_of(&[&a, &b]), Some(want.clone()));
        assert_eq!(digest_of(&[&b, &a]), Some(want));
        let stdin = InputRow {
            sha256: None,
            ..row("-", "x", "")
        };
        assert_eq!(digest_of(&[&a, &stdin]), None);
    }

    #[test]
    fn files_named_one_by_one_are_not_found_with_find() {
        let inputs = vec![row("logs/a.jsonl", "x", &"a".repeat(64))];
        let g = group(&inputs, &[]);
        assert_eq!(
            g[0].check.as_deref(),
            Some("sha256sum 'logs/a.jsonl' | cut -c1-64 | sort | sha256sum")
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
