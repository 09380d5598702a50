//! Settings, resolved the same way for the command line and the language server.
//!
//! Sources, lowest priority first: defaults, the nearest `pyproject.toml` `[tool.interview-lens]`,
//! then the client (editor settings or command-line flags). A bad key or value is a warning that
//! names the key and where it came from; the default is used for it.

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings { rules: RuleSet::all(), level: Level::Senior, cards: Vec::new(), concept_hovers: true }
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
                warn(format!("settings must be a table/object, not {}", type_name(value)));
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
                    None => warn(format!("`{key}` must be a string (junior, mid or senior), not {}", type_name(value))),
                },
                "cards" => match string_list(value) {
                    Some(dirs) => {
                        settings.cards = Some(
                            dirs.into_iter().map(|d| base.map_or_else(|| PathBuf::from(&d), |b| b.join(&d))).collect(),
                        )
                    }
                    None => warn(format!("`{key}` must be a list of folder paths, not {}", type_name(value))),
                },
                "concept-hovers" => match value.as_bool() {
                    Some(b) => settings.concept_hovers = Some(b),
                    None => warn(format!("`{key}` must be true or false, not {}", type_name(value))),
                },
                // Editor-only settings handled by the extensions, accepted silently.
                "path" | "fix-all-on-save" | "trace" => {}
                _ => warn(format!("unknown key `{key}` (known: select, ignore, level, cards, concept-hovers)")),
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
        self.cards = over.cards.or(self.cards);
        self.concept_hovers = over.concept_hovers.or(self.concept_hovers);
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

fn rule_list(key: &str, value: &Value, warn: &mut impl FnMut(String)) -> Option<Vec<Rule>> {
    let Some(ids) = string_list(value) else {
        warn(format!("`{key}` must be a list of rule ids, not {}", type_name(value)));
        return None;
    };
    let mut rules = Vec::new();
    for id in ids {
        match Rule::from_id(&id) {
            Some(rule) => rules.push(rule),
            None => warn(format!("`{key}` names an unknown rule `{id}`")),
        }
    }
    Some(rules)
}

/// The nearest `pyproject.toml` at or above `start` (a file or folder) that has a
/// `[tool.interview-lens]` table.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() { start } else { start.parent()? };
    start.ancestors().map(|dir| dir.join("pyproject.toml")).find(|candidate| {
        // A textual check keeps this cheap; an invalid file that mentions us is still returned, so
        // its parse error reaches the user instead of being silently skipped.
        std::fs::read_to_string(candidate).is_ok_and(|text| text.contains("interview-lens"))
    })
}

/// The `[tool.interview-lens]` table of a pyproject file, as JSON.
fn load_pyproject_table(path: &Path) -> Result<Option<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| format!("invalid TOML: {}", e.message()))?;
    let Some(section) = doc.get("tool").and_then(|t| t.get("interview-lens")) else { return Ok(None) };
    serde_json::to_value(section).map(Some).map_err(|e| e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_keys_in_both_spellings() {
        let (s, w) = PartialSettings::from_value(
            &json!({"select": ["bare-except"], "level": "mid", "conceptHovers": false, "cards": ["extra"]}),
            "client",
            Some(Path::new("/p")),
        );
        assert!(w.is_empty(), "{w:?}");
        let resolved = s.resolve();
        assert!(resolved.rules.contains(Rule::BareExcept));
        assert!(!resolved.rules.contains(Rule::MutableDefaultArgument));
        assert_eq!(resolved.level, Level::Mid);
        assert!(!resolved.concept_hovers);
        assert_eq!(resolved.cards, vec![PathBuf::from("/p/extra")]);
    }

    #[test]
    fn bad_values_warn_with_the_key_and_keep_defaults() {
        let (s, w) = PartialSettings::from_value(
            &json!({"level": "expert", "select": "bare-except", "ignore": ["nope"], "colour": 1, "concept-hovers": "yes"}),
            "pyproject.toml",
            None,
        );
        let text: Vec<String> = w.iter().map(ToString::to_string).collect();
        assert_eq!(w.len(), 5, "{text:?}");
        assert!(text.iter().any(|t| t.contains("`level`") && t.contains("expert")));
        assert!(text.iter().any(|t| t.contains("`select`") && t.contains("list")));
        assert!(text.iter().any(|t| t.contains("unknown rule `nope`")));
        assert!(text.iter().any(|t| t.contains("unknown key `colour`")));
        assert!(text.iter().all(|t| t.starts_with("pyproject.toml: ")));
        assert_eq!(s.resolve(), Settings { rules: RuleSet::all(), ..Settings::default() });
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
