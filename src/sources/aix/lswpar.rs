//! `lswpar` output: the default table, the delimited `-c`/`-d`/`-q`/`-a` forms and the
//! `-G` general paragraphs (docs/formats.md, "AIX: lswpar", "AIX: lswpar -c",
//! "AIX: lswpar -G").
//!
//! All three read into [`Wpar`]. Unknown state or type letters are kept in `Other`;
//! a line that cannot be read becomes a [`Diagnostic`](crate::sources::Diagnostic); output that is only an AIX
//! message (`lswpar: 0960-419 Could not find a workload partition called x.`) is
//! `Err(HostError::Aix)`. Empty output is a global environment without WPARs.

use crate::estate::{Wpar, WparState, WparType};
use crate::sources::{AixMessage, HostError, Parsed};

/// Field names `lswpar -c` prints when no `-a` is given, in order: the table's columns
/// (docs/formats.md, "AIX: lswpar -c"; only `name` and `state` are verified in that
/// position).
pub const DEFAULT_LSWPAR_FIELDS: &[&str] = &[
    "name",
    "state",
    "type",
    "hostname",
    "directory",
    "rootvgwpar",
];

/// Reads the default `lswpar` table (`Name State Type Hostname Directory RootVG WPAR`).
///
/// The header and the dash line are optional (`lswpar -q`) and may repeat; every other
/// line must hold exactly six whitespace-separated values, because no value can contain
/// a blank. A row with another count, or a RootVG value other than yes/no, is skipped
/// with a diagnostic naming its line.
pub fn parse_lswpar_table(text: &str) -> Result<Parsed<Wpar>, HostError> {
    let mut out = Outcome::default();
    for (number, line) in numbered_lines(text) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.is_empty() || is_table_header(&tokens) || is_rule(line, '-') {
            continue;
        }
        if let Some(message) = AixMessage::parse_line(line) {
            out.messages.push((number, line.to_string(), message));
            continue;
        }
        let [name, state, kind, hostname, directory, rootvg] = tokens[..] else {
            out.parsed.warn(
                number,
                line,
                format!(
                    "expected 6 columns (Name State Type Hostname Directory RootVG), found {}",
                    tokens.len()
                ),
            );
            continue;
        };
        let Some(rootvg) = yes_no(rootvg) else {
            out.parsed.warn(
                number,
                line,
                format!("RootVG WPAR column is {rootvg:?}, not yes or no: columns misaligned?"),
            );
            continue;
        };
        let mut wpar = Wpar::new(name, WparState::parse(state), WparType::parse(kind));
        wpar.hostname = Some(hostname.to_string());
        wpar.directory = Some(directory.to_string());
        wpar.rootvg = rootvg;
        out.parsed.items.push(wpar);
    }
    out.finish()
}

/// Reads the delimited forms: `lswpar -c` (colon), `lswpar -d X` and either with `-q`
/// and `-a`.
///
/// A leading `#name:state:...` header names the fields. Without one (`-q`), `fields`
/// names them, and an empty `fields` means [`DEFAULT_LSWPAR_FIELDS`]. Field names are
/// the `-a` names (`name`, `state`, `type`, `hostname`, `directory`, `rootvgwpar`,
/// `checkpointable`, `privateusr`, `auto`, `ostype`, `owner`, `uuid`); others are
/// ignored. A `#` header line anywhere replaces the field names from there on. A record
/// without a `name` field cannot be told apart from the others, so it is skipped with a
/// diagnostic: select `-a name,...` as well.
///
/// Fields that were not selected stay unknown: state and type become `Other("")`, the
/// optional fields `None`, `rootvg` false. A trailing delimiter is accepted.
pub fn parse_lswpar_delimited(
    text: &str,
    delim: char,
    fields: &[&str],
) -> Result<Parsed<Wpar>, HostError> {
    let mut out = Outcome::default();
    let mut names: Vec<String> = if fields.is_empty() {
        DEFAULT_LSWPAR_FIELDS
            .iter()
            .map(|f| f.to_string())
            .collect()
    } else {
        fields
            .iter()
            .map(|f| f.trim().to_ascii_lowercase())
            .collect()
    };
    for (number, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(header) = delimited_header(line, delim) {
            names = header;
            continue;
        }
        if let Some(message) = AixMessage::parse_line(line) {
            out.messages.push((number, line.to_string(), message));
            continue;
        }
        let mut values: Vec<&str> = line.split(delim).map(str::trim).collect();
        if values.len() == names.len() + 1 && values.last() == Some(&"") {
            values.pop();
        }
        if values.len() != names.len() {
            out.parsed.warn(
                number,
                line,
                format!(
                    "expected {} fields ({}), found {}",
                    names.len(),
                    names.join(&delim.to_string()),
                    values.len()
                ),
            );
            continue;
        }
        match wpar_from_fields(names.iter().map(String::as_str).zip(values)) {
            Ok(wpar) => out.parsed.items.push(wpar),
            Err(problem) => out.parsed.warn(number, line, problem),
        }
    }
    out.finish()
}

