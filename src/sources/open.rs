//! Opening inputs: files, directories (walked recursively, in parallel) and `-` for stdin; gzip (including
//! multi-member) is decoded whatever the file is called.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::bufread::MultiGzDecoder;
use rayon::prelude::*;

use super::digest::BlockSha256;
use super::head::{Head, HEAD_BYTES};
use crate::domain::own_output::{is_smslens_dir, MARKER};
use crate::frame::dataset::manifest::{Manifest, MANIFEST, PENDING};
use crate::frame::{Loc, Sink, SkipReason, Skips};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
    /// The manifest of a dataset `smslens export` wrote (the directory).
    DatasetManifest(PathBuf),
    /// One Parquet file of a dataset, as its manifest lists it.
    DatasetFile(DatasetPart),
}

/// A dataset file as its manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DatasetPart {
    /// The dataset's directory.
    pub dataset: PathBuf,
    pub path: PathBuf,
    pub rows: u64,
    pub bytes: u64,
    pub sha256: String,
    pub crc32: String,
    pub first_ms: i64,
    pub last_ms: i64,
    /// Its rows are in the dataset's snapshot, which the run takes instead: the file is counted, not
    /// decoded (`analysis::snapshot`; the caller checked it against the manifest).
    pub in_snapshot: bool,
}

impl DatasetPart {
    /// Its path and the CRC-32 its manifest lists: what a dataset's snapshot is made from.
    pub fn listed(&self) -> (PathBuf, String) {
        (self.path.clone(), self.crc32.clone())
    }
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(p) => p.display().to_string(),
            Input::DatasetManifest(dir) => dir.join(MANIFEST).display().to_string(),
            Input::DatasetFile(part) => part.path.display().to_string(),
        }
    }

    /// The dataset directory this input belongs to, if any.
    pub fn dataset(&self) -> Option<&Path> {
        match self {
            Input::DatasetManifest(dir) => Some(dir),
            Input::DatasetFile(part) => Some(&part.dataset),
            _ => None,
        }
    }
}

/// A dataset named on the command line: its manifest, then the files it lists (none if the manifest cannot
/// be read: reading the manifest input then says why).
pub fn dataset_inputs(dir: &Path) -> Vec<Input> {
    let mut out = vec![Input::DatasetManifest(dir.to_path_buf())];
    if let Ok(m) = Manifest::load_listing(dir) {
        out.extend(m.files.iter().map(|f| {
            Input::DatasetFile(DatasetPart {
                dataset: dir.to_path_buf(),
                path: Manifest::file_path(dir, f),
                rows: f.rows,
                bytes: f.bytes,
                sha256: f.sha256.clone(),
                crc32: f.crc32.clone(),
                first_ms: f.first_event_ms,
                last_ms: f.last_event_ms,
                in_snapshot: false,
            })
        }));
    }
    out
}

/// The user's PATH arguments as input files, and what the walk passed over (with why).
#[derive(Debug, Default)]
pub struct Expanded {
    /// Sorted, for deterministic output.
    pub inputs: Vec<Input>,
    pub skipped: Skips,
}

/// Expands the user's PATH arguments into input files. A path named on the command line that cannot be
/// read is an error naming it; below it, unreadable or vanished entries are counted and named, and the
/// walk goes on. Report directories smslens wrote are not read.
pub fn expand(args: &[String]) -> io::Result<Expanded> {
    let mut out = Expanded::default();
    for a in args {
        if a == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        let meta =
            std::fs::metadata(&p).map_err(|e| io::Error::new(e.kind(), format!("{a}: {e}")))?;
        if meta.is_dir() && Manifest::is_dataset(&p) {
            out.inputs.extend(dataset_inputs(&p));
        } else if meta.is_dir() {
            std::fs::read_dir(&p).map_err(|e| io::Error::new(e.kind(), format!("{a}: {e}")))?;
            let root = p.canonicalize().unwrap_or_else(|_| p.clone());
            let mut walked = walk(&p, &[root]);
            sort_paths(&mut walked.files);
            out.inputs.extend(walked.files.into_iter().map(Input::File));
            out.skipped.merge(walked.skipped);
        } else {
            out.inputs.push(Input::File(p));
        }
    }
    Ok(out)
}

