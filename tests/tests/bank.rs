//! The built-in question bank: well-formed, complete, and in step with the rules.

use std::collections::HashSet;

use interview_lens::analysis::{AnalysisOptions, Rule, analyze, fixer::apply_edits};
use interview_lens::cards::{Bank, Kind};
use interview_lens_tests::cpython_parses;

const CONCEPTS: &[&str] = &[
    "generator-function",
    "decorator",
    "context-manager",
    "async-await",
    "gil-threading",
    "property",
    "dataclass",
    "slots",
    "nonlocal-closure",
    // catalogue wave 1: concepts
    "copy-vs-deepcopy",
    "list-vs-tuple",
    "ordered-dict-since-37",
    "duck-typing",
    "dynamic-typing-rebind",
    "comprehension",
    "walrus-operator",
    "match-statement",
    "args-kwargs",
];

/// The catalogue's "seed topics that cannot be tied to code": practice-only cards.
const PRACTICE: &[&str] = &[
    "python-vs-compiled-languages",
    "dependency-and-environment-management",
    "rate-limiter-design",
    "database-migrations",
    "cap-theorem",
    "high-throughput-event-service",
    "design-url-shortener",
    "design-job-matching",
    "design-webhook-delivery",
    "monolith-to-microservices",
    "api-caching-layer",
    "behavioural-performance-win",
    "behavioural-hard-bug",
    "behavioural-regretted-decision",
    "behavioural-staying-current",
    "behavioural-stdlib-over-package",
    "behavioural-approach-choice",
    "behavioural-inherited-codebase",
    "behavioural-version-migration",
    "behavioural-code-quality-practices",
    "behavioural-docs-and-type-hints",
    "behavioural-automation-tool",
    "recruiter-screen-background",
    "role-specific-questions",
    "algorithm-coding-round",
];
/// Concept cards whose optional hint (CATALOGUE.md) is a rule of the same id: the rule reports at
/// the hint tier only, and the card stays a concept card.
const CONCEPT_HINTS: &[&str] = &["ordered-dict-since-37"];

/// A strong answer is read in a hover: about 150 words at most (CARDS.md).
const STRONG_ANSWER_WORDS: usize = 150;

#[test]
fn every_builtin_card_parses() {
    let errors = Bank::builtin_errors();
    assert!(
        errors.is_empty(),
        "malformed built-in cards:\n{}",
        errors.iter().map(|e| format!("{e}\n")).collect::<String>()
    );
    assert_eq!(Bank::builtin().len(), Bank::builtin_sources().len());
}

#[test]
fn ids_are_unique_and_the_bank_is_complete() {
    let bank = Bank::builtin();
    let ids: HashSet<&str> = bank.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), bank.len());
    assert!(bank.len() >= 31, "only {} cards", bank.len());
    for rule in Rule::ALL {
        let card = bank.get(rule.id()).unwrap_or_else(|| panic!("rule {rule} has no card"));
        if CONCEPT_HINTS.contains(&rule.id()) {
            assert_eq!(card.kind, Kind::Concept, "{rule} is a concept's optional hint");
            assert_eq!(rule.default_severity(), interview_lens::analysis::Severity::Hint, "{rule} is a hint");
        } else {
            assert_eq!(card.kind, Kind::RedFlag, "{rule}'s card should be a red-flag card");
        }
    }
    for id in CONCEPTS {
        let card = bank.get(id).unwrap_or_else(|| panic!("no concept card {id}"));
        assert_eq!(card.kind, Kind::Concept);
    }
    assert_eq!(PRACTICE.len(), 25);
    for id in PRACTICE {
        let card = bank.get(id).unwrap_or_else(|| panic!("no practice card {id}"));
        assert_eq!(card.kind, Kind::Practice, "{id}");
        assert!(
            card.example.code.is_some() != card.example.checklist.is_some(),
            "{id}: a practice card has either a sketch in code or a checklist"
        );
    }
    // Every practice card in the bank is one of the catalogue's, so the list above stays the truth.
    for card in bank.iter().filter(|c| c.kind == Kind::Practice) {
        assert!(PRACTICE.contains(&card.id.as_str()), "{} is not a catalogue practice topic", card.id);
    }
}

/// Behavioural cards score the story: situation, action, result and what was learned, in the
/// scoring guide and in the checklist a candidate prepares from.
#[test]
fn behavioural_cards_score_the_whole_story() {
    let bank = Bank::builtin();
    let behavioural: Vec<_> = bank.iter().filter(|c| c.id.starts_with("behavioural-")).collect();
    assert_eq!(behavioural.len(), 11);
    for card in behavioural {
        assert_eq!(card.topic, "Behavioural", "{}", card.id);
        let strong = card.scoring.lines().find(|l| l.contains("**Strong:**")).unwrap_or_default().to_lowercase();
        for part in ["situation", "action", "result", "learn"] {
            assert!(strong.contains(part), "{}: the strong score does not cover the {part}", card.id);
        }
        let checklist = card.example.checklist.as_deref().or(card.example.code.as_deref()).unwrap_or_default();
        if card.example.checklist.is_some() {
            for part in ["Situation", "Action", "Result", "Learned"] {
                assert!(checklist.contains(&format!("- {part}")), "{}: the checklist has no {part} item", card.id);
            }
        }
    }
}

