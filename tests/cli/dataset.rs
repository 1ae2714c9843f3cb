//! `smslens export` writes a Parquet dataset; `summary`/`report` on it give what they give on the raw
//! inputs; several datasets read together are deduplicated; exports into a dataset add only what is new;
//! a damaged dataset file is a counted skip. Numbers and keys: dataset_privacy.rs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::dataset_privacy::walkdir;
use crate::support::*;

/// The key folder of the exports under `dir` (never the user's own).
fn key_dir(out: &Path) -> PathBuf {
    out.parent().expect("a parent").join("keys")
}

pub fn export_cmd(inputs: &[&str], out: &Path, flags: &[&str]) -> Command {
    let mut c = bin();
    c.arg("export")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(flags)
        .env("SMSLENS_KEY_DIR", key_dir(out))
        .stdin(std::process::Stdio::null());
    c
}

/// `smslens export INPUTS -o OUT FLAGS`, which must succeed.
pub fn export(inputs: &[&str], out: &Path, flags: &[&str]) -> Output {
    let o = export_cmd(inputs, out, flags)
        .output()
        .expect("smslens runs");
    assert!(o.status.success(), "export failed: {}", stderr(&o));
    o
}

/// Every export shape, generated and hand-made, with repeats across shapes and malformed lines: the
/// fixtures folder (every shape, damaged files, overlapping exports, odd destinations), the generator's
/// sample set, and a generated month as bare records and again as an S3 export tree (all repeats).
pub fn multi_shape_input(dir: &Path, seed: u64) -> Vec<PathBuf> {
    let samples = dir.join("samples");
    smslens_gen::write_samples(&samples).expect("samples");
    let mut cfg = smslens_gen::GenConfig::new(3000 + 500 * seed as usize, seed);
    cfg.recipients = Some(300 + 40 * seed);
    let records = dir.join("month.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&records).expect("create"));
    smslens_gen::write_records(&mut w, &cfg).expect("records");
    drop(w);
    let tree = dir.join("tree");
    smslens_gen::write_export_tree(&tree, 40, &cfg).expect("export tree");
    vec![PathBuf::from(fixture("")), samples, records, tree]
}

/// `summary --format json` output with its `inputs` list cut out (the one part that names the files
/// read, which differ between a dataset and its raw inputs).
pub fn without_inputs(json: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in json.lines() {
        if line == "  \"inputs\": [" {
            skipping = true;
            continue;
        }
        if skipping {
            skipping = line != "  ],";
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Equal texts, or a failure that shows the first lines that differ.
#[track_caller]
pub fn assert_same(have: &str, want: &str) {
    if have == want {
        return;
    }
    let at = have
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let around = |t: &str| {
        t.lines()
            .skip(at.saturating_sub(3))
            .take(8)
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "differ at line {}:\n--- have\n{}\n--- want\n{}",
        at + 1,
        around(have),
        around(want)
    );
}

pub fn summary_text(args: &[&str]) -> String {
    let mut a = vec!["summary", "--format", "json"];
    a.extend_from_slice(args);
    let o = run(&a);
    assert!(o.status.success(), "smslens {a:?}: {}", stderr(&o));
    stdout(&o)
}

pub fn strs(paths: &[PathBuf]) -> Vec<&str> {
    paths.iter().map(|p| p.to_str().unwrap()).collect()
}

#[test]
fn summary_of_a_dataset_is_the_summary_of_its_raw_inputs() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&samples()], &ds, &[]);
    let raw = summary_text(&[&samples()]);
    let from_ds = summary_text(&[ds.to_str().unwrap()]);
    assert!(raw.contains("\"inputs\": ["));
    assert_same(&without_inputs(&from_ds), &without_inputs(&raw));

    for seed in [2, 5] {
        let d = tempdir();
        let inputs = multi_shape_input(d.path(), seed);
        let ds = d.path().join("ds");
        let o = export(&strs(&inputs), &ds, &[]);
        let raw = summary_text(&strs(&inputs));
        let v: Value = serde_json::from_str(&raw).unwrap();
        assert!(
            u(&v, "duplicates") > 1000 && u(&v, "malformed") > 0,
            "{}",
            stdout(&o)
        );
        assert_same(
            &without_inputs(&summary_text(&[ds.to_str().unwrap()])),
            &without_inputs(&raw),
        );
        // The manifest carries the same counts as the summary.
        let m: Value =
            serde_json::from_slice(&std::fs::read(ds.join("_smslens.json")).unwrap()).unwrap();
        for (mk, sk) in [
            ("messages", "events"),
            ("delivered", "delivered"),
            ("failed", "failed"),
            ("duplicates", "duplicates"),
            ("malformed", "malformed"),
        ] {
            assert_eq!(m["totals"][mk], v[sk], "{mk}");
        }
        assert_eq!(m["totals"]["spend_usd"], v["spend_usd"]);
    }
}

#[test]
fn the_window_applies_at_export_and_when_reading_a_dataset() {
    let d = tempdir();
    let s = samples();
    let all = d.path().join("all");
    export(&[&s], &all, &[]);
    let part = d.path().join("part");
    export(
        &[&s, "--since", "2026-03-10", "--until", "2026-03-22 16:00"],
        &part,
        &[],
    );
    let window = ["--since", "2026-03-10", "--until", "2026-03-22 16:00"];
    let raw = summary_text(&[&[s.as_str()][..], &window].concat());
    assert_same(
        &without_inputs(&summary_text(&[part.to_str().unwrap()])),
        &without_inputs(&raw),
    );
    // Read with a window, a dataset gives the same messages, except in the accounting of what it does not
    // hold: the duplicates its export dropped count as duplicates whatever their time, and the superseded
    // (non-final) events of End User Messaging messages outside the window, folded at export, are not
    // counted again (raw, each one counts as outside the window).
    let read_windowed = summary_text(&[&[all.to_str().unwrap()][..], &window].concat());
    let (w, v): (Value, Value) = (
        serde_json::from_str(&read_windowed).unwrap(),
        serde_json::from_str(&raw).unwrap(),
    );
    assert!(u(&v, "outside_window") > 1000);
    let whole: Value = serde_json::from_str(&summary_text(&[all.to_str().unwrap()])).unwrap();
    assert_eq!(u(&whole, "no_final_outcome"), 3);
    assert_eq!(u(&w, "no_final_outcome"), u(&v, "no_final_outcome"));
    // One of the three is in this window, raw and from the dataset.
    let hours = ["--since", "2026-02-27", "--until", "2026-02-27 15:00"];
    for input in [s.as_str(), all.to_str().unwrap()] {
        let r: Value =
            serde_json::from_str(&summary_text(&[&[input][..], &hours].concat())).unwrap();
        assert_eq!(u(&r, "no_final_outcome"), 1, "{input}");
    }
    assert_eq!(u(&w, "events"), u(&v, "events"));
    assert!(
        u(&w, "duplicates") + u(&w, "outside_window")
            <= u(&v, "duplicates") + u(&v, "outside_window")
    );
    let alike = |s: &str| -> String {
        without_inputs(s)
            .lines()
            .filter(|l| {
                // no_final_outcome is in: the manifest keeps it by hour, and a read counts the window's.
                !["duplicates", "outside_window"]
                    .iter()
                    .any(|k| l.starts_with(&format!("  \"{k}\"")))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_same(&alike(&read_windowed), &alike(&raw));
}

/// The report's files that do not name inputs (the file list and its per-folder audit) or recipients.
fn report_files(dir: &Path) -> Vec<(String, String)> {
    const NAMING: [&str; 3] = [
        "inputs.csv",
        "input_groups.csv",
        "recipients_without_delivery.csv",
    ];
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir.join("tables")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !NAMING.contains(&name.as_str()) {
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_report_on_a_dataset_has_the_raw_inputs_findings_and_tables() {
    let d = tempdir();
    let inputs = multi_shape_input(d.path(), 4);
    let args = strs(&inputs);
    let ds = d.path().join("ds");
    export(&args, &ds, &["--show-numbers"]);
    let (ra, rb) = (d.path().join("raw-report"), d.path().join("ds-report"));
    let mut raw_args = vec!["report"];
    raw_args.extend(&args);
    raw_args.extend(["-o", ra.to_str().unwrap()]);
    let o = run(&raw_args);
    assert!(o.status.success(), "{}", stderr(&o));
    let verdict = stdout(&o).lines().next().unwrap_or_default().to_owned();
    let o = run(&["report", ds.to_str().unwrap(), "-o", rb.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().next().unwrap_or_default(),
        verdict,
        "the verdict"
    );
    let (a, b) = (report_files(&ra), report_files(&rb));
    assert!(a
        .iter()
        .any(|(n, t)| n == "findings.csv" && t.lines().count() > 2));
    assert_eq!(a, b);
    // Exported with --show-numbers, the dataset names locked-out users by their masked number.
    let locked = |p: &Path| {
        std::fs::read_to_string(p.join("tables/recipients_without_delivery.csv")).unwrap()
    };
    assert_eq!(locked(&rb), locked(&ra));
    assert!(locked(&ra).lines().count() > 5 && locked(&ra).contains('•'));
}

#[test]
fn without_show_numbers_locked_out_users_are_named_by_their_pseudonym() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&samples()], &ds, &[]);
    let (ra, rb) = (d.path().join("a"), d.path().join("b"));
    assert!(run(&["report", &samples(), "-o", ra.to_str().unwrap()])
        .status
        .success());
    assert!(
        run(&["report", ds.to_str().unwrap(), "-o", rb.to_str().unwrap()])
            .status
            .success()
    );
    let rows = |p: &Path| -> Vec<Vec<String>> {
        std::fs::read_to_string(p.join("tables/recipients_without_delivery.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').skip(1).map(str::to_owned).collect())
            .collect()
    };
    let (raw, from_ds) = (rows(&ra), rows(&rb));
    assert!(raw.len() > 10);
    let sorted = |mut v: Vec<Vec<String>>| {
        v.sort();
        v
    };
    assert_eq!(sorted(raw), sorted(from_ds), "same users, same counts");
    let csv = std::fs::read_to_string(rb.join("tables/recipients_without_delivery.csv")).unwrap();
    assert!(
        csv.lines().skip(1).all(|l| l.starts_with("pseudonym ")),
        "{csv}"
    );
}

#[test]
fn an_export_into_a_dataset_adds_only_what_is_new() {
    let d = tempdir();
    let inputs = multi_shape_input(d.path(), 6);
    let args = strs(&inputs);
    let ds = d.path().join("ds");
    // First the fixtures and the bare month, then everything: the samples and the tree are new.
    export(&args[..1], &ds, &[]);
    export(&args[..3], &ds, &[]);
    let once = std::fs::read(ds.join("_smslens.json")).unwrap();
    let m: Value = serde_json::from_slice(&once).unwrap();
    assert_eq!(m["exports"].as_array().unwrap().len(), 2);
    export(&args, &ds, &[]);
    assert_same(
        &without_inputs(&summary_text(&[ds.to_str().unwrap()])),
        &without_inputs(&summary_text(&args)),
    );

    // The same command again: nothing is read, nothing changes.
    let before = std::fs::read(ds.join("_smslens.json")).unwrap();
    let o = export(&args, &ds, &[]);
    assert!(stdout(&o).contains("nothing new"), "{}", stdout(&o));
    assert_eq!(std::fs::read(ds.join("_smslens.json")).unwrap(), before);

    // A copy of an input with one more (blank) line is read again, but its messages are there already.
    let copy = d.path().join("copy.jsonl");
    let mut bytes = std::fs::read(&inputs[2]).unwrap();
    bytes.push(b'\n');
    std::fs::write(&copy, bytes).unwrap();
    let o = export(&[copy.to_str().unwrap()], &ds, &[]);
    assert!(stdout(&o).contains("exported 0 messages"), "{}", stdout(&o));
    let rows: u64 =
        serde_json::from_slice::<Value>(&std::fs::read(ds.join("_smslens.json")).unwrap()).unwrap()
            ["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| u(f, "rows"))
            .sum();
    let v = summary(&args);
    assert_eq!(rows, u(&v, "events"), "no message is in the dataset twice");
}

#[test]
fn datasets_read_together_are_deduplicated_by_message_id() {
    let d = tempdir();
    let inputs = multi_shape_input(d.path(), 7);
    let (month, tree) = (inputs[2].to_str().unwrap(), inputs[3].to_str().unwrap());
    let s = samples();
    // One dataset per "machine": the same month arrived as bare records on one and an export tree on the
    // other, so every message of the second is also in the first.
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    export(&[month, &s], &a, &[]);
    export(&[tree], &b, &[]);
    let both = summary_text(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_same(
        &without_inputs(&both),
        &without_inputs(&summary_text(&[month, &s, tree])),
    );
    let v: Value = serde_json::from_str(&both).unwrap();
    assert!(u(&v, "duplicates") >= 3000);
    // A dataset and raw inputs together, too: with the dataset's key at hand (smslens's key folder) the
    // raw inputs' recipients are keyed by its pseudonyms, so each recipient counts once whichever copy of
    // a message is kept; without it they are counted apart, and smslens says so.
    let mixed = |keys: &Path| {
        let o = bin()
            .args(["summary", "--format", "json", a.to_str().unwrap(), tree])
            .env("SMSLENS_KEY_DIR", keys)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("smslens runs");
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    let joined = mixed(&key_dir(&a));
    assert!(
        !stderr(&joined).contains("counted apart"),
        "{}",
        stderr(&joined)
    );
    assert_same(
        &without_inputs(&stdout(&joined)),
        &without_inputs(&summary_text(&[month, &s, tree])),
    );
    let apart = mixed(&d.path().join("no-keys"));
    assert!(
        stderr(&apart).contains("pseudonym key is not at hand")
            && stderr(&apart).contains("counted apart"),
        "{}",
        stderr(&apart)
    );
    // The outputs say so too, and only then.
    let note = |o: &std::process::Output| -> Option<String> {
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["recipients_note"].as_str().map(str::to_owned)
    };
    assert_eq!(note(&joined), None);
    let said = note(&apart).unwrap_or_default();
    assert!(
        said.contains("pseudonym key is not at hand") && said.contains("counted apart"),
        "{said}"
    );
}

#[test]
fn export_refuses_a_directory_it_did_not_write_and_an_output_inside_an_input() {
    let d = tempdir();
    let mine = write(d.path(), "mine/notes.txt", b"my notes\n");
    let o = export_cmd(&[&fixture("bare.jsonl")], mine.parent().unwrap(), &[])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a dataset that smslens exported"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_dir(mine.parent().unwrap()).unwrap().count(),
        1,
        "nothing written"
    );

    let inp = d.path().join("in");
    std::fs::create_dir_all(&inp).unwrap();
    std::fs::copy(fixture("bare.jsonl"), inp.join("bare.jsonl")).unwrap();
    let o = export_cmd(&[inp.to_str().unwrap()], &inp.join("ds"), &[])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!inp.join("ds").exists());
}

/// `summary --format json --strict DS` on a dataset with one damaged file: it fails (exit 3), counting
/// the file as a damaged dataset file.
fn summary_of_damaged(ds: &Path) -> (Output, Value) {
    let o = run(&[
        "summary",
        "--format",
        "json",
        "--strict",
        ds.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["skipped_by_reason"]["damaged dataset file"], 1);
    (o, v)
}

#[test]
fn a_damaged_dataset_file_is_a_counted_skip_and_strict_fails() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&samples()], &ds, &[]);
    let files = walkdir(&ds.join("messages"));
    let victim = files
        .iter()
        .max_by_key(|f| std::fs::metadata(f).unwrap().len())
        .unwrap();
    let mut bytes = std::fs::read(victim).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(victim, &bytes).unwrap();
    let (o, v) = summary_of_damaged(&ds);
    assert!(stderr(&o).contains("CRC-32 differs"), "{}", stderr(&o));
    let whole = summary(&[&samples()]);
    assert!(u(&v, "events") < u(&whole, "events") && u(&v, "events") > 0);

    std::fs::remove_file(victim).unwrap();
    let v = summary(&[ds.to_str().unwrap()]);
    assert_eq!(v["skipped_by_reason"]["unreadable file"], 1);
}

#[test]
fn a_manifest_damaged_after_its_file_list_is_a_counted_skip_and_its_checked_files_are_read() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&samples()], &ds, &[]);
    let manifest = ds.join("_smslens.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let cut = text
        .find("\"exports\"")
        .expect("the exports follow the files");
    std::fs::write(&manifest, &text[..cut + 30]).unwrap();
    let (o, v) = summary_of_damaged(&ds);
    assert!(
        stderr(&o).contains("_smslens.json")
            && stderr(&o).contains("not a smslens dataset manifest"),
        "{}",
        stderr(&o)
    );
    // Every part the listing names was checked against its CRC-32 and read.
    assert_eq!(u(&v, "events"), u(&summary(&[&samples()]), "events"));
}

#[test]
fn what_an_interrupted_export_left_is_removed_by_the_next_one() {
    let d = tempdir();
    let ds = d.path().join("ds");
    export(&[&fixture("bare.jsonl")], &ds, &[]);
    // A run that died: its marker (with a process that is gone), a renamed file and a temporary one.
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    write(
        &ds,
        "_smslens.pending",
        format!(r#"{{"run":"dead-run","pid":{pid},"started_at":"x"}}"#).as_bytes(),
    );
    let day = ds.join("messages/date=2026-03-01");
    write(&day, "part-dead-run-00000.parquet", b"PAR1 half");
    write(&day, ".part-dead-run-00001.parquet.tmp", b"PAR1 half");
    let other = write(&day, "part-someone-else.parquet", b"not ours");
    // Readers go by the manifest: the leftovers are not read.
    let before = summary(&[ds.to_str().unwrap()]);
    assert_eq!(u(&before, "skipped"), 0);
    let o = export(&[&fixture("tail.txt")], &ds, &[]);
    assert!(stderr(&o).contains("removed 2 file(s)"), "{}", stderr(&o));
    assert!(other.exists(), "only the dead run's files go");
    assert!(!day.join("part-dead-run-00000.parquet").exists());
    assert!(!ds.join("_smslens.pending").exists());
    let both = summary_text(&[ds.to_str().unwrap()]);
    assert_same(
        &without_inputs(&both),
        &without_inputs(&summary_text(&[
            &fixture("bare.jsonl"),
            &fixture("tail.txt"),
        ])),
    );
}

#[test]
fn a_dataset_met_inside_a_directory_is_passed_over_not_read_twice() {
    let d = tempdir();
    let inp = d.path().join("logs");
    std::fs::create_dir_all(&inp).unwrap();
    std::fs::copy(fixture("bare.jsonl"), inp.join("bare.jsonl")).unwrap();
    let ds = d.path().join("ds");
    export(&[inp.to_str().unwrap()], &ds, &[]);
    std::fs::rename(&ds, inp.join("ds")).unwrap();
    let v = summary(&["--strict", inp.to_str().unwrap()]);
    assert_eq!(u(&v, "events"), 12);
    assert_eq!(u(&v, "duplicates"), 0);
    assert_eq!(
        v["skipped_by_reason"]["smslens dataset (name it to read it)"],
        1
    );
    assert_eq!(u(&v, "malformed"), 0);
}

/// The snapshot's meta file of the dataset in `ds`, as JSON.
fn snapshot_meta(ds: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(ds.join("_snapshot/snapshot.json")).unwrap()).unwrap()
}

/// The snapshot with its first carrier renamed: what `summary` shows of it says whether it was read.
fn edit_snapshot_carrier(ds: &Path) -> String {
    let mut m = snapshot_meta(ds);
    let carriers = m["dicts"]["carrier"].as_array_mut().unwrap();
    let name = carriers[0].as_str().unwrap().to_owned();
    carriers[0] = Value::from("Carrier renamed in the snapshot");
    std::fs::write(ds.join("_snapshot/snapshot.json"), m.to_string()).unwrap();
    name
}

fn carriers_of(summary: &Value) -> Vec<String> {
    summary["by_carrier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["carrier"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_dataset_read_alone_is_read_from_its_snapshot_with_the_answers_of_its_rows() {
    for (seed, flags) in [(3, &[][..]), (9, &["--show-numbers"][..])] {
        let d = tempdir();
        let inputs = multi_shape_input(d.path(), seed);
        let ds = d.path().join("ds");
        export(&strs(&inputs), &ds, flags);
        let dir = ds.to_str().unwrap();
        let m = snapshot_meta(&ds);
        assert_eq!(
            m["files"].as_array().unwrap().len(),
            walkdir(&ds.join("messages")).len()
        );
        // From the snapshot and from the rows (the snapshot set aside): the same summary and report.
        let from_snapshot = summary_text(&[dir]);
        let report = |out: &Path| {
            let o = run(&["report", dir, "-o", out.to_str().unwrap()]);
            assert!(o.status.success(), "{}", stderr(&o));
            report_files(out)
        };
        let reports = flags.is_empty();
        let report_from_snapshot = reports.then(|| report(&d.path().join("r1")));
        let aside = d.path().join("aside");
        std::fs::rename(ds.join("_snapshot"), &aside).unwrap();
        assert_same(&from_snapshot, &summary_text(&[dir]));
        if let Some(from_snapshot) = report_from_snapshot {
            let from_rows = report(&d.path().join("r2"));
            assert_eq!(from_snapshot.len(), from_rows.len());
            for ((_, a), (_, b)) in from_snapshot.iter().zip(&from_rows) {
                assert_same(a, b);
            }
        }
        std::fs::rename(&aside, ds.join("_snapshot")).unwrap();

        // It is what the summary reads: an edit to it shows.
        let renamed = edit_snapshot_carrier(&ds);
        let edited = carriers_of(&summary(&[dir]));
        assert!(
            edited.contains(&"Carrier renamed in the snapshot".to_owned())
                && !edited.contains(&renamed),
            "{edited:?}"
        );
        // A window, or another input beside the dataset, reads the rows.
        let other = fixture("bare.jsonl");
        for args in [vec![dir, "--since", "2000-01-01"], vec![dir, &other]] {
            let c = carriers_of(&summary(&args));
            assert!(c.contains(&renamed), "{args:?}: {c:?}");
        }
    }
}

/// Copies the snapshot of `ds` into `to`, or back from it (`back`).
fn copy_snapshot(ds: &Path, to: &Path, back: bool) {
    std::fs::create_dir_all(to).unwrap();
    for f in [
        "snapshot.json",
        "cube.parquet",
        "recipients.parquet",
        "recipients-without-failures.parquet",
    ] {
        let (a, b) = (ds.join("_snapshot").join(f), to.join(f));
        let (from, into) = if back { (b, a) } else { (a, b) };
        std::fs::copy(from, into).unwrap();
    }
}

#[test]
fn a_summary_reads_the_snapshots_failing_recipients_only_and_an_export_every_tally() {
    let d = tempdir();
    let inputs = multi_shape_input(d.path(), 5);
    let args = strs(&inputs);
    let ds = d.path().join("ds");
    let dir = ds.to_str().unwrap();
    export(&args[..2], &ds, &[]);
    // The tallies of the recipients without a failure damaged: a summary still takes the snapshot.
    let others = ds.join("_snapshot/recipients-without-failures.parquet");
    let mut bytes = std::fs::read(&others).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    std::fs::write(&others, &bytes).unwrap();
    let renamed = "Carrier renamed in the snapshot".to_owned();
    edit_snapshot_carrier(&ds);
    assert!(carriers_of(&summary(&[dir])).contains(&renamed));
    // An export that adds rows needs every tally: it passes over that snapshot and reads the rows back.
    export(&args, &ds, &[]);
    assert!(!carriers_of(&summary(&[dir])).contains(&renamed));
    assert_same(
        &without_inputs(&summary_text(&[dir])),
        &without_inputs(&summary_text(&args)),
    );
}

#[test]
fn a_snapshot_of_other_files_or_damaged_is_passed_over_for_the_rows() {
    let d = tempdir();
    let inputs = multi_shape_input(d.path(), 4);
    let args = strs(&inputs);
    let ds = d.path().join("ds");
    let dir = ds.to_str().unwrap();
    let (first, current) = (d.path().join("first"), d.path().join("current"));
    export(&args[..2], &ds, &[]);
    copy_snapshot(&ds, &first, false);
    // A second export adds files: its snapshot is of them all.
    export(&args, &ds, &[]);
    copy_snapshot(&ds, &current, false);
    let whole = without_inputs(&summary_text(&args));
    assert_same(&without_inputs(&summary_text(&[dir])), &whole);

    // The first export's snapshot, whole and consistent, put back: it lists fewer files, so it is not used.
    copy_snapshot(&ds, &first, true);
    edit_snapshot_carrier(&ds);
    assert_same(&without_inputs(&summary_text(&[dir])), &whole);

    // The current one with a damaged byte in its tallies, or cut short: not used either.
    copy_snapshot(&ds, &current, true);
    let tallies = ds.join("_snapshot/recipients.parquet");
    let mut bytes = std::fs::read(&tallies).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x55;
    std::fs::write(&tallies, &bytes).unwrap();
    edit_snapshot_carrier(&ds);
    assert_same(&without_inputs(&summary_text(&[dir])), &whole);
    copy_snapshot(&ds, &current, true);
    let meta = ds.join("_snapshot/snapshot.json");
    let text = std::fs::read(&meta).unwrap();
    std::fs::write(&meta, &text[..text.len() / 2]).unwrap();
    assert_same(&without_inputs(&summary_text(&[dir])), &whole);

    // Edited so that the cube holds a code its dictionary does not name: not used.
    copy_snapshot(&ds, &current, true);
    let mut m = snapshot_meta(&ds);
    m["dicts"]["carrier"].as_array_mut().unwrap().pop();
    std::fs::write(&meta, m.to_string()).unwrap();
    assert_same(&without_inputs(&summary_text(&[dir])), &whole);

    // A damaged dataset file is counted as it is without a snapshot, whatever the snapshot says.
    copy_snapshot(&ds, &current, true);
    let victim = walkdir(&ds.join("messages")).into_iter().next().unwrap();
    let mut bytes = std::fs::read(&victim).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(&victim, &bytes).unwrap();
    let (_, v) = summary_of_damaged(&ds);
    assert!(u(&v, "events") < u(&summary(&args), "events"));
}