/// Sorts paths in `Path`'s order (component by component) without splitting them into components: an
/// S3 export has tens of thousands, and `Path`'s comparison took a sixteenth of such a run. Each path's
/// bytes, with the separator made a NUL (which no path holds) so that it sorts before any other byte, are
/// its key: the component order for paths made the same way (here: one walk's `join`s), compared with
/// `memcmp` (comparing their long shared prefixes byte by byte took 1 % of such a run's CPU, on the one
/// thread that runs before any file is read).
fn sort_paths(paths: &mut [PathBuf]) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        paths.sort_by_cached_key(|p| {
            let mut key = p.as_os_str().as_bytes().to_vec();
            for b in key.iter_mut().filter(|b| **b == b'/') {
                *b = 0;
            }
            key
        });
    }
    #[cfg(not(unix))]
    paths.sort_unstable();
}

#[derive(Default)]
struct Walked {
    files: Vec<PathBuf>,
    skipped: Skips,
}

impl Walked {
    fn skip(&mut self, path: &Path, reason: SkipReason, detail: impl Into<String>) {
        self.skipped.add(
            reason,
            &path.display().to_string(),
            Loc::File,
            detail.into(),
        );
    }
}

/// Recursive walk, subdirectories in parallel (an S3 export is tens of thousands of folders). Entry types
/// come from the directory listing itself (no call per file); only symbolic links are followed with a
/// lookup. `followed` holds the resolved root and the directory links followed on this branch, so a link
/// leading back into them is named rather than followed.
fn walk(dir: &Path, followed: &[PathBuf]) -> Walked {
    let mut out = Walked::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.skip(dir, SkipReason::Unreadable, format!("directory: {e}"));
            return out;
        }
    };
    let mut dirs: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut marked = false;
    let mut dataset = false;
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.skip(dir, SkipReason::Unreadable, format!("listing stopped: {e}"));
                break;
            }
        };
        let path = entry.path();
        let name = entry.file_name();
        marked |= name == MARKER;
        dataset |= name == MANIFEST || name == PENDING;
        let hidden = name.to_str().is_some_and(|n| n.starts_with('.'));
        match entry.file_type() {
            // `.git`, `.cache`: not exports; said once for the whole directory.
            Ok(t) if t.is_dir() && hidden => out.skip(&path, SkipReason::Hidden, "directory"),
            Ok(t) if t.is_dir() => dirs.push((path, None)),
            Ok(t) if t.is_file() && hidden => {
                if name != MARKER {
                    out.skip(&path, SkipReason::Hidden, "");
                }
            }
            Ok(t) if t.is_file() => out.files.push(path),
            Ok(t) if t.is_symlink() => follow(dir, path, hidden, followed, &mut dirs, &mut out),
            Ok(_) => out.skip(&path, SkipReason::NotAFile, ""),
            Err(e) => out.skip(&path, SkipReason::Unreadable, e.to_string()),
        }
    }
    if marked && is_smslens_dir(dir) {
        let mut own = Walked::default();
        own.skip(
            dir,
            SkipReason::SmslensOutput,
            "a report smslens wrote, not read as input",
        );
        return own;
    }
    if dataset && Manifest::is_dataset(dir) {
        let mut own = Walked::default();
        own.skip(
            dir,
            SkipReason::SmslensDataset,
            "a dataset smslens exported, read only when named on the command line",
        );
        return own;
    }
    let nested: Vec<Walked> = dirs
        .par_iter()
        .map(|(d, target)| match target {
            Some(t) => {
                let mut f = followed.to_vec();
                f.push(t.clone());
                walk(d, &f)
            }
            None => walk(d, followed),
        })
        .collect();
    for n in nested {
        out.files.extend(n.files);
        out.skipped.merge(n.skipped);
    }
    out
}

