//! The progress database: an embedded SQLite file (`progress.sqlite3`) in the user's data folder.
//!
//! WAL mode and a busy timeout let the quiz, `progress` and the language server write at once.
//! The schema is versioned with `PRAGMA user_version` and migrated forward in one transaction.
//! A file that is not a SQLite database, or is one with someone else's tables, is moved aside
//! (`progress.sqlite3.unreadable-<time>`) and reported; it is never overwritten. A file written by
//! a newer interview-lens is left untouched and reported: moving it would break that newer version.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::schedule::{CardRecord, CardState, Memory, Rating};

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "progress.sqlite3";

/// How long a writer waits for another one (the quiz and the server write a row at a time, so a
/// wait is milliseconds; this is the ceiling before an error).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Each entry migrates from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1
    "CREATE TABLE cards (
        card_id TEXT PRIMARY KEY NOT NULL,
        state TEXT NOT NULL,
        stability REAL,
        difficulty REAL,
        due INTEGER NOT NULL,
        last_review INTEGER,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        last_grade INTEGER
    ) STRICT;
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        reviewed_at INTEGER NOT NULL,
        grade INTEGER NOT NULL,
        answer TEXT NOT NULL,
        elapsed_days INTEGER NOT NULL,
        state TEXT NOT NULL,
        stability REAL NOT NULL,
        difficulty REAL NOT NULL,
        due INTEGER NOT NULL,
        -- the card's row before this review, as JSON (NULL: the card was new), so undo restores it
        previous TEXT,
        -- where the question came from (path:line), for the record only: reviews are keyed by card
        location TEXT
    ) STRICT;
    CREATE INDEX reviews_by_card ON reviews (card_id, reviewed_at);
    CREATE TABLE exercises (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        done_at INTEGER
    ) STRICT;
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX events_by_card ON events (card_id, kind);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) STRICT;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// One query per table naming every column this build uses: a database whose tables lack one
/// has the wrong schema.
const SCHEMA_PROBES: &[&str] = &[
    "SELECT card_id, state, stability, difficulty, due, last_review, reps, lapses, last_grade FROM cards LIMIT 0",
    "SELECT id, card_id, reviewed_at, grade, answer, elapsed_days, state, stability, difficulty, due, previous, location FROM reviews LIMIT 0",
    "SELECT id, card_id, path, created_at, done_at FROM exercises LIMIT 0",
    "SELECT id, card_id, kind, at FROM events LIMIT 0",
    "SELECT key, value FROM settings LIMIT 0",
];

#[derive(Debug)]
pub enum StoreError {
    /// The data folder could not be made or the file could not be opened at all.
    Io { path: PathBuf, message: String },
    /// Not a SQLite database, or one with other tables: moved aside to `backup`.
    Unusable { path: PathBuf, backup: Option<PathBuf>, reason: String },
    /// Written by a newer interview-lens; left as it is.
    Newer { path: PathBuf, found: i64 },
    /// A query failed (busy past the timeout, disk full, corruption found later).
    Sqlite { context: String, source: rusqlite::Error },
    /// No data folder: neither INTERVIEW_LENS_DATA_DIR, XDG_DATA_HOME nor HOME is set.
    NoDataDir,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { path, message } => {
                write!(f, "cannot open the progress database {}: {message}", path.display())
            }
            StoreError::Unusable { path, backup: Some(backup), reason } => write!(
                f,
                "the progress database {} is unusable ({reason}); it was moved to {} and a new one will be started",
                path.display(),
                backup.display()
            ),
            StoreError::Unusable { path, backup: None, reason } => write!(
                f,
                "the progress database {} is unusable ({reason}), and it could not be moved aside; move it yourself to start afresh",
                path.display()
            ),
            StoreError::Newer { path, found } => write!(
                f,
                "the progress database {} was written by a newer interview-lens (schema version {found}, this one knows up to {SCHEMA_VERSION}); upgrade interview-lens, or move the file away to start afresh",
                path.display()
            ),
            StoreError::Sqlite { context, source } => write!(f, "progress database: {context}: {source}"),
            StoreError::NoDataDir => {
                f.write_str("no folder for the progress database: set INTERVIEW_LENS_DATA_DIR, XDG_DATA_HOME or HOME")
            }
        }
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

