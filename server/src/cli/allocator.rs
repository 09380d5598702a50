//! Allocator settings for `check`, a batch run over many files.
//!
//! mimalloc returns memory that stayed free for a second to the OS (`MADV_DONTNEED`). Across a
//! run of thousands of files every thread frees and re-allocates its file's tables again and
//! again, so memory went back and was faulted in (and zeroed by the kernel) over and over: on the
//! bench corpus 2,300 purges, 20k page faults and half of the kernel time. So `check` keeps freed
//! memory for the rest of the run. With transparent huge pages on (`always`, as on many distros)
//! the kept memory is in 2 MiB pages: peak memory grew by a third and the kernel spent its time
//! compacting memory for them on a busy machine. Without them the run needs less memory than with
//! purging (67 MB against 85 MB on the corpus) and half the kernel time. The language server
//! keeps mimalloc's defaults: it is long-lived and should give memory back.

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

/// Never purge freed memory and use no transparent huge pages for the rest of the process, unless
/// the user set mimalloc's option for either.
pub fn tune_for_batch() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain option value; mimalloc reads it each time it considers a purge.
        unsafe { mi_option_set(PURGE_DELAY, -1) }
    }
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // What mimalloc does for `MIMALLOC_ALLOW_THP=0`, which it reads only before `main`. It
        // applies to the pages faulted in from now on; a failure leaves the system's setting.
        // SAFETY: a process flag, no pointers.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
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
        tune_for_batch();
        // SAFETY: as above.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, -1);
        #[cfg(target_os = "linux")]
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
            // SAFETY: reads a process flag.
            assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
        }
        // SAFETY: restores the default for the other tests in this process.
        unsafe { mi_option_set(PURGE_DELAY, before) }
    }
}
