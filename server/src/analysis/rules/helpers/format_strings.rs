//! Parsing the two older string-formatting mini-languages, as `fstring-formatting` needs them: the
//! printf-style conversions of `str % values` and the replacement fields of `str.format`. Both
//! parsers work on a string's text (its value, or its source body between the quotes) and return
//! `None` for a template Python would reject, so a rule never rewrites code that raises today.

/// One part of a printf-style template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Printf<'s> {
    /// Text copied as it is.
    Text(&'s str),
    /// `%%`: one `%`.
    Percent,
    /// `%[(key)][flags][width][.precision][length]type`.
    Conversion(Conversion<'s>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Conversion<'s> {
    /// `(name)`: the value comes from a mapping.
    pub key: Option<&'s str>,
    /// Any of `#0- +`, as written.
    pub flags: &'s str,
    /// Digits, or `*` (taken from the values).
    pub width: &'s str,
    /// The digits after `.` (`Some("")` for a bare `.`), or `*`.
    pub precision: Option<&'s str>,
    /// A length modifier (`h`, `l`, `L`) was written: Python ignores it.
    pub length: bool,
    /// One of `diouxXeEfFgGcrsa`.
    pub kind: char,
}

/// The parts of a printf-style template, or `None` if `%` would raise on it (an unknown or
/// incomplete conversion).
pub(crate) fn parse_printf(text: &str) -> Option<Vec<Printf<'_>>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        if at > 0 {
            parts.push(Printf::Text(&rest[..at]));
        }
        let spec = &rest[at + 1..];
        if let Some(after) = spec.strip_prefix('%') {
            parts.push(Printf::Percent);
            rest = after;
            continue;
        }
        let (conversion, after) = parse_conversion(spec)?;
        parts.push(Printf::Conversion(conversion));
        rest = after;
    }
    if !rest.is_empty() {
        parts.push(Printf::Text(rest));
    }
    Some(parts)
}

fn parse_conversion(spec: &str) -> Option<(Conversion<'_>, &str)> {
    let mut rest = spec;
    let key = match rest.strip_prefix('(') {
        Some(after) => {
            // Python allows nested parentheses in the key; a template using them is left alone.
            let close = after.find(')')?;
            if after[..close].contains('(') {
                return None;
            }
            rest = &after[close + 1..];
            Some(&after[..close])
        }
        None => None,
    };
    let take = |s: &str, pred: fn(char) -> bool| s.find(|c: char| !pred(c)).unwrap_or(s.len());
    let n = take(rest, |c| "#0- +".contains(c));
    let flags = &rest[..n];
    rest = &rest[n..];
    let n = if rest.starts_with('*') { 1 } else { take(rest, |c| c.is_ascii_digit()) };
    let width = &rest[..n];
    rest = &rest[n..];
    let precision = match rest.strip_prefix('.') {
        Some(after) => {
            let n = if after.starts_with('*') { 1 } else { take(after, |c| c.is_ascii_digit()) };
            rest = &after[n..];
            Some(&after[..n])
        }
        None => None,
    };
    let length = rest.starts_with(['h', 'l', 'L']);
    if length {
        rest = &rest[1..];
    }
    let kind = rest.chars().next()?;
    if !"diouxXeEfFgGcrsa".contains(kind) {
        return None;
    }
    Some((Conversion { key, flags, width, precision, length, kind }, &rest[kind.len_utf8()..]))
}

/// One part of a `str.format` template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format<'s> {
    /// Text copied as it is, `{{` and `}}` included.
    Text(&'s str),
    /// `{name!c:spec}`.
    Field(Field<'s>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field<'s> {
    /// The argument: `""` (the next positional one), digits (by position) or a keyword's name.
    pub arg: &'s str,
    /// What follows the argument in the field name: `.attr` and `[key]` parts, as written.
    pub access: &'s str,
    /// `r`, `s` or `a` after `!`.
    pub conversion: Option<char>,
    /// The format spec after `:`, as written (it may hold nested fields).
    pub spec: &'s str,
}

/// The parts of a `str.format` template, or `None` if `format` would raise on it (an unmatched
/// brace, a bad conversion, or automatic and manual numbering mixed).
pub(crate) fn parse_format(text: &str) -> Option<Vec<Format<'_>>> {
    let mut parts = Vec::new();
    let bytes = text.as_bytes();
    let (mut i, mut text_start) = (0, 0);
    let (mut auto, mut manual) = (false, false);
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'}' => return None,
            b'{' => {
                if text_start < i {
                    parts.push(Format::Text(&text[text_start..i]));
                }
                // The field ends at the `}` that closes it; a spec may nest one level of fields.
                let mut depth = 0usize;
                let mut end = None;
                for (j, b) in bytes.iter().enumerate().skip(i + 1) {
                    match b {
                        b'{' => depth += 1,
                        b'}' if depth == 0 => {
                            end = Some(j);
                            break;
                        }
                        b'}' => depth -= 1,
                        _ => {}
                    }
                }
                let end = end?;
                let field = parse_field(&text[i + 1..end])?;
                if field.arg.is_empty() {
                    auto = true;
                } else if field.arg.bytes().all(|b| b.is_ascii_digit()) {
                    manual = true;
                }
                parts.push(Format::Field(field));
                i = end + 1;
                text_start = i;
            }
            _ => i += 1,
        }
    }
    if auto && manual {
        return None;
    }
    if text_start < text.len() {
        parts.push(Format::Text(&text[text_start..]));
    }
    Some(parts)
}

