//! Practice through the real binary: the quiz in a pseudo-terminal (its screen read with a
//! terminal emulator), FSRS intervals, the progress database's failure modes, concurrent writers,
//! and `progress --format json`. Every test points INTERVIEW_LENS_DATA_DIR at its own temp dir and
//! fixes the clock with INTERVIEW_LENS_NOW.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use interview_lens::practice::{CardRecord, Rating, Scheduler, Store, format_interval};
use interview_lens_tests::{Run, Sandbox, binary, project};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A Wednesday noon, UTC.
const T0: i64 = 1_780_000_000 - 1_780_000_000 % 86_400 + 12 * 3600;
const DAY: i64 = 86_400;

const SHOP: &str = "def add(item, cart=[]):
    cart.append(item)
    return cart


def load(path):
    try:
        with open(path) as f:
            return f.read()
    except:
        return None
";

/// The binary in a pseudo-terminal of `cols`x`rows`, with a terminal emulator reading its output.
struct Tui {
    writer: Box<dyn std::io::Write + Send>,
    output: mpsc::Receiver<Vec<u8>>,
    parser: vt100::Parser,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    /// HOME and the XDG folders (checked on drop); the store is the test's own `dir/data`.
    _sandbox: Sandbox,
}

impl Tui {
    fn start(dir: &Path, now: i64, args: &[&str], (cols, rows): (u16, u16)) -> Tui {
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let sandbox = Sandbox::new();
        let mut cmd = CommandBuilder::new(binary());
        for (var, value) in sandbox.vars() {
            cmd.env(var, value);
        }
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("INTERVIEW_LENS_DATA_DIR", dir.join("data"));
        cmd.env("INTERVIEW_LENS_NOW", now.to_string());
        cmd.env("TERM", "xterm-256color");
        cmd.env("TZ", "UTC");
        let child = pair.slave.spawn_command(cmd).expect("spawn the quiz");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Tui {
            writer,
            output,
            parser: vt100::Parser::new(rows, cols, 0),
            child,
            _master: pair.master,
            _sandbox: sandbox,
        }
    }

    fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
            while let Ok(bytes) = self.output.try_recv() {
                self.parser.process(&bytes);
            }
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen after 30 s.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}; the screen:\n{}", self.screen());
            self.pump(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        // Separate key presses, so a lone ESC or an Alt prefix is read as the user meant it.
        std::thread::sleep(Duration::from_millis(80));
    }

    /// Waits for the program to exit; its exit code and the final (normal) screen.
    fn finish(mut self) -> (u32, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // What was printed after leaving the alternate screen.
                for _ in 0..10 {
                    self.pump(Duration::from_millis(30));
                }
                return (status.exit_code(), self.screen());
            }
            assert!(Instant::now() < deadline, "the quiz did not exit; the screen:\n{}", self.screen());
            self.pump(Duration::from_millis(50));
        }
    }
}

