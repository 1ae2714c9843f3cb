//! No phone number is in a dataset unless asked (every string column of every file scanned), and the
//! recipient pseudonym: stable under one key file, unrelated under another, the key never in the dataset.

use std::path::{Path, PathBuf};

use crate::dataset::{export, export_cmd, multi_shape_input, strs};
use crate::support::*;

/// Every value of every text column of every Parquet file under `dir`.
pub fn parquet_strings(dir: &Path) -> Vec<(String, String)> {
    use polars::prelude::*;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                let df = ParquetReader::new(std::fs::File::open(&p).unwrap())
                    .finish()
                    .unwrap();
                for c in df.columns() {
                    if let Ok(s) = c.str() {
                        out.extend(
                            s.iter()
                                .flatten()
                                .map(|v| (c.name().to_string(), v.to_owned())),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Inputs that put phone numbers everywhere a log can: free text, odd destinations, non-UUID ids, field
/// names, a file name, a skipped line.
fn numbers_everywhere(dir: &Path) -> PathBuf {
    let inp = dir.join("in/+14155550102");
    let rec = |id: &str, pr: &str, dest: &str, carrier: &str| {
        format!(
            r#"{{"notification":{{"messageId":"{id}","timestamp":"2026-03-04 10:00:00.000"}},"delivery":{{"destination":"{dest}","providerResponse":"{pr}","phoneCarrier":"{carrier}","smsType":"Transactional","priceInUSD":0.00645,"extra+447700900123":1}},"status":"FAILURE"}}"#
        )
    };
    let lines = [
        rec(
            "11111111-2222-3333-4444-555555555555",
            "+14155550102 is opted out",
            "+14155550102",
            "Carrier 919900000000",
        ),
        rec("msg-16175550118", "Unknown error", "+1XXX5550100", "AT&T"),
        rec(
            "22222222-2222-3333-4444-555555555555",
            "Phone carrier has blocked this message",
            "+44 7700 900123",
            "EE",
        ),
        "{\"broken\": \"+16175550118".to_owned(),
    ];
    write(&inp, "records.jsonl", (lines.join("\n") + "\n").as_bytes());
    inp
}

#[test]
fn no_phone_number_is_in_a_dataset_unless_asked() {
    let d = tempdir();
    let numbers = numbers_everywhere(d.path());
    let inputs = multi_shape_input(d.path(), 8);
    let mut args = strs(&inputs);
    args.push(numbers.to_str().unwrap());
    let ds = d.path().join("ds");
    export(&args, &ds, &[]);
    let found = |dir: &Path| -> Vec<String> {
        let mut hits: Vec<String> = parquet_strings(dir)
            .into_iter()
            // AWS account ids (12 digits) are written as every output shows them, not as numbers.
            .filter(|(c, v)| {
                c != "account" && smslens::domain::mask::mask_numbers_in(v) != v.as_str()
            })
            .map(|(c, v)| format!("{c}: {v}"))
            .collect();
        let manifest = std::fs::read_to_string(dir.join("_smslens.json")).unwrap();
        for line in manifest.lines() {
            let account_id = line.trim_start().starts_with("\"account\": ");
            if !account_id && smslens::domain::mask::mask_numbers_in(line) != line {
                hits.push(format!("manifest: {line}"));
            }
        }
        // The snapshot's dictionaries: the same text as the table's columns.
        let snapshot = std::fs::read(dir.join("_snapshot/snapshot.json")).unwrap();
        let m: serde_json::Value = serde_json::from_slice(&snapshot).unwrap();
        for (name, names) in m["dicts"].as_object().unwrap() {
            for v in names.as_array().unwrap().iter().filter_map(|v| v.as_str()) {
                if name != "account" && smslens::domain::mask::mask_numbers_in(v) != v {
                    hits.push(format!("snapshot {name}: {v}"));
                }
            }
        }
        hits
    };
    let strings = parquet_strings(&ds);
    assert!(strings.len() > 10_000, "the scan sees the text columns");
    assert!(strings
        .iter()
        .any(|(c, v)| c == "provider_response" && v == "+1415•••0102 is opted out"));
    assert_eq!(found(&ds), Vec::<String>::new());

    let shown = d.path().join("shown");
    export(&args, &shown, &["--show-numbers"]);
    let hits = found(&shown);
    assert!(
        hits.iter()
            .any(|h| h.starts_with("provider_response: +14155550102")),
        "{hits:?}"
    );
    let masked: Vec<String> = parquet_strings(&shown)
        .into_iter()
        .filter(|(c, _)| c == "recipient_masked")
        .map(|(_, v)| v)
        .collect();
    assert!(
        masked.contains(&"+1415•••0102".to_owned()) && masked.contains(&"+4477•••0123".to_owned())
    );
}

/// Pseudonyms of the dataset under `dir`, by message id.
fn pseudonyms(dir: &Path) -> std::collections::BTreeMap<String, i64> {
    use polars::prelude::*;
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir(&dir.join("messages")) {
        let df = ParquetReader::new(std::fs::File::open(&e).unwrap())
            .finish()
            .unwrap();
        let ids = df.column("message_id").unwrap().str().unwrap().clone();
        let rs = df.column("recipient").unwrap().i64().unwrap().clone();
        for (id, r) in ids.iter().zip(rs.iter()) {
            if let (Some(id), Some(r)) = (id, r) {
                out.insert(id.to_owned(), r);
            }
        }
    }
    out
}

pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn exports_that_share_a_key_file_join_on_recipient_and_the_key_is_never_in_the_dataset() {
    let d = tempdir();
    let key = d.path().join("secret/sms.key");
    let s = samples();
    let (a, b, c) = (d.path().join("a"), d.path().join("b"), d.path().join("c"));
    let o = export(&[&s], &a, &["--key-file", key.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("pseudonym key created"),
        "{}",
        stderr(&o)
    );
    export(
        &[&fixture("overlap"), &s],
        &b,
        &["--key-file", key.to_str().unwrap()],
    );
    export(&[&s], &c, &[]);
    let (pa, pb, pc) = (pseudonyms(&a), pseudonyms(&b), pseudonyms(&c));
    assert!(pa.len() > 4000);
    let shared = pa.iter().filter(|(id, p)| pb.get(*id) == Some(p)).count();
    assert_eq!(shared, pa.len(), "same key: same pseudonyms");
    assert!(
        pa.iter().filter(|(id, p)| pc.get(*id) == Some(p)).count() < 5,
        "another key: others"
    );
    // Distinct recipients survive pseudonymisation.
    let distinct = |m: &std::collections::BTreeMap<String, i64>| {
        m.values().collect::<std::collections::BTreeSet<_>>().len()
    };
    assert!(distinct(&pa) > 500 && distinct(&pa) == distinct(&pc));

    let hex = std::fs::read_to_string(&key).unwrap().trim().to_owned();
    assert_eq!(hex.len(), 64);
    for dir in [&a, &b] {
        let meta = [
            dir.join("_smslens.json"),
            dir.join("_snapshot/snapshot.json"),
        ];
        for f in walkdir(dir).into_iter().chain(meta) {
            let bytes = std::fs::read(&f).unwrap();
            assert!(
                !bytes.windows(16).any(|w| w == &hex.as_bytes()[..16]),
                "{}",
                f.display()
            );
        }
    }
    // An export into `a` with another key is refused, and `a` is left as it was.
    let before = std::fs::read(a.join("_smslens.json")).unwrap();
    let o = export_cmd(&[&fixture("bare.jsonl")], &a, &[])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("was exported with key"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(a.join("_smslens.json")).unwrap(), before);
    assert!(!a.join("_smslens.pending").exists());
}