/// Reads `lswpar -G`: per WPAR a `=====` line, `<name> - <State>`, `=====`, then
/// `Label:   value` lines (docs/formats.md, "AIX: lswpar -G").
///
/// Fills type, rootvg, owner, hostname, directory, auto start, private /usr,
/// checkpointable, OStype and UUID; other labels (routing, script, application...) are
/// ignored. Until its `Type:` line is read a WPAR's type is `Other("")`. A label line
/// before any `<name> - <State>` line is skipped with a diagnostic.
pub fn parse_lswpar_general(text: &str) -> Result<Parsed<Wpar>, HostError> {
    let mut out = Outcome::default();
    let mut current: Option<Wpar> = None;
    for (number, line) in numbered_lines(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_rule(line, '=') {
            continue;
        }
        let label_value = trimmed
            .split_once(':')
            .map(|(label, value)| (label.trim(), value.trim()));
        let is_known_label = label_value.is_some_and(|(label, _)| general_field(label).is_some());
        if !is_known_label {
            if let Some(message) = AixMessage::parse_line(line) {
                out.messages.push((number, line.to_string(), message));
                continue;
            }
        }
        match label_value {
            Some((label, value)) => match current.as_mut() {
                Some(wpar) => {
                    if let Some(field) = general_field(label) {
                        set_field(wpar, field, value);
                    }
                }
                None => {
                    out.parsed
                        .warn(number, line, "attribute before any '<name> - <State>' line")
                }
            },
            None => match general_header(trimmed) {
                Some(wpar) => {
                    out.parsed.items.extend(current.take());
                    current = Some(wpar);
                }
                None => out.parsed.warn(
                    number,
                    line,
                    "neither a '<name> - <State>' line nor a 'Label: value' line",
                ),
            },
        }
    }
    out.parsed.items.extend(current);
    out.finish()
}

/// Records and AIX message lines gathered while reading one output.
#[derive(Default)]
struct Outcome {
    parsed: Parsed<Wpar>,
    messages: Vec<(usize, String, AixMessage)>,
}

impl Outcome {
    /// Output that is only messages is the command's error; messages among records
    /// (one of several named WPARs missing) become diagnostics.
    fn finish(mut self) -> Result<Parsed<Wpar>, HostError> {
        if self.parsed.items.is_empty() {
            if let Some((_, _, message)) = self.messages.into_iter().next() {
                return Err(HostError::Aix(message));
            }
            return Ok(self.parsed);
        }
        for (number, line, message) in self.messages {
            self.parsed
                .warn(number, &line, format!("lswpar reported: {message}"));
        }
        self.parsed.diagnostics.sort_by_key(|d| d.line);
        Ok(self.parsed)
    }
}

/// Lines with their 1-based numbers, a trailing `\r` removed.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(index, line)| (index + 1, line))
}

fn is_table_header(tokens: &[&str]) -> bool {
    matches!(tokens, ["Name", "State", ..])
}

/// A separator line: only `rule` characters (at least one) and blanks.
fn is_rule(line: &str, rule: char) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && trimmed.chars().all(|c| c == rule || c.is_whitespace())
}