fn parse_field(inner: &str) -> Option<Field<'_>> {
    // The field name ends at the first `!` or `:` outside `[...]`.
    let mut in_brackets = false;
    let mut name_end = inner.len();
    for (i, c) in inner.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            '!' | ':' if !in_brackets => {
                name_end = i;
                break;
            }
            '{' | '}' if !in_brackets => return None,
            _ => {}
        }
    }
    let name = &inner[..name_end];
    let mut rest = &inner[name_end..];
    let conversion = match rest.strip_prefix('!') {
        Some(after) => {
            let c = after.chars().next()?;
            if !"rsa".contains(c) {
                return None;
            }
            rest = &after[1..];
            if !rest.is_empty() && !rest.starts_with(':') {
                return None;
            }
            Some(c)
        }
        None => None,
    };
    let spec = rest.strip_prefix(':').unwrap_or(rest);
    let arg_end = name.find(['.', '[']).unwrap_or(name.len());
    Some(Field { arg: &name[..arg_end], access: &name[arg_end..], conversion, spec })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_conversions() {
        let parts = parse_printf("%s: %-10.3f%%, %(n)05d %r").unwrap();
        let Printf::Conversion(s) = parts[0] else { panic!("{parts:?}") };
        assert_eq!((s.kind, s.flags, s.width, s.precision, s.key), ('s', "", "", None, None));
        assert_eq!(parts[1], Printf::Text(": "));
        let Printf::Conversion(f) = parts[2] else { panic!() };
        assert_eq!((f.kind, f.flags, f.width, f.precision), ('f', "-", "10", Some("3")));
        assert_eq!(parts[3], Printf::Percent);
        let Printf::Conversion(d) = parts[5] else { panic!() };
        assert_eq!((d.kind, d.flags, d.width, d.key), ('d', "0", "5", Some("n")));
        let Printf::Conversion(star) = parse_printf("%*.*s").unwrap()[0] else { panic!() };
        assert_eq!((star.width, star.precision), ("*", Some("*")));
        assert!(parse_printf("%ld").unwrap().iter().any(|p| matches!(p, Printf::Conversion(c) if c.length)));
        assert_eq!(parse_printf("no conversions").unwrap(), [Printf::Text("no conversions")]);
    }

    #[test]
    fn printf_rejects_what_python_rejects() {
        for bad in ["100%", "%y", "%(name", "% 5", "%.", "%(a(b))s"] {
            assert!(parse_printf(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn format_fields() {
        let parts = parse_format("{} and {name.attr[0]!r:>{width}} {{literal}}").unwrap();
        let Format::Field(first) = parts[0] else { panic!("{parts:?}") };
        assert_eq!((first.arg, first.access, first.conversion, first.spec), ("", "", None, ""));
        let Format::Field(second) = parts[2] else { panic!() };
        assert_eq!(
            (second.arg, second.access, second.conversion, second.spec),
            ("name", ".attr[0]", Some('r'), ">{width}")
        );
        assert_eq!(parts[3], Format::Text(" {{literal}}"));
        let Format::Field(index) = parse_format("{0:%Y-%m-%d}").unwrap()[0] else { panic!() };
        assert_eq!((index.arg, index.spec), ("0", "%Y-%m-%d"));
        // A `:` inside brackets belongs to the key.
        let Format::Field(key) = parse_format("{d[a:b]}").unwrap()[0] else { panic!() };
        assert_eq!((key.arg, key.access, key.spec), ("d", "[a:b]", ""));
    }

    #[test]
    fn format_rejects_what_python_rejects() {
        for bad in ["{", "}", "{0!x}", "{0!rr}", "{} {0}", "{a{b}", "x } y"] {
            assert!(parse_format(bad).is_none(), "{bad}");
        }
    }
}
