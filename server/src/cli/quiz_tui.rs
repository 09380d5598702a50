//! The quiz's full-screen terminal UI (ratatui + crossterm) over a [`Session`].
//!
//! Question: the question, where your code raised it and an excerpt; an answer box (Enter reveals,
//! Alt-Enter or Ctrl-J adds a line). Revealed: the strong answer, the red flag and the scoring
//! guide beside your answer, and the four grade keys with the interval each would give. `u` undoes
//! the last grade, `q` quits (each grade is saved as it is given). The terminal is restored on
//! every way out: return, error, panic, and SIGTERM/SIGHUP.

use std::fmt;
use std::io;

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::answer_box::AnswerBox;
use super::terminal::inert;
use super::terminal_guard::TerminalGuard;
use crate::cards::Bank;
use crate::practice::{Phase, Rating, Session, session::Summary};

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What the quiz prints after leaving the screen.
pub struct Report {
    summary: Summary,
    database: String,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        if s.reviewed == 0 {
            write!(f, "No card graded.")?;
        } else {
            let [again, hard, good, easy] = s.ratings;
            write!(
                f,
                "Graded {} card{}: Again {again}, Hard {hard}, Good {good}, Easy {easy}.",
                s.reviewed,
                if s.reviewed == 1 { "" } else { "s" }
            )?;
        }
        if s.left > 0 {
            write!(f, " {} left in this session; `interview-lens quiz` goes on where you stopped.", s.left)?;
        }
        write!(f, "\nProgress is saved in {}.", self.database)
    }
}

pub fn run(session: Session, bank: &Bank) -> io::Result<Report> {
    let database = session.store().path().display().to_string();
    let mut ui = Ui { session, bank, answer: AnswerBox::default(), scroll: 0, message: None, answers: Vec::new() };
    let guard = TerminalGuard::enter()?;
    let result = event_loop(&mut ui);
    drop(guard);
    result?;
    Ok(Report { summary: ui.session.summary(), database })
}

fn event_loop(ui: &mut Ui<'_>) -> io::Result<()> {
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    loop {
        terminal.draw(|frame| ui.draw(frame))?;
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let size = terminal.size()?;
                if ui.key(key, Rect::new(0, 0, size.width, size.height)) == Flow::Quit {
                    return Ok(());
                }
            }
            Event::Paste(text) if ui.session.phase() == Phase::Question => ui.answer.paste(&text),
            _ => {}
        }
    }
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

struct Ui<'b> {
    session: Session,
    bank: &'b Bank,
    answer: AnswerBox,
    /// Lines scrolled in the revealed card.
    scroll: u16,
    /// One line under the keys: what the last action did, or an error.
    message: Option<String>,
    /// The answers typed for the grades given, so an undo brings the answer back.
    answers: Vec<String>,
}

