//! The report directory: `index.html`, `charts/*.png`, `tables/*`, `summary.json`. Everything is written
//! into a temporary sibling directory that replaces the target only when complete, so a failed run never
//! leaves half a report.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::audit::{self, InputGroup};
use super::html::{self, Chart, Page};
use super::{csv, figures, json, markdown, outdir, tables, Render, Table, TableFormat};
use crate::analysis::collector::Collected;
use crate::analysis::findings::{Finding, LockedOut};
use crate::analysis::summary::Summary;
use crate::frame::digests::{self, Digests};

pub struct Bundle<'a> {
    pub title: &'a str,
    pub verdict: &'a str,
    pub summary: &'a Summary,
    pub collected: &'a Collected,
    pub findings: &'a [Finding],
    pub locked_out: &'a LockedOut,
    pub audit: Vec<(String, String)>,
    /// The inputs by folder and shape (the per-file list is `summary.inputs`).
    pub input_groups: Vec<InputGroup>,
    pub table_format: TableFormat,
    /// The inputs' digests, cached in the directory for the next report.
    pub digests: Digests,
}

fn extra_tables(b: &Bundle<'_>) -> Vec<Table> {
    let findings = Table {
        name: "findings",
        title: "Findings".into(),
        headers: vec![
            "kind",
            "title",
            "texts",
            "share of failures",
            "recipients",
            "first seen",
            "last seen",
            "concentration",
            "remedy",
        ],
        rows: b
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.kind.as_str().to_owned(),
                    f.title.clone(),
                    f.texts.to_string(),
                    tables::pct(f.share_of_failures),
                    f.recipients.to_string(),
                    f.first_seen.clone(),
                    f.last_seen.clone(),
                    f.concentration.clone().unwrap_or_default(),
                    f.remedy.clone(),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, true, true, false, false, false, false],
    };
    let locked = Table {
        name: html::RECIPIENTS_TABLE,
        title: if b.locked_out.worst.len() as u64 == b.locked_out.total {
            "Recipients with no successful delivery".into()
        } else {
            format!(
                "Recipients with no successful delivery: the {} with most failed texts of {} (all of them: --recipient-rows 0)",
                b.locked_out.worst.len(),
                b.locked_out.total
            )
        },
        headers: vec![
            "number",
            "country",
            "failed texts",
            "first attempt",
            "last attempt",
            "failure classes",
        ],
        rows: b
            .locked_out
            .worst
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.country.clone(),
                    r.failed_texts.to_string(),
                    r.first_attempt.clone(),
                    r.last_attempt.clone(),
                    r.failure_classes.join(" "),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, false, false, false],
    };
    let latency = Table {
        name: "latency",
        title: format!(
            "Delivery latency (dwell time, ms) by country, {}",
            figures::LATENCY_NOTE
        ),
        headers: vec!["country", "p50", "p90", "p99"],
        rows: figures::latency_rows(b.collected)
            .into_iter()
            .map(|l| {
                vec![
                    l.label,
                    format!("{:.0}", l.p50),
                    format!("{:.0}", l.p90),
                    format!("{:.0}", l.p99),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true],
    };
    let hourly = Table {
        name: "hourly",
        title: "Texts per hour".into(),
        headers: vec!["hour (UTC)", "texts", "failed"],
        rows: b
            .summary
            .hourly
            .iter()
            .map(|h| {
                vec![
                    h.hour_start.clone(),
                    h.events.to_string(),
                    h.failed.to_string(),
                ]
            })
            .collect(),
        numeric: vec![false, true, true],
    };
    vec![
        findings,
        locked,
        latency,
        hourly,
        audit::table(&b.input_groups),
    ]
}

fn write_table_file(dir: &Path, t: &Table, f: TableFormat) -> io::Result<()> {
    let (ext, body) = match f {
        TableFormat::Markdown => ("md", {
            let mut v = Vec::new();
            markdown::write_table(t, &mut v)?;
            v
        }),
        TableFormat::Table => ("txt", {
            let mut v = Vec::new();
            super::text::write_table(t, &mut v)?;
            v
        }),
        TableFormat::Json => (
            "json",
            serde_json::to_vec_pretty(&table_json(t)).map_err(io::Error::other)?,
        ),
        TableFormat::Csv => ("csv", {
            let mut v = Vec::new();
            csv::write_table(t, &mut v)?;
            v
        }),
    };
    fs::write(dir.join(format!("{}.{ext}", t.name)), body)
}

/// A table as an array of objects keyed by header.
fn table_json(t: &Table) -> serde_json::Value {
    serde_json::Value::Array(
        t.rows
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    t.headers
                        .iter()
                        .zip(r)
                        .map(|(h, c)| ((*h).to_owned(), serde_json::Value::String(c.clone())))
                        .collect(),
                )
            })
            .collect(),
    )
}

