//! Allocator settings for `check`, a batch run over many files.
//!
//! mimalloc returns memory that stayed free for a second to the OS (`MADV_DONTNEED`). Across a
//! run of thousands of files every thread frees and re-allocates its file's tables again and
//! again, so memory went back and was faulted in (and zeroed by the kernel) over and over: on the
//! bench corpus 2,300 purges, 20k page faults and half of the kernel time. Keeping freed memory
//! for the rest of the run costs about 10 MB of peak resident memory. The language server keeps
//! the default: it is long-lived and should give memory back.

use libc::{c_int, c_long};
// Links mimalloc into builds that do not use it as the allocator (the unit tests).
use libmimalloc_sys as _;

/// `mi_option_purge_delay` in `mi_option_e` (mimalloc.h, the v3 sources libmimalloc-sys builds).
const PURGE_DELAY: c_int = 15;

unsafe extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// Never purge freed memory for the rest of the process, unless the user set the option.
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets a plain option value; mimalloc reads it each time it considers a purge.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads an option value.
        let before = unsafe { mi_option_get(PURGE_DELAY) };
        // 1000 ms is the purge delay's default, and no option near it has that default.
        assert_eq!(before, 1000, "option {PURGE_DELAY} is not purge_delay in this mimalloc");
        keep_freed_memory();
        // SAFETY: as above.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, -1);
        // SAFETY: restores the default for the other tests in this process.
        unsafe { mi_option_set(PURGE_DELAY, before) }
    }
}
