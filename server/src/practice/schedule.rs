//! Scheduling with FSRS (the `fsrs` crate, the model Anki's scheduler uses).
//!
//! The crate gives the memory state (stability, difficulty) after each possible rating and the
//! interval that keeps recall at the desired retention. Around it, as Anki does: Again puts the
//! card into (re)learning with a 10-minute step, so it comes back later in the same session;
//! Hard/Good/Easy make it a review card due in whole days, with Hard <= Good < Easy enforced so the
//! four keys always mean what they say.

use fsrs::{FSRS, MemoryState};
use serde::Serialize;

use super::day_number;

/// The four FSRS ratings, as Anki's answer keys 1-4 (serialised as that number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn from_number(n: u32) -> Option<Rating> {
        match n {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u32 {
        self as u32
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

/// Where a card is in its life, as Anki names the states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    New,
    Learning,
    Review,
    Relearning,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning => "learning",
            CardState::Review => "review",
            CardState::Relearning => "relearning",
        }
    }

    pub fn parse(text: &str) -> Option<CardState> {
        match text {
            "new" => Some(CardState::New),
            "learning" => Some(CardState::Learning),
            "review" => Some(CardState::Review),
            "relearning" => Some(CardState::Relearning),
            _ => None,
        }
    }
}

/// FSRS's memory state of one card.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

/// A card's scheduling state as stored (one row per card id).
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct CardRecord {
    pub card_id: String,
    pub state: CardState,
    pub memory: Option<Memory>,
    /// Unix seconds. For review cards only the day it falls in matters (see [`CardRecord::is_due`]).
    pub due: i64,
    pub last_review: Option<i64>,
    pub reps: u32,
    pub lapses: u32,
    pub last_grade: Option<Rating>,
}

impl Serialize for Rating {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.number())
    }
}

impl<'de> serde::Deserialize<'de> for Rating {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
        let n = u32::deserialize(d)?;
        Rating::from_number(n).ok_or_else(|| serde::de::Error::custom(format!("unknown rating {n}")))
    }
}

impl CardRecord {
    pub fn new(card_id: &str) -> CardRecord {
        CardRecord {
            card_id: card_id.to_owned(),
            state: CardState::New,
            memory: None,
            due: 0,
            last_review: None,
            reps: 0,
            lapses: 0,
            last_grade: None,
        }
    }

    /// Learning steps are due by the minute; review cards on their day, as in Anki.
    pub fn is_due(&self, now: i64) -> bool {
        match self.state {
            CardState::New => false,
            CardState::Learning | CardState::Relearning => self.due <= now,
            CardState::Review => day_number(self.due) <= day_number(now),
        }
    }
}

/// What one rating would do to a card.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub rating: Rating,
    pub record: CardRecord,
    /// Seconds from now until the card is due again.
    pub interval_secs: i64,
    /// Whole days between the previous review and this one, as FSRS counts them.
    pub elapsed_days: u32,
}

/// The step after Again (and the only learning step): short enough to come back in the session.
pub const RELEARN_STEP_SECS: i64 = 10 * 60;
/// The retention FSRS aims for (Anki's default).
pub const DESIRED_RETENTION: f32 = 0.9;
/// Anki's default maximum interval.
pub const MAXIMUM_INTERVAL_DAYS: u32 = 36_500;

pub struct Scheduler {
    fsrs: FSRS,
}

impl Scheduler {
    /// `parameters`: the user's fitted parameters, or empty for FSRS's defaults.
    pub fn new(parameters: &[f32]) -> Result<Scheduler, fsrs::FSRSError> {
        Ok(Scheduler { fsrs: FSRS::new(parameters)? })
    }

    /// What each of the four ratings would do to `card` (a fresh record for a card never seen).
    pub fn preview(&self, card: &CardRecord, now: i64) -> [Outcome; 4] {
        let elapsed_days = match card.last_review {
            Some(last) => (day_number(now) - day_number(last)).max(0) as u32,
            None => 0,
        };
        let memory = card.memory.map(|m| MemoryState { stability: m.stability, difficulty: m.difficulty });
        let next = self
            .fsrs
            .next_states(memory, DESIRED_RETENTION, elapsed_days)
            // A state FSRS rejects (a corrupted row) starts the card afresh rather than failing.
            .or_else(|_| self.fsrs.next_states(None, DESIRED_RETENTION, 0));
        let states = match next {
            Ok(next) => [next.again, next.hard, next.good, next.easy],
            Err(_) => {
                let blank = fsrs::ItemState { memory: MemoryState { stability: 1.0, difficulty: 5.0 }, interval: 1.0 };
                [blank.clone(), blank.clone(), blank.clone(), blank]
            }
        };
        let days = |state: &fsrs::ItemState| -> u32 {
            (state.interval.round() as i64).clamp(1, MAXIMUM_INTERVAL_DAYS as i64) as u32
        };
        let mut hard = days(&states[1]);
        let mut good = days(&states[2]);
        let mut easy = days(&states[3]);
        hard = hard.min(good);
        if good <= hard && card.state == CardState::Review {
            good = (hard + 1).min(MAXIMUM_INTERVAL_DAYS);
        }
        good = good.max(hard);
        if easy <= good {
            easy = (good + 1).min(MAXIMUM_INTERVAL_DAYS);
        }
        let interval_days = [0, hard, good, easy];
        std::array::from_fn(|i| {
            let rating = Rating::ALL[i];
            let state = &states[i];
            let mut record = card.clone();
            record.memory = Some(Memory { stability: state.memory.stability, difficulty: state.memory.difficulty });
            record.last_review = Some(now);
            record.reps += 1;
            record.last_grade = Some(rating);
            let interval_secs = if rating == Rating::Again {
                record.state = match card.state {
                    CardState::Review | CardState::Relearning => CardState::Relearning,
                    CardState::New | CardState::Learning => CardState::Learning,
                };
                if card.state == CardState::Review {
                    record.lapses += 1;
                }
                RELEARN_STEP_SECS
            } else {
                record.state = CardState::Review;
                i64::from(interval_days[i]) * 86_400
            };
            record.due = now + interval_secs;
            Outcome { rating, record, interval_secs, elapsed_days }
        })
    }
}

