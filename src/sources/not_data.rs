//! Files that are not data (a README, an image, `.DS_Store`, a manifest): listed as ignored with what they
//! are, not counted as malformed. A file that looks like data of no known shape (JSON, CSV, binary of no
//! known kind) stays "unrecognized", which is malformed.

use super::head::Head;

/// What a file no source recognised is, when it is plainly not data.
pub fn what(raw_head: &[u8], head: &Head<'_>) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG", "an image (PNG)"),
        (b"\xFF\xD8\xFF", "an image (JPEG)"),
        (b"GIF8", "an image (GIF)"),
        (b"%PDF", "a document (PDF)"),
        (b"PK\x03\x04", "an archive (ZIP)"),
        (b"\x00\x00\x00\x01Bud1", "a Finder folder file (.DS_Store)"),
        (b"SQLite format 3", "a database (SQLite)"),
        (b"\x7FELF", "a program"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| raw_head.starts_with(m)) {
        return Some(what);
    }
    let text = std::str::from_utf8(head.text).ok().or_else(|| {
        // A head cut inside a character is still text.
        let cut = std::str::from_utf8(head.text).err()?.valid_up_to();
        (!head.whole && head.text.len() - cut < 4)
            .then(|| std::str::from_utf8(&head.text[..cut]).ok())?
    })?;
    if text.contains('\0') {
        return None;
    }
    if head.is_object() {
        let manifest = (head.has_key("sourceBucket") && head.has_key("fileSchema"))
            || (head.has_key("entries") && head.has_key("url"));
        return manifest.then_some("a manifest (S3 inventory or load manifest)");
    }
    if text.starts_with('[') || looks_like_csv(text) {
        return None;
    }
    Some("text with no records and no known export (notes, a README)")
}

/// Two or more lines with the same number of commas, at least one: a table.
fn looks_like_csv(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let commas = |l: &str| l.matches(',').count();
    match (lines.next(), lines.next()) {
        (Some(a), Some(b)) => commas(a) > 0 && commas(a) == commas(b),
        (Some(a), None) => commas(a) > 1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(bytes: &[u8]) -> Option<&'static str> {
        what(bytes, &Head::new(bytes, true))
    }

    #[test]
    fn what_is_not_data_and_what_stays_unrecognized() {
        assert_eq!(of(b"\x89PNG\r\n\x1a\n...."), Some("an image (PNG)"));
        assert!(of(b"# smslens sample data\n\nA month of texts, | a | table |\n").is_some());
        assert!(of(b"\x00\x00\x00\x01Bud1\x00\x00").is_some());
        assert!(of(br#"{"sourceBucket":"b","fileSchema":"Bucket, Key","files":[]}"#).is_some());
        assert_eq!(of(br#"{"hello":1}"#), None, "JSON of no known shape");
        assert_eq!(of(b"a,b,c\n1,2,3\n"), None, "a CSV of no known columns");
        assert_eq!(
            of(&[0x13, 0x9f, 0x00, 0xff, 0x10]),
            None,
            "binary of no known kind"
        );
    }
}