impl Ui<'_> {
    fn key(&mut self, key: KeyEvent, size: Rect) -> Flow {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c' | 'q')) {
            return Flow::Quit;
        }
        if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
            return if matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) { Flow::Quit } else { Flow::Continue };
        }
        if ctrl && key.code == KeyCode::Char('z') {
            self.undo();
            return Flow::Continue;
        }
        match self.session.phase() {
            Phase::Question => self.question_key(key, ctrl),
            Phase::Revealed => self.revealed_key(key),
            Phase::Done => match key.code {
                KeyCode::Char('u') => {
                    self.undo();
                    Flow::Continue
                }
                _ => Flow::Quit,
            },
        }
    }

    fn question_key(&mut self, key: KeyEvent, ctrl: bool) -> Flow {
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => return Flow::Quit,
            KeyCode::Enter if alt || key.modifiers.contains(KeyModifiers::SHIFT) => self.answer.insert('\n'),
            // Ctrl-J is a line feed: the newline key of terminals that send nothing for Alt-Enter.
            KeyCode::Char('j') if ctrl => self.answer.insert('\n'),
            KeyCode::Enter => {
                self.session.reveal(self.answer.text());
                self.scroll = 0;
                self.message = None;
            }
            KeyCode::Backspace => self.answer.backspace(),
            KeyCode::Delete => self.answer.delete(),
            KeyCode::Left => self.answer.left(),
            KeyCode::Right => self.answer.right(),
            KeyCode::Home => self.answer.home(),
            KeyCode::End => self.answer.end(),
            KeyCode::Tab => (0..4).for_each(|_| self.answer.insert(' ')),
            KeyCode::Char(c) if !ctrl => self.answer.insert(c),
            _ => {}
        }
        Flow::Continue
    }

    fn revealed_key(&mut self, key: KeyEvent) -> Flow {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Flow::Quit,
            KeyCode::Char('u') => self.undo(),
            KeyCode::Char(c @ '1'..='4') => {
                let rating = Rating::from_number(c as u32 - '0' as u32).unwrap_or(Rating::Good);
                let answer = self.session.revealed_answer().unwrap_or_default().to_owned();
                let card = self.session.current().map(|i| i.card_id.clone()).unwrap_or_default();
                match self.session.grade(rating, &answer) {
                    Ok(()) => {
                        self.answers.push(answer);
                        self.answer.clear();
                        self.scroll = 0;
                        self.message = Some(format!("{card}: {}", rating.label()));
                    }
                    Err(e) => self.message = Some(format!("not saved: {e}")),
                }
            }
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = self.scroll.saturating_add(10),
            _ => {}
        }
        Flow::Continue
    }

    fn undo(&mut self) {
        match self.session.undo() {
            Ok(true) => {
                self.answer.clear();
                if let Some(previous) = self.answers.pop() {
                    self.answer.paste(&previous);
                }
                let card = self.session.current().map(|i| i.card_id.clone()).unwrap_or_default();
                self.message = Some(format!("Undone: {card} is asked again"));
            }
            Ok(false) => self.message = Some("Nothing to undo".into()),
            Err(e) => self.message = Some(format!("undo failed: {e}")),
        }
    }

    fn draw(&mut self, frame: &mut ratatui::Frame<'_>) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!(
                "interview-lens quiz needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT}; this one is {}x{}.\nEnlarge it, or press q to quit.",
                area.width, area.height
            );
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(1), Constraint::Min(10), Constraint::Length(2)])
            .split(area);
        frame.render_widget(Paragraph::new(self.header()), rows[0]);
        match self.session.phase() {
            Phase::Question => self.draw_question(frame, rows[1]),
            Phase::Revealed => self.draw_revealed(frame, rows[1]),
            Phase::Done => self.draw_done(frame, rows[1]),
        }
        let keys = match self.session.phase() {
            Phase::Question => {
                Line::from("Enter reveal the answer · Alt-Enter / Ctrl-J new line · Ctrl-Z undo last grade · Esc quit")
            }
            Phase::Revealed => self.grade_line(),
            Phase::Done => Line::from("u undo the last grade · any other key quits"),
        };
        let message =
            Line::from(Span::styled(self.message.clone().unwrap_or_default(), Style::default().fg(Color::Yellow)));
        frame.render_widget(Paragraph::new(Text::from(vec![keys, message])), rows[2]);
    }

    fn header(&self) -> Line<'static> {
        let (done, total) = self.session.position();
        let mut spans = vec![
            Span::styled(" interview-lens quiz ", Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(format!("  {done}/{total} graded  ")),
        ];
        if let Some(card) = self.session.current().and_then(|item| self.bank.get(&item.card_id)) {
            spans.push(Span::styled(inert(&card.title).into_owned(), Style::default().add_modifier(Modifier::BOLD)));
            spans.push(Span::raw(format!("  ({}, {})", card.level, inert(&card.topic))));
        }
        Line::from(spans)
    }

    fn draw_question(&self, frame: &mut ratatui::Frame<'_>, area: Rect) {
        let Some(item) = self.session.current() else { return };
        let Some(card) = self.bank.get(&item.card_id) else { return };
        let mut lines = vec![Line::from(Span::styled(
            inert(&card.question).into_owned(),
            Style::default().add_modifier(Modifier::BOLD),
        ))];
        if let Some(location) = &item.location {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Your code, {}:{}", inert(&location.path_or_uri), location.line),
                Style::default().fg(Color::Cyan),
            )));
        }
        if let Some(excerpt) = &item.excerpt {
            for line in inert(excerpt).lines() {
                lines.push(Line::from(Span::styled(format!("  {line}"), Style::default().fg(Color::Green))));
            }
        }
        let inner_width = area.width.saturating_sub(2).max(1) as usize;
        let needed: usize = lines.iter().map(|l| l.width().div_ceil(inner_width).max(1)).sum::<usize>() + 2;
        let question_height = (needed as u16).min(area.height / 2).max(3);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(question_height), Constraint::Min(3)])
            .split(area);
        frame.render_widget(
            Paragraph::new(Text::from(lines))
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Question ")),
            parts[0],
        );
        let box_area = parts[1];
        let width = box_area.width.saturating_sub(2) as usize;
        let height = box_area.height.saturating_sub(2) as usize;
        let (rows, (row, col)) = self.answer.layout(width);
        let first = (row + 1).saturating_sub(height.max(1));
        let shown: Vec<Line> = rows.into_iter().skip(first).take(height).map(Line::from).collect();
        frame.render_widget(
            Paragraph::new(Text::from(shown))
                .block(Block::default().borders(Borders::ALL).title(" Your answer (Enter to reveal) ")),
            box_area,
        );
        frame.set_cursor_position((box_area.x + 1 + col as u16, box_area.y + 1 + (row - first) as u16));
    }

    fn draw_revealed(&mut self, frame: &mut ratatui::Frame<'_>, area: Rect) {
        let Some(item) = self.session.current() else { return };
        let Some(card) = self.bank.get(&item.card_id) else { return };
        let columns = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
            .split(area);
        let heading = |text: &str| {
            Line::from(Span::styled(text.to_owned(), Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD)))
        };
        let mut lines = vec![heading("Strong answer")];
        lines.extend(plain_lines(&card.strong_answer));
        lines.push(Line::default());
        lines.push(heading("Red flag"));
        lines.extend(plain_lines(&card.red_flag));
        lines.push(Line::default());
        lines.push(heading("How it is scored"));
        lines.extend(plain_lines(&card.scoring));
        let width = columns[0].width.saturating_sub(2).max(1) as usize;
        let total: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
        let visible = columns[0].height.saturating_sub(2) as usize;
        self.scroll = self.scroll.min(total.saturating_sub(visible) as u16);
        let more = if total > visible { " (↑↓ scroll) " } else { "" };
        frame.render_widget(
            Paragraph::new(Text::from(lines))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .block(Block::default().borders(Borders::ALL).title(format!(" The card {more}"))),
            columns[0],
        );
        let answer = self.session.revealed_answer().unwrap_or_default();
        let answer_text = if answer.trim().is_empty() {
            Text::from(Span::styled("(no answer typed)", Style::default().add_modifier(Modifier::DIM)))
        } else {
            Text::from(answer.lines().map(|l| Line::from(l.to_owned())).collect::<Vec<_>>())
        };
        frame.render_widget(
            Paragraph::new(answer_text)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Your answer ")),
            columns[1],
        );
    }

    fn grade_line(&self) -> Line<'static> {
        let intervals = self.session.intervals();
        let mut spans = Vec::new();
        for (rating, interval) in Rating::ALL.iter().zip(intervals) {
            spans.push(Span::styled(
                format!(" {} ", rating.number()),
                Style::default().add_modifier(Modifier::REVERSED),
            ));
            spans.push(Span::raw(format!(" {} {interval}  ", rating.label())));
        }
        spans.push(Span::raw("u undo · q quit"));
        Line::from(spans)
    }

    fn draw_done(&self, frame: &mut ratatui::Frame<'_>, area: Rect) {
        let summary = self.session.summary();
        let [again, hard, good, easy] = summary.ratings;
        let text = format!(
            "Session done: {} graded (Again {again}, Hard {hard}, Good {good}, Easy {easy}).\n\nEvery grade is saved with your answer. `interview-lens progress` shows what is due next.",
            summary.reviewed
        );
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Done ")),
            area,
        );
    }
}

/// Card Markdown as plain lines for the widget to wrap: a paragraph's hard-wrapped lines joined,
/// list items and code lines kept on their own, bold markers dropped, control characters made
/// visible.
fn plain_lines(markdown: &str) -> Vec<Line<'static>> {
    let text = inert(markdown).replace("**", "");
    let mut lines: Vec<String> = Vec::new();
    let mut joinable = false;
    let mut in_code = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            joinable = false;
            continue;
        }
        let starts_block = trimmed.is_empty()
            || in_code
            || trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.split_once(". ").is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty());
        match lines.last_mut() {
            Some(last) if joinable && !starts_block => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => lines.push(if in_code { format!("  {line}") } else { line.to_owned() }),
        }
        joinable = !trimmed.is_empty() && !in_code;
    }
    lines.into_iter().map(Line::from).collect()
}
