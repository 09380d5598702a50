//! Settings, resolved the same way for the command line and the language server.
//!
//! Sources, lowest priority first: defaults, the nearest `pyproject.toml` `[tool.interview-lens]`,
//! then the client (editor settings or command-line flags). A bad key or value is a warning that
//! names the key and where it came from; the default is used for it.
//!
//! [`settings_for_dir`] is the one resolution every command and the server use; the card folders it
//! yields load with [`crate::cards::Bank::with_folders`].

pub mod bounded_read;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::analysis::{Rule, RuleSet};
use crate::cards::Level;

/// The resolved settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub rules: RuleSet,
    /// Report cards up to this level (junior < mid < senior).
    pub level: Level,
    /// Extra card folders.
    pub cards: Vec<PathBuf>,
    /// Language server: hover on fine constructs shows concept cards.
    pub concept_hovers: bool,
    /// Language server: how much of the card a hover shows.
    pub hover: HoverStyle,
}

/// `compact`: the message, question, red flag in a sentence, the strong-answer line of the
/// scoring, and a link to the whole card; `full`: the whole card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HoverStyle {
    #[default]
    Compact,
    Full,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: RuleSet::all(),
            level: Level::Senior,
            cards: Vec::new(),
            concept_hovers: true,
            hover: HoverStyle::Compact,
        }
    }
}

/// One source's settings; `None` means "not set here".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartialSettings {
    pub select: Option<Vec<Rule>>,
    pub ignore: Option<Vec<Rule>>,
    pub level: Option<Level>,
    pub cards: Option<Vec<PathBuf>>,
    pub concept_hovers: Option<bool>,
    pub hover: Option<HoverStyle>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning {
    pub origin: String,
    pub message: String,
}

impl std::fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl PartialSettings {
    /// Reads settings from a JSON-like object (editor settings, or a TOML table converted to JSON).
    /// Keys may be kebab-case (`concept-hovers`) or camelCase (`conceptHovers`). Relative card
    /// folders are resolved against `base`.
    pub fn from_value(value: &Value, origin: &str, base: Option<&Path>) -> (PartialSettings, Vec<ConfigWarning>) {
        let mut settings = PartialSettings::default();
        let mut warnings = Vec::new();
        let mut warn = |message: String| warnings.push(ConfigWarning { origin: origin.to_string(), message });
        let Some(table) = value.as_object() else {
            if !value.is_null() {
                warn(format!("settings must be a table/object, not {}; the defaults are used", type_name(value)));
            }
            return (settings, warnings);
        };
        for (key, value) in table {
            match normalise_key(key).as_str() {
                "select" => settings.select = rule_list(key, value, &mut warn),
                "ignore" => settings.ignore = rule_list(key, value, &mut warn),
                "level" => match value.as_str().map(|s| (s, Level::parse(s))) {
                    Some((_, Some(level))) => settings.level = Some(level),
                    Some((s, None)) => {
                        warn(format!("`{key}` = \"{s}\" is not one of junior, mid, senior; using the default"))
                    }
                    None => warn(format!(
                        "`{key}` must be a string (junior, mid or senior), not {}; using the default",
                        type_name(value)
                    )),
                },
                "cards" => match string_list(value) {
                    Some(dirs) => {
                        settings.cards = Some(
                            dirs.into_iter().map(|d| base.map_or_else(|| PathBuf::from(&d), |b| b.join(&d))).collect(),
                        )
                    }
                    None => warn(format!("`{key}` must be a list of folder paths, not {}; ignored", type_name(value))),
                },
                "concept-hovers" => match value.as_bool() {
                    Some(b) => settings.concept_hovers = Some(b),
                    None => warn(format!("`{key}` must be true or false, not {}; using the default", type_name(value))),
                },
                "hover" => match value.as_str() {
                    Some("compact") => settings.hover = Some(HoverStyle::Compact),
                    Some("full") => settings.hover = Some(HoverStyle::Full),
                    _ => warn(format!("`{key}` must be \"compact\" or \"full\", not {value}; using the default")),
                },
                // Editor-only settings handled by the extensions, accepted silently.
                "path" | "fix-all-on-save" | "trace" => {}
                _ => warn(format!(
                    "unknown key `{key}` ignored (known: select, ignore, level, cards, concept-hovers, hover)"
                )),
            }
        }
        (settings, warnings)
    }

