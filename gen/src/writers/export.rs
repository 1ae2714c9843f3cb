//! CloudWatch Logs export to S3 (formats.md section 2): `<event time> <record>` lines in gzip objects,
//! `exportedlogs/<task id>/<log stream>/000000.gz`, next to the `aws-logs-write-test` permission check.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use crate::model::{Gen, Rec};
use crate::rng::Rng;
use crate::spell::{push_iso_ms_z, uuid4_string};
use crate::writers::gz_writer;
use crate::writers::record::write_record;
use crate::{GenConfig, GenTruth};

/// The body of the object S3 export tasks write to check their permission.
pub(crate) const WRITE_TEST_BODY: &[u8] = b"Permission Check Successful";

/// `<event time ISO ms Z> <record>\n`
pub(crate) fn export_line(b: &mut Vec<u8>, r: &Rec) {
    push_iso_ms_z(b, r.event_time());
    b.push(b' ');
    write_record(b, r);
    b.push(b'\n');
}

/// A month as one export task of `min(files, records)` streams, the records spread evenly over them in
/// time order; a quarter of the files have two lines swapped, as real exports are not always in order.
pub(crate) fn write_tree(dir: &Path, files: usize, cfg: &GenConfig) -> io::Result<GenTruth> {
    let root = dir.join("exportedlogs");
    fs::create_dir_all(&root)?;
    fs::write(root.join("aws-logs-write-test"), WRITE_TEST_BODY)?;
    let mut names = Rng::new(cfg.seed ^ 0x7A5C_0E11_E5A5_4B1D);
    let mut path = root.join(uuid4_string(&mut names));
    fs::create_dir_all(&path)?;
    let mut g = Gen::new(cfg);
    let n = cfg.records as u64;
    let nfiles = if n == 0 {
        0
    } else {
        (files as u64).clamp(1, n)
    };
    let mut lines: Vec<u8> = Vec::with_capacity(1 << 14);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for k in 0..nfiles {
        let count = (k + 1) * n / nfiles - k * n / nfiles;
        lines.clear();
        spans.clear();
        for r in g.by_ref().take(count as usize) {
            let s = lines.len();
            export_line(&mut lines, &r);
            spans.push((s, lines.len()));
        }
        if spans.len() >= 2 && names.chance(0.25) {
            let a = names.below(spans.len() as u64) as usize;
            let b = names.below(spans.len() as u64) as usize;
            spans.swap(a, b);
        }
        path.push(uuid4_string(&mut names));
        fs::create_dir_all(&path)?;
        path.push("000000.gz");
        let mut gz = gz_writer(File::create(&path)?);
        for &(s, e) in &spans {
            gz.write_all(&lines[s..e])?;
        }
        gz.finish()?;
        path.pop();
        path.pop();
    }
    Ok(g.truth())
}