/// Writes the whole report into `out`, replacing it atomically. `out` must be absent, empty, or a report
/// smslens wrote (checked again here: the plan checked it before the run).
pub fn write(out: &Path, b: &Bundle<'_>) -> anyhow::Result<()> {
    outdir::check_replaceable(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "smslens-report".into());
    outdir::clean_stale(&parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = fs::create_dir(&tmp)
        .and_then(|_| outdir::mark(&tmp))
        .with_context(|| format!("creating {}", tmp.display()))
        .and_then(|_| write_into(&tmp, b))
        .and_then(|_| replace_dir(&tmp, out));
    if result.is_err() && outdir::is_smslens_dir(&tmp) {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn replace_dir(tmp: &Path, out: &Path) -> anyhow::Result<()> {
    if fs::symlink_metadata(out).is_ok() {
        outdir::check_replaceable(out)?;
        let old = out.with_file_name(format!(
            ".{}.old-{}",
            out.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        fs::rename(out, &old)
            .with_context(|| format!("moving the previous report {} aside", out.display()))?;
        fs::rename(tmp, out)
            .with_context(|| format!("moving the new report into {}", out.display()))?;
        // Only what check_replaceable allowed was moved: a report of ours, or an empty directory.
        if outdir::is_smslens_dir(&old) {
            let _ = fs::remove_dir_all(&old);
        } else {
            let _ = fs::remove_dir(&old);
        }
    } else {
        fs::rename(tmp, out)
            .with_context(|| format!("moving the new report into {}", out.display()))?;
    }
    Ok(())
}

fn write_into(dir: &Path, b: &Bundle<'_>) -> anyhow::Result<()> {
    let charts_dir = dir.join("charts");
    let tables_dir = dir.join("tables");
    fs::create_dir_all(&charts_dir)
        .with_context(|| format!("creating {}", charts_dir.display()))?;
    fs::create_dir_all(&tables_dir)
        .with_context(|| format!("creating {}", tables_dir.display()))?;

    let mut all_tables = tables::summary_tables(b.summary);
    all_tables.extend(extra_tables(b));
    for t in &all_tables {
        write_table_file(&tables_dir, t, b.table_format)
            .with_context(|| format!("writing table {}", t.name))?;
    }
    let mut js = Vec::new();
    json::Json.render(b.summary, &mut js)?;
    fs::write(dir.join("summary.json"), js).context("writing summary.json")?;
    if !b.digests.is_empty() {
        fs::write(dir.join(digests::FILE), b.digests.render())
            .with_context(|| format!("writing {}", digests::FILE))?;
    }

    let charts: Vec<Chart> = figures::write_all(&charts_dir, b.summary, b.collected)?
        .into_iter()
        .map(|d| Chart {
            name: d.name.to_owned(),
            title: d.title,
            svg: d.svg,
            svg_narrow: d.svg_narrow,
        })
        .collect();
    let page = Page {
        title: b.title,
        verdict: b.verdict,
        summary: b.summary,
        findings: b.findings,
        tables: &all_tables,
        charts: &charts,
        audit: &b.audit,
        input_groups: &b.input_groups,
        locked_out: b.locked_out.total,
    };
    let mut f = fs::File::create(dir.join("index.html")).context("creating index.html")?;
    f.write_all(html::render(&page).as_bytes())
        .context("writing index.html")?;
    Ok(())
}
