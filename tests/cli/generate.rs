//! The bundled samples and fixtures are reproducible: the generator (`smslens-gen`) writes them byte for byte.

use std::path::Path;

use crate::support::*;

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn regenerates(what: &str, committed: &Path) {
    let d = tempdir();
    match what {
        "samples" => smslens_gen::write_samples(d.path()).map(drop),
        _ => smslens_gen::write_fixtures(d.path()),
    }
    .unwrap_or_else(|e| panic!("generating {what}: {e}"));
    let mut expected = files(committed);
    expected.retain(|(name, _)| !(what == "fixtures" && name == "README.md"));
    let got = files(d.path());
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&expected));
    for ((name, a), (_, b)) in got.iter().zip(&expected) {
        assert!(a == b, "{name} differs from the committed copy");
    }
}

#[test]
fn the_bundled_samples_are_exactly_what_generate_writes() {
    regenerates("samples", Path::new(&samples()));
}

#[test]
fn the_test_fixtures_are_exactly_what_generate_writes() {
    regenerates(
        "fixtures",
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    );
}
