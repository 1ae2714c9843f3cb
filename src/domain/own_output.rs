//! What marks a directory as smslens's own output: report directories (and their temporary siblings) carry
//! the [`MARKER`] file, written first. The report replaces only such directories; a directory walk does not
//! read them as input.

use std::fs;
use std::io;
use std::path::Path;

/// The file that marks a directory as smslens's own.
pub const MARKER: &str = ".smslens-report";
const MARKER_BODY: &str =
    "smslens report directory: written by `smslens report`, which may replace it as a whole.\n";

/// Is `dir` a directory that smslens wrote (a report, or a temporary one of an earlier run)?
pub fn is_smslens_dir(dir: &Path) -> bool {
    fs::read_to_string(dir.join(MARKER)).is_ok_and(|s| s == MARKER_BODY)
}

/// Marks `dir` as smslens's own. Written before anything else goes into it.
pub fn mark(dir: &Path) -> io::Result<()> {
    fs::write(dir.join(MARKER), MARKER_BODY)
}