    /// Layers `over` on top of `self`.
    pub fn merge(mut self, over: PartialSettings) -> PartialSettings {
        // As in Ruff, a later layer's `select` starts afresh (it re-enables what an earlier layer
        // ignored); otherwise ignores accumulate.
        if over.select.is_some() {
            self.select = over.select;
            self.ignore = over.ignore;
        } else if let Some(more) = over.ignore {
            self.ignore.get_or_insert_with(Vec::new).extend(more);
        }
        self.level = over.level.or(self.level);
        // Card folders are extra material: a later layer adds to them (and, loading later, its
        // cards win over an earlier layer's with the same id).
        if let Some(more) = over.cards {
            let cards = self.cards.get_or_insert_with(Vec::new);
            for dir in more {
                if !cards.contains(&dir) {
                    cards.push(dir);
                }
            }
        }
        self.concept_hovers = over.concept_hovers.or(self.concept_hovers);
        self.hover = over.hover.or(self.hover);
        self
    }

    pub fn resolve(&self) -> Settings {
        let mut rules = match &self.select {
            Some(select) => {
                let mut set = RuleSet::empty();
                select.iter().for_each(|r| set.insert(*r));
                set
            }
            None => RuleSet::all(),
        };
        for rule in self.ignore.iter().flatten() {
            rules.remove(*rule);
        }
        let defaults = Settings::default();
        Settings {
            rules,
            level: self.level.unwrap_or(defaults.level),
            cards: self.cards.clone().unwrap_or_default(),
            concept_hovers: self.concept_hovers.unwrap_or(defaults.concept_hovers),
            hover: self.hover.unwrap_or(defaults.hover),
        }
    }
}

fn normalise_key(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    value.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect()
}

/// A list of rule ids. Unknown ids are dropped with a warning naming them; a `select` left with no
/// known rule is treated as not set (the default: every rule), as its warning says, rather than
/// as "run nothing".
fn rule_list(key: &str, value: &Value, warn: &mut impl FnMut(String)) -> Option<Vec<Rule>> {
    let Some(ids) = string_list(value) else {
        warn(format!("`{key}` must be a list of rule ids, not {}; the default is used", type_name(value)));
        return None;
    };
    let mut rules = Vec::new();
    let mut unknown = Vec::new();
    for id in &ids {
        match Rule::from_id(id) {
            Some(rule) => rules.push(rule),
            None => unknown.push(format!("`{id}`")),
        }
    }
    if !unknown.is_empty() {
        let s = if unknown.len() == 1 { "" } else { "s" };
        warn(format!(
            "`{key}` names unknown rule{s} {}, dropped (`interview-lens cards` lists the ids)",
            unknown.join(", ")
        ));
    }
    if rules.is_empty() && normalise_key(key) == "select" {
        let why = if ids.is_empty() { "is empty" } else { "names no known rule" };
        warn(format!("`{key}` {why}, so the default applies: every rule"));
        return None;
    }
    Some(rules)
}

/// The nearest `pyproject.toml` at or above `start` (a file or folder) that has a
/// `[tool.interview-lens]` table.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    search_start(start)?.ancestors().map(|dir| dir.join("pyproject.toml")).find(|candidate| is_ours(candidate))
}

/// The folder the pyproject search starts from: `start` itself, or the folder of a file.
fn search_start(start: &Path) -> Option<&Path> {
    if start.is_dir() { Some(start) } else { start.parent() }
}

/// Whether `candidate` is a pyproject the search stops at.
fn is_ours(candidate: &Path) -> bool {
    // A textual check keeps this cheap; an invalid file that mentions us is still returned, so
    // its parse error reaches the user instead of being silently skipped. A pyproject.toml that
    // is a FIFO or a device is returned too, so the refusal is reported rather than hanging.
    match bounded_read::read_bounded(candidate, bounded_read::PYPROJECT_LIMIT) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).contains("interview-lens"),
        Err(err) => err.is_refusal(),
    }
}

