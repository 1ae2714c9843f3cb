//! Replays every committed corpus input, and every input that once broke a target (`regressions/`), through
//! the targets' checks: CI runs this, so the targets keep compiling and past findings stay fixed.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).expect("read a corpus file");
            check(&data);
            n += 1;
        }
    }
    assert!(n > 0, "{target}: no corpus");
}

#[test]
fn record_parsers() {
    replay("record_parsers", smslens_fuzz::record_parsers);
}

#[test]
fn read_input() {
    replay("read_input", smslens_fuzz::read_input);
}

#[test]
fn gzip_input() {
    replay("gzip_input", smslens_fuzz::gzip_input);
}

#[test]
fn spend_readers() {
    replay("spend_readers", smslens_fuzz::spend_readers);
}

#[test]
fn mask() {
    replay("mask", smslens_fuzz::mask);
}

#[test]
fn the_mask_check_sees_what_it_must() {
    assert_eq!(smslens_fuzz::plus_number("x +44 7700 900123 y"), Some("+44 7700 900123"));
    assert_eq!(smslens_fuzz::plus_number("+1415•••0102"), None);
}