fn yes_no(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if value.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// `#name:state:...` → the lower-cased field names, when every name looks like one.
/// Every such line is a header, so concatenated outputs each bring their own; a record
/// of a WPAR whose name starts with `#` is still read when any selected value holds a
/// character other than letters, digits and `_` (a directory always does).
fn delimited_header(line: &str, delim: char) -> Option<Vec<String>> {
    let rest = line.trim().strip_prefix('#')?;
    let mut names: Vec<String> = rest
        .split(delim)
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    if names.len() > 1 && names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    let plausible = names.iter().all(|name| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    plausible.then_some(names)
}

/// A WPAR field that `-a` and `-G` can show.
#[derive(Clone, Copy)]
enum Field {
    Name,
    State,
    Type,
    Hostname,
    Directory,
    RootVg,
    Checkpointable,
    PrivateUsr,
    AutoStart,
    OsType,
    Owner,
    Uuid,
}

/// `-a` / header field names.
fn delimited_field(name: &str) -> Option<Field> {
    Some(match name.to_ascii_lowercase().as_str() {
        "name" => Field::Name,
        "state" => Field::State,
        "type" => Field::Type,
        "hostname" => Field::Hostname,
        "directory" => Field::Directory,
        "rootvgwpar" => Field::RootVg,
        "checkpointable" => Field::Checkpointable,
        "privateusr" => Field::PrivateUsr,
        "auto" => Field::AutoStart,
        "ostype" => Field::OsType,
        "owner" => Field::Owner,
        "uuid" => Field::Uuid,
        _ => return None,
    })
}

/// `-G` labels (`Auto:` is the `-L` spelling of `Auto Start:`).
fn general_field(label: &str) -> Option<Field> {
    Some(match label.to_ascii_lowercase().as_str() {
        "type" => Field::Type,
        "rootvg wpar" => Field::RootVg,
        "owner" => Field::Owner,
        "hostname" => Field::Hostname,
        "directory" => Field::Directory,
        "auto start" | "auto" => Field::AutoStart,
        "private /usr" => Field::PrivateUsr,
        "checkpointable" => Field::Checkpointable,
        "ostype" => Field::OsType,
        "uuid" => Field::Uuid,
        _ => return None,
    })
}

/// `syswpar - Defined` → a WPAR with that name and state.
fn general_header(line: &str) -> Option<Wpar> {
    let (name, state) = line.split_once(" - ")?;
    let (name, state) = (name.trim(), state.trim());
    if name.is_empty() || name.contains(char::is_whitespace) || state.is_empty() {
        return None;
    }
    Some(Wpar::new(
        name,
        WparState::parse(state),
        WparType::Other(String::new()),
    ))
}

/// Builds a WPAR from `(field name, value)` pairs of one delimited record.
fn wpar_from_fields<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Result<Wpar, String> {
    let mut wpar = Wpar::new(
        "",
        WparState::Other(String::new()),
        WparType::Other(String::new()),
    );
    let mut named = false;
    for (name, value) in pairs {
        let Some(field) = delimited_field(name) else {
            continue;
        };
        match field {
            Field::Name => named = true,
            Field::RootVg if !value.is_empty() && yes_no(value).is_none() => {
                return Err(format!("rootvgwpar is {value:?}, not yes or no"));
            }
            _ => {}
        }
        set_field(&mut wpar, field, value);
    }
    if !named {
        return Err("no name field: ask lswpar for it too (-a name,...)".to_string());
    }
    if wpar.name.is_empty() {
        return Err("empty WPAR name".to_string());
    }
    Ok(wpar)
}

/// Stores one value; empty values leave optional fields unknown, unreadable yes/no or
/// number values too.
fn set_field(wpar: &mut Wpar, field: Field, value: &str) {
    let text = (!value.is_empty()).then(|| value.to_string());
    match field {
        Field::Name => wpar.name = value.to_string(),
        Field::State => wpar.state = WparState::parse(value),
        Field::Type => wpar.wpar_type = WparType::parse(value),
        Field::Hostname => wpar.hostname = text,
        Field::Directory => wpar.directory = text,
        Field::RootVg => wpar.rootvg = yes_no(value).unwrap_or(false),
        Field::Checkpointable => wpar.checkpointable = yes_no(value),
        Field::PrivateUsr => wpar.private_usr = yes_no(value),
        Field::AutoStart => wpar.auto_start = yes_no(value),
        Field::OsType => wpar.ostype = value.parse().ok(),
        Field::Owner => wpar.owner = text,
        Field::Uuid => wpar.uuid = text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_row_with_unknown_letters() {
        let parsed = parse_lswpar_table("w1 Q Z w1 /wpars/w1 no\n").unwrap();
        assert_eq!(parsed.items[0].state, WparState::Other("Q".into()));
        assert_eq!(parsed.items[0].wpar_type, WparType::Other("Z".into()));
        assert!(parsed.is_clean());
    }

    #[test]
    fn rule_lines() {
        assert!(is_rule("-----", '-'));
        assert!(is_rule("  --- ---  ", '-'));
        assert!(!is_rule("", '-'));
        assert!(!is_rule("-a-", '-'));
    }

    #[test]
    fn header_needs_identifier_names() {
        assert_eq!(
            delimited_header("#name:state:", ':'),
            Some(vec!["name".to_string(), "state".to_string()])
        );
        assert_eq!(delimited_header("#w1:A:S:w1:/wpars/w1:no", ':'), None);
        assert_eq!(delimited_header("#", ':'), None);
    }

    #[test]
    fn general_header_shapes() {
        let wpar = general_header("syswpar - Defined").unwrap();
        assert_eq!(wpar.name, "syswpar");
        assert_eq!(wpar.state, WparState::Defined);
        assert!(general_header("two words - Active").is_none());
        assert!(general_header("w1 - ").is_none());
    }

    #[test]
    fn mixed_records_and_message() {
        let text = "w1:A:S:w1:/wpars/w1:no\nlswpar: 0960-419 Could not find a workload partition called x.\n";
        let parsed = parse_lswpar_delimited(text, ':', &[]).unwrap();
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.diagnostics[0].line, 2);
        assert!(parsed.diagnostics[0].message.contains("0960-419"));
    }
}