/// An interval as Anki's buttons show it: `10m`, `3h`, `4d`, `1.5mo`, `2.1y`.
pub fn format_interval(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 3600 {
        return format!("{}m", (secs / 60).max(1));
    }
    if secs < 86_400 {
        return format!("{}h", secs / 3600);
    }
    let days = secs as f64 / 86_400.0;
    if days < 30.0 {
        return format!("{}d", days.round() as i64);
    }
    if days < 365.0 {
        return trim_decimal(days / 30.0, "mo");
    }
    trim_decimal(days / 365.0, "y")
}

fn trim_decimal(value: f64, unit: &str) -> String {
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}{unit}")
}

/// `fsrs::compute_parameters` returns its defaults unchanged below this many training items (a
/// review more than a day after the card's previous one, with that card's history before it);
/// from 64 it fits every parameter, in between only the first stabilities.
pub const MIN_TRAINING_ITEMS: usize = 8;

/// The review log as FSRS training items: for each review that came a day or more after the
/// card's previous one, the card's history up to and including it.
pub fn training_items(reviews: &[super::store::ReviewRecord]) -> Vec<fsrs::FSRSItem> {
    let mut by_card: std::collections::BTreeMap<&str, Vec<&super::store::ReviewRecord>> = Default::default();
    for review in reviews {
        by_card.entry(review.card_id.as_str()).or_default().push(review);
    }
    let mut items = Vec::new();
    for history in by_card.values_mut() {
        history.sort_by_key(|r| (r.reviewed_at, r.id));
        let mut so_far: Vec<fsrs::FSRSReview> = Vec::with_capacity(history.len());
        let mut last_day = None;
        for review in history.iter() {
            let day = day_number(review.reviewed_at);
            let delta_t = last_day.map_or(0, |last: i64| (day - last).max(0) as u32);
            last_day = Some(day);
            so_far.push(fsrs::FSRSReview { rating: review.grade.number(), delta_t });
            if delta_t > 0 {
                items.push(fsrs::FSRSItem { reviews: so_far.clone() });
            }
        }
    }
    items
}

/// Fits the user's FSRS parameters to `items` ([`training_items`]); None below
/// [`MIN_TRAINING_ITEMS`].
pub fn fit_parameters(items: Vec<fsrs::FSRSItem>) -> Option<Result<Vec<f32>, fsrs::FSRSError>> {
    if items.len() < MIN_TRAINING_ITEMS {
        return None;
    }
    Some(fsrs::compute_parameters(fsrs::ComputeParametersInput { train_set: items, ..Default::default() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn a_new_card_again_comes_back_in_minutes_and_good_in_days() {
        let scheduler = Scheduler::new(&[]).unwrap();
        let outcomes = scheduler.preview(&CardRecord::new("x"), 1_000_000);
        assert_eq!(outcomes[0].interval_secs, RELEARN_STEP_SECS);
        assert_eq!(outcomes[0].record.state, CardState::Learning);
        assert!(outcomes[2].interval_secs >= DAY, "{outcomes:?}");
        assert!(outcomes[1].interval_secs <= outcomes[2].interval_secs);
        assert!(outcomes[2].interval_secs < outcomes[3].interval_secs);
        assert!(outcomes.iter().all(|o| o.record.reps == 1));
    }

    #[test]
    fn good_reviews_grow_the_interval_and_a_lapse_shrinks_it() {
        let scheduler = Scheduler::new(&[]).unwrap();
        let mut card = CardRecord::new("x");
        let mut now = 10 * DAY;
        let mut previous = 0;
        for _ in 0..4 {
            let good = scheduler.preview(&card, now)[2].clone();
            assert!(good.interval_secs > previous, "{good:?}");
            previous = good.interval_secs;
            card = good.record;
            now = card.due;
        }
        let again = scheduler.preview(&card, now)[0].clone();
        assert_eq!(again.record.state, CardState::Relearning);
        assert_eq!(again.record.lapses, 1);
        let after = scheduler.preview(&again.record, again.record.due)[2].clone();
        assert!(after.interval_secs < previous, "{after:?} vs {previous}");
    }

    #[test]
    fn intervals_read_like_ankis() {
        assert_eq!(format_interval(600), "10m");
        assert_eq!(format_interval(3 * DAY), "3d");
        assert_eq!(format_interval(45 * DAY), "1.5mo");
        assert_eq!(format_interval(60 * DAY), "2mo");
        assert_eq!(format_interval(800 * DAY), "2.2y");
    }
}