/// A symbolic link met in `dir`: a link to a file is read, one to a directory walked unless it leads back
/// into where the walk is (a loop), a dangling one named.
fn follow(
    dir: &Path,
    path: PathBuf,
    hidden: bool,
    followed: &[PathBuf],
    dirs: &mut Vec<(PathBuf, Option<PathBuf>)>,
    out: &mut Walked,
) {
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            let target = path.canonicalize().unwrap_or_else(|_| path.clone());
            let here = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
            if here.starts_with(&target) || followed.iter().any(|f| f.starts_with(&target)) {
                let detail = format!("links back to {}", target.display());
                out.skip(&path, SkipReason::SymlinkLoop, detail);
            } else {
                dirs.push((path, Some(target)));
            }
        }
        Ok(m) if m.is_file() && hidden => out.skip(&path, SkipReason::Hidden, ""),
        Ok(m) if m.is_file() => out.files.push(path),
        Ok(_) => out.skip(&path, SkipReason::NotAFile, ""),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            out.skip(&path, SkipReason::NotAFile, "symbolic link to nothing")
        }
        Err(e) => out.skip(&path, SkipReason::Unreadable, e.to_string()),
    }
}

/// An opened input: its first decoded bytes (for sniffing) and the whole decoded content after them.
pub struct Content {
    /// The file itself, when the input is a plain (not gzip) file: big ones are read by offset, in
    /// parallel blocks.
    pub file: Option<Arc<File>>,
    pub head: Vec<u8>,
    rest: Box<dyn Read + Send>,
    pub gzip: bool,
    /// Size on disk, when known (decides whether a file is parsed in parallel chunks).
    pub size: Option<u64>,
    /// An error met while reading the head (e.g. a gzip truncated within its first bytes).
    pub head_error: Option<io::Error>,
    /// Lines longer than this are skipped unread (`--max-line-bytes`).
    pub max_line_bytes: usize,
    /// Where reads of `file` by offset count their bytes (the other reads are counted already).
    pub read_bytes: ReadBytes,
    /// Where a reader of `file` in blocks feeds them, when the run wants the file's digest.
    pub block_sha256: Option<Arc<BlockSha256>>,
}

/// Bytes read so far from the files on disk (compressed bytes for gzip) and from stdin, by every reader of
/// a run: what the progress bar shows against the inputs' sizes.
#[derive(Debug, Clone, Default)]
pub struct ReadBytes(Arc<AtomicU64>);

impl ReadBytes {
    pub fn add(&self, n: usize) {
        self.0.fetch_add(n as u64, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A reader that counts what it reads into a [`ReadBytes`].
struct Counted<R> {
    inner: R,
    bytes: ReadBytes,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.add(n);
        Ok(n)
    }
}

/// The default cap on a line: far above any real record (a few hundred bytes).
pub const MAX_LINE_BYTES: usize = 1 << 20;

impl Content {
    /// The head is all of the content.
    pub fn is_whole(&self) -> bool {
        self.head.len() < HEAD_BYTES && self.head_error.is_none()
    }

    /// The head, ready for sniffing.
    pub fn sniffing_head(&self) -> Head<'_> {
        Head::new(&self.head, self.is_whole())
    }

    /// The skip reason for a read that failed midway.
    pub fn read_error_reason(&self) -> SkipReason {
        if self.gzip {
            SkipReason::CorruptGzip
        } else {
            SkipReason::Unreadable
        }
    }

    /// The whole decoded content, from its first byte.
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        match self.head_error {
            Some(e) => Box::new(HeadThenError {
                head: io::Cursor::new(self.head),
                err: Some(e),
            }),
            None => Box::new(io::Cursor::new(self.head).chain(self.rest)),
        }
    }

    /// All of it in memory (for document shapes, which are parsed whole), without a byte-order mark. A read
    /// that fails midway keeps what was read and counts the rest as one skip at the byte it stopped.
    pub fn read_all(self, sink: &mut Sink<'_, '_>) -> Vec<u8> {
        let reason = self.read_error_reason();
        let mut data = Vec::new();
        if let Err(e) = self.into_reader().read_to_end(&mut data) {
            sink.skip(
                reason,
                Loc::Byte(data.len() as u64),
                format!("reading stopped: {e}"),
            );
        }
        if data.starts_with(b"\xEF\xBB\xBF") {
            data.drain(..3);
        }
        data
    }

    /// All of it as text; `None` (counted) when it is not UTF-8.
    pub fn read_text(self, sink: &mut Sink<'_, '_>) -> Option<String> {
        match String::from_utf8(self.read_all(sink)) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.utf8_error().valid_up_to() as u64;
                sink.skip(SkipReason::NonUtf8, Loc::Byte(at), "");
                None
            }
        }
    }
}

