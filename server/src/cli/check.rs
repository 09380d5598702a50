//! `interview-lens check`: analyse files in parallel, optionally fix them, report.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::files::discover;
use super::report::{self, FileResult, Outcome};
use super::{CheckArgs, OutputFormat, load_bank};
use crate::analysis::{ANALYSIS_STACK_SIZE, AnalysisOptions, Applicability, Rule, analyze, fixer};
use crate::config::{self, ConfigWarning, PartialSettings, Settings};

pub fn run(args: CheckArgs) -> ExitCode {
    let (cli_settings, usage_errors) = cli_partial(&args);
    if !usage_errors.is_empty() {
        for error in usage_errors {
            eprintln!("error: {error}");
        }
        return ExitCode::from(2);
    }
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let discovered = discover(&paths);

    // Settings per folder: the nearest pyproject under the command-line flags.
    let mut per_dir: HashMap<PathBuf, Settings> = HashMap::new();
    let mut warnings: Vec<ConfigWarning> = Vec::new();
    let mut seen_configs: Vec<PathBuf> = Vec::new();
    let mut card_dirs: Vec<PathBuf> = cli_settings.cards.clone().unwrap_or_default();
    let mut file_settings = Vec::with_capacity(discovered.files.len());
    for file in &discovered.files {
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let settings = per_dir
            .entry(dir.clone())
            .or_insert_with(|| {
                let base = match config::find_pyproject(&absolute(&dir)) {
                    Some(pyproject) => {
                        let (partial, found) = config::from_pyproject(&pyproject);
                        if !seen_configs.contains(&pyproject) {
                            warnings.extend(found);
                            seen_configs.push(pyproject);
                        }
                        partial
                    }
                    None => PartialSettings::default(),
                };
                base.merge(cli_settings.clone()).resolve()
            })
            .clone();
        for dir in &settings.cards {
            if !card_dirs.contains(dir) {
                card_dirs.push(dir.clone());
            }
        }
        file_settings.push(settings);
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    let bank = load_bank(&card_dirs);

    let min_fix = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let fix = args.fix;
    let pool = rayon::ThreadPoolBuilder::new().stack_size(ANALYSIS_STACK_SIZE).build();
    let check_all = || -> Vec<FileResult> {
        discovered
            .files
            .par_iter()
            .zip(file_settings.par_iter())
            .map(|(path, settings)| check_file(path, settings, fix.then_some(min_fix)))
            .collect()
    };
    let mut results = match pool {
        Ok(pool) => pool.install(check_all),
        Err(_) => check_all(),
    };
    // Level filter: report only findings whose card is at or below the chosen level.
    for (result, settings) in results.iter_mut().zip(&file_settings) {
        if let Outcome::Checked { findings, .. } = &mut result.outcome {
            findings.retain(|f| bank.get(f.rule.id()).is_none_or(|card| card.level <= settings.level));
        }
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut io_errors = discovered.errors.len();
    for (path, error) in &discovered.errors {
        eprintln!("error: {}: {error}", path.display());
    }
    for result in &results {
        match &result.outcome {
            Outcome::Failed(message) => {
                eprintln!("error: {}: {message}", result.path.display());
                io_errors += 1;
            }
            Outcome::Skipped(message) => eprintln!("warning: {}: {message}", result.path.display()),
            // The text report says this inline; scripts reading JSON still hear about it.
            Outcome::Checked { fixed: Some(Err(why)), .. } if args.format == OutputFormat::Json => {
                eprintln!("warning: {}: not fixed: {why}", result.path.display());
            }
            Outcome::Checked { .. } => {}
        }
    }
    let printed = match args.format {
        OutputFormat::Json => report::json(&mut out, &results, &bank),
        OutputFormat::Text => report::text(&mut out, &results, &bank, args.fix, args.unsafe_fixes),
    };
    let _ = out.flush();
    if let Err(err) = printed {
        // A closed pipe (`| head`) is not worth a message.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing the report: {err}");
            return ExitCode::from(2);
        }
    }
    let any_findings =
        results.iter().any(|r| matches!(&r.outcome, Outcome::Checked { findings, .. } if !findings.is_empty()));
    if io_errors > 0 {
        ExitCode::from(2)
    } else if any_findings && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() {
        return std::env::current_dir().unwrap_or_default();
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn cli_partial(args: &CheckArgs) -> (PartialSettings, Vec<String>) {
    let mut errors = Vec::new();
    let mut rules = |ids: &[String], flag: &str| -> Option<Vec<Rule>> {
        if ids.is_empty() {
            return None;
        }
        let mut rules = Vec::new();
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match Rule::from_id(id) {
                Some(rule) => rules.push(rule),
                None => errors.push(format!("--{flag}: unknown rule `{id}` (see `interview-lens cards`)")),
            }
        }
        Some(rules)
    };
    let partial = PartialSettings {
        select: rules(&args.select, "select"),
        ignore: rules(&args.ignore, "ignore"),
        level: args.level.map(Into::into),
        cards: (!args.cards.is_empty()).then(|| args.cards.clone()),
        concept_hovers: None,
    };
    (partial, errors)
}

fn check_file(path: &Path, settings: &Settings, fix: Option<Applicability>) -> FileResult {
    let outcome = match std::fs::read(path) {
        Err(err) => Outcome::Failed(format!("cannot read: {err}")),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(err) => Outcome::Skipped(format!(
                "not valid UTF-8 (first bad byte at offset {}); skipped (interview-lens reads UTF-8 source only)",
                err.utf8_error().valid_up_to()
            )),
            Ok(text) => {
                let options = AnalysisOptions {
                    rules: settings.rules,
                    is_stub: path.extension().is_some_and(|e| e == "pyi"),
                    editor_data: false,
                };
                match fix {
                    Some(min) => fix_file(path, text, &options, min),
                    None => {
                        let analysis = analyze(&text, &options);
                        Outcome::Checked {
                            findings: analysis.findings,
                            syntax_errors: analysis.syntax_errors,
                            text,
                            fixed: None,
                        }
                    }
                }
            }
        },
    };
    FileResult { path: path.to_path_buf(), outcome }
}

/// Applies fixes, and writes the result only if it parses with no new syntax errors.
fn fix_file(path: &Path, text: String, options: &AnalysisOptions, min: Applicability) -> Outcome {
    let result = fixer::fix_all(&text, options, min);
    let count: usize = result.applied.iter().map(|(_, n)| n).sum();
    if count == 0 {
        let after = result.after;
        return Outcome::Checked { findings: after.findings, syntax_errors: after.syntax_errors, text, fixed: None };
    }
    let unchanged = |why: String| {
        let before = analyze(&text, options);
        Outcome::Checked {
            findings: before.findings,
            syntax_errors: before.syntax_errors,
            text: text.clone(),
            fixed: Some(Err(why)),
        }
    };
    if result.after.syntax_errors.len() > result.syntax_errors_before {
        return unchanged("the fixed code would not parse, so the file was left untouched".into());
    }
    if let Err(err) = write_atomically(path, &result.text) {
        return unchanged(format!("could not write the fixed file: {err}"));
    }
    let after = result.after;
    Outcome::Checked {
        findings: after.findings,
        syntax_errors: after.syntax_errors,
        text: result.text,
        fixed: Some(Ok(count)),
    }
}

/// Temp file in the same folder, then rename: a crash never leaves a half-written file.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
