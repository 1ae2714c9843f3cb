//! `DIR/_smslens.json`: what a dataset holds and how it was made. One entry per export run into it (its
//! window, inputs with SHA-256, counts, skipped input by reason, spend metrics and settings), the files
//! with their rows, size and SHA-256, and the schema. It is written last, atomically: the files it lists
//! are the dataset, and a reader reads those and no others.
//!
//! Everything in it that came from the logs or the file system is masked as outputs are, unless the
//! export was asked for `--show-numbers`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{COLUMNS, PARTITION, SCHEMA_VERSION, TABLE};
use crate::domain::outcome::Class;
use crate::frame::{Evidence, EvidenceGroup, Skips};
use crate::record::cognito::CognitoError;
use crate::record::metric::{MetricSeries, SmsSettings, SpendLimits, UserPool};

pub const MANIFEST: &str = "_smslens.json";
/// Written first by an export and removed when its manifest is in place: names the run (its files are
/// `part-<run>-*.parquet`) so that what an interrupted export left can be told apart and removed.
pub const PENDING: &str = "_smslens.pending";
pub const FORMAT: &str = "smslens-dataset";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub schema_version: u32,
    /// The smslens that wrote the latest export.
    pub tool_version: String,
    pub table: String,
    pub partitioning: Vec<String>,
    pub columns: Vec<ColumnEntry>,
    /// Id of the pseudonym key (not the key).
    pub recipient_key_id: String,
    /// Exported with `--show-numbers`: free text unmasked, `recipient_masked` filled.
    pub show_numbers: bool,
    /// Sums over the exports.
    pub totals: Counts,
    pub skipped_by_reason: BTreeMap<String, u64>,
    pub files: Vec<FileEntry>,
    pub exports: Vec<Export>,
}

/// The part of a manifest a reader plans with ([`Manifest::load_listing`]).
#[derive(Debug, Clone)]
pub struct Listing {
    pub recipient_key_id: String,
    pub files: Vec<FileEntry>,
}

/// What a manifest's top says: the fields that tell whether the rest can be read, and those a reader
/// plans with. Read by [`Top::read`] without parsing what follows them.
#[derive(Default)]
struct Top {
    format: Option<String>,
    schema_version: Option<u64>,
    recipient_key_id: Option<String>,
    files: Option<Vec<FileEntry>>,
}

/// Ends the top's reading once it has what it needs (an error is serde's only way to stop early).
const ENOUGH: &str = "smslens: the manifest's top is read";

impl Top {
    /// The top of `text`. A manifest's evidence runs to megabytes after these fields (the writer puts them
    /// first, `Manifest`'s order), and only they are parsed; in another order the reading goes on to the
    /// end, only slower. A wrong format or version ends it as soon as it is met.
    fn read(text: &[u8]) -> Result<Top, serde_json::Error> {
        let mut top = Top::default();
        let mut de = serde_json::Deserializer::from_slice(text);
        match serde::Deserializer::deserialize_map(&mut de, TopVisitor(&mut top)) {
            Ok(()) => de.end().map(|()| top),
            Err(_) if top.done() => Ok(top),
            Err(e) => Err(e),
        }
    }

    /// Nothing more to read: the listing is complete, or the head already rules the rest out.
    fn done(&self) -> bool {
        self.format.as_deref().is_some_and(|f| f != FORMAT)
            || self
                .schema_version
                .is_some_and(|v| v != u64::from(SCHEMA_VERSION))
            || (self.format.is_some()
                && self.schema_version.is_some()
                && self.recipient_key_id.is_some()
                && self.files.is_some())
    }

    /// Whether the head says this build can read the rest.
    fn check(&self, path: &Path) -> Result<(), ManifestError> {
        check_head(self.format.as_deref(), self.schema_version, path)
    }
}

