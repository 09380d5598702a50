//! Practice: the progress database, FSRS scheduling and the quiz state machine shared by the
//! terminal quiz (`interview-lens quiz`) and the language server.
//!
//! Reviews are keyed by card id, never by file or line: a card raised by your code keeps its
//! history when that code is edited or moves.

pub mod schedule;
pub mod session;
pub mod store;

pub use schedule::{CardRecord, CardState, Memory, Outcome, Rating, Scheduler, format_interval};
pub use session::{Location, Phase, QuizItem, Selection, Session, SessionLimits, select_from_bank};
pub use store::{Exercise, ExerciseId, PracticeEvent, ReviewRecord, Store, StoreError, StoreResult, default_data_dir};

/// The time practice code works with, in Unix seconds. `INTERVIEW_LENS_NOW` overrides the clock so
/// tests can replay days of reviews in a second; nothing else reads it.
pub fn now() -> i64 {
    if let Some(fixed) = std::env::var("INTERVIEW_LENS_NOW").ok().and_then(|v| v.trim().parse().ok()) {
        return fixed;
    }
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Anki's day: it starts at 4 am local time, so a late-evening session counts as the same day.
const DAY_STARTS_AT_HOUR: i64 = 4;

/// The practice day a timestamp falls in (days since the epoch, local time, starting at 4 am).
pub fn day_number(unix_secs: i64) -> i64 {
    (unix_secs + utc_offset(unix_secs) - DAY_STARTS_AT_HOUR * 3600).div_euclid(86_400)
}

/// When the practice day after the one `unix_secs` falls in begins.
pub fn next_day_starts(unix_secs: i64) -> i64 {
    let day = day_number(unix_secs) + 1;
    // The offset of the current moment is close enough: a DST change moves the boundary by an hour.
    day * 86_400 + DAY_STARTS_AT_HOUR * 3600 - utc_offset(unix_secs)
}

/// The local time zone's offset from UTC at that moment, in seconds (0 when unknown).
fn utc_offset(unix_secs: i64) -> i64 {
    let time = unix_secs as libc::time_t;
    // SAFETY: localtime_r writes into the `tm` we own and reads only `time`.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&time, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff
    }
}
