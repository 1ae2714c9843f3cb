//! Tuning of the C allocator (glibc's malloc, which Rust uses on Linux) for an ingest's pattern.
//!
//! Every batch allocates its columns afresh (Polars takes ownership of them) and frees them a few
//! milliseconds later, along with Polars' group-by scratch: megabytes per batch. With glibc's defaults such
//! blocks are mapped from the kernel and unmapped on free, or trimmed from the heap, so every batch pays
//! page faults and zeroing of new pages again: about a tenth of an ingest's CPU time went to the kernel. Kept
//! in the heap instead, they are reused. Peak memory grows by a few batches' worth (~20 MiB).
//!
//! Blocks of 2 MiB and more are still mapped on their own: those are tables that grow by doubling (the
//! dedupe set, caches). Kept in the heap, every table a growth left behind stayed there as a hole: with a
//! 32 MiB threshold, a run over 1.8 M distinct recipients was resident at almost twice its heap (355 MB
//! for 191 MB).

/// Keeps freed memory in the process for reuse. Call once, before any threads start.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // Above a batch's columns (64 Ki rows of 8 bytes: 512 KiB).
        const MMAP_THRESHOLD: libc::c_int = 2 << 20;
        const TRIM_THRESHOLD: libc::c_int = 256 << 20;
        // SAFETY: mallopt only sets allocator parameters; it is called before other threads exist. A
        // refused value (returns 0) leaves glibc's default, which is merely slower.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        }
    }
}