fn progress_json(dir: &Path, now: i64) -> serde_json::Value {
    let run = run_with(dir, now, &["progress", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("progress JSON")
}

fn run_with(dir: &Path, now: i64, args: &[&str]) -> Run {
    Sandbox::new()
        .command()
        .args(args)
        .current_dir(dir)
        .env("INTERVIEW_LENS_DATA_DIR", dir.join("data"))
        .env("INTERVIEW_LENS_NOW", now.to_string())
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .expect("running interview-lens")
        .into()
}

fn card<'v>(progress: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    progress["cards"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no card {id}"))
}

#[test]
fn quiz_from_your_code_answer_reveal_grade_undo_quit() {
    let dir = project(&[("shop.py", SHOP)]);
    let mut tui = Tui::start(dir.path(), T0, &["quiz", "--from", "shop.py"], (80, 24));
    // The first finding's card, with where the code raised it and the excerpt.
    tui.wait_for("add_tag(tag, tags=[])");
    tui.wait_for("shop.py:1");
    tui.wait_for("def add(item, cart=[]):");
    tui.wait_for("0/2 graded");

    tui.send("shared by every call");
    tui.send("\x1b\r"); // Alt-Enter: a second line, not a reveal
    tui.send("use None");
    tui.wait_for("use None");
    assert!(!tui.screen().contains("Strong answer"), "Alt-Enter revealed:\n{}", tui.screen());
    tui.send("\r");
    tui.wait_for("Strong answer");
    tui.wait_for("Red flag");
    tui.wait_for("shared by every call");
    // A new card: FSRS's default first intervals (the crate documents 0.21/1.29/2.31/8.30 days for
    // Again/Hard/Good/Easy; Again is the 10-minute relearning step instead).
    tui.wait_for("1  Again 10m");
    tui.wait_for("2  Hard 1d");
    tui.wait_for("3  Good 2d");
    tui.wait_for("4  Easy 8d");

    tui.send("3");
    tui.wait_for("bare `except:` dangerous");
    tui.wait_for("shop.py:10");
    tui.wait_for("1/2 graded");
    // Undo (Ctrl-Z while typing): the first card again, with the answer that was typed.
    tui.send("\x1a");
    tui.wait_for("Undone: mutable-default-argument");
    tui.wait_for("0/2 graded");
    tui.wait_for("use None");
    tui.send("\r");
    tui.wait_for("Strong answer");
    tui.send("1"); // Again: the card comes back in this session
    tui.wait_for("bare `except:` dangerous");
    tui.wait_for("1/3 graded");
    tui.send("\r");
    tui.wait_for("(no answer typed)");
    tui.send("4");
    tui.wait_for("add_tag(tag, tags=[])");
    tui.wait_for("2/3 graded");
    // Quit from the revealed card: the two grades stay, the unanswered one is not recorded.
    tui.send("\r");
    tui.wait_for("Strong answer");
    tui.send("q");
    let (code, screen) = tui.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Graded 2 cards: Again 1, Hard 0, Good 0, Easy 1."), "{screen}");

    let store = Store::open(&dir.path().join("data/progress.sqlite3")).unwrap();
    let log = store.reviews().unwrap();
    let summary: Vec<_> = log.iter().map(|r| (r.card_id.as_str(), r.grade, r.answer.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("mutable-default-argument", Rating::Again, "shared by every call\nuse None"),
            ("bare-except", Rating::Easy, ""),
        ]
    );
    assert_eq!(log[0].location.as_deref(), Some("shop.py:1"));

    let progress = progress_json(dir.path(), T0);
    assert_eq!(progress["reviews"], 2);
    assert_eq!(card(&progress, "mutable-default-argument")["state"], "learning");
    assert_eq!(card(&progress, "mutable-default-argument")["last_grade"], 1);
    assert_eq!(card(&progress, "bare-except")["state"], "review");
    assert_eq!(card(&progress, "bare-except")["last_grade"], 4);
    // Easy on a new card: 8 days.
    assert_eq!(card(&progress, "bare-except")["due"], rfc3339_days(T0, 8));
}

fn rfc3339_days(t: i64, days: i64) -> String {
    // T0 is noon UTC on a known day; compute the date with the same civil calendar as the binary.
    let output = Command::new("python3")
        .args(["-c", &format!("import datetime;print(datetime.datetime.fromtimestamp({}, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))", t + days * DAY)])
        .output()
        .expect("python3");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn quiz_resumes_where_it_stopped_and_brings_cards_back_when_due() {
    let dir = project(&[]);
    let args = ["quiz", "--topic", "exceptions"];
    let mut tui = Tui::start(dir.path(), T0, &args, (80, 24));
    tui.wait_for("0/2 graded");
    let first = first_card_title(&tui);
    tui.send("\r");
    tui.wait_for("Strong answer");
    tui.send("3");
    tui.wait_for("1/2 graded");
    tui.send("\r");
    tui.wait_for("Strong answer");
    tui.send("q");
    let (code, screen) = tui.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("1 left in this session"), "{screen}");

    // Same day: only the card not yet graded.
    let mut tui = Tui::start(dir.path(), T0 + 60, &args, (80, 24));
    tui.wait_for("0/1 graded");
    assert!(!tui.screen().contains(&first), "graded card asked again:\n{}", tui.screen());
    tui.send("\x1b");
    let (code, _) = tui.finish();
    assert_eq!(code, 0);

    // Good on a new card is 2 days: due again then, alongside the one still new.
    let mut tui = Tui::start(dir.path(), T0 + 2 * DAY, &args, (80, 24));
    tui.wait_for("0/2 graded");
    tui.wait_for(&first);
    tui.send("\x03"); // Ctrl-C quits too, and restores the terminal
    let (code, _) = tui.finish();
    assert_eq!(code, 0);
}

fn first_card_title(tui: &Tui) -> String {
    // The header: " interview-lens quiz   0/2 graded  <title>  (level, topic)".
    let screen = tui.screen();
    let header = screen.lines().next().unwrap_or_default();
    let after = header.split("graded").nth(1).unwrap_or_default();
    after.split("  (").next().unwrap_or_default().trim().to_owned()
}

#[test]
fn quiz_says_when_the_terminal_is_too_small() {
    let dir = project(&[]);
    let mut tui = Tui::start(dir.path(), T0, &["quiz"], (60, 20));
    tui.wait_for("needs a terminal of at least 80x24");
    tui.wait_for("60x20");
    tui.send("q");
    let (code, screen) = tui.finish();
    assert_eq!(code, 0, "{screen}");
}

#[test]
fn sigterm_restores_the_terminal() {
    let dir = project(&[]);
    let mut tui = Tui::start(dir.path(), T0, &["quiz", "--limit", "1"], (80, 24));
    tui.wait_for("0/1 graded");
    assert!(tui.parser.screen().alternate_screen());
    let pid = tui.child.process_id().expect("pid") as libc::pid_t;
    // SAFETY: a plain kill(2) of the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while tui.child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "the quiz ignored SIGTERM");
        tui.pump(Duration::from_millis(50));
    }
    for _ in 0..10 {
        tui.pump(Duration::from_millis(30));
    }
    assert!(!tui.parser.screen().alternate_screen(), "still on the alternate screen:\n{}", tui.screen());
    assert!(!tui.parser.screen().hide_cursor());
}

