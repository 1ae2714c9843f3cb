//! The recipient pseudonym: HMAC-SHA-256 of the destination, as the record wrote it, under the dataset's
//! key, cut to its first 63 bits (a non-negative BIGINT). Stable within a dataset (and across datasets
//! exported with the same key), so distinct recipients can be counted and joined; without the key it
//! cannot be linked to a number. The key is 32 random bytes from the operating system, kept in a file
//! outside the dataset (64 hex digits and a newline); the manifest holds only its id.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

const KEY_BYTES: usize = 32;

/// A dataset's pseudonym key.
#[derive(Clone)]
pub struct Key {
    bytes: [u8; KEY_BYTES],
    mac: Hmac<Sha256>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{0}: not a smslens dataset key (expected 64 hex digits)")]
    Malformed(String),
    #[error("the operating system's random source failed: {0}")]
    Random(String),
}

impl Key {
    fn from_bytes(bytes: [u8; KEY_BYTES]) -> Key {
        let mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&bytes).expect("HMAC takes keys of any length");
        Key { bytes, mac }
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Key, KeyError> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Key::from_bytes(bytes))
    }

    /// The key in `path`.
    pub fn load(path: &Path) -> Result<Key, KeyError> {
        let shown = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: shown.clone(),
            source,
        })?;
        let hex = text.trim();
        if hex.len() != 2 * KEY_BYTES || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(KeyError::Malformed(shown));
        }
        let mut bytes = [0u8; KEY_BYTES];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|_| KeyError::Malformed(shown.clone()))?;
        }
        Ok(Key::from_bytes(bytes))
    }

    /// Writes the key to a new file `path` (never over an existing one), readable by its owner only.
    pub fn save_new(&self, path: &Path) -> Result<(), KeyError> {
        let err = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(err)?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(path).map_err(err)?;
        let hex: String = self.bytes.iter().map(|b| format!("{b:02x}")).collect();
        f.write_all(format!("{hex}\n").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(err)
    }

    /// Names the key without revealing it (HMAC of a constant): the manifest records it, so an export
    /// into an existing dataset can check it was given the same key.
    pub fn id(&self) -> String {
        let mut m = self.mac.clone();
        m.update(b"smslens dataset key id");
        m.finalize().into_bytes()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The pseudonym of a destination.
    #[inline]
    pub fn pseudonym(&self, destination: &str) -> i64 {
        let mut m = self.mac.clone();
        m.update(destination.as_bytes());
        let out = m.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&out[..8]);
        (u64::from_be_bytes(first) >> 1) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_key_and_differ_across_keys() {
        let dir = tempfile::tempdir().unwrap();
        let a = Key::generate().unwrap();
        let path = dir.path().join("k/a.key");
        a.save_new(&path).unwrap();
        assert!(a.save_new(&path).is_err(), "never over an existing key");
        let again = Key::load(&path).unwrap();
        assert_eq!(again.id(), a.id());
        let n = "+16175550118";
        assert_eq!(a.pseudonym(n), again.pseudonym(n));
        assert!(a.pseudonym(n) >= 0);
        assert_ne!(a.pseudonym(n), a.pseudonym("+16175550119"));
        let b = Key::generate().unwrap();
        assert_ne!(a.pseudonym(n), b.pseudonym(n));
        assert_ne!(a.id(), b.id());
        fs::write(dir.path().join("bad.key"), "not hex\n").unwrap();
        assert!(matches!(
            Key::load(&dir.path().join("bad.key")),
            Err(KeyError::Malformed(_))
        ));
    }

    /// RFC 4231 test case 2: the HMAC is the standard one, so a pseudonym can be recomputed elsewhere.
    #[test]
    fn the_mac_is_standard_hmac_sha256() {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        let hex: String = m.finalize().into_bytes()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "5bdcc146bf60754e");
    }
}