/// Whether a manifest of this format and schema version can be read by this build.
fn check_head(
    format: Option<&str>,
    schema_version: Option<u64>,
    path: &Path,
) -> Result<(), ManifestError> {
    let invalid = |detail: String| ManifestError::Invalid {
        path: path.to_path_buf(),
        detail,
    };
    if format != Some(FORMAT) {
        return Err(invalid(format!("no \"format\": \"{FORMAT}\"")));
    }
    match schema_version {
        Some(v) if v == u64::from(SCHEMA_VERSION) => Ok(()),
        Some(v) => Err(ManifestError::Version {
            path: path.to_path_buf(),
            found: u32::try_from(v).unwrap_or(u32::MAX),
        }),
        None => Err(invalid("no schema_version".into())),
    }
}

struct TopVisitor<'a>(&'a mut Top);

impl<'de> serde::de::Visitor<'de> for TopVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => self.0.format = map.next_value()?,
                "schema_version" => self.0.schema_version = map.next_value()?,
                "recipient_key_id" => self.0.recipient_key_id = map.next_value()?,
                "files" => self.0.files = map.next_value()?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            if self.0.done() {
                return Err(serde::de::Error::custom(ENOUGH));
            }
        }
        Ok(())
    }
}

/// The top of the manifest at `path`, from its first bytes when they hold it (the whole file otherwise).
fn read_top(path: &Path) -> Result<Result<Top, serde_json::Error>, ManifestError> {
    // Schema and files of a few hundred parts: tens of KiB, before the evidence's megabytes.
    const FIRST: u64 = 256 << 10;
    let io = |source| ManifestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(FIRST).read_to_end(&mut head))
        .map_err(io)?;
    match Top::read(&head) {
        Err(e) if e.is_eof() && head.len() as u64 == FIRST => {
            Ok(Top::read(&read_manifest_bytes(path)?))
        }
        top => Ok(top),
    }
}

