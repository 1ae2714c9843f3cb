//! Skipped input: counted by reason, with the first few locations kept so a person can look.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Examples kept per reason.
pub const EXAMPLES_PER_REASON: usize = 5;

/// Serialized (in a dataset's manifest) by a stable snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    InvalidJson,
    InvalidCsv,
    NotARecord,
    WrongType,
    OutOfRange,
    NoTimestamp,
    LineTooLong,
    NonUtf8,
    CorruptGzip,
    Unreadable,
    UnrecognizedFormat,
    /// A dataset file that is missing, not the file its manifest lists (size, SHA-256), or not Parquet.
    CorruptDataset,
    /// A directory entry that is neither a file nor a directory (socket, device, FIFO).
    NotAFile,
    /// A directory symlink that leads back to a directory above it.
    SymlinkLoop,
    // Expected non-records: counted, shown, but not errors (`--strict` ignores them).
    BlankLine,
    ControlMessage,
    WriteTest,
    /// A report directory smslens wrote (marked), found inside an input directory.
    SmslensOutput,
    /// A dataset `smslens export` wrote, found inside an input directory (read only when named).
    SmslensDataset,
    /// Standard input was closed or empty.
    EmptyInput,
    /// An event of another channel (voice, MMS, e-mail) in an SMS event stream.
    OtherChannel,
    /// A file that is not data: a README, an image, `.DS_Store`, a manifest (detail says which).
    NotData,
    /// A hidden file (its name starts with a dot).
    Hidden,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::InvalidJson => "invalid JSON",
            SkipReason::InvalidCsv => "invalid CSV",
            SkipReason::NotARecord => "not a delivery record",
            SkipReason::WrongType => "wrong field type",
            SkipReason::OutOfRange => "value out of range",
            SkipReason::NoTimestamp => "no timestamp",
            SkipReason::LineTooLong => "line too long",
            SkipReason::NonUtf8 => "binary or non-UTF-8 data",
            SkipReason::CorruptGzip => "truncated or corrupt gzip",
            SkipReason::Unreadable => "unreadable file",
            SkipReason::UnrecognizedFormat => "unrecognized file format",
            SkipReason::CorruptDataset => "damaged dataset file",
            SkipReason::BlankLine => "blank line",
            SkipReason::ControlMessage => "Firehose CONTROL_MESSAGE",
            SkipReason::WriteTest => "S3 export write-test object",
            SkipReason::NotAFile => "not a regular file",
            SkipReason::SymlinkLoop => "symbolic link loop",
            SkipReason::SmslensOutput => "smslens report directory",
            SkipReason::SmslensDataset => "smslens dataset (name it to read it)",
            SkipReason::EmptyInput => "no input",
            SkipReason::OtherChannel => "not an SMS event",
            SkipReason::NotData => "not data",
            SkipReason::Hidden => "hidden file",
        }
    }

    /// Malformed input, as opposed to expected non-record content.
    pub fn is_malformed(self) -> bool {
        !matches!(
            self,
            SkipReason::BlankLine
                | SkipReason::ControlMessage
                | SkipReason::WriteTest
                | SkipReason::SmslensOutput
                | SkipReason::SmslensDataset
                | SkipReason::NotAFile
                | SkipReason::SymlinkLoop
                | SkipReason::EmptyInput
                | SkipReason::OtherChannel
                | SkipReason::NotData
                | SkipReason::Hidden
        )
    }
}

/// Where in a file something was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loc {
    File,
    Line(u64),
    Byte(u64),
    /// The `index`-th event (0-based) of the JSON document starting at `byte`.
    Event {
        byte: u64,
        index: u64,
    },
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::File => f.write_str("whole file"),
            Loc::Line(n) => write!(f, "line {n}"),
            Loc::Byte(b) => write!(f, "byte {b}"),
            Loc::Event { byte, index } => write!(f, "byte {byte}, event {index}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SkipExample {
    pub path: String,
    pub loc: Loc,
    pub reason: SkipReason,
    pub detail: String,
}

impl fmt::Display for SkipExample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.loc, self.reason.as_str())?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skips {
    pub counts: BTreeMap<SkipReason, u64>,
    pub examples: Vec<SkipExample>,
}

impl Skips {
    pub fn add(&mut self, reason: SkipReason, path: &str, loc: Loc, mut detail: String) {
        let n = self.counts.entry(reason).or_default();
        *n += 1;
        if *n as usize <= EXAMPLES_PER_REASON {
            if detail.len() > 160 {
                let cut = (0..=160)
                    .rev()
                    .find(|&i| detail.is_char_boundary(i))
                    .unwrap_or(0);
                detail.truncate(cut);
                detail.push('…');
            }
            self.examples.push(SkipExample {
                path: path.to_owned(),
                loc,
                reason,
                detail,
            });
        }
    }

    /// Merges, keeping the first examples per reason in (path, location) order so output is deterministic.
    pub fn merge(&mut self, other: Skips) {
        for (r, n) in other.counts {
            *self.counts.entry(r).or_default() += n;
        }
        self.examples.extend(other.examples);
        self.examples.sort();
        let mut per: BTreeMap<SkipReason, usize> = BTreeMap::new();
        self.examples.retain(|e| {
            let k = per.entry(e.reason).or_default();
            *k += 1;
            *k <= EXAMPLES_PER_REASON
        });
    }

    /// Moves line locations down by `lines` (for blocks parsed with local line numbers).
    pub fn shift_lines(&mut self, lines: u64) {
        for e in &mut self.examples {
            if let Loc::Line(n) = &mut e.loc {
                *n += lines;
            }
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn malformed(&self) -> u64 {
        self.counts
            .iter()
            .filter(|(r, _)| r.is_malformed())
            .map(|(_, n)| n)
            .sum()
    }
}
