//! `interview-lens progress`: what you have practised, by level and topic; what is due; exercises;
//! a streak; and fitting your own FSRS parameters (`--optimize`) once the review log allows.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::report::to_inert_pretty;
use super::terminal::{error, inert_line};
use super::{CardsFormat, cards_layer, load_bank, settings_here};
use crate::cards::{Card, Level};
use crate::practice::schedule::{MIN_TRAINING_ITEMS, fit_parameters, training_items};
use crate::practice::{self, CardRecord, CardState, PracticeEvent, Store};

#[derive(clap::Args)]
pub struct ProgressArgs {
    #[arg(long, value_enum, default_value = "text")]
    format: CardsFormat,
    /// Fit your own FSRS parameters to your review log (once it is long enough).
    #[arg(long)]
    optimize: bool,
    /// Extra card folder (repeatable).
    #[arg(long)]
    cards: Vec<PathBuf>,
}

const FITTED_AT: &str = "fsrs-fitted-at";
const FITTED_ITEMS: &str = "fsrs-fitted-items";
/// Re-fitting is offered when the log has grown by this factor since the last fit, or after a
/// month with new reviews (Anki suggests monthly).
const REFIT_GROWTH: f64 = 1.5;
const REFIT_AFTER_DAYS: i64 = 30;