/// Attaches what was being done to a SQLite error.
trait Context<T> {
    fn context(self, what: &str) -> StoreResult<T>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn context(self, what: &str) -> StoreResult<T> {
        self.map_err(|source| StoreError::Sqlite { context: what.to_owned(), source })
    }
}

pub type ExerciseId = i64;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Exercise {
    pub id: ExerciseId,
    pub card_id: String,
    pub path: String,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

/// What the language server records about a card outside the quiz.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PracticeEvent {
    /// The card was shown in a hover.
    SeenInHover,
    /// A finding of the card's rule went away after an edit or a fix.
    FixedFinding,
}

impl PracticeEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeEvent::SeenInHover => "seen-in-hover",
            PracticeEvent::FixedFinding => "fixed-finding",
        }
    }
}

/// One row of the review log.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ReviewRecord {
    pub id: i64,
    pub card_id: String,
    pub reviewed_at: i64,
    pub grade: Rating,
    pub answer: String,
    pub elapsed_days: u32,
    pub state: CardState,
    pub memory: Memory,
    pub due: i64,
    /// The card's state before this review (`None`: it was new).
    pub previous: Option<CardRecord>,
    pub location: Option<String>,
}

/// The folder the database lives in: $INTERVIEW_LENS_DATA_DIR, else $XDG_DATA_HOME/interview-lens,
/// else ~/.local/share/interview-lens.
pub fn default_data_dir() -> StoreResult<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("INTERVIEW_LENS_DATA_DIR") {
        return Ok(dir);
    }
    if let Some(dir) = var("XDG_DATA_HOME").filter(|d| d.is_absolute()) {
        return Ok(dir.join("interview-lens"));
    }
    var("HOME").map(|home| home.join(".local/share/interview-lens")).ok_or(StoreError::NoDataDir)
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// The database in [`default_data_dir`], made when missing.
    pub fn open_default() -> StoreResult<Store> {
        let dir = default_data_dir()?;
        Store::open(&dir.join(DB_FILE))
    }

    /// The database file at `path` (its folder is made when missing).
    pub fn open(path: &Path) -> StoreResult<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: path.to_owned(),
                message: format!("cannot make {}: {e}", dir.display()),
            })?;
        }
        let conn =
            Connection::open(path).map_err(|e| StoreError::Io { path: path.to_owned(), message: e.to_string() })?;
        let store = Store { conn, path: path.to_owned() };
        match store.prepare() {
            Ok(()) => Ok(store),
            Err(Prepare::Newer(found)) => Err(StoreError::Newer { path: path.to_owned(), found }),
            Err(Prepare::Failed(error)) => Err(error),
            Err(Prepare::Unusable(reason)) => {
                drop(store);
                let backup = move_aside(path);
                Err(StoreError::Unusable { path: path.to_owned(), backup, reason })
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Pragmas, then the schema: migrated forward when older, checked always.
    fn prepare(&self) -> Result<(), Prepare> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| Prepare::Failed(sqlite("set the busy timeout", e)))?;
        // The first statement that reads the file: a file that is not SQLite fails here.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| classify(e, "switch to WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // A read-only folder or a filesystem without shared memory: still usable, one writer.
            tracing::debug!("progress database journal mode is {mode}, not WAL");
        }
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| classify(e, "set pragmas"))?;
        let version = self.user_version().map_err(|e| classify(e, "read the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(Prepare::Newer(version));
        }
        if version < SCHEMA_VERSION {
            self.migrate()?;
        }
        for probe in SCHEMA_PROBES {
            if let Err(e) = self.conn.prepare(probe) {
                return Err(Prepare::Unusable(format!("its tables are not interview-lens's: {e}")));
            }
        }
        Ok(())
    }

    fn user_version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))
    }

    /// Every pending migration in one write transaction, so two processes opening a fresh file at
    /// once migrate it once (the second sees the new version after the first commits).
    fn migrate(&self) -> Result<(), Prepare> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| classify(e, "start the schema migration"))?;
        let version = self.user_version().map_err(|e| classify(e, "read the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(Prepare::Newer(version));
        }
        if version == 0 {
            let foreign: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'", [], |row| row.get(0))
                .map_err(|e| classify(e, "list tables"))?;
            if foreign > 0 {
                return Err(Prepare::Unusable(format!(
                    "it is a SQLite database with {foreign} tables or indexes of another program"
                )));
            }
        }
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql).map_err(|e| classify(e, &format!("migrate the schema from version {from}")))?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(|e| classify(e, "write the schema version"))?;
        tx.commit().map_err(|e| classify(e, "commit the schema migration"))
    }

    // ---- cards and reviews ----

    pub fn card(&self, card_id: &str) -> StoreResult<Option<CardRecord>> {
        self.conn
            .query_row(
                "SELECT card_id, state, stability, difficulty, due, last_review, reps, lapses, last_grade
                 FROM cards WHERE card_id = ?1",
                [card_id],
                card_row,
            )
            .optional()
            .context("read a card")
    }

    /// Every card with a history, by id.
    pub fn cards(&self) -> StoreResult<Vec<CardRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT card_id, state, stability, difficulty, due, last_review, reps, lapses, last_grade
                 FROM cards ORDER BY card_id",
            )
            .context("list cards")?;
        let rows = stmt.query_map([], card_row).context("list cards")?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context("list cards")
    }

    /// Saves a review (with the answer typed) and the card's new state in one transaction; returns
    /// the review's id, which [`Store::undo_review`] takes.
    pub fn record_review(
        &mut self,
        updated: &CardRecord,
        previous: Option<&CardRecord>,
        answer: &str,
        elapsed_days: u32,
        location: Option<&str>,
    ) -> StoreResult<i64> {
        let (Some(memory), Some(grade), Some(at)) = (updated.memory, updated.last_grade, updated.last_review) else {
            return Err(StoreError::Sqlite {
                context: format!("record a review of {}", updated.card_id),
                source: rusqlite::Error::InvalidQuery,
            });
        };
        let previous_json = previous.map(|p| serde_json::to_string(p).unwrap_or_default());
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).context("record a review")?;
        tx.execute(
            "INSERT INTO reviews (card_id, reviewed_at, grade, answer, elapsed_days, state, stability, difficulty, due, previous, location)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                updated.card_id,
                at,
                grade.number(),
                answer,
                elapsed_days,
                updated.state.as_str(),
                memory.stability as f64,
                memory.difficulty as f64,
                updated.due,
                previous_json,
                location
            ],
        )
        .context("record a review")?;
        let id = tx.last_insert_rowid();
        put_card(&tx, updated).context("save the card's schedule")?;
        tx.commit().context("record a review")?;
        Ok(id)
    }

    /// Removes a review and puts the card back as it was before it. False when there is no such
    /// review (already undone).
    pub fn undo_review(&mut self, review_id: i64) -> StoreResult<bool> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).context("undo a review")?;
        let found: Option<(String, Option<String>)> = tx
            .query_row("SELECT card_id, previous FROM reviews WHERE id = ?1", [review_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .context("undo a review")?;
        let Some((card_id, previous)) = found else { return Ok(false) };
        tx.execute("DELETE FROM reviews WHERE id = ?1", [review_id]).context("undo a review")?;
        match previous.and_then(|json| serde_json::from_str::<CardRecord>(&json).ok()) {
            Some(card) => {
                put_card(&tx, &card).context("restore the card")?;
            }
            None => {
                tx.execute("DELETE FROM cards WHERE card_id = ?1", [&card_id]).context("restore the card")?;
            }
        }
        tx.commit().context("undo a review")?;
        Ok(true)
    }

    /// The whole review log, oldest first.
    pub fn reviews(&self) -> StoreResult<Vec<ReviewRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, card_id, reviewed_at, grade, answer, elapsed_days, state, stability, difficulty, due, previous, location
                 FROM reviews ORDER BY reviewed_at, id",
            )
            .context("read the review log")?;
        let rows = stmt
            .query_map([], |row| {
                let grade: u32 = row.get(3)?;
                let state: String = row.get(6)?;
                let previous: Option<String> = row.get(10)?;
                Ok(ReviewRecord {
                    id: row.get(0)?,
                    card_id: row.get(1)?,
                    reviewed_at: row.get(2)?,
                    grade: Rating::from_number(grade).unwrap_or(Rating::Good),
                    answer: row.get(4)?,
                    elapsed_days: row.get(5)?,
                    state: CardState::parse(&state).unwrap_or(CardState::Review),
                    memory: Memory {
                        stability: row.get::<_, f64>(7)? as f32,
                        difficulty: row.get::<_, f64>(8)? as f32,
                    },
                    due: row.get(9)?,
                    previous: previous.and_then(|json| serde_json::from_str(&json).ok()),
                    location: row.get(11)?,
                })
            })
            .context("read the review log")?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context("read the review log")
    }

    /// Reviews since `since` (Unix seconds): (cards seen for the first time, reviews of cards
    /// that were already past their first review). The daily caps count these.
    pub fn reviewed_since(&self, since: i64) -> StoreResult<(u32, u32)> {
        self.conn
            .query_row(
                "SELECT count(DISTINCT CASE WHEN previous IS NULL THEN card_id END),
                        count(CASE WHEN previous IS NOT NULL AND json_extract(previous, '$.state') = 'review' THEN 1 END)
                 FROM reviews WHERE reviewed_at >= ?1",
                [since],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .context("count today's reviews")
    }

    // ---- exercises ----

    /// Records an exercise file for a card (again: the same path starts over, not done).
    pub fn add_exercise(&mut self, card_id: &str, path: &Path) -> StoreResult<ExerciseId> {
        let path = path_key(path);
        self.conn
            .query_row(
                "INSERT INTO exercises (card_id, path, created_at, done_at) VALUES (?1, ?2, ?3, NULL)
                 ON CONFLICT (path) DO UPDATE SET card_id = excluded.card_id, created_at = excluded.created_at, done_at = NULL
                 RETURNING id",
                params![card_id, path, super::now()],
                |row| row.get(0),
            )
            .context("record an exercise")
    }

    /// Marks the exercise at `path` done; true when it was open (newly done).
    pub fn finish_exercise(&mut self, path: &Path) -> StoreResult<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE exercises SET done_at = ?2 WHERE path = ?1 AND done_at IS NULL",
                params![path_key(path), super::now()],
            )
            .context("mark an exercise done")?;
        Ok(changed > 0)
    }

    pub fn exercises(&self) -> StoreResult<Vec<Exercise>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, card_id, path, created_at, done_at FROM exercises ORDER BY id")
            .context("list exercises")?;
        let rows = stmt
            .query_map([], |row| {
                Ok(Exercise {
                    id: row.get(0)?,
                    card_id: row.get(1)?,
                    path: row.get(2)?,
                    created_at: row.get(3)?,
                    done_at: row.get(4)?,
                })
            })
            .context("list exercises")?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context("list exercises")
    }

    // ---- events ----

    pub fn record_event(&mut self, card_id: &str, event: PracticeEvent) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO events (card_id, kind, at) VALUES (?1, ?2, ?3)",
                params![card_id, event.as_str(), super::now()],
            )
            .context("record a practice event")?;
        Ok(())
    }

    /// How often each card had each event: (card id, event, count).
    pub fn event_counts(&self) -> StoreResult<Vec<(String, PracticeEvent, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT card_id, kind, count(*) FROM events GROUP BY card_id, kind ORDER BY card_id, kind")
            .context("count practice events")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?)))
            .context("count practice events")?;
        let mut out = Vec::new();
        for row in rows {
            let (card, kind, count) = row.context("count practice events")?;
            let event = match kind.as_str() {
                "seen-in-hover" => PracticeEvent::SeenInHover,
                "fixed-finding" => PracticeEvent::FixedFinding,
                _ => continue,
            };
            out.push((card, event, count.max(0) as u64));
        }
        Ok(out)
    }

    /// Days (Unix seconds of one moment in each) with any practice: reviews, exercises finished
    /// or created, events. The streak is computed from these.
    pub fn activity_times(&self) -> StoreResult<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT reviewed_at FROM reviews
                 UNION ALL SELECT done_at FROM exercises WHERE done_at IS NOT NULL
                 UNION ALL SELECT at FROM events WHERE kind = 'fixed-finding'",
            )
            .context("read practice days")?;
        let rows = stmt.query_map([], |row| row.get(0)).context("read practice days")?;
        rows.collect::<rusqlite::Result<Vec<_>>>().context("read practice days")
    }

    // ---- settings (fitted FSRS parameters) ----

    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .context("read a setting")
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .context("save a setting")?;
        Ok(())
    }

    /// The user's fitted FSRS parameters; empty (FSRS's defaults) until `progress --optimize`.
    pub fn parameters(&self) -> StoreResult<Vec<f32>> {
        Ok(self
            .setting(PARAMETERS_KEY)?
            .and_then(|json| serde_json::from_str::<Vec<f32>>(&json).ok())
            .unwrap_or_default())
    }

    pub fn set_parameters(&mut self, parameters: &[f32]) -> StoreResult<()> {
        let json = serde_json::to_string(parameters).unwrap_or_else(|_| "[]".into());
        self.set_setting(PARAMETERS_KEY, &json)
    }
}

