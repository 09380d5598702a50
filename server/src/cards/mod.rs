//! The question bank: cards, their loading and validation, and rendering for hovers and terminals.

mod parse;
mod render;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::bounded_read::{CARD_LIMIT, read_bounded};
pub use parse::parse_card;
pub use render::{render_compact, render_markdown, render_terminal, safe_markdown};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_cards.rs"));
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Junior,
    Mid,
    Senior,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "junior" => Some(Level::Junior),
            "mid" => Some(Level::Mid),
            "senior" => Some(Level::Senior),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A rule reports it.
    RedFlag,
    /// Shown when hovering a construct that is fine.
    Concept,
    /// No code tie: practice material only.
    Practice,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RedFlag => "red-flag",
            Kind::Concept => "concept",
            Kind::Practice => "practice",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Example {
    /// Red-flag cards: the code the rule reports.
    pub flagged: Option<String>,
    /// Red-flag cards: the rewrite a strong candidate writes.
    pub better: Option<String>,
    /// Concept and practice cards: one snippet.
    pub code: Option<String>,
    /// Practice cards only, instead of `code`: a Markdown checklist (a design sketch, the points a
    /// behavioural story should cover) where no code can show the topic.
    pub checklist: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub kind: Kind,
    pub topic: String,
    pub question: String,
    pub references: Vec<String>,
    pub strong_answer: String,
    pub red_flag: String,
    pub scoring: String,
    pub follow_ups: String,
    pub example: Example,
    /// Where the card came from: `built-in questions/<file>` or a file path.
    pub origin: String,
}

/// A card file that could not be loaded (or, for an id that replaces another card, a notice), with
/// the line the problem is on; line 0 when it concerns the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardError {
    pub origin: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.origin, self.message),
            line => write!(f, "{}:{line}: {}", self.origin, self.message),
        }
    }
}

/// The origin of a built-in card, as messages name it.
fn builtin_origin(file: &str) -> String {
    format!("built-in questions/{file}")
}

#[derive(Clone, Debug, Default)]
pub struct Bank {
    cards: BTreeMap<String, Card>,
}

impl Bank {
    /// The cards compiled into the binary. They are validated by the test suite, so a failure here
    /// is a build defect; such a card is skipped rather than taking the program down.
    pub fn builtin() -> Bank {
        let mut bank = Bank::default();
        for (file, text) in embedded::EMBEDDED {
            if let Ok(card) = parse_card(file, text, &builtin_origin(file)) {
                bank.cards.insert(card.id.clone(), card);
            }
        }
        bank
    }

    /// Errors of the built-in cards (for tests and `cards --check`).
    pub fn builtin_errors() -> Vec<CardError> {
        embedded::EMBEDDED.iter().filter_map(|(file, text)| parse_card(file, text, file).err()).collect()
    }

    pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
        embedded::EMBEDDED
    }

    /// The built-in cards, then every folder in `dirs` in order (a later card with the same id
    /// wins). What every command and the language server load; the errors are for the user.
    pub fn with_folders(dirs: &[PathBuf]) -> (Bank, Vec<CardError>) {
        let mut bank = Bank::builtin();
        let errors = dirs.iter().flat_map(|dir| bank.load_dir(dir)).collect();
        (bank, errors)
    }

    /// Adds every `*.md` card in `dir`. A card with the id of one already loaded (built-in or from
    /// an earlier folder) replaces it, so mentors can override, and is reported naming both files.
    /// Malformed files, and entries that are not regular files (a FIFO, a link to a device) or are
    /// over [`CARD_LIMIT`], are reported and skipped; the others still load.
    pub fn load_dir(&mut self, dir: &Path) -> Vec<CardError> {
        let mut errors = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(CardError {
                    origin: dir.display().to_string(),
                    line: 0,
                    message: format!("cannot read card folder: {err}"),
                });
                return errors;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && p.file_name().is_some_and(|n| n != "FORMAT.md" && n != "README.md")
            })
            .collect();
        paths.sort();
        for path in paths {
            let origin = path.display().to_string();
            let text = match read_bounded(&path, CARD_LIMIT) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(_) => {
                        errors.push(CardError { origin, line: 0, message: "not UTF-8 text; skipped".into() });
                        continue;
                    }
                },
                Err(err) => {
                    errors.push(CardError { origin, line: 0, message: err.to_string() });
                    continue;
                }
            };
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match parse_card(&file, &text, &origin) {
                Ok(card) => {
                    if let Some(previous) = self.cards.get(&card.id) {
                        let id_line = text.lines().position(|l| l.trim_start().starts_with("id")).map_or(0, |i| i + 1);
                        errors.push(CardError {
                            origin: origin.clone(),
                            line: id_line,
                            message: format!(
                                "card `{}` replaces the one in {} (the later folder's card is used)",
                                card.id, previous.origin
                            ),
                        });
                    }
                    self.cards.insert(card.id.clone(), card);
                }
                Err(err) => errors.push(err),
            }
        }
        errors
    }

    pub fn get(&self, id: &str) -> Option<&Card> {
        self.cards.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Card> {
        self.cards.values()
    }

    pub fn len(&self) -> usize {
        self.cards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    /// The ids closest to `id`, for "did you mean" hints.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        if let Some(prefixed) = self.cards.keys().find(|k| !id.is_empty() && (k.starts_with(id) || k.contains(id))) {
            return Some(prefixed);
        }
        let limit = (id.len() / 3).max(3);
        self.cards
            .keys()
            .map(|k| (strsim::levenshtein(k, id), k.as_str()))
            .filter(|(d, _)| *d <= limit)
            .min()
            .map(|(_, k)| k)
    }
}
