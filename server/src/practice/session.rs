//! The quiz as a state machine, independent of any UI: the terminal quiz and the language server
//! both drive it. A session is a queue of cards; each is asked (`Phase::Question`), its answer
//! revealed (`Phase::Revealed`), then graded, which saves the review with the answer typed. Again
//! puts the card back at the end of the queue (its 10-minute step is shorter than a session, so
//! it is shown again once the others are done, as Anki's learn-ahead does); `undo` takes back the
//! last grade, in the database and in the queue.

use std::collections::{HashSet, VecDeque};

use serde::Serialize;

use super::schedule::{CardRecord, CardState, Rating, Scheduler, format_interval};
use super::store::{Store, StoreError, StoreResult};
use crate::cards::{Bank, Card, Level};

/// Where in the user's code a question came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// A path for the CLI, a URI for the language server.
    pub path_or_uri: String,
    /// 1-based.
    pub line: u32,
}

/// One card to ask, with the code that raised it when it came from a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuizItem {
    pub card_id: String,
    pub location: Option<Location>,
    pub excerpt: Option<String>,
}

impl QuizItem {
    pub fn card(card_id: impl Into<String>) -> QuizItem {
        QuizItem { card_id: card_id.into(), location: None, excerpt: None }
    }
}

/// How much one session and one day may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Cards never reviewed before, per practice day (Anki's default 20).
    pub new_per_day: u32,
    /// Reviews of cards past their first review, per practice day (Anki's default 200), so a
    /// backlog after a break comes back over several days.
    pub reviews_per_day: u32,
    /// At most this many cards in the session (`--limit`).
    pub max_items: Option<usize>,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits { new_per_day: 20, reviews_per_day: 200, max_items: None }
    }
}

/// Which bank cards a session draws from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Cards up to this level (as `check --level`).
    pub level: Option<Level>,
    /// A topic, by its name (any case) or its slug (`data-structures`), or one card id.
    pub topic: Option<String>,
}

impl Selection {
    pub fn matches(&self, card: &Card) -> bool {
        self.level.is_none_or(|max| card.level <= max)
            && self.topic.as_deref().is_none_or(|topic| {
                card.id == topic || card.topic.eq_ignore_ascii_case(topic) || topic_slug(&card.topic) == topic
            })
    }
}

/// `Data structures` -> `data-structures`, `Caching & memory` -> `caching-memory`.
pub fn topic_slug(topic: &str) -> String {
    let mut slug = String::with_capacity(topic.len());
    for word in topic.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_lowercase());
    }
    slug
}

/// The cards to ask today from the bank: due learning cards, then due reviews (most overdue
/// first, up to what is left of the daily review cap), then new cards in bank order (level, topic,
/// id; up to what is left of the daily new-card cap).
pub fn select_from_bank(
    store: &Store,
    bank: &Bank,
    selection: &Selection,
    limits: &SessionLimits,
    now: i64,
) -> StoreResult<Vec<QuizItem>> {
    let today_started = super::next_day_starts(now) - 86_400;
    let (new_today, reviews_today) = store.reviewed_since(today_started)?;
    let mut new_left = limits.new_per_day.saturating_sub(new_today) as usize;
    let mut reviews_left = limits.reviews_per_day.saturating_sub(reviews_today) as usize;
    let records: std::collections::HashMap<String, CardRecord> =
        store.cards()?.into_iter().map(|r| (r.card_id.clone(), r)).collect();
    let mut cards: Vec<&Card> = bank.iter().filter(|c| selection.matches(c)).collect();
    cards.sort_by(|a, b| (a.level, &a.topic, &a.id).cmp(&(b.level, &b.topic, &b.id)));

    let mut learning = Vec::new();
    let mut reviews = Vec::new();
    let mut new = Vec::new();
    for card in cards {
        match records.get(&card.id) {
            None => new.push((0, card)),
            Some(record) if record.state == CardState::New => new.push((0, card)),
            Some(record) if record.is_due(now) => {
                if record.state == CardState::Review {
                    reviews.push((record.due, card));
                } else {
                    learning.push((record.due, card));
                }
            }
            Some(_) => {}
        }
    }
    learning.sort_by_key(|(due, _)| *due);
    reviews.sort_by_key(|(due, _)| *due);
    let mut items: Vec<QuizItem> = learning.iter().map(|(_, c)| QuizItem::card(&c.id)).collect();
    for (_, card) in reviews {
        if reviews_left == 0 {
            break;
        }
        reviews_left -= 1;
        items.push(QuizItem::card(&card.id));
    }
    for (_, card) in new {
        if new_left == 0 {
            break;
        }
        new_left -= 1;
        items.push(QuizItem::card(&card.id));
    }
    if let Some(max) = limits.max_items {
        items.truncate(max);
    }
    Ok(items)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Question,
    Revealed,
    Done,
}