fn read_manifest_bytes(path: &Path) -> Result<Vec<u8>, ManifestError> {
    fs::read(path).map_err(|source| ManifestError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    /// Rows written (unique messages in the window).
    pub messages: u64,
    /// Records read, duplicates and out-of-window ones included.
    pub records: u64,
    pub duplicates: u64,
    pub outside_window: u64,
    pub skipped: u64,
    pub malformed: u64,
    pub delivered: u64,
    pub failed: u64,
    pub spend_usd: f64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.messages += o.messages;
        self.records += o.records;
        self.duplicates += o.duplicates;
        self.outside_window += o.outside_window;
        self.skipped += o.skipped;
        self.malformed += o.malformed;
        self.delivered += o.delivered;
        self.failed += o.failed;
        self.spend_usd = crate::domain::money::round_usd(self.spend_usd + o.spend_usd);
        // RFC 3339 UTC with milliseconds: text order is time order.
        self.first_event = [self.first_event.take(), o.first_event.clone()]
            .into_iter()
            .flatten()
            .min();
        self.last_event = [self.last_event.take(), o.last_event.clone()]
            .into_iter()
            .flatten()
            .max();
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    /// Relative to the dataset, `/`-separated: `messages/date=2026-03-01/part-<run>-00000.parquet`.
    pub path: String,
    pub rows: u64,
    pub bytes: u64,
    pub sha256: String,
    /// CRC-32 (IEEE) of the file, 8 hex digits: what a reader checks before parsing it.
    pub crc32: String,
    /// Event times of its first and last rows (epoch ms): a reader skips files outside its window.
    pub first_event_ms: i64,
    pub last_event_ms: i64,
    /// The export run that wrote it.
    pub run: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct WindowEntry {
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Export {
    pub run: String,
    pub tool_version: String,
    pub exported_at: String,
    pub window: WindowEntry,
    pub counts: Counts,
    pub skipped_by_reason: BTreeMap<String, u64>,
    /// Skip counts by reason and the first examples (as `summary` shows them).
    pub skips: Skips,
    pub unknown_fields: BTreeMap<String, u64>,
    pub inputs: Vec<InputEntry>,
    pub metrics: Vec<MetricSeries>,
    pub settings: Vec<SettingsEntry>,
    pub user_pools: Vec<(String, UserPool)>,
    pub spend_limits: Vec<(String, SpendLimits)>,
    /// Texts Cognito could not hand over: no delivery row exists for them.
    pub cognito_errors: Vec<CognitoError>,
    /// Messages of event-stream sources seen only in flight, and messages only usage reports held.
    pub no_final_outcome: u64,
    /// `no_final_outcome` by the hour the messages were sent: what a read with `--since/--until` counts
    /// (a manifest without it is read with the export's whole count).
    #[serde(default)]
    pub no_final_outcome_by_hour: Vec<HourCount>,
    pub usage_only_messages: u64,
    /// What usage reports supplied to logged records that lacked it.
    pub price_from_usage_usd: f64,
    pub parts_from_usage: u64,
    /// The earliest few message ids per failure class (a support case's examples), so that a reader of
    /// the whole dataset need not read the message id column.
    pub evidence: Vec<EvidenceEntry>,
}

/// Messages of one hour.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HourCount {
    /// The hour's start (epoch ms); null when the events did not say when their messages were sent.
    pub sent_hour_ms: Option<i64>,
    pub messages: u64,
}

impl Export {
    /// The messages without a final outcome that a read over `[since, until)` counts, and their hours:
    /// those sent in the hours that start in it (exact for windows on the hour), or all the export
    /// counted when the read has no window or the manifest has no hours.
    pub fn no_final_outcome_in(
        &self,
        since_ms: Option<i64>,
        until_ms: Option<i64>,
    ) -> (u64, Vec<(Option<i64>, u64)>) {
        let whole = since_ms.is_none() && until_ms.is_none();
        let hours: Vec<(Option<i64>, u64)> = self
            .no_final_outcome_by_hour
            .iter()
            .filter(|h| {
                whole
                    || h.sent_hour_ms.is_some_and(|t| {
                        since_ms.is_none_or(|s| t >= s) && until_ms.is_none_or(|u| t < u)
                    })
            })
            .map(|h| (h.sent_hour_ms, h.messages))
            .collect();
        match whole || self.no_final_outcome_by_hour.is_empty() {
            true => (self.no_final_outcome, hours),
            false => (hours.iter().map(|(_, n)| n).sum(), hours),
        }
    }
}

/// The examples of one failure class, country and carrier, each as `"<time_ms> <message_id>"`, earliest
/// first: the names once per group, not per example (a month of a high-cardinality export keeps a few
/// hundred thousand examples, and every read parses them). A manifest written before the grouping has one
/// example per entry, in `time_ms` and `message_id`; both are read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EvidenceEntry {
    /// The outcome class's id (`spend_limit`, ...).
    pub class: String,
    pub country: String,
    pub carrier: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl EvidenceEntry {
    /// `evidence` grouped by class, country and carrier (in that order), each example's text through
    /// `text` (masking).
    pub fn grouped(evidence: &[Evidence], text: impl Fn(&str) -> String) -> Vec<EvidenceEntry> {
        let mut groups: BTreeMap<(&str, &str, &str), Vec<&Evidence>> = BTreeMap::new();
        for e in evidence {
            let key = (e.class.as_str(), e.country.as_str(), e.carrier.as_str());
            groups.entry(key).or_default().push(e);
        }
        groups
            .into_iter()
            .map(|((class, country, carrier), mut kept)| {
                kept.sort_by(|a, b| (a.time_ms, &a.message_id).cmp(&(b.time_ms, &b.message_id)));
                EvidenceEntry {
                    class: class.to_owned(),
                    country: text(country),
                    carrier: text(carrier),
                    examples: kept
                        .iter()
                        .map(|e| format!("{} {}", e.time_ms, text(&e.message_id)))
                        .collect(),
                    time_ms: None,
                    message_id: None,
                }
            })
            .collect()
    }

    /// The examples, their names once; None for a class this build does not know (an example that does
    /// not read as a time and an id is left out).
    pub fn into_group(self) -> Option<EvidenceGroup> {
        let class = Class::from_id(&self.class)?;
        let single = self
            .time_ms
            .zip(self.message_id)
            .map(|(t, id)| (t, id.into_boxed_str()));
        let grouped = self.examples.iter().filter_map(|x| {
            let (t, id) = x.split_once(' ')?;
            Some((t.parse().ok()?, Box::<str>::from(id)))
        });
        Some(EvidenceGroup {
            class,
            country: self.country,
            carrier: self.carrier,
            examples: single.into_iter().chain(grouped).collect(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputEntry {
    pub path: String,
    pub format: String,
    pub records: u64,
    pub skipped: u64,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SettingsEntry {
    /// The settings export it was read from.
    pub path: String,
    #[serde(flatten)]
    pub settings: SmsSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a smslens dataset manifest ({detail})")]
    Invalid { path: PathBuf, detail: String },
    #[error(
        "{path}: a dataset of schema version {found}; this smslens reads version {SCHEMA_VERSION} \
         (export it again, or use the smslens that wrote it)"
    )]
    Version { path: PathBuf, found: u32 },
}

impl Manifest {
    /// An empty dataset's manifest.
    pub fn new(key_id: String, show_numbers: bool) -> Manifest {
        Manifest {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            table: TABLE.to_owned(),
            partitioning: vec![PARTITION.to_owned()],
            columns: COLUMNS
                .iter()
                .map(|c| ColumnEntry {
                    name: c.name.to_owned(),
                    ty: c.ty.hive().to_owned(),
                    description: c.doc.to_owned(),
                })
                .collect(),
            recipient_key_id: key_id,
            show_numbers,
            totals: Counts::default(),
            skipped_by_reason: BTreeMap::new(),
            files: Vec::new(),
            exports: Vec::new(),
        }
    }

    /// Whether `dir` is (or was being made into) a dataset: it has a manifest or an export's marker.
    pub fn is_dataset(dir: &Path) -> bool {
        dir.join(MANIFEST).is_file() || dir.join(PENDING).is_file()
    }

    /// The whole manifest, in one pass: its head is checked after (a manifest that does not parse is
    /// then told apart by its head alone, so that another version's says so).
    pub fn load(dir: &Path) -> Result<Manifest, ManifestError> {
        let path = dir.join(MANIFEST);
        let text = read_manifest_bytes(&path)?;
        match serde_json::from_slice::<Manifest>(&text) {
            Ok(m) => {
                check_head(Some(&m.format), Some(u64::from(m.schema_version)), &path).map(|()| m)
            }
            Err(e) => {
                if let Ok(top) = Top::read(&text) {
                    top.check(&path)?;
                }
                Err(ManifestError::Invalid {
                    path,
                    detail: e.to_string(),
                })
            }
        }
    }

    /// Only what a reader plans with (the key id and the files), read from the manifest's top: the rest
    /// (evidence: megabytes) is not parsed.
    pub fn load_listing(dir: &Path) -> Result<Listing, ManifestError> {
        let path = dir.join(MANIFEST);
        let invalid = |detail: String| ManifestError::Invalid {
            path: path.clone(),
            detail,
        };
        let top = read_top(&path)?.map_err(|e| invalid(e.to_string()))?;
        top.check(&path)?;
        match (top.recipient_key_id, top.files) {
            (Some(recipient_key_id), Some(files)) => Ok(Listing {
                recipient_key_id,
                files,
            }),
            (None, _) => Err(invalid("missing field `recipient_key_id`".into())),
            (_, None) => Err(invalid("missing field `files`".into())),
        }
    }

    /// Writes the manifest atomically (a temporary file renamed over the old one).
    pub fn save(&self, dir: &Path) -> io::Result<()> {
        let tmp = dir.join(format!(".{MANIFEST}.tmp-{}", std::process::id()));
        let mut text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        text.push(b'\n');
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&text)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, dir.join(MANIFEST))
    }

    /// Adds one export run and the files it wrote.
    pub fn add_export(&mut self, export: Export, files: Vec<FileEntry>) {
        self.tool_version = export.tool_version.clone();
        self.totals.add(&export.counts);
        for (r, n) in &export.skipped_by_reason {
            *self.skipped_by_reason.entry(r.clone()).or_default() += n;
        }
        self.files.extend(files);
        self.exports.push(export);
    }

    /// The path of a listed file.
    pub fn file_path(dir: &Path, entry: &FileEntry) -> PathBuf {
        entry
            .path
            .split('/')
            .fold(dir.to_path_buf(), |p, part| p.join(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(run: &str, evidence: Vec<EvidenceEntry>) -> Export {
        Export {
            run: run.into(),
            tool_version: "0.1.0".into(),
            exported_at: "2026-04-01T00:00:00.000Z".into(),
            window: WindowEntry::default(),
            counts: Counts::default(),
            skipped_by_reason: BTreeMap::new(),
            skips: Skips::default(),
            unknown_fields: BTreeMap::new(),
            inputs: Vec::new(),
            metrics: Vec::new(),
            settings: Vec::new(),
            user_pools: Vec::new(),
            spend_limits: Vec::new(),
            cognito_errors: Vec::new(),
            no_final_outcome: 0,
            no_final_outcome_by_hour: Vec::new(),
            usage_only_messages: 0,
            price_from_usage_usd: 0.0,
            parts_from_usage: 0,
            evidence,
        }
    }

    /// A manifest of `files` parts whose export kept `evidence` examples.
    fn manifest(files: usize, evidence: usize) -> Manifest {
        let mut m = Manifest::new("5eed".into(), false);
        let files = (0..files)
            .map(|k| FileEntry {
                path: format!("messages/date=2026-03-01/part-r1-{k:05}.parquet"),
                rows: 1000 + k as u64,
                bytes: 50_000,
                sha256: format!("{k:064x}"),
                crc32: format!("{k:08x}"),
                first_event_ms: 1_772_323_200_000 + k as i64,
                last_event_ms: 1_772_409_599_000,
                run: "r1".into(),
            })
            .collect();
        let evidence: Vec<Evidence> = (0..evidence)
            .map(|k| Evidence {
                time_ms: 1_772_323_200_000 + k as i64,
                message_id: format!("{k:08x}-c6dd-5444-820d-fbeb0f1f54cf"),
                class: [Class::Unreachable, Class::OptedOut][k % 2],
                carrier: ["Telcel", "AT&T Mobility"][k % 3 % 2].into(),
                country: "MX".into(),
            })
            .collect();
        let evidence = EvidenceEntry::grouped(&evidence, str::to_owned);
        m.add_export(export("r1", evidence), files);
        m
    }

    fn examples(e: EvidenceEntry) -> Vec<Evidence> {
        e.into_group().map_or_else(Vec::new, |g| {
            g.examples
                .into_iter()
                .map(|(time_ms, id)| Evidence {
                    time_ms,
                    message_id: id.into(),
                    class: g.class,
                    carrier: g.carrier.clone(),
                    country: g.country.clone(),
                })
                .collect()
        })
    }

    #[test]
    fn evidence_is_kept_grouped_and_read_back_whole_and_from_older_manifests() {
        let evidence: Vec<Evidence> = (0..50)
            .map(|k| Evidence {
                time_ms: 1_772_323_200_000 - k * 7,
                message_id: format!("id {k}"),
                class: [Class::Unreachable, Class::OptedOut, Class::SpendLimit][k as usize % 3],
                carrier: ["Telcel", "AT&T"][k as usize % 2].into(),
                country: ["MX", "US"][k as usize % 5 / 4].into(),
            })
            .collect();
        let groups = EvidenceEntry::grouped(&evidence, str::to_owned);
        assert_eq!(groups.len(), 3 * 2 * 2);
        let text = serde_json::to_string(&groups).unwrap();
        let back: Vec<EvidenceEntry> = serde_json::from_str(&text).unwrap();
        let key = |e: &Evidence| {
            (
                e.time_ms,
                e.message_id.clone(),
                e.class,
                e.carrier.clone(),
                e.country.clone(),
            )
        };
        let mut have: Vec<_> = back
            .into_iter()
            .flat_map(examples)
            .map(|e| key(&e))
            .collect();
        let mut want: Vec<_> = evidence.iter().map(key).collect();
        have.sort();
        want.sort();
        assert_eq!(have, want);

        let old = r#"[{"time_ms":1772323200462,"message_id":"830c71c2","class":"opted_out","carrier":"Telcel","country":"MX"},
                      {"time_ms":1,"message_id":"x","class":"a_class_of_a_later_build","carrier":"","country":""}]"#;
        let old: Vec<EvidenceEntry> = serde_json::from_str(old).unwrap();
        let read: Vec<Evidence> = old.into_iter().flat_map(examples).collect();
        assert_eq!(read.len(), 1);
        assert_eq!(
            key(&read[0]),
            (
                1772323200462,
                "830c71c2".into(),
                Class::OptedOut,
                "Telcel".into(),
                "MX".into()
            )
        );
    }

    #[test]
    fn the_listing_is_read_from_the_top_of_a_manifest_without_its_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let m = manifest(31, 20_000);
        m.save(dir.path()).unwrap();
        let listing = Manifest::load_listing(dir.path()).unwrap();
        assert_eq!(
            (listing.recipient_key_id, listing.files),
            ("5eed".to_owned(), m.files.clone())
        );
        assert_eq!(Manifest::load(dir.path()).unwrap(), m);

        // Damage after the files is not read by the listing; the whole manifest is refused.
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        let cut = text.find("\"evidence\"").unwrap();
        fs::write(dir.path().join(MANIFEST), &text[..cut + 20]).unwrap();
        assert_eq!(Manifest::load_listing(dir.path()).unwrap().files, m.files);
        assert!(matches!(
            Manifest::load(dir.path()),
            Err(ManifestError::Invalid { .. })
        ));
    }

    #[test]
    fn the_listing_is_read_whatever_the_order_of_the_fields_and_the_size_of_the_top() {
        let dir = tempfile::tempdir().unwrap();
        // Thousands of parts: a top larger than the first bytes read.
        let m = manifest(4000, 10);
        let value = serde_json::to_value(&m).unwrap();
        let serde_json::Value::Object(fields) = value else {
            panic!("an object")
        };
        let reversed: serde_json::Map<_, _> = fields.into_iter().rev().collect();
        let text = serde_json::to_vec_pretty(&reversed).unwrap();
        assert!(text.len() > 1 << 20);
        fs::write(dir.path().join(MANIFEST), text).unwrap();
        assert_eq!(Manifest::load_listing(dir.path()).unwrap().files, m.files);
        assert_eq!(Manifest::load(dir.path()).unwrap(), m);
    }

    #[test]
    fn a_manifest_round_trips_and_other_json_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::new("00ff".into(), false);
        let counts = Counts {
            messages: 3,
            first_event: Some("2026-03-02T00:00:00.000Z".into()),
            ..Counts::default()
        };
        m.add_export(
            Export {
                counts: counts.clone(),
                skipped_by_reason: BTreeMap::from([("blank line".to_owned(), 2)]),
                metrics: vec![MetricSeries {
                    label: "SMSMonthToDateSpentUSD".into(),
                    stat: Some("Maximum".into()),
                    points: vec![(1, 0.5)],
                }],
                ..export("r1", Vec::new())
            },
            Vec::new(),
        );
        m.save(dir.path()).unwrap();
        assert!(Manifest::is_dataset(dir.path()));
        assert_eq!(Manifest::load(dir.path()).unwrap(), m);
        assert_eq!(m.totals, counts);

        fs::write(dir.path().join(MANIFEST), r#"{"format":"other"}"#).unwrap();
        assert!(matches!(
            Manifest::load(dir.path()),
            Err(ManifestError::Invalid { .. })
        ));
        fs::write(
            dir.path().join(MANIFEST),
            format!(r#"{{"format":"{FORMAT}","schema_version":99}}"#),
        )
        .unwrap();
        assert!(matches!(
            Manifest::load(dir.path()),
            Err(ManifestError::Version { found: 99, .. })
        ));
        assert!(matches!(
            Manifest::load_listing(dir.path()),
            Err(ManifestError::Version { found: 99, .. })
        ));
        fs::write(
            dir.path().join(MANIFEST),
            r#"{"format":"other","files":[]}"#,
        )
        .unwrap();
        assert!(matches!(
            Manifest::load_listing(dir.path()),
            Err(ManifestError::Invalid { .. })
        ));
        fs::write(dir.path().join(MANIFEST), "[1, 2]").unwrap();
        assert!(matches!(
            Manifest::load_listing(dir.path()),
            Err(ManifestError::Invalid { .. })
        ));
        assert!(matches!(
            Manifest::load(dir.path()),
            Err(ManifestError::Invalid { .. })
        ));
    }
}