/// The `[tool.interview-lens]` table of a pyproject file, as JSON.
fn load_pyproject_table(path: &Path) -> Result<Option<Value>, String> {
    let text = bounded_read::read_text_bounded(path, bounded_read::PYPROJECT_LIMIT).map_err(|e| e.to_string())?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| format!("invalid TOML: {}", toml_message(&e)))?;
    let Some(section) = doc.get("tool").and_then(|t| t.get("interview-lens")) else { return Ok(None) };
    serde_json::to_value(section).map(Some).map_err(|e| e.to_string())
}

/// The TOML parser's message on one line, with its position. Some errors have an empty
/// `message()`; their `Display` (a snippet and a caret line) still says what is wrong.
pub fn toml_message(err: &toml::de::Error) -> String {
    let message = err.message().trim();
    if message.is_empty() {
        let full = err.to_string();
        let explanation: Vec<&str> = full
            .lines()
            .skip(1)
            .filter(|l| {
                !l.trim_start().starts_with('|') && !l.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit())
            })
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if explanation.is_empty() {
            "not valid TOML (a value is missing or incomplete)".to_string()
        } else {
            explanation.join("; ")
        }
    } else {
        message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ")
    }
}

/// Settings from a pyproject file (relative card folders resolve against its folder).
pub fn from_pyproject(path: &Path) -> (PartialSettings, Vec<ConfigWarning>) {
    let origin = path.display().to_string();
    match load_pyproject_table(path) {
        Ok(Some(value)) => {
            PartialSettings::from_value(&value, &format!("{origin} [tool.interview-lens]"), path.parent())
        }
        Ok(None) => (PartialSettings::default(), Vec::new()),
        Err(message) => (PartialSettings::default(), vec![ConfigWarning { origin, message }]),
    }
}

/// Settings for files in `dir`: defaults, then the nearest pyproject.toml's `[tool.interview-lens]`,
/// then `client` (command-line flags or editor settings) on top. Returns the pyproject that applied
/// (if any) and its warnings. Every command and the language server resolve through this.
pub fn settings_for_dir(dir: &Path, client: &PartialSettings) -> (Settings, Option<PathBuf>, Vec<ConfigWarning>) {
    settings_from(find_pyproject(&absolute(dir)), client)
}

/// The settings `pyproject` (if any) gives under the client's.
fn settings_from(
    pyproject: Option<PathBuf>,
    client: &PartialSettings,
) -> (Settings, Option<PathBuf>, Vec<ConfigWarning>) {
    match pyproject {
        Some(pyproject) => {
            let (file, warnings) = from_pyproject(&pyproject);
            (file.merge(client.clone()).resolve(), Some(pyproject), warnings)
        }
        None => (PartialSettings::default().merge(client.clone()).resolve(), None, Vec::new()),
    }
}