const PARAMETERS_KEY: &str = "fsrs-parameters";

/// Exercises are keyed by their absolute path, so `practice check` from another folder finds them.
fn path_key(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path)
        .ok()
        .or_else(|| std::env::current_dir().ok().map(|cwd| cwd.join(path)))
        .unwrap_or_else(|| path.to_owned());
    absolute.to_string_lossy().into_owned()
}

fn card_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CardRecord> {
    let state: String = row.get(1)?;
    let stability: Option<f64> = row.get(2)?;
    let difficulty: Option<f64> = row.get(3)?;
    let grade: Option<u32> = row.get(8)?;
    Ok(CardRecord {
        card_id: row.get(0)?,
        state: CardState::parse(&state).unwrap_or(CardState::New),
        memory: stability.zip(difficulty).map(|(s, d)| Memory { stability: s as f32, difficulty: d as f32 }),
        due: row.get(4)?,
        last_review: row.get(5)?,
        reps: row.get(6)?,
        lapses: row.get(7)?,
        last_grade: grade.and_then(Rating::from_number),
    })
}

fn put_card(conn: &Connection, card: &CardRecord) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO cards (card_id, state, stability, difficulty, due, last_review, reps, lapses, last_grade)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (card_id) DO UPDATE SET state = excluded.state, stability = excluded.stability,
             difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
             reps = excluded.reps, lapses = excluded.lapses, last_grade = excluded.last_grade",
        params![
            card.card_id,
            card.state.as_str(),
            card.memory.map(|m| m.stability as f64),
            card.memory.map(|m| m.difficulty as f64),
            card.due,
            card.last_review,
            card.reps,
            card.lapses,
            card.last_grade.map(Rating::number),
        ],
    )
}

