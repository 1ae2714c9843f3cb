//! The inputs' SHA-256 digests (the report's audit trail), and the cache of them a report directory keeps.
//!
//! Hashing costs a report about a fifth of its run on a big file, even from the blocks its readers read
//! anyway (`sources::digest`). A report directory therefore keeps the digests it computed ([`FILE`]),
//! keyed by what identifies an unchanged file without reading it: device, inode, size and modification
//! time (nanoseconds), as `make` and git trust them. The next report into the same directory reuses a
//! digest whose key still matches, and its audit trail says how many it reused. A file changed within two
//! seconds of being hashed is not cached (a later change in the same clock tick would keep its key). No
//! paths are kept: they can hold phone numbers.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The cache file in a report directory.
pub const FILE: &str = ".smslens-digests";
const HEADER: &str = "# smslens input digests: device inode size mtime_ns sha256\n";

/// What identifies a file's content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileKey {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
}

impl FileKey {
    #[cfg(unix)]
    fn of(m: &Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &Metadata) -> Option<FileKey> {
        None
    }
}

/// One input's digest, and the key it may be cached under (none when the file changed while it was
/// hashed or too recently).
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub sha256: String,
    pub key: Option<FileKey>,
    /// Taken from the cache instead of computed.
    pub reused: bool,
}

/// Digests by file key.
#[derive(Debug, Default, Clone)]
pub struct Digests(HashMap<FileKey, String>);

impl Digests {
    /// The cache in `dir`, if it has one; lines that do not parse are ignored (the digest is computed).
    pub fn load(dir: &Path) -> Digests {
        let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
            return Digests::default();
        };
        Digests(text.lines().filter_map(parse_line).collect())
    }

    /// The digests of `digests` that have a key.
    pub fn of<'a>(digests: impl IntoIterator<Item = &'a Digest>) -> Digests {
        Digests(
            digests
                .into_iter()
                .filter_map(|d| Some((d.key?, d.sha256.clone())))
                .collect(),
        )
    }

    /// The cache file's text, in a stable order.
    pub fn render(&self) -> String {
        let mut rows: Vec<_> = self.0.iter().collect();
        rows.sort_by_key(|(k, _)| (k.dev, k.ino));
        let mut out = String::from(HEADER);
        for (k, sha) in rows {
            out.push_str(&format!(
                "{} {} {} {} {sha}\n",
                k.dev, k.ino, k.size, k.mtime_ns
            ));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The digest of `file` from the cache when its key matches, else computed with `hash` (which reads
    /// it). `None` when it cannot be read.
    pub fn digest(
        &self,
        file: &File,
        hash: impl FnOnce(&File) -> Option<String>,
    ) -> Option<Digest> {
        match self.cached(file) {
            Ok(d) => Some(d),
            Err(before) => Some(Digest::computed(hash(file)?, before, file)),
        }
    }

    /// The cached digest of `file` when its key matches; else the key it has now, to cache a digest
    /// computed from here on under (see [`Digest::computed`]).
    pub fn cached(&self, file: &File) -> Result<Digest, Option<FileKey>> {
        let before = file.metadata().ok().and_then(|m| FileKey::of(&m));
        match before.and_then(|k| self.0.get(&k)) {
            Some(sha) => Ok(Digest {
                sha256: sha.clone(),
                key: before,
                reused: true,
            }),
            None => Err(before),
        }
    }
}

impl Digest {
    /// `sha256`, computed from `file`'s bytes read after its key was `before`: cached under that key only
    /// if the file still has it and it last changed more than two seconds ago.
    pub fn computed(sha256: String, before: Option<FileKey>, file: &File) -> Digest {
        let meta = file.metadata().ok();
        let after = meta.as_ref().and_then(FileKey::of);
        let settled = meta
            .and_then(|m| m.modified().ok())
            .is_some_and(|t| t + Duration::from_secs(2) < SystemTime::now());
        Digest {
            sha256,
            key: before.filter(|b| Some(*b) == after && settled),
            reused: false,
        }
    }
}

fn parse_line(line: &str) -> Option<(FileKey, String)> {
    let mut f = line.split(' ');
    let key = FileKey {
        dev: f.next()?.parse().ok()?,
        ino: f.next()?.parse().ok()?,
        size: f.next()?.parse().ok()?,
        mtime_ns: f.next()?.parse().ok()?,
    };
    let sha = f.next()?;
    let hex = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && f.next().is_none()).then(|| (key, sha.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_what_it_wrote_and_ignores_damage() {
        let k = FileKey {
            dev: 2049,
            ino: 77,
            size: 1234,
            mtime_ns: 1_700_000_000_123_456_789,
        };
        let sha = "ab".repeat(32);
        let d = Digests([(k, sha.clone())].into_iter().collect());
        let text = d.render() + "garbage line\n1 2 3 4 nothex\n";
        let back: HashMap<_, _> = text.lines().filter_map(parse_line).collect();
        assert_eq!(back, d.0);
    }

    #[test]
    fn a_file_hashed_right_after_it_changed_is_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fresh.jsonl");
        std::fs::write(&p, b"{}\n").unwrap();
        let f = File::open(&p).unwrap();
        let d = Digests::default()
            .digest(&f, |_| Some("00".repeat(32)))
            .unwrap();
        assert!(!d.reused);
        assert_eq!(d.key, None);
    }
}