#[test]
fn quiz_outside_a_terminal_is_a_usage_error() {
    let dir = project(&[]);
    let run = run_with(dir.path(), T0, &["quiz"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("interactive terminal program"), "{}", run.stderr);
}

#[test]
fn fsrs_intervals_for_a_scripted_sequence_of_grades() {
    let scheduler = Scheduler::new(&[]).unwrap();
    let mut card = CardRecord::new("bare-except");
    let mut now = T0;
    let mut shown = Vec::new();
    for rating in [Rating::Good, Rating::Good, Rating::Again, Rating::Good, Rating::Easy, Rating::Hard] {
        let outcome = scheduler.preview(&card, now)[rating.number() as usize - 1].clone();
        shown.push(format_interval(outcome.interval_secs));
        card = outcome.record;
        // Each review happens exactly when the card falls due.
        now = card.due;
    }
    // New card Good: the crate's documented 2.3065 days, rounded. Again is the 10-minute step; the
    // lapse shortens the next interval below the one before it; Easy stretches and Hard shortens.
    assert_eq!(shown[0], "2d");
    assert_eq!(shown[2], "10m");
    let days = |s: &str| s.trim_end_matches('d').parse::<u32>().unwrap_or(u32::MAX);
    assert!(days(&shown[1]) > 2, "{shown:?}");
    assert!(days(&shown[3]) < days(&shown[1]), "{shown:?}");
    assert!(days(&shown[4]) > days(&shown[3]), "{shown:?}");
    assert!(days(&shown[5]) >= 1, "{shown:?}");
    assert_eq!(card.lapses, 1);
    assert_eq!(card.reps, 6);
    // Pinned, so a change of crate version or of the rounding shows up here.
    assert_eq!(shown, ["2d", "11d", "10m", "2d", "8d", "16d"], "{shown:?}");
}

#[test]
fn a_corrupt_database_is_moved_aside_with_a_clear_message() {
    let dir = project(&[]);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let garbage = b"not a database: my notes from Tuesday\n".repeat(200);
    std::fs::write(data.join("progress.sqlite3"), &garbage).unwrap();
    let run = run_with(dir.path(), T0, &["progress"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("is unusable"), "{}", run.stderr);
    assert!(run.stderr.contains("moved to"), "{}", run.stderr);
    let backups: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(std::fs::read(&backups[0]).unwrap() == garbage, "the backup must hold the original bytes");
    // The next run starts a fresh database.
    assert_eq!(progress_json(dir.path(), T0)["reviews"], 0);
}

#[test]
fn a_database_of_another_program_is_moved_aside() {
    let dir = project(&[]);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let path = data.join("progress.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    let run = run_with(dir.path(), T0, &["progress", "--format", "json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("another program"), "{}", run.stderr);
    assert!(!path.exists() || rusqlite::Connection::open(&path).unwrap().prepare("SELECT name FROM recipes").is_err());
    assert_eq!(progress_json(dir.path(), T0)["reviews"], 0);
}

#[test]
fn a_database_from_a_newer_version_is_left_untouched() {
    let dir = project(&[]);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let path = data.join("progress.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 42; CREATE TABLE future (x);")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let run = run_with(dir.path(), T0, &["progress"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("newer interview-lens (schema version 42"), "{}", run.stderr);
    assert!(std::fs::read(&path).unwrap() == before, "the newer database was changed");
}

#[test]
fn two_writers_at_once() {
    let dir = project(&[]);
    let path = dir.path().join("data/progress.sqlite3");
    // Fresh file opened by several writers at once: one migrates, all write.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).expect("open");
                for i in 0..50 {
                    let mut card = CardRecord::new(&format!("card-{w}-{i}"));
                    card.memory = Some(interview_lens::practice::Memory { stability: 1.0, difficulty: 5.0 });
                    card.last_grade = Some(Rating::Good);
                    card.last_review = Some(T0 + i);
                    card.due = T0 + DAY;
                    card.reps = 1;
                    store.record_review(&card, None, "answer", 0, None).expect("write a review");
                    store
                        .record_event("bare-except", interview_lens::practice::PracticeEvent::SeenInHover)
                        .expect("event");
                }
            })
        })
        .collect();
    // And the binary reading and writing (progress --optimize saves settings) meanwhile.
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(run_with(dir.path(), T0, &["progress", "--optimize", "--format", "json"]));
    }
    for writer in writers {
        writer.join().expect("writer");
    }
    for run in runs {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.reviews().unwrap().len(), 200);
    assert_eq!(
        store.event_counts().unwrap(),
        [("bare-except".to_owned(), interview_lens::practice::PracticeEvent::SeenInHover, 200)]
    );
}

