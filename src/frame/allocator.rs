//! Tuning of the C allocator (glibc's malloc, which Rust uses on Linux) for an ingest's pattern.
//!
//! Every batch allocates its columns afresh (Polars takes ownership of them) and frees them a few
//! milliseconds later, along with Polars' group-by scratch: megabytes per batch. With glibc's defaults such
//! blocks are mapped from the kernel and unmapped on free, or trimmed from the heap, so every batch pays
//! page faults and zeroing of new pages again: about a tenth of an ingest's CPU time went to the kernel. Kept
//! in the heap instead, they are reused. Peak memory grows by a few batches' worth (~20 MiB).

/// Keeps freed memory in the process for reuse. Call once, before any threads start.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // glibc's maximum for the mmap threshold on 64-bit systems.
        const MMAP_THRESHOLD: libc::c_int = 32 << 20;
        const TRIM_THRESHOLD: libc::c_int = 256 << 20;
        // SAFETY: mallopt only sets allocator parameters; it is called before other threads exist. A
        // refused value (returns 0) leaves glibc's default, which is merely slower.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        }
    }
}