#[test]
fn every_section_is_filled_and_references_are_official_https() {
    for card in Bank::builtin().iter() {
        for (name, text) in [
            ("title", &card.title),
            ("topic", &card.topic),
            ("question", &card.question),
            ("strong answer", &card.strong_answer),
            ("red flag", &card.red_flag),
            ("scoring", &card.scoring),
            ("follow-ups", &card.follow_ups),
        ] {
            assert!(!text.trim().is_empty(), "{}: empty {name}", card.id);
        }
        assert!(!card.references.is_empty(), "{}: no references", card.id);
        for url in &card.references {
            let rest = url.strip_prefix("https://").unwrap_or_else(|| panic!("{}: {url} is not https", card.id));
            let host = rest.split('/').next().unwrap_or_default();
            assert!(matches!(host, "docs.python.org" | "peps.python.org"), "{}: {url}", card.id);
            assert!(!url.contains(' '), "{}: {url}", card.id);
        }
        assert!(
            card.follow_ups.lines().filter(|l| l.trim_start().starts_with("- ")).count() >= 2,
            "{}: fewer than two follow-ups",
            card.id
        );
    }
}

fn rules_fired(code: &str) -> Vec<Rule> {
    analyze(code, &AnalysisOptions::default()).findings.iter().map(|f| f.rule).collect()
}

/// A card's examples are tests: the flagged code triggers the card's rule, the better code and
/// concept examples trigger none, and everything parses under CPython.
#[test]
fn card_examples_agree_with_the_rules() {
    let mut problems = Vec::new();
    for card in Bank::builtin().iter() {
        let snippets = [&card.example.flagged, &card.example.better, &card.example.code];
        for code in snippets.into_iter().flatten() {
            if let Err(e) = cpython_parses(code) {
                problems.push(format!("{}: example does not parse under CPython: {e}", card.id));
            }
        }
        match card.kind {
            Kind::RedFlag => {
                let rule = Rule::from_id(&card.id).expect("red-flag card names a rule");
                let flagged = card.example.flagged.as_deref().unwrap_or_default();
                if !rules_fired(flagged).contains(&rule) {
                    problems.push(format!("{}: the flagged example does not trigger the rule", card.id));
                }
                let better = rules_fired(card.example.better.as_deref().unwrap_or_default());
                if !better.is_empty() {
                    problems.push(format!("{}: the better example triggers {better:?}", card.id));
                }
            }
            Kind::Concept | Kind::Practice => {
                let fired = rules_fired(card.example.code.as_deref().unwrap_or_default());
                if !fired.is_empty() {
                    problems.push(format!("{}: the example triggers {fired:?}", card.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every fix offered on a card's flagged example, whatever its applicability, leaves code that
/// CPython parses.
#[test]
fn fixes_on_card_examples_parse_under_cpython() {
    let mut problems = Vec::new();
    for card in Bank::builtin().iter() {
        let Some(code) = card.example.flagged.as_deref() else { continue };
        for finding in analyze(code, &AnalysisOptions::default()).findings {
            let Some(fix) = &finding.fix else { continue };
            let fixed = apply_edits(code, &fix.edits);
            if let Err(e) = cpython_parses(&fixed) {
                problems.push(format!(
                    "{} / {}: fix `{}` gives code CPython rejects:\n{fixed}\n{e}",
                    card.id, finding.rule, fix.title
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn strong_answers_fit_in_a_hover() {
    let long: Vec<String> = Bank::builtin()
        .iter()
        .map(|card| (card.id.clone(), card.strong_answer.split_whitespace().count()))
        .filter(|(_, words)| *words > STRONG_ANSWER_WORDS)
        .map(|(id, words)| format!("{id}: {words} words"))
        .collect();
    assert!(long.is_empty(), "strong answers over {STRONG_ANSWER_WORDS} words:\n{}", long.join("\n"));
}

/// Cards whose flagged example shows a crash: the original always raises (the fix is the only
/// working behaviour), so that example must fail, and with this exception.
const FLAGGED_RAISES: &[(&str, &str)] =
    &[("mutable-dataclass-default", "ValueError"), ("unhashable-dict-key", "TypeError")];

/// Every example runs under CPython: a card that teaches with code that does not run teaches the
/// wrong thing.
#[test]
fn card_examples_run_under_cpython() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut problems = Vec::new();
    for card in Bank::builtin().iter() {
        let raises = FLAGGED_RAISES.iter().find(|(id, _)| *id == card.id).map(|(_, exception)| *exception);
        let snippets = [(&card.example.flagged, raises), (&card.example.better, None), (&card.example.code, None)];
        for (code, raises) in snippets.into_iter().filter_map(|(code, raises)| Some((code.as_ref()?, raises))) {
            let mut child = Command::new("python3")
                .args(["-X", "utf8", "-c", code])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3 is needed by the tests");
            let started = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().expect("waiting for python3") {
                    break Some(status);
                }
                if started.elapsed() > Duration::from_secs(30) {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(10));
            };
            let mut last_stderr_line = || {
                let mut stderr = String::new();
                use std::io::Read;
                let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
                stderr.lines().last().unwrap_or_default().to_string()
            };
            match (status, raises) {
                (Some(status), None) if status.success() => {}
                (Some(status), Some(exception)) if status.success() => {
                    problems.push(format!("{}: flagged example should raise {exception} but runs", card.id));
                }
                (Some(_), Some(exception)) => {
                    let last = last_stderr_line();
                    if !last.starts_with(&format!("{exception}:")) {
                        problems.push(format!("{}: flagged example should raise {exception}: {last}", card.id));
                    }
                }
                (Some(_), None) => {
                    let last = last_stderr_line();
                    problems.push(format!("{}: example fails: {last}", card.id));
                }
                (None, _) => problems.push(format!("{}: example did not finish in 30 s", card.id)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