#[test]
fn progress_json_after_a_week_of_reviews_and_optimize() {
    let dir = project(&[]);
    let path = dir.path().join("data/progress.sqlite3");
    let bank = interview_lens::cards::Bank::builtin();
    {
        // A month of reviews of every card on its due day, graded Good (Again every fifth).
        let scheduler = Scheduler::new(&[]).unwrap();
        let mut store = Store::open(&path).unwrap();
        let ids: Vec<String> = bank.iter().map(|c| c.id.clone()).take(20).collect();
        for (n, id) in ids.iter().enumerate() {
            let mut card = CardRecord::new(id);
            let mut now = T0 - 40 * DAY + n as i64 * 60;
            let mut k = 0;
            while now < T0 {
                let rating = if (k + n) % 5 == 4 { Rating::Again } else { Rating::Good };
                let outcome = scheduler.preview(&card, now)[rating.number() as usize - 1].clone();
                let previous = (card.reps > 0).then(|| card.clone());
                store.record_review(&outcome.record, previous.as_ref(), "", outcome.elapsed_days, None).unwrap();
                card = outcome.record;
                now = card.due.max(now + 600);
                k += 1;
            }
        }
        store.add_exercise("bare-except", &dir.path().join("ex1.py")).unwrap();
        store.add_exercise("mutable-default-argument", &dir.path().join("ex2.py")).unwrap();
        store.finish_exercise(&dir.path().join("ex2.py")).unwrap();
    }
    let progress = progress_json(dir.path(), T0);
    let reviews = progress["reviews"].as_u64().unwrap();
    assert!(reviews > 60, "{reviews}");
    assert!(progress_json(dir.path(), T0 + 60 * DAY)["due"].as_u64().unwrap() >= 20);
    assert_eq!(progress["cards"].as_array().unwrap().len(), bank.len());
    assert_eq!(progress["exercises"]["done"], 1);
    assert_eq!(progress["exercises"]["open"], 1);
    assert!(progress["streak"]["current"].as_u64().unwrap() >= 1);
    assert_eq!(progress["optimize"]["available"], true);
    assert_eq!(progress["optimize"]["due"], true);
    let text = run_with(dir.path(), T0, &["progress"]);
    assert!(text.stdout.contains("progress --optimize"), "{}", text.stdout);

    let fitted = run_with(dir.path(), T0, &["progress", "--optimize"]);
    assert_eq!(fitted.code, 0, "{}", fitted.stderr);
    assert!(fitted.stdout.contains("Fitted FSRS parameters"), "{}", fitted.stdout);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.parameters().unwrap().len(), 21);
    let after = progress_json(dir.path(), T0);
    assert_eq!(after["optimize"]["due"], false);
    assert!(after["optimize"]["fitted_at"].is_string());
}
