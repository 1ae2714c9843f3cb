//! Opening inputs: files, directories (walked recursively, in parallel) and `-` for stdin; gzip (including
//! multi-member) is decoded whatever the file is called.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use rayon::prelude::*;

/// How many decompressed bytes detection looks at.
pub const HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Expands the user's PATH arguments into input files, sorted for deterministic output.
/// Errors name the path that could not be read.
pub fn expand(args: &[String]) -> io::Result<Vec<Input>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let p = PathBuf::from(a);
        let meta =
            std::fs::metadata(&p).map_err(|e| io::Error::new(e.kind(), format!("{a}: {e}")))?;
        if meta.is_dir() {
            let mut files = walk(&p).map_err(|e| io::Error::new(e.kind(), format!("{a}: {e}")))?;
            files.sort();
            out.extend(files.into_iter().map(Input::File));
        } else {
            out.push(Input::File(p));
        }
    }
    Ok(out)
}

/// Recursive walk, subdirectories in parallel (an S3 export is tens of thousands of folders).
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ft = entry.file_type()?;
        let path = entry.path();
        if ft.is_dir() {
            dirs.push(path);
        } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
            let hidden = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with('.'));
            if !hidden {
                files.push(path);
            }
        }
    }
    let nested: Vec<io::Result<Vec<PathBuf>>> = dirs.par_iter().map(|d| walk(d)).collect();
    for n in nested {
        files.extend(n?);
    }
    Ok(files)
}

/// An opened input: the first bytes (for detection) and a reader that yields the whole decoded content.
pub struct Opened {
    /// The file itself, when the input is a plain (not gzip) file: big ones are mapped rather than read.
    pub file: Option<File>,
    pub head: Vec<u8>,
    pub rest: Box<dyn Read + Send>,
    pub gzip: bool,
    /// Size on disk, when known (decides whether a file is parsed in parallel chunks).
    pub size: Option<u64>,
    /// An error met while reading the head (e.g. a gzip truncated within its first bytes).
    pub head_error: Option<io::Error>,
}

pub fn open(input: &Input) -> io::Result<Opened> {
    let (raw, size, handle): (Box<dyn Read + Send>, Option<u64>, Option<File>) = match input {
        Input::Stdin => (Box::new(io::stdin()), None, None),
        Input::File(p) => {
            let f = File::open(p)?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f.try_clone()?), size, Some(f))
        }
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
        Box::new(MultiGzDecoder::new(BufReader::new(whole)))
    } else {
        Box::new(whole)
    };
    let mut head = Vec::new();
    let head_error = (&mut rest)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .err();
    Ok(Opened {
        file: handle.filter(|_| !gzip),
        head,
        rest,
        gzip,
        size,
        head_error,
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
