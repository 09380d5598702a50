//! Ruff-style text: one line per finding and the card's question under it, then a summary by
//! interview topic. Everything that came from a file (paths, messages quoting source, card text) is
//! made inert before it reaches the terminal.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{FileReport, FixOutcome, Outcome, Resolved, Status};
use crate::analysis::Applicability;
use crate::cards::{Bank, Level};
use crate::cli::terminal::inert_line;

pub struct TextReport<'a> {
    bank: &'a Bank,
    fixing: bool,
    unsafe_fixes: bool,
    total: usize,
    files_with: usize,
    syntax_errors: usize,
    files_with_syntax_errors: usize,
    by_topic: BTreeMap<String, (Vec<Level>, BTreeMap<&'static str, usize>)>,
    safe_fixable: usize,
    unsafe_fixable: usize,
    fixed_total: usize,
    checked: usize,
    by_author: BTreeMap<String, usize>,
}

impl<'a> TextReport<'a> {
    pub fn new(bank: &'a Bank, fixing: bool, unsafe_fixes: bool) -> Self {
        TextReport {
            bank,
            fixing,
            unsafe_fixes,
            total: 0,
            files_with: 0,
            syntax_errors: 0,
            files_with_syntax_errors: 0,
            by_topic: BTreeMap::new(),
            safe_fixable: 0,
            unsafe_fixable: 0,
            fixed_total: 0,
            checked: 0,
            by_author: BTreeMap::new(),
        }
    }

    pub fn file(&mut self, out: &mut impl Write, report: &FileReport) -> io::Result<()> {
        let Outcome::Checked { entries, fixed } = &report.outcome else { return Ok(()) };
        self.checked += 1;
        let path = report.path.display().to_string();
        let path = inert_line(&path);
        match fixed {
            Some(FixOutcome::Applied(n)) => self.fixed_total += n,
            Some(FixOutcome::NotFixed(why)) => writeln!(out, "{path}: not fixed: {}", inert_line(why))?,
            // On stderr as an error (see check.rs): it decides the exit code.
            Some(FixOutcome::Refused(_)) | None => {}
        }
        let (mut findings, mut syntax) = (0, 0);
        for entry in entries {
            let (line, col) = entry.start;
            let message = inert_line(&entry.message);
            let Some(rule) = entry.rule else {
                syntax += 1;
                writeln!(out, "{path}:{line}:{col}: {} {message}", entry.id())?;
                continue;
            };
            findings += 1;
            let marker = match entry.fix.as_ref().map(|f| f.applicability) {
                Some(Applicability::Safe) => {
                    self.safe_fixable += 1;
                    " [*]"
                }
                Some(Applicability::Unsafe) => {
                    self.unsafe_fixable += 1;
                    ""
                }
                _ => "",
            };
            writeln!(out, "{path}:{line}:{col}: {}{marker} {message}", rule.id())?;
            // The tier, then what `--baseline` and `--by-author` add.
            let mut tags = entry.severity.as_str().to_string();
            if let Some(status) = entry.status {
                tags.push_str(if status == Status::New { ", new" } else { ", still open" });
            }
            if let Some(author) = &entry.author {
                *self.by_author.entry(author.clone()).or_default() += 1;
                tags.push_str(", by ");
                tags.push_str(&inert_line(author));
            }
            if let Some(card) = self.bank.get(rule.id()) {
                writeln!(out, "    Interview question ({}, {tags}): {}", card.level, inert_line(&card.question))?;
                let (levels, rules) = self.by_topic.entry(card.topic.clone()).or_default();
                levels.push(card.level);
                *rules.entry(rule.id()).or_insert(0) += 1;
            } else {
                writeln!(out, "    ({tags})")?;
            }
        }
        self.total += findings;
        self.files_with += usize::from(findings > 0);
        self.syntax_errors += syntax;
        self.files_with_syntax_errors += usize::from(syntax > 0);
        Ok(())
    }

    pub fn finish(&mut self, out: &mut impl Write, resolved: &[Resolved]) -> io::Result<()> {
        if !resolved.is_empty() {
            writeln!(out, "Resolved since the baseline ({}):", resolved.len())?;
            for item in resolved {
                let (path, rule, message) = (inert_line(&item.path), inert_line(&item.rule), inert_line(&item.message));
                writeln!(out, "  {path}:{}: {rule} {message}", item.line)?;
            }
            writeln!(out)?;
        }
        if !self.by_author.is_empty() {
            writeln!(out, "By author (git blame of the finding's first line):")?;
            for (author, n) in &self.by_author {
                writeln!(out, "  {}  {n}", inert_line(author))?;
            }
            writeln!(out)?;
        }
        let (total, checked) = (self.total, self.checked);
        if self.fixing {
            writeln!(out, "Fixed {} finding{}.", self.fixed_total, plural(self.fixed_total))?;
        }
        if total == 0 && self.syntax_errors == 0 {
            writeln!(out, "All checked: no interview red flags in {checked} file{}.", plural(checked))?;
            return Ok(());
        }
        writeln!(out)?;
        if total > 0 {
            writeln!(
                out,
                "Found {total} finding{} in {} file{} ({checked} checked).",
                plural(total),
                self.files_with,
                plural(self.files_with)
            )?;
        } else {
            writeln!(out, "No interview red flags in {checked} file{} checked.", plural(checked))?;
        }
        if self.syntax_errors > 0 {
            writeln!(
                out,
                "{} syntax error{} in {} file{} (the parts that parse were still checked).",
                self.syntax_errors,
                plural(self.syntax_errors),
                self.files_with_syntax_errors,
                plural(self.files_with_syntax_errors)
            )?;
        }
        if total == 0 {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "By interview topic:")?;
        // Topics in interview order: the most junior level they touch first.
        let mut topics: Vec<(Level, Level, String, &BTreeMap<&'static str, usize>)> = self
            .by_topic
            .iter()
            .map(|(topic, (levels, rules))| {
                let low = levels.iter().min().copied().unwrap_or(Level::Junior);
                let high = levels.iter().max().copied().unwrap_or(Level::Senior);
                (low, high, inert_line(topic).into_owned(), rules)
            })
            .collect();
        topics.sort();
        let width = topics.iter().map(|(_, _, t, _)| t.chars().count()).max().unwrap_or(0);
        for (low, high, topic, rules) in topics {
            let count: usize = rules.values().sum();
            let levels = if low == high { low.as_str().to_string() } else { format!("{low}-{high}") };
            let list: Vec<String> = rules.iter().map(|(id, n)| format!("{id} ×{n}")).collect();
            writeln!(out, "  {topic:<width$}  {levels:<13}  {count:>3}  {}", list.join(", "))?;
        }
        writeln!(out)?;
        if self.safe_fixable > 0 || self.unsafe_fixable > 0 {
            let mut parts = Vec::new();
            if self.safe_fixable > 0 {
                parts.push(format!("[*] {} fixable with `--fix`", self.safe_fixable));
            }
            if self.unsafe_fixable > 0 && !self.unsafe_fixes {
                let more = if self.safe_fixable > 0 { " more" } else { "" };
                parts.push(format!(
                    "{}{more} with `--fix --unsafe-fixes` (check the result: these may change behaviour)",
                    self.unsafe_fixable
                ));
            }
            if !parts.is_empty() {
                writeln!(out, "{}.", parts.join("; "))?;
            }
        }
        writeln!(
            out,
            "For the whole card (strong answer, red flag, scoring, follow-ups): interview-lens explain <rule-id>"
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
