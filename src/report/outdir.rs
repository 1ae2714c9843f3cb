//! The report's output directory. smslens replaces only a directory that it wrote itself (it carries the
//! marker file, [`MARKER`]), or an empty one; it never writes into, over or around an input.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

pub use crate::domain::own_output::{is_smslens_dir, mark, MARKER};

#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    #[error(
        "{0} exists and is not a directory: smslens will not replace it (choose another -o DIR)"
    )]
    NotADirectory(PathBuf),
    #[error("{0} is a symbolic link: give the directory it points to, or another -o DIR")]
    Symlink(PathBuf),
    #[error(
        "{0} exists and is not a report that smslens wrote (no {MARKER} file in it): smslens will \
         not replace it. Choose a new -o DIR, or empty this one yourself"
    )]
    NotAReport(PathBuf),
    #[error(
        "the output {out} would be inside the input {input}: choose an -o outside your inputs"
    )]
    InsideInput { out: PathBuf, input: PathBuf },
    #[error(
        "the output {out} would contain the input {input}: replacing it would delete your data. \
         Choose an -o outside your inputs"
    )]
    ContainsInput { out: PathBuf, input: PathBuf },
}

/// Refuses an output that is not ours to replace, or that overlaps an input. Checked before any work.
pub fn check(out: &Path, inputs: &[PathBuf]) -> Result<(), OutDirError> {
    check_replaceable(out)?;
    check_overlap(out, inputs)
}

/// `out` is neither inside an input (or one of them) nor around one.
pub fn check_overlap(out: &Path, inputs: &[PathBuf]) -> Result<(), OutDirError> {
    let out_abs = resolved(out);
    for input in inputs {
        let input_abs = resolved(input);
        if out_abs.starts_with(&input_abs) {
            return Err(OutDirError::InsideInput {
                out: out.to_path_buf(),
                input: input.clone(),
            });
        }
        if input_abs.starts_with(&out_abs) {
            return Err(OutDirError::ContainsInput {
                out: out.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// `out` does not exist, or is an empty directory, or a directory smslens wrote.
pub fn check_replaceable(out: &Path) -> Result<(), OutDirError> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(OutDirError::Symlink(out.to_path_buf()));
    }
    if !meta.is_dir() {
        return Err(OutDirError::NotADirectory(out.to_path_buf()));
    }
    let empty = fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
    if empty || is_smslens_dir(out) {
        Ok(())
    } else {
        Err(OutDirError::NotAReport(out.to_path_buf()))
    }
}

/// The absolute, symlink-free form of `p`, also for a path that does not exist yet (its deepest existing
/// ancestor is resolved, the rest appended).
fn resolved(p: &Path) -> PathBuf {
    let abs = normalised(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Removes `.` and resolves `..` lexically.
fn normalised(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Removes the temporary and set-aside directories that killed runs left beside `out`
/// (`.NAME.tmp-PID`, `.NAME.old-PID`), when they carry the marker and their process is gone. Called before
/// this run makes its own, so one with this run's PID is an earlier run's too.
pub fn clean_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = leftover_pid(n, name) else {
            continue;
        };
        let path = e.path();
        if (pid == std::process::id() || !process_alive(pid)) && is_smslens_dir(&path) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".tmp-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

/// Whether process `pid` is still running (its marker or temporary directory may still be in use).
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_are_recognised_exactly() {
        assert_eq!(leftover_pid(".r.tmp-123", "r"), Some(123));
        assert_eq!(leftover_pid(".r.old-9", "r"), Some(9));
        assert_eq!(leftover_pid(".rr.tmp-9", "r"), None);
        assert_eq!(leftover_pid(".r.tmp-x", "r"), None);
        assert_eq!(leftover_pid("r.tmp-1", "r"), None);
    }

    #[test]
    fn paths_that_do_not_exist_yet_are_resolved_through_their_parent() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().canonicalize().unwrap();
        assert_eq!(
            resolved(&d.path().join("a/../b/./c")),
            real.join("b").join("c")
        );
    }
}
