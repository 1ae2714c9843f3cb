//! The fuzz targets' checks (fuzz/src/lib.rs, compiled here too) over every committed corpus input and
//! every input that once broke a target (`fuzz/regressions/`): the checks keep compiling on stable, and
//! what fuzzing found stays fixed. The fuzzing itself is `cargo +nightly fuzz run TARGET` (fuzz/README.md).

use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let data = std::fs::read(e.path()).expect("read a corpus file");
            let r = std::panic::catch_unwind(|| check(&data));
            assert!(
                r.is_ok(),
                "{target}: {} breaks the check",
                e.path().display()
            );
            n += 1;
        }
    }
    assert!(n > 0, "{target}: no corpus");
}

#[test]
fn the_fast_path_agrees_with_the_full_parser_on_the_corpus() {
    replay("record_parsers", checks::record_parsers);
}

#[test]
fn every_corpus_file_reads_with_every_line_accounted_for() {
    replay("read_input", checks::read_input);
}

#[test]
fn the_gzip_corpus_reads_whole_and_cut() {
    replay("gzip_input", checks::gzip_input);
}

#[test]
fn the_spend_and_settings_readers_take_the_corpus() {
    replay("spend_readers", checks::spend_readers);
}

#[test]
fn no_phone_number_survives_masking_in_the_corpus() {
    replay("mask", checks::mask);
}

#[test]
fn the_mask_check_sees_what_it_must() {
    assert_eq!(
        checks::plus_number("x +44 7700 900123 y"),
        Some("+44 7700 900123")
    );
    assert_eq!(checks::plus_number("+1415•••0102"), None);
    // The digits a mask shows are not a number, even beside other digits.
    let masked = "+81))01)  4155•••0102";
    assert!(checks::plus_number(masked).is_some());
    assert_eq!(
        checks::plus_number(&checks::without_masked_digits(masked)),
        None
    );
    let r = std::panic::catch_unwind(|| checks::mask(b"a leak +14155550102"));
    assert!(r.is_ok(), "masked, so the check passes");
}
