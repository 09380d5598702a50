//! The quiz over `workspace/executeCommand` (`interviewLens.quiz.*`): the practice session the
//! terminal quiz uses, held by the server per session id, answered as a QuizView JSON object that
//! VS Code's webview and Neovim's float both render. Sessions open the practice store, so the
//! commands run on the blocking pool.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Error;

use crate::cards::{Bank, safe_markdown};
use crate::practice::{Location, Phase, QuizItem, Rating, Selection, Session, SessionLimits, Store, select_from_bank};

pub const START: &str = "interviewLens.quiz.start";
pub const REVEAL: &str = "interviewLens.quiz.reveal";
pub const GRADE: &str = "interviewLens.quiz.grade";
pub const UNDO: &str = "interviewLens.quiz.undo";
pub const COMMANDS: [&str; 4] = [START, REVEAL, GRADE, UNDO];

/// A session from findings asks at most this many cards, as the terminal quiz's default does.
const FROM_CODE_LIMIT: usize = 20;
/// Sessions a client left open (a closed panel) are dropped oldest first beyond this.
const MAX_SESSIONS: usize = 16;

#[derive(Default)]
pub struct Quizzes {
    sessions: Mutex<HashMap<String, (u64, Session)>>,
    next: AtomicU64,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid_params(message.into())
}

fn store_error(err: impl std::fmt::Display) -> Error {
    Error { code: tower_lsp_server::jsonrpc::ErrorCode::InternalError, message: err.to_string().into(), data: None }
}

impl Quizzes {
    /// Runs one `interviewLens.quiz.*` command. Blocking (SQLite): call from the blocking pool.
    pub fn execute(&self, command: &str, argument: Option<&Value>, bank: &Bank) -> Result<Value, Error> {
        let argument = argument.ok_or_else(|| invalid(format!("`{command}` takes one object argument")))?;
        if command == START {
            return self.start(argument, bank);
        }
        let id = argument
            .get("session")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("`{command}` needs a \"session\" id")))?;
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let (_, session) = sessions
            .get_mut(id)
            .ok_or_else(|| invalid(format!("no quiz session `{id}` (it ended or the server restarted)")))?;
        match command {
            REVEAL => {
                if session.phase() == Phase::Question {
                    let answer = argument.get("answer").and_then(Value::as_str).unwrap_or_default();
                    session.reveal(answer);
                }
            }
            GRADE => {
                let rating = argument
                    .get("rating")
                    .and_then(Value::as_u64)
                    .and_then(|n| Rating::from_number(n as u32))
                    .ok_or_else(|| invalid("\"rating\" is 1 (again), 2 (hard), 3 (good) or 4 (easy)"))?;
                if session.phase() != Phase::Revealed {
                    return Err(invalid("reveal the answer before grading it"));
                }
                let answer = session.revealed_answer().unwrap_or_default().to_string();
                session.grade(rating, &answer).map_err(store_error)?;
            }
            UNDO => {
                session.undo().map_err(store_error)?;
            }
            other => return Err(invalid(format!("unknown command `{other}`"))),
        }
        Ok(view(id, session, bank))
    }

    fn start(&self, argument: &Value, bank: &Bank) -> Result<Value, Error> {
        let store = Store::open_default().map_err(store_error)?;
        let (items, limits) = match argument.get("cards").and_then(Value::as_array) {
            Some(cards) => {
                let items = cards.iter().filter_map(item).collect::<Vec<_>>();
                (items, SessionLimits { max_items: Some(FROM_CODE_LIMIT), ..SessionLimits::default() })
            }
            None => {
                let level = match argument.get("level").and_then(Value::as_str) {
                    Some(text) => Some(
                        crate::cards::Level::parse(text)
                            .ok_or_else(|| invalid(format!("level `{text}` is not junior, mid or senior")))?,
                    ),
                    None => None,
                };
                let topic = argument.get("topic").and_then(Value::as_str).map(str::to_string);
                let limits = SessionLimits {
                    max_items: argument.get("limit").and_then(Value::as_u64).map(|n| n as usize),
                    ..SessionLimits::default()
                };
                let selection = Selection { level, topic };
                let items =
                    select_from_bank(&store, bank, &selection, &limits, crate::practice::now()).map_err(store_error)?;
                (items, limits)
            }
        };
        let session = Session::new(store, bank, items, limits).map_err(store_error)?;
        let serial = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let id = format!("quiz-{serial}");
        let reply = view(&id, &session, bank);
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        while sessions.len() >= MAX_SESSIONS {
            let oldest = sessions.iter().min_by_key(|(_, (n, _))| *n).map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            sessions.remove(&oldest);
        }
        sessions.insert(id, (serial, session));
        Ok(reply)
    }
}

/// `{"id", "uri", "line", "excerpt"}` from a code lens (line 1-based).
fn item(card: &Value) -> Option<QuizItem> {
    let id = card.get("id")?.as_str()?.to_string();
    let location = match (card.get("uri").and_then(Value::as_str), card.get("line").and_then(Value::as_u64)) {
        (Some(uri), Some(line)) => Some(Location { path_or_uri: uri.to_string(), line: line as u32 }),
        _ => None,
    };
    let excerpt = card.get("excerpt").and_then(Value::as_str).map(str::to_string);
    Some(QuizItem { card_id: id, location, excerpt })
}

/// Follow-ups as a list of questions: the card's `- ` items.
fn follow_ups(text: &str) -> Vec<String> {
    let items: Vec<String> =
        text.lines().filter_map(|l| l.trim_start().strip_prefix("- ")).map(|l| safe_markdown(l.trim())).collect();
    if items.is_empty() { vec![safe_markdown(text)] } else { items }
}

/// The QuizView of the practice contract. Card text is made inert Markdown (`safe_markdown`),
/// since user card folders feed it; excerpts are code, which clients show as code.
pub fn view(id: &str, session: &Session, bank: &Bank) -> Value {
    let (done, total) = session.position();
    let phase = session.phase();
    let state = match phase {
        Phase::Question => "question",
        Phase::Revealed => "revealed",
        Phase::Done => "done",
    };
    let mut out =
        json!({"session": id, "state": state, "position": done, "total": total, "canUndo": session.can_undo()});
    if let Some(item) = session.current()
        && let Some(card) = bank.get(&item.card_id)
    {
        let mut shown = json!({
            "id": card.id,
            "title": safe_markdown(&card.title),
            "level": card.level,
            "topic": safe_markdown(&card.topic),
            "question": safe_markdown(&card.question),
        });
        if let Some(excerpt) = &item.excerpt {
            shown["excerpt"] = json!(excerpt);
        }
        if let Some(location) = &item.location {
            shown["location"] = json!({"uri": location.path_or_uri, "line": location.line});
        }
        out["card"] = shown;
        if phase == Phase::Revealed {
            out["reveal"] = json!({
                "strong_answer": safe_markdown(&card.strong_answer),
                "red_flag": safe_markdown(&card.red_flag),
                "scoring": safe_markdown(&card.scoring),
                "follow_ups": follow_ups(&card.follow_ups),
                "answer": session.revealed_answer().unwrap_or_default(),
            });
            let [again, hard, good, easy] = session.intervals();
            out["intervals"] = json!({"1": again, "2": hard, "3": good, "4": easy});
        }
    }
    if phase == Phase::Done {
        out["summary"] = serde_json::to_value(session.summary()).unwrap_or(Value::Null);
    }
    out
}