/// `path` made absolute against the current folder (an empty path is the current folder), so
/// that the pyproject search sees every ancestor.
pub fn absolute(path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() {
        return std::env::current_dir().unwrap_or_default();
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// [`settings_for_dir`] for many folders, each pyproject read once and its warnings kept once:
/// what `check` uses for the folders of the files it checks.
pub struct Resolver {
    client: PartialSettings,
    per_dir: HashMap<PathBuf, usize>,
    /// The pyproject search's answer per absolute folder: sibling folders share their parents'
    /// answers instead of reading the same candidates again (13k files in 2k folders: 18k
    /// look-ups, serial before any file is checked, without this).
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    settings: Vec<Settings>,
    /// The settings index per pyproject (`None`: no pyproject applies). Settings depend only on
    /// the pyproject and the client, so each pyproject is parsed once, not once per folder under it.
    per_pyproject: HashMap<Option<PathBuf>, usize>,
    warnings: Vec<ConfigWarning>,
}

impl Resolver {
    pub fn new(client: PartialSettings) -> Resolver {
        Resolver {
            client,
            per_dir: HashMap::new(),
            nearest: HashMap::new(),
            settings: Vec::new(),
            per_pyproject: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The index of the settings for files in `dir` (see [`Resolver::settings`]).
    pub fn for_dir(&mut self, dir: &Path) -> usize {
        if let Some(&index) = self.per_dir.get(dir) {
            return index;
        }
        let absolute_dir = absolute(dir);
        let pyproject = search_start(&absolute_dir).and_then(|start| self.nearest_pyproject(start));
        let index = match self.per_pyproject.get(&pyproject) {
            Some(&index) => index,
            None => {
                let (settings, _, warnings) = settings_from(pyproject.clone(), &self.client);
                self.warnings.extend(warnings);
                let index = match self.settings.iter().position(|s| *s == settings) {
                    Some(index) => index,
                    None => {
                        self.settings.push(settings);
                        self.settings.len() - 1
                    }
                };
                self.per_pyproject.insert(pyproject, index);
                index
            }
        };
        self.per_dir.insert(dir.to_path_buf(), index);
        index
    }

    /// [`find_pyproject`] from the folder `start`, remembering the answer for every folder looked at.
    fn nearest_pyproject(&mut self, start: &Path) -> Option<PathBuf> {
        let mut looked_at = Vec::new();
        let mut found = None;
        for dir in start.ancestors() {
            if let Some(known) = self.nearest.get(dir) {
                found = known.clone();
                break;
            }
            looked_at.push(dir);
            let candidate = dir.join("pyproject.toml");
            if is_ours(&candidate) {
                found = Some(candidate);
                break;
            }
        }
        for dir in looked_at {
            self.nearest.insert(dir.to_path_buf(), found.clone());
        }
        found
    }

    pub fn settings(&self, index: usize) -> &Settings {
        &self.settings[index]
    }

    /// Every card folder any of the resolved settings names, in first-seen order.
    pub fn card_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for dir in self.settings.iter().flat_map(|s| &s.cards) {
            if !dirs.contains(dir) {
                dirs.push(dir.clone());
            }
        }
        dirs
    }

    pub fn take_warnings(&mut self) -> Vec<ConfigWarning> {
        std::mem::take(&mut self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_keys_in_both_spellings() {
        let (s, w) = PartialSettings::from_value(
            &json!({"select": ["bare-except"], "level": "mid", "conceptHovers": false, "cards": ["extra"], "hover": "full"}),
            "client",
            Some(Path::new("/p")),
        );
        assert!(w.is_empty(), "{w:?}");
        let resolved = s.resolve();
        assert!(resolved.rules.contains(Rule::BareExcept));
        assert!(!resolved.rules.contains(Rule::MutableDefaultArgument));
        assert_eq!(resolved.level, Level::Mid);
        assert!(!resolved.concept_hovers);
        assert_eq!(resolved.hover, HoverStyle::Full);
        assert_eq!(resolved.cards, vec![PathBuf::from("/p/extra")]);
    }

    #[test]
    fn bad_values_warn_with_the_key_and_keep_defaults() {
        let (s, w) = PartialSettings::from_value(
            &json!({"level": "expert", "select": "bare-except", "ignore": ["nope"], "colour": 1, "concept-hovers": "yes", "hover": "short"}),
            "pyproject.toml",
            None,
        );
        let text: Vec<String> = w.iter().map(ToString::to_string).collect();
        assert_eq!(w.len(), 6, "{text:?}");
        assert!(text.iter().any(|t| t.contains("`hover`") && t.contains("\"short\"")));
        assert!(text.iter().any(|t| t.contains("`level`") && t.contains("expert")));
        assert!(text.iter().any(|t| t.contains("`select`") && t.contains("list")));
        assert!(text.iter().any(|t| t.contains("unknown rule `nope`")));
        assert!(text.iter().any(|t| t.contains("unknown key `colour`")));
        assert!(text.iter().all(|t| t.starts_with("pyproject.toml: ")));
        assert_eq!(s.resolve(), Settings { rules: RuleSet::all(), ..Settings::default() });
    }

    #[test]
    fn unknown_select_ids_are_dropped_and_an_empty_select_means_the_default() {
        let (s, w) =
            PartialSettings::from_value(&json!({"select": ["no-such-rule", "bare-except"]}), "pyproject.toml", None);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("`no-such-rule`") && w[0].message.contains("dropped"), "{w:?}");
        let rules = s.resolve().rules;
        assert!(rules.contains(Rule::BareExcept) && !rules.contains(Rule::MutableDefaultArgument));

        // Nothing valid left: the default applies, as the warning says, not "no rule at all".
        let (s, w) = PartialSettings::from_value(&json!({"select": ["no-such-rule"]}), "pyproject.toml", None);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[1].message.contains("the default applies"), "{w:?}");
        assert_eq!(s.resolve().rules, RuleSet::all());
        let (s, _) = PartialSettings::from_value(&json!({"select": []}), "pyproject.toml", None);
        assert_eq!(s.resolve().rules, RuleSet::all());
        // An ignore list with only unknown ids ignores nothing.
        let (s, w) = PartialSettings::from_value(&json!({"ignore": ["nope"]}), "pyproject.toml", None);
        assert_eq!((w.len(), s.resolve().rules), (1, RuleSet::all()));
    }

    #[test]
    fn card_folders_accumulate_across_layers() {
        let (file, _) = PartialSettings::from_value(&json!({"cards": ["a", "b"]}), "f", Some(Path::new("/p")));
        let client =
            PartialSettings { cards: Some(vec![PathBuf::from("/c"), PathBuf::from("/p/a")]), ..Default::default() };
        assert_eq!(
            file.merge(client).resolve().cards,
            [PathBuf::from("/p/a"), PathBuf::from("/p/b"), PathBuf::from("/c")]
        );
    }

    #[test]
    fn toml_messages_are_never_empty() {
        for text in ["id = \n", "id = ", "[x\n", "a = \"b\"\na = 1\n", "x = Demo\n"] {
            let err = toml::from_str::<toml::Table>(text).unwrap_err();
            let message = toml_message(&err);
            assert!(!message.trim().is_empty() && !message.contains('\n'), "{text:?}: {message:?}");
        }
    }

    #[test]
    fn settings_for_dir_reads_the_nearest_pyproject() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.interview-lens]\nlevel = \"junior\"\ncards = [\"c\"]\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        let (settings, pyproject, warnings) = settings_for_dir(&dir.path().join("pkg"), &PartialSettings::default());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(pyproject.as_deref(), Some(dir.path().join("pyproject.toml").as_path()));
        assert_eq!(settings.level, Level::Junior);
        assert_eq!(settings.cards, [dir.path().join("c")]);
    }

    #[test]
    fn the_resolver_remembers_searches_and_still_finds_the_nearest_pyproject() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["a/b", "c/d"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("pyproject.toml"), "[tool.interview-lens]\nlevel = \"junior\"\n").unwrap();
        std::fs::write(root.join("a/pyproject.toml"), "[tool.interview-lens]\nlevel = \"mid\"\n").unwrap();
        // Not ours: the search goes on above it.
        std::fs::write(root.join("c/pyproject.toml"), "[tool.black]\n").unwrap();
        let mut resolver = Resolver::new(PartialSettings::default());
        // Deepest first, so later folders are answered from what the first search remembered.
        let level = |resolver: &mut Resolver, sub: &str| {
            let index = resolver.for_dir(&root.join(sub));
            resolver.settings(index).level
        };
        assert_eq!(level(&mut resolver, "a/b"), Level::Mid);
        assert_eq!(level(&mut resolver, "c/d"), Level::Junior);
        assert_eq!(level(&mut resolver, "a"), Level::Mid);
        assert_eq!(level(&mut resolver, "c"), Level::Junior);
        assert_eq!(level(&mut resolver, "a/b"), Level::Mid);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_pyproject_is_reported_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pyproject.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let (settings, _, warnings) = settings_for_dir(dir.path(), &PartialSettings::default());
        assert_eq!(settings, Settings::default());
        assert!(warnings.iter().any(|w| w.message.contains("a FIFO")), "{warnings:?}");
    }

    #[test]
    fn client_overrides_pyproject() {
        let (file, _) = PartialSettings::from_value(&json!({"level": "junior", "ignore": ["bare-except"]}), "f", None);
        let (client, _) = PartialSettings::from_value(&json!({"level": "senior"}), "c", None);
        let resolved = file.merge(client).resolve();
        assert_eq!(resolved.level, Level::Senior);
        assert!(!resolved.rules.contains(Rule::BareExcept));
        // A later select re-enables what the file ignored.
        let (client, _) = PartialSettings::from_value(&json!({"select": ["bare-except"]}), "c", None);
        let (file, _) = PartialSettings::from_value(&json!({"ignore": ["bare-except"]}), "f", None);
        assert!(file.merge(client).resolve().rules.contains(Rule::BareExcept));
    }
}