pub fn run(args: ProgressArgs) -> ExitCode {
    let settings = settings_here(cards_layer(&args.cards));
    let bank = load_bank(&settings.cards);
    let mut store = match Store::open_default() {
        Ok(store) => store,
        Err(e) => {
            error(e);
            return ExitCode::from(2);
        }
    };
    let now = practice::now();
    let loaded = (|| -> practice::StoreResult<_> {
        Ok((store.cards()?, store.reviews()?, store.exercises()?, store.event_counts()?, store.activity_times()?))
    })();
    let (records, reviews, exercises, events, activity) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            error(e);
            return ExitCode::from(2);
        }
    };
    let items = training_items(&reviews);
    let mut fitted_note = None;
    if args.optimize {
        match optimize(&mut store, items.clone(), now) {
            Ok(note) => fitted_note = Some(note),
            Err(message) => {
                error(message);
                return ExitCode::from(2);
            }
        }
    }
    let optimize_state = optimize_state(&store, items.len(), now);

    let records: HashMap<&str, &CardRecord> = records.iter().map(|r| (r.card_id.as_str(), r)).collect();
    let mut grades: HashMap<&str, [u64; 4]> = HashMap::new();
    for review in &reviews {
        grades.entry(review.card_id.as_str()).or_default()[review.grade.number() as usize - 1] += 1;
    }
    let mut hovered: HashMap<&str, u64> = HashMap::new();
    let mut fixed: HashMap<&str, u64> = HashMap::new();
    for (card, event, count) in &events {
        match event {
            PracticeEvent::SeenInHover => *hovered.entry(card.as_str()).or_default() += count,
            PracticeEvent::FixedFinding => *fixed.entry(card.as_str()).or_default() += count,
        }
    }
    let mut cards: Vec<&Card> = bank.iter().collect();
    cards.sort_by(|a, b| (a.level, &a.topic, &a.id).cmp(&(b.level, &b.topic, &b.id)));

    let mut groups: BTreeMap<(Level, String), Group> = BTreeMap::new();
    let mut total = Group::default();
    for card in &cards {
        let record = records.get(card.id.as_str()).copied();
        let card_grades = grades.get(card.id.as_str()).copied().unwrap_or_default();
        let reviewed = record.is_some_and(|r| r.reps > 0);
        let seen = reviewed || hovered.contains_key(card.id.as_str()) || fixed.contains_key(card.id.as_str());
        let due = record.is_some_and(|r| r.is_due(now));
        for group in [groups.entry((card.level, card.topic.clone())).or_default(), &mut total] {
            group.cards += 1;
            group.seen += u64::from(seen);
            group.reviewed += u64::from(reviewed);
            group.due += u64::from(due);
            for (sum, n) in group.grades.iter_mut().zip(card_grades) {
                *sum += n;
            }
        }
    }
    let done = exercises.iter().filter(|e| e.done_at.is_some()).count();
    let open = exercises.len() - done;
    let streak = Streak::from_times(&activity, now);

    let mut out = String::new();
    match args.format {
        CardsFormat::Json => {
            let per_card: Vec<_> = cards
                .iter()
                .map(|card| {
                    let record = records.get(card.id.as_str()).copied();
                    json!({
                        "id": card.id,
                        "level": card.level,
                        "topic": card.topic,
                        "state": record.map_or(CardState::New, |r| r.state),
                        "due": record.filter(|r| r.reps > 0).map(|r| rfc3339(r.due)),
                        "is_due": record.is_some_and(|r| r.is_due(now)),
                        "last_grade": record.and_then(|r| r.last_grade),
                        "reviews": record.map_or(0, |r| r.reps),
                        "lapses": record.map_or(0, |r| r.lapses),
                        "seen_in_hover": hovered.get(card.id.as_str()).copied().unwrap_or(0),
                        "fixed_findings": fixed.get(card.id.as_str()).copied().unwrap_or(0),
                    })
                })
                .collect();
            let groups_json: Vec<_> = groups
                .iter()
                .map(|((level, topic), g)| {
                    let mut value = g.json();
                    value["level"] = json!(level);
                    value["topic"] = json!(topic);
                    value
                })
                .collect();
            let mut by_level: BTreeMap<Level, Group> = BTreeMap::new();
            for ((level, _), g) in &groups {
                by_level.entry(*level).or_default().add(g);
            }
            let levels_json: Vec<_> = by_level
                .iter()
                .map(|(level, g)| {
                    let mut value = g.json();
                    value["level"] = json!(level);
                    value
                })
                .collect();
            let value = json!({
                "reviews": reviews.len(),
                "due": total.due,
                "cards": per_card,
                "exercises": {
                    "done": done,
                    "open": open,
                    "items": exercises,
                },
                "totals": total.json(),
                "levels": levels_json,
                "topics": groups_json,
                "streak": {"current": streak.current, "longest": streak.longest, "practised_today": streak.today},
                "optimize": optimize_state.json(fitted_note.as_deref()),
                "database": store.path().display().to_string(),
            });
            let _ = writeln!(out, "{}", to_inert_pretty(&value));
        }
        CardsFormat::Text => {
            if let Some(note) = &fitted_note {
                let _ = writeln!(out, "{note}\n");
            }
            let _ = writeln!(
                out,
                "{} reviews · {} cards due · {} of {} cards reviewed · exercises: {done} done, {open} open",
                reviews.len(),
                total.due,
                total.reviewed,
                total.cards
            );
            let _ = writeln!(out, "streak: {} ({})", streak.describe(), "one missed day does not break it");
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{:<7} {:<28} {:>5} {:>5} {:>8} {:>4}  grades (again/hard/good/easy)",
                "level", "topic", "cards", "seen", "reviewed", "due"
            );
            for ((level, topic), g) in &groups {
                let [a, h, go, e] = g.grades;
                let _ = writeln!(
                    out,
                    "{:<7} {:<28} {:>5} {:>5} {:>8} {:>4}  {a}/{h}/{go}/{e}",
                    level.as_str(),
                    inert_line(topic),
                    g.cards,
                    g.seen,
                    g.reviewed,
                    g.due
                );
            }
            if !exercises.is_empty() {
                let _ = writeln!(out);
                let _ = writeln!(out, "exercises:");
                for exercise in &exercises {
                    let state = if exercise.done_at.is_some() { "done" } else { "open" };
                    let _ = writeln!(out, "  {state:<4}  {:<28} {}", exercise.card_id, inert_line(&exercise.path));
                }
            }
            if let Some(offer) = optimize_state.offer() {
                let _ = writeln!(out);
                let _ = writeln!(out, "{offer}");
            }
        }
    }
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

#[derive(Default, Clone)]
struct Group {
    cards: u64,
    seen: u64,
    reviewed: u64,
    due: u64,
    grades: [u64; 4],
}

impl Group {
    fn add(&mut self, other: &Group) {
        self.cards += other.cards;
        self.seen += other.seen;
        self.reviewed += other.reviewed;
        self.due += other.due;
        for (a, b) in self.grades.iter_mut().zip(other.grades) {
            *a += b;
        }
    }

    fn json(&self) -> serde_json::Value {
        let [again, hard, good, easy] = self.grades;
        json!({
            "cards": self.cards, "seen": self.seen, "reviewed": self.reviewed, "due": self.due,
            "grades": {"again": again, "hard": hard, "good": good, "easy": easy},
        })
    }
}

/// Practice days in a row, where a single missed day between two practice days is forgiven
/// (two in a row end the streak). `current` counts the days practised in the running streak.
struct Streak {
    current: u64,
    longest: u64,
    today: bool,
}