/// Yields `head`, then the error that cut it short.
struct HeadThenError {
    head: io::Cursor<Vec<u8>>,
    err: Option<io::Error>,
}

impl Read for HeadThenError {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(buf)?;
        if n == 0 {
            if let Some(e) = self.err.take() {
                return Err(e);
            }
        }
        Ok(n)
    }
}

/// Opens `input` (an export file or stdin; a dataset's inputs are read by [`super::dataset`]); every
/// byte read from it is counted in `read_bytes`.
pub fn open(input: &Input, read_bytes: &ReadBytes) -> io::Result<Content> {
    match input {
        Input::Stdin => from_reader(Box::new(io::stdin()), None, None, read_bytes),
        Input::DatasetManifest(_) | Input::DatasetFile(_) => {
            Err(io::Error::other("a dataset input is not an export file"))
        }
        Input::File(p) => {
            // Shared, not duplicated: a second descriptor cost two system calls per file of an export tree.
            let f = Arc::new(File::open(p)?);
            let size = f.metadata().ok().map(|m| m.len());
            from_reader(Box::new(f.clone()), size, Some(f), read_bytes)
        }
    }
}

/// Content from bytes in memory (tests, fuzzing): read exactly as a file of these bytes would be.
pub fn from_bytes(data: Vec<u8>) -> io::Result<Content> {
    let size = Some(data.len() as u64);
    from_reader(
        Box::new(io::Cursor::new(data)),
        size,
        None,
        &ReadBytes::default(),
    )
}

/// Detects gzip by its magic bytes and reads the head of the decoded content.
fn from_reader(
    raw: Box<dyn Read + Send>,
    size: Option<u64>,
    handle: Option<Arc<File>>,
    read_bytes: &ReadBytes,
) -> io::Result<Content> {
    let raw = Counted {
        inner: raw,
        bytes: read_bytes.clone(),
    };
    // Most export files are tiny (one stream, a few records): size buffers by the file, not the worst case.
    let cap = size.map_or(256 * 1024, |s| (s as usize).clamp(512, 256 * 1024));
    let mut raw = BufReader::with_capacity(cap, raw);
    let mut magic = [0u8; 2];
    let (n, err) = read_full(&mut raw, &mut magic);
    if let Some(e) = err {
        return Err(e);
    }
    let gzip = n == 2 && magic == [0x1f, 0x8b];
    let whole = io::Cursor::new(magic[..n].to_vec()).chain(raw);
    let mut rest: Box<dyn Read + Send> = if gzip {
        // Decoded straight from `raw`'s buffer (the `read` decoder would buffer it twice more).
        Box::new(MultiGzDecoder::new(whole))
    } else {
        Box::new(whole)
    };
    let mut head = Vec::new();
    let head_error = (&mut rest)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .err();
    Ok(Content {
        file: handle.filter(|_| !gzip),
        head,
        rest,
        gzip,
        size,
        head_error,
        max_line_bytes: MAX_LINE_BYTES,
        read_bytes: read_bytes.clone(),
        block_sha256: None,
    })
}

/// Reads until `buf` is full, EOF or an error; returns the bytes read and the error, if any.
pub fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> (usize, Option<io::Error>) {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (got, Some(e)),
        }
    }
    (got, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_as_path_orders_them() {
        // Names from bytes that sort around the separator ('-' and '.' below '/', digits above).
        let alphabet = ["a", "b", "a-b", "a.b", "a0", "ab", "-", ".x", "é", "a b"];
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut paths: Vec<PathBuf> = (0..2000)
            .map(|_| {
                let depth = 1 + next() % 4;
                (0..depth).fold(PathBuf::from("exports/run"), |p, _| {
                    p.join(alphabet[(next() % alphabet.len() as u64) as usize])
                })
            })
            .collect();
        paths.sort();
        paths.dedup();
        let mut shuffled = paths.clone();
        shuffled.reverse();
        shuffled.rotate_left(paths.len() / 3);
        sort_paths(&mut shuffled);
        assert_eq!(shuffled, paths);
    }
}
