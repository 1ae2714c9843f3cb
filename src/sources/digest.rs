//! The inputs' SHA-256 digests (the report's and the dataset's audit trail), computed by the worker that
//! reads each input. A big plain file is hashed from the blocks its workers read anyway, in file order
//! ([`BlockSha256`]), so its bytes are not read a second time; a small plain file from the head that holds
//! all of it; anything else (gzip, a file whose reader stopped early) by reading it again.

use std::fs::File;
use std::io::{self, Read};
use std::sync::{Condvar, Mutex};

use sha2::{Digest as _, Sha256};

/// SHA-256 of the file at `path`, read from its start.
pub fn path_sha256(path: &std::path::Path) -> Option<String> {
    file_sha256(&File::open(path).ok()?)
}

/// SHA-256 of a file just opened, read from its start.
pub fn file_sha256(mut f: &File) -> Option<String> {
    let mut hasher = Sha256::new();
    // Large reads: io::copy's 8 KiB buffer costs a system call per 8 KiB.
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(hex(hasher))
}

/// SHA-256 of bytes held in memory (a small file's whole content).
pub fn bytes_sha256(bytes: &[u8]) -> String {
    hex(Sha256::new_with_prefix(bytes))
}

fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of a file that several workers read in blocks, fed one block at a time in block order: the
/// worker holding block `i` waits until block `i - 1` was fed. Blocks are handed out in increasing order
/// ([`super::workers::run_indexed`]), so the block waited for is always with a running worker, and that
/// worker fed it right after reading it.
#[derive(Default)]
pub struct BlockSha256 {
    chain: Mutex<Chain>,
    turn: Condvar,
}

#[derive(Default)]
struct Chain {
    /// The next block to feed.
    next: usize,
    /// Bytes fed so far, and their hash (none before the first block).
    bytes: u64,
    sha: Option<Sha256>,
    /// A block was not read whole: the file has no digest from its blocks.
    broken: bool,
}

impl BlockSha256 {
    /// Feeds block `i` (`None`: it was not read whole). Called exactly once per block, by [`Turn`].
    fn feed(&self, i: usize, bytes: Option<&[u8]>) {
        let Ok(mut chain) = self.chain.lock() else {
            return;
        };
        while chain.next != i {
            chain = match self.turn.wait(chain) {
                Ok(c) => c,
                Err(_) => return,
            };
        }
        match bytes {
            Some(b) if !chain.broken => {
                chain.sha.get_or_insert_with(Sha256::new).update(b);
                chain.bytes += b.len() as u64;
            }
            _ => chain.broken = true,
        }
        chain.next += 1;
        drop(chain);
        self.turn.notify_all();
    }

    /// Block `i`'s turn: fed `None` when dropped unfed (an early return or a panic), so that no worker
    /// waits forever for it.
    pub fn turn(&self, i: usize) -> Turn<'_> {
        Turn {
            hasher: self,
            block: i,
            fed: false,
        }
    }

    /// The digest, when every block fed was whole and they add up to the file's `size` bytes (blocks
    /// cover the file from its start, each its own bytes, in order).
    pub fn finish(&self, size: u64) -> Option<String> {
        let mut chain = self.chain.lock().ok()?;
        let whole = !chain.broken && chain.next > 0 && chain.bytes == size;
        let sha = chain.sha.take().unwrap_or_default();
        whole.then(|| hex(sha))
    }
}

/// One block's turn to be fed to a [`BlockSha256`].
pub struct Turn<'h> {
    hasher: &'h BlockSha256,
    block: usize,
    fed: bool,
}

impl Turn<'_> {
    pub fn feed(mut self, bytes: Option<&[u8]>) {
        self.fed = true;
        self.hasher.feed(self.block, bytes);
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if !self.fed {
            self.hasher.feed(self.block, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_fed_out_of_order_by_several_threads_hash_like_the_whole_file() {
        let data: Vec<u8> = (0..1_000_003u32).map(|i| (i * 31 % 251) as u8).collect();
        let block = 65_536;
        let blocks = data.len().div_ceil(block);
        let h = BlockSha256::default();
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= blocks {
                        break;
                    }
                    let turn = h.turn(i);
                    let end = ((i + 1) * block).min(data.len());
                    turn.feed(Some(&data[i * block..end]));
                });
            }
        });
        assert_eq!(h.finish(data.len() as u64), Some(bytes_sha256(&data)));
    }

    #[test]
    fn a_block_not_read_whole_leaves_the_file_without_a_block_digest() {
        let h = BlockSha256::default();
        h.turn(0).feed(Some(b"abc"));
        drop(h.turn(1));
        h.turn(2).feed(Some(b"def"));
        assert_eq!(h.finish(6), None);
        let short = BlockSha256::default();
        short.turn(0).feed(Some(b"abc"));
        assert_eq!(short.finish(4), None, "fewer bytes than the file had");
        assert_eq!(BlockSha256::default().finish(0), None, "no block was read");
    }
}
