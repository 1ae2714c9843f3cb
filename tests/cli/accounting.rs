//! The accounting invariant, as a property over every delivery-record shape: every line, event or row read
//! is either a record or a counted skip (`records + skipped` of the input equals the units in the file),
//! whatever truncation, garbage lines and wrongly typed fields are injected. Cases are drawn from seeds.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::*;

/// A small deterministic generator (xorshift64*), so every case can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

/// Generated records, one JSON text each.
fn records(dir: &Path, n: u32, seed: u64) -> Vec<String> {
    let (p, _) = generated_records(dir, &format!("src-{seed}.jsonl"), n, seed);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    text.lines().map(str::to_owned).collect()
}

/// A line that is not a record, of one of several kinds.
fn garbage(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => "   ".into(),
        2 => r#"{"notification":{"messageId":"x","timestamp":"2026-03-01 00:00:00.000"},"status":5}"#.into(),
        3 => r#"{"delivery":{"priceInUSD":"abc"},"status":"SUCCESS","notification":{"timestamp":"2026-03-01 00:00:00.000"}}"#.into(),
        4 => (0..rng.below(80) + 1)
            .map(|_| (b'!' + rng.below(90) as u8) as char)
            .collect(),
        _ => r#"{"notification":{"messageId":"#.into(),
    }
}

/// Lines (optionally prefixed), with garbage lines put in and perhaps the end cut off.
fn damaged_lines(recs: &[String], prefix: impl Fn(usize) -> String, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| prefix(i) + r)
        .collect();
    for _ in 0..rng.below(lines.len() / 4 + 1) {
        let at = rng.below(lines.len() + 1);
        lines.insert(at, garbage(rng));
    }
    let mut text = lines.join("\n");
    if rng.chance(50) {
        text.push('\n');
    }
    if rng.chance(40) {
        let cut = rng.below(text.len() / 3) + text.len() * 2 / 3;
        text.truncate(cut);
        while !text.is_char_boundary(text.len()) {
            text.pop();
        }
    }
    text
}

/// Lines a text has (a last line without its newline counts).
fn line_units(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    text.matches('\n').count() as u64 + u64::from(!text.ends_with('\n'))
}

/// `records + skipped` of the one input in `dir`.
fn accounted(dir: &Path, name: &str, body: &[u8]) -> (u64, Value) {
    let p = write(dir, name, body);
    let v = summary(&[p.to_str().unwrap()]);
    let input = &v["inputs"][0];
    (u(input, "records") + u(input, "skipped"), v)
}

const CASES: u64 = 12;

#[test]
fn every_line_of_a_line_shaped_input_is_a_record_or_a_counted_skip() {
    let d = tempdir();
    for seed in 0..CASES {
        let mut rng = Rng::new(seed);
        let recs = records(d.path(), 20 + rng.below(60) as u32, 100 + seed);
        let prefixes: [fn(usize) -> String; 3] = [
            |_| String::new(),
            |i| format!("2026-03-01T00:00:{:02}.120Z ", i % 60),
            |i| format!("2026-03-01T00:00:{:02}.120000+00:00 stream-{i} ", i % 60),
        ];
        for (k, prefix) in prefixes.iter().enumerate() {
            let text = damaged_lines(&recs, prefix, &mut rng);
            let (got, v) = accounted(d.path(), &format!("lines-{seed}-{k}.txt"), text.as_bytes());
            assert_eq!(
                got,
                line_units(&text),
                "seed {seed} shape {k}: {}",
                v["skipped_by_reason"]
            );
        }
    }
}

/// An event for a CLI page or a Firehose document, maybe of the wrong shape; whether it is one unit.
fn event(rec: &str, i: usize, rng: &mut Rng) -> Value {
    let mut e = json!({"logStreamName": format!("s-{i}"), "timestamp": 1_772_323_205_120u64 + i as u64,
        "message": rec, "ingestionTime": 1_772_323_205_200u64, "eventId": format!("{i}")});
    match rng.below(10) {
        0 => e["message"] = json!(12345),
        1 => e["timestamp"] = json!("1772323205120"),
        2 => e = json!(5),
        3 => {
            e.as_object_mut().unwrap().remove("message");
        }
        4 => e["message"] = serde_json::from_str(rec).unwrap(),
        _ => {}
    }
    e
}

/// Documents as JSON texts, then the whole possibly cut short: the units it holds are the events of the
/// documents left whole, plus one for a document cut in two.
fn cut_documents(docs: &[(String, u64)], rng: &mut Rng, sep: &str) -> (String, u64) {
    let text = docs
        .iter()
        .map(|d| d.0.as_str())
        .collect::<Vec<_>>()
        .join(sep);
    if !rng.chance(40) {
        return (text, docs.iter().map(|d| d.1).sum());
    }
    let cut = rng.below(text.len());
    let (mut at, mut units) = (0, 0);
    for (doc, n) in docs {
        let end = at + doc.len();
        if end <= cut {
            units += n;
        } else if cut > at && text[at..cut].trim().is_empty() {
            break;
        } else if cut > at {
            units += 1; // the broken document: one skip
            break;
        } else {
            break;
        }
        at = end + sep.len();
    }
    (text[..cut].to_owned(), units)
}