/// What one finished grade can take back.
struct UndoEntry {
    review_id: i64,
    queue: VecDeque<QuizItem>,
    done: usize,
    total: usize,
}

/// The counts a session ends with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Grades given, undone ones excluded.
    pub reviewed: usize,
    /// How many of each rating, Again first.
    pub ratings: [usize; 4],
    /// Cards still in the queue when the session stopped.
    pub left: usize,
}

pub struct Session {
    store: Store,
    scheduler: Scheduler,
    queue: VecDeque<QuizItem>,
    answer: Option<String>,
    done: usize,
    total: usize,
    undo: Vec<UndoEntry>,
    graded: Vec<Rating>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("queue", &self.queue).field("done", &self.done).finish()
    }
}

impl Session {
    /// A session over `items`: cards the bank does not have are dropped, a card listed twice (two
    /// findings of one rule) is asked once with its first location, and the rest are ordered by
    /// schedule: due first (most overdue first), then new, then not yet due. `limits.max_items`
    /// caps the count; the daily caps are [`select_from_bank`]'s, since items given explicitly
    /// (from your code) are what you asked to practise.
    pub fn new(store: Store, bank: &Bank, items: Vec<QuizItem>, limits: SessionLimits) -> StoreResult<Session> {
        let parameters = store.parameters()?;
        // Parameters that FSRS rejects (edited by hand) fall back to its defaults.
        let scheduler = Scheduler::new(&parameters).or_else(|_| Scheduler::new(&[])).map_err(|e| {
            StoreError::Sqlite { context: format!("FSRS parameters: {e}"), source: rusqlite::Error::InvalidQuery }
        })?;
        let now = super::now();
        let mut seen = HashSet::new();
        let mut ranked = Vec::new();
        for item in items {
            if bank.get(&item.card_id).is_none() || !seen.insert(item.card_id.clone()) {
                continue;
            }
            let rank = match store.card(&item.card_id)? {
                None => (1, 0),
                Some(record) if record.state == CardState::New => (1, 0),
                Some(record) if record.is_due(now) => (0, record.due),
                Some(record) => (2, record.due),
            };
            ranked.push((rank, item));
        }
        ranked.sort_by_key(|(rank, _)| *rank);
        let mut queue: VecDeque<QuizItem> = ranked.into_iter().map(|(_, item)| item).collect();
        if let Some(max) = limits.max_items {
            queue.truncate(max);
        }
        let total = queue.len();
        Ok(Session { store, scheduler, queue, answer: None, done: 0, total, undo: Vec::new(), graded: Vec::new() })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn phase(&self) -> Phase {
        match (self.queue.front(), &self.answer) {
            (None, _) => Phase::Done,
            (Some(_), None) => Phase::Question,
            (Some(_), Some(_)) => Phase::Revealed,
        }
    }

    /// The card being asked, or None when the session is done.
    pub fn current(&self) -> Option<&QuizItem> {
        self.queue.front()
    }

    /// Shows the answer side; `answer` is what the user typed (kept for [`Session::grade`]).
    pub fn reveal(&mut self, answer: impl Into<String>) {
        if self.queue.front().is_some() {
            self.answer = Some(answer.into());
        }
    }

    /// The answer given to [`Session::reveal`], while revealed.
    pub fn revealed_answer(&self) -> Option<&str> {
        self.answer.as_deref()
    }

    /// Grades the current card: saves the review (with `answer_text`) and its new schedule, then
    /// moves on. Again puts the card back at the end of the queue. Nothing happens when done.
    pub fn grade(&mut self, rating: Rating, answer_text: &str) -> StoreResult<()> {
        let Some(item) = self.queue.front().cloned() else { return Ok(()) };
        let now = super::now();
        let previous = self.store.card(&item.card_id)?;
        let current = previous.clone().unwrap_or_else(|| CardRecord::new(&item.card_id));
        let outcome = self.scheduler.preview(&current, now)[rating.number() as usize - 1].clone();
        let location = item.location.as_ref().map(|l| format!("{}:{}", l.path_or_uri, l.line));
        let before = UndoEntry { review_id: 0, queue: self.queue.clone(), done: self.done, total: self.total };
        let review_id = self.store.record_review(
            &outcome.record,
            previous.as_ref(),
            answer_text,
            outcome.elapsed_days,
            location.as_deref(),
        )?;
        self.undo.push(UndoEntry { review_id, ..before });
        self.graded.push(rating);
        self.queue.pop_front();
        self.done += 1;
        if rating == Rating::Again {
            self.queue.push_back(item);
            self.total += 1;
        }
        self.answer = None;
        Ok(())
    }

    /// Takes back the last grade of this session: the review is deleted, the card's schedule
    /// restored, and the card asked again. False when there is nothing to undo.
    pub fn undo(&mut self) -> StoreResult<bool> {
        let Some(entry) = self.undo.pop() else { return Ok(false) };
        self.store.undo_review(entry.review_id)?;
        self.queue = entry.queue;
        self.done = entry.done;
        self.total = entry.total;
        self.graded.pop();
        self.answer = None;
        Ok(true)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// What each rating would schedule for the current card, Again first ("10m", "3d", ...);
    /// empty strings when the session is done.
    pub fn intervals(&self) -> [String; 4] {
        let Some(item) = self.queue.front() else { return Default::default() };
        let now = super::now();
        let current = self.store.card(&item.card_id).ok().flatten().unwrap_or_else(|| CardRecord::new(&item.card_id));
        self.scheduler.preview(&current, now).map(|o| format_interval(o.interval_secs))
    }

    /// (cards graded, cards in the session): an Again adds one to both, as the card comes back.
    pub fn position(&self) -> (usize, usize) {
        (self.done, self.total)
    }

    pub fn summary(&self) -> Summary {
        let mut ratings = [0; 4];
        for rating in &self.graded {
            ratings[rating.number() as usize - 1] += 1;
        }
        Summary { reviewed: self.graded.len(), ratings, left: self.queue.len() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(items: &[&str]) -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let items = items.iter().map(|id| QuizItem::card(*id)).collect();
        let session = Session::new(store, &Bank::builtin(), items, SessionLimits::default()).unwrap();
        (dir, session)
    }

    #[test]
    fn again_comes_back_and_undo_takes_it_back() {
        let (_dir, mut s) = session(&["bare-except", "mutable-default-argument", "no-such-card", "bare-except"]);
        assert_eq!(s.position(), (0, 2));
        assert_eq!(s.phase(), Phase::Question);
        assert_eq!(s.current().unwrap().card_id, "bare-except");
        s.reveal("catches everything");
        assert_eq!(s.phase(), Phase::Revealed);
        assert_eq!(s.intervals()[0], "10m");
        s.grade(Rating::Again, "catches everything").unwrap();
        assert_eq!(s.position(), (1, 3));
        assert_eq!(s.current().unwrap().card_id, "mutable-default-argument");
        s.grade(Rating::Good, "").unwrap();
        assert_eq!(s.current().unwrap().card_id, "bare-except");
        assert!(s.undo().unwrap());
        assert_eq!(s.current().unwrap().card_id, "mutable-default-argument");
        assert_eq!(s.store().card("mutable-default-argument").unwrap(), None);
        s.grade(Rating::Easy, "").unwrap();
        s.grade(Rating::Good, "better").unwrap();
        assert_eq!(s.phase(), Phase::Done);
        assert_eq!(s.position(), (3, 3));
        let summary = s.summary();
        assert_eq!(summary.ratings, [1, 0, 1, 1]);
        let log = s.store().reviews().unwrap();
        assert_eq!(log.len(), 3);
        assert_eq!(log[0].answer, "catches everything");
    }

    #[test]
    fn daily_caps_hold_back_new_cards() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.sqlite3")).unwrap();
        let limits = SessionLimits { new_per_day: 3, reviews_per_day: 10, max_items: None };
        let bank = Bank::builtin();
        let items = select_from_bank(&store, &bank, &Selection::default(), &limits, super::super::now()).unwrap();
        assert_eq!(items.len(), 3);
        let mut s = Session::new(store, &bank, items, limits).unwrap();
        s.grade(Rating::Good, "").unwrap();
        let left = select_from_bank(s.store(), &bank, &Selection::default(), &limits, super::super::now()).unwrap();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn topics_match_by_name_or_slug() {
        assert_eq!(topic_slug("Caching & memory"), "caching-memory");
        let bank = Bank::builtin();
        let by_slug = Selection { topic: Some("exceptions".into()), ..Default::default() };
        assert!(bank.iter().filter(|c| by_slug.matches(c)).count() >= 2);
    }
}