impl Streak {
    fn from_times(times: &[i64], now: i64) -> Streak {
        let mut days: Vec<i64> = times.iter().map(|&t| practice::day_number(t)).collect();
        days.sort_unstable();
        days.dedup();
        let today = practice::day_number(now);
        let (mut run, mut longest, mut previous) = (0u64, 0u64, None::<i64>);
        for &day in &days {
            run = match previous {
                Some(p) if day - p <= 2 => run + 1,
                _ => 1,
            };
            longest = longest.max(run);
            previous = Some(day);
        }
        let current = match previous {
            Some(last) if today - last <= 2 => run,
            _ => 0,
        };
        Streak { current, longest, today: days.last() == Some(&today) }
    }

    fn describe(&self) -> String {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let mut text = format!("{} practice day{}", self.current, plural(self.current));
        if self.longest > self.current {
            text.push_str(&format!(", longest {} day{}", self.longest, plural(self.longest)));
        }
        text.push_str(if self.today { ", practised today" } else { ", not yet today" });
        text
    }
}

struct OptimizeState {
    items: usize,
    fitted_at: Option<i64>,
    fitted_items: usize,
    now: i64,
}

impl OptimizeState {
    fn available(&self) -> bool {
        self.items >= MIN_TRAINING_ITEMS
    }

    /// Worth running: enough data, and never fitted, or the log grew or a month passed since.
    fn due(&self) -> bool {
        if !self.available() {
            return false;
        }
        match self.fitted_at {
            None => true,
            Some(at) => {
                self.items as f64 >= self.fitted_items as f64 * REFIT_GROWTH
                    || (self.now - at >= REFIT_AFTER_DAYS * 86_400 && self.items > self.fitted_items)
            }
        }
    }

    fn offer(&self) -> Option<String> {
        self.due().then(|| {
            format!(
                "Your review log ({} reviews after a day or more) is enough to fit FSRS to your own memory: run `interview-lens progress --optimize`.",
                self.items
            )
        })
    }

    fn json(&self, fitted_now: Option<&str>) -> serde_json::Value {
        json!({
            "training_reviews": self.items,
            "minimum": MIN_TRAINING_ITEMS,
            "available": self.available(),
            "due": self.due(),
            "fitted_at": self.fitted_at.map(rfc3339),
            "result": fitted_now,
        })
    }
}

fn optimize_state(store: &Store, items: usize, now: i64) -> OptimizeState {
    let number = |key| store.setting(key).ok().flatten().and_then(|v| v.parse::<i64>().ok());
    OptimizeState {
        items,
        fitted_at: number(FITTED_AT),
        fitted_items: number(FITTED_ITEMS).unwrap_or(0).max(0) as usize,
        now,
    }
}

/// Fits and saves the parameters; the sentence to print.
fn optimize(store: &mut Store, items: Vec<fsrs::FSRSItem>, now: i64) -> Result<String, String> {
    let count = items.len();
    let Some(result) = fit_parameters(items) else {
        return Ok(format!(
            "Not enough reviews to fit FSRS yet: {count} of the {MIN_TRAINING_ITEMS} needed (a review counts when it comes a day or more after the card's previous one). The default parameters stay."
        ));
    };
    let parameters = result.map_err(|e| format!("fitting FSRS parameters failed: {e}"))?;
    let save = (|| {
        store.set_parameters(&parameters)?;
        store.set_setting(FITTED_AT, &now.to_string())?;
        store.set_setting(FITTED_ITEMS, &count.to_string())
    })();
    save.map_err(|e| e.to_string())?;
    Ok(format!("Fitted FSRS parameters to {count} reviews; the quiz schedules with them from now on."))
}

/// `2026-03-04T09:30:00Z` from Unix seconds (UTC).
fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_825_600), "2000-02-29T12:00:00Z");
    }

    #[test]
    fn one_missed_day_keeps_the_streak() {
        let day = 86_400;
        let base = 1_700_000_000 - 1_700_000_000 % day + 12 * 3600;
        // days 0, 1, 3 (day 2 missed), then today = day 4
        let times = [base, base + day, base + 3 * day];
        let streak = Streak::from_times(&times, base + 4 * day);
        assert_eq!((streak.current, streak.longest, streak.today), (3, 3, false));
        // two missed days end it
        let streak = Streak::from_times(&times, base + 6 * day);
        assert_eq!(streak.current, 0);
    }
}