enum Prepare {
    Newer(i64),
    Unusable(String),
    Failed(StoreError),
}

fn sqlite(context: &str, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { context: context.to_owned(), source }
}

/// Whether an error while opening means the file is not a usable database (move it aside) or a
/// passing condition such as a busy lock or a full disk (report it and keep the file).
fn classify(error: rusqlite::Error, context: &str) -> Prepare {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Prepare::Unusable(error.to_string()),
        _ => Prepare::Failed(sqlite(context, error)),
    }
}

/// Renames the database (and its WAL and shared-memory files) to `<name>.unreadable-<time>`;
/// the new name, or None when the rename failed.
fn move_aside(path: &Path) -> Option<PathBuf> {
    let stamp = super::now();
    let mut backup = path.with_file_name(format!("{}.unreadable-{stamp}", file_name(path)));
    let mut n = 1;
    while backup.exists() {
        backup = path.with_file_name(format!("{}.unreadable-{stamp}-{n}", file_name(path)));
        n += 1;
    }
    std::fs::rename(path, &backup).ok()?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{}{suffix}", file_name(path)));
        if side.exists() {
            let _ = std::fs::rename(&side, backup.with_file_name(format!("{}{suffix}", file_name(&backup))));
        }
    }
    Some(backup)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| DB_FILE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DB_FILE)).unwrap();
        (dir, store)
    }

    #[test]
    fn a_review_is_saved_and_undone() {
        let (_dir, mut store) = temp_store();
        let mut card = CardRecord::new("bare-except");
        card.state = CardState::Review;
        card.memory = Some(Memory { stability: 2.0, difficulty: 5.0 });
        card.last_review = Some(100);
        card.last_grade = Some(Rating::Good);
        card.reps = 1;
        card.due = 100 + 86_400;
        let id = store.record_review(&card, None, "my answer", 0, Some("a.py:3")).unwrap();
        assert_eq!(store.card("bare-except").unwrap(), Some(card.clone()));
        let log = store.reviews().unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].answer, "my answer");
        assert_eq!(log[0].grade, Rating::Good);

        let mut second = card.clone();
        second.reps = 2;
        second.last_grade = Some(Rating::Again);
        let id2 = store.record_review(&second, Some(&card), "", 1, None).unwrap();
        assert!(store.undo_review(id2).unwrap());
        assert_eq!(store.card("bare-except").unwrap(), Some(card));
        assert!(store.undo_review(id).unwrap());
        assert_eq!(store.card("bare-except").unwrap(), None);
        assert!(!store.undo_review(id).unwrap());
    }

    #[test]
    fn reopening_keeps_data_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        let mut store = Store::open(&path).unwrap();
        store.add_exercise("bare-except", &dir.path().join("ex.py")).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.exercises().unwrap().len(), 1);
        assert_eq!(store.user_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn garbage_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        std::fs::write(&path, b"this is not a database, it is a shopping list\n".repeat(100)).unwrap();
        let error = Store::open(&path).unwrap_err();
        let StoreError::Unusable { backup: Some(backup), .. } = &error else { panic!("{error}") };
        assert!(std::fs::read(backup).unwrap().starts_with(b"this is not a database"));
        assert!(!path.exists());
        assert!(error.to_string().contains("moved to"), "{error}");
        Store::open(&path).unwrap();
    }

    #[test]
    fn someone_elses_database_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        Connection::open(&path).unwrap().execute_batch("CREATE TABLE recipes (name TEXT)").unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(matches!(error, StoreError::Unusable { backup: Some(_), .. }), "{error}");
    }

    #[test]
    fn a_newer_schema_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(matches!(error, StoreError::Newer { found: 99, .. }), "{error}");
        assert!(path.exists());
    }

    #[test]
    fn exercises_finish_once() {
        let (dir, mut store) = temp_store();
        let file = dir.path().join("ex.py");
        std::fs::write(&file, "x = 1\n").unwrap();
        store.add_exercise("bare-except", &file).unwrap();
        assert!(store.finish_exercise(&file).unwrap());
        assert!(!store.finish_exercise(&file).unwrap());
        assert!(store.exercises().unwrap()[0].done_at.is_some());
    }
}