#[test]
fn every_event_of_a_cli_or_firehose_document_is_a_record_or_a_counted_skip() {
    let d = tempdir();
    for seed in 0..CASES {
        let mut rng = Rng::new(1000 + seed);
        let recs = records(d.path(), 30 + rng.below(40) as u32, 200 + seed);
        // filter-log-events pages appended to one file.
        let pages: Vec<(String, u64)> = recs
            .chunks(10 + rng.below(10))
            .map(|c| {
                let events: Vec<Value> = c
                    .iter()
                    .enumerate()
                    .map(|(i, r)| event(r, i, &mut rng))
                    .collect();
                (
                    json!({"events": events, "searchedLogStreams": []}).to_string(),
                    c.len() as u64,
                )
            })
            .collect();
        let (text, units) = cut_documents(&pages, &mut rng, "\n");
        let (got, v) = accounted(d.path(), &format!("fle-{seed}.json"), text.as_bytes());
        assert_eq!(
            got, units,
            "seed {seed} filter-log-events: {}",
            v["skipped_by_reason"]
        );

        // Firehose: DATA_MESSAGE documents and control messages, concatenated, gzip.
        let mut docs: Vec<(String, u64)> = Vec::new();
        for c in recs.chunks(8 + rng.below(8)) {
            if rng.chance(20) {
                docs.push((json!({"messageType": "CONTROL_MESSAGE", "logEvents": [{"id": "", "timestamp": 1, "message": "CWL CONTROL MESSAGE"}]}).to_string(), 1));
            }
            let events: Vec<Value> = c
                .iter()
                .enumerate()
                .map(|(i, r)| event(r, i, &mut rng))
                .collect();
            docs.push((
                json!({"messageType": "DATA_MESSAGE", "owner": "111122223333", "logGroup": "g",
                "logStream": "s", "subscriptionFilters": ["f"], "logEvents": events})
                .to_string(),
                c.len() as u64,
            ));
        }
        let (text, units) = cut_documents(&docs, &mut rng, "");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let (got, v) = accounted(d.path(), &format!("firehose-{seed}"), &gz.finish().unwrap());
        assert_eq!(
            got, units,
            "seed {seed} firehose: {}",
            v["skipped_by_reason"]
        );
    }
}

#[test]
fn every_row_of_an_insights_result_is_a_record_or_a_counted_skip() {
    let d = tempdir();
    for seed in 0..CASES {
        let mut rng = Rng::new(2000 + seed);
        let recs = records(d.path(), 20 + rng.below(40) as u32, 300 + seed);
        // get-query-results JSON.
        let rows: Vec<Value> = recs
            .iter()
            .map(|r| {
                let mut row = json!([{"field": "@timestamp", "value": "2026-03-01 00:00:05.120"},
                    {"field": "@message", "value": r}, {"field": "@ptr", "value": "CmAKJwoj"}]);
                match rng.below(8) {
                    0 => row[1]["value"] = json!([1]),
                    1 => row = json!("not a row"),
                    2 => row[1]["value"] = json!(r#"{"status":5}"#),
                    _ => {}
                }
                row
            })
            .collect();
        let doc =
            json!({"results": rows, "statistics": {"recordsMatched": 1.0}, "status": "Complete"});
        let (got, v) = accounted(
            d.path(),
            &format!("insights-{seed}.json"),
            doc.to_string().as_bytes(),
        );
        assert_eq!(
            got,
            recs.len() as u64,
            "seed {seed} insights json: {}",
            v["skipped_by_reason"]
        );

        // Console CSV export.
        let mut lines = vec!["@timestamp,@message".to_owned()];
        for r in &recs {
            let quoted = format!("\"{}\"", r.replace('"', "\"\""));
            lines.push(match rng.below(10) {
                0 => format!("2026-03-01 00:00:05.120,{}", &quoted[..quoted.len() - 1]),
                1 => format!("2026-03-01 00:00:05.120,{quoted},extra"),
                2 => String::new(),
                3 => garbage(&mut rng).replace('"', ""),
                _ => format!("2026-03-01 00:00:05.120,{quoted}"),
            });
        }
        let mut text = lines.join("\n") + "\n";
        if rng.chance(40) {
            let cut = lines[0].len() + 1 + rng.below(text.len() - lines[0].len() - 1);
            text.truncate(cut);
        }
        let (got, v) = accounted(d.path(), &format!("insights-{seed}.csv"), text.as_bytes());
        assert_eq!(
            got,
            line_units(&text) - 1,
            "seed {seed} insights csv: {}",
            v["skipped_by_reason"]
        );
    }
}
