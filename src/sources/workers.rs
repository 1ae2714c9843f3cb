//! The worker pool of an ingest: one plain thread per core, each with its own batch builder.
//!
//! Plain threads rather than rayon: flushing a batch runs the consumer's Polars group-by on Polars' own
//! thread pool, and a rayon worker that waits on another pool keeps stealing work from its own, nesting file
//! after file on one stack (20,000 small files overflowed it).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::frame::{BatchBuilder, Intake};

pub fn count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work(builder, i)` for every `i` in `0..n`, on `count()` threads; results come back in index order.
pub fn run_indexed<T: Send>(
    intake: &Intake<'_>,
    n: usize,
    work: impl Fn(&mut BatchBuilder, usize) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count().min(n.max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut builder = BatchBuilder::default();
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        out.push((i, work(&mut builder, i)));
                    }
                    intake.flush(&mut builder);
                    out
                })
            })
            .collect();
        // A worker that panicked is a bug in smslens: let it propagate rather than lose its files silently.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|r| r.0);
    results.into_iter().map(|r| r.1).collect()
}
