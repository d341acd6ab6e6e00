//! `lsnim` output on a NIM master: the plain `name class type` listing and the
//! `lsnim -l` stanzas (docs/formats.md, "NIM: lsnim", "NIM: lsnim -l").
//!
//! A missing object (`0042-053 lsnim: there is no NIM object named "x"`) is
//! `Err(HostError::Aix)` when nothing else was printed; next to records it becomes a
//! diagnostic. Empty output is an empty listing.

use serde::Serialize;

use crate::estate::{Cstate, Mstate, NimClass, NimObject, Rstate};
use crate::sources::{AixMessage, HostError, Parsed};

/// One line of the plain `lsnim` listing: enough to list a master's objects and to pick
/// which ones to read in full with `lsnim -l`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NimEntry {
    pub name: String,
    pub class: NimClass,
    /// `master`, `standalone`, `lpp_source`, `ent`, `hmc`...
    #[serde(rename = "type")]
    pub object_type: String,
}

/// Reads the plain listing (`lsnim`, `lsnim -c machines`, `lsnim -t hmc`, `lsnim <name>`).
///
/// Columns are split on any run of blanks or tabs. The last two words are the class and
/// the type, everything before them the name (the IBM technote's placeholder names such
/// as `server B hostname` hold blanks; runs of blanks inside a name become one). A line
/// with fewer than three words, or a class or type that is not a single word of letters,
/// digits and `_`, is skipped with a diagnostic.
pub fn parse_lsnim(text: &str) -> Result<Parsed<NimEntry>, HostError> {
    let mut parsed = Parsed::empty();
    let mut messages = Vec::new();
    for (number, line) in numbered_lines(text) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let entry = match words[..] {
            [ref name @ .., class, object_type]
                if !name.is_empty() && is_word(class) && is_word(object_type) =>
            {
                Some(NimEntry {
                    name: name.join(" "),
                    class: NimClass::parse(class),
                    object_type: object_type.to_string(),
                })
            }
            _ => None,
        };
        // A listing line is only taken for a message when its class is not one NIM has.
        match entry {
            Some(entry) if entry.class.is_known() => parsed.items.push(entry),
            entry => {
                if let Some(message) = AixMessage::parse_line(line) {
                    messages.push((number, line.to_string(), message));
                } else if let Some(entry) = entry {
                    parsed.items.push(entry);
                } else {
                    parsed.warn(
                        number,
                        line,
                        format!(
                            "expected three columns (name class type), found {}",
                            describe_words(&words)
                        ),
                    );
                }
            }
        }
    }
    finish(parsed, messages)
}

/// Reads `lsnim -l` stanzas into objects, every attribute kept in order (repeats too).
///
/// * `name:` at column 0 opens an object (names may hold blanks, never `:`).
/// * An indented `attr = value` line adds an attribute. The value may be empty
///   (`prev_state  =`) or contain `=`; it is trimmed.
/// * Any other indented line continues the previous value (a wrapped `info`), joined
///   with one blank.
/// * class, type, Cstate, Mstate, Rstate and current_master are filled from the first
///   attribute of that name.
///
/// An object without a `class` attribute is kept with `NimClass::Other("")` and an
/// empty type, without a diagnostic: `lsnim -a Cstate -a Mstate <name>` prints exactly
/// such stanzas. Lines that cannot belong to an object (an attribute before any `name:`
/// line, a continuation right after one) are skipped with a diagnostic.
pub fn parse_lsnim_long(text: &str) -> Result<Parsed<NimObject>, HostError> {
    let mut parsed = Parsed::empty();
    let mut messages = Vec::new();
    let mut current: Option<NimObject> = None;
    // After an object line that does not parse, its attributes belong to no object we
    // know: they are skipped, never merged into the object before it.
    let mut skipping = false;
    for (number, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with(char::is_whitespace);
        if !indented {
            if let Some(name) = object_name(line) {
                parsed
                    .items
                    .extend(current.take().map(fill_known_attributes));
                current = Some(new_object(name));
                skipping = false;
            } else if let Some(message) = AixMessage::parse_line(line) {
                messages.push((number, line.to_string(), message));
            } else {
                parsed.warn(
                    number,
                    line,
                    "expected an object line 'name:' at column 0; its attributes are skipped",
                );
                parsed
                    .items
                    .extend(current.take().map(fill_known_attributes));
                skipping = true;
            }
            continue;
        }
        if skipping {
            continue;
        }
        let Some(object) = current.as_mut() else {
            if let Some(message) = AixMessage::parse_line(line) {
                messages.push((number, line.to_string(), message));
            } else {
                parsed.warn(number, line, "attribute before any 'name:' object line");
            }
            continue;
        };
        if let Some((key, value)) = attribute(line) {
            object.attributes.push((key.to_string(), value.to_string()));
        } else if let Some((_, value)) = object.attributes.last_mut() {
            let more = line.trim();
            if !value.is_empty() {
                value.push(' ');
            }
            value.push_str(more);
        } else {
            parsed.warn(
                number,
                line,
                format!(
                    "expected 'attribute = value' under object {:?}",
                    object.name
                ),
            );
        }
    }
    parsed.items.extend(current.map(fill_known_attributes));
    finish(parsed, messages)
}

/// Output that is only messages is the command's error; messages among records become
/// diagnostics.
fn finish<T>(
    mut parsed: Parsed<T>,
    messages: Vec<(usize, String, AixMessage)>,
) -> Result<Parsed<T>, HostError> {
    if parsed.items.is_empty() {
        if let Some((_, _, message)) = messages.into_iter().next() {
            return Err(HostError::Aix(message));
        }
        return Ok(parsed);
    }
    for (number, line, message) in messages {
        parsed.warn(number, &line, format!("lsnim reported: {message}"));
    }
    parsed.diagnostics.sort_by_key(|d| d.line);
    Ok(parsed)
}

/// Lines with their 1-based numbers, a trailing `\r` removed.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(index, line)| (index + 1, line))
}

/// Class, type and attribute names: letters, digits and `_`.
fn is_word(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn describe_words(words: &[&str]) -> String {
    if words.len() < 3 {
        format!("{} word(s)", words.len())
    } else {
        "a class or type that is not one word of letters, digits and '_'".to_string()
    }
}

/// `client hostname:` → `client hostname`.
fn object_name(line: &str) -> Option<&str> {
    let name = line.trim_end().strip_suffix(':')?.trim();
    (!name.is_empty() && !name.contains(':')).then_some(name)
}

/// `   Cstate      = ready for a NIM operation` → (`Cstate`, `ready for a NIM operation`).
fn attribute(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    is_word(key).then_some((key, value.trim()))
}

fn new_object(name: &str) -> NimObject {
    NimObject {
        name: name.to_string(),
        class: NimClass::Other(String::new()),
        object_type: String::new(),
        cstate: None,
        mstate: None,
        rstate: None,
        current_master: None,
        attributes: Vec::new(),
    }
}

/// Copies the attributes powerdeck reasons about into their typed fields.
fn fill_known_attributes(mut object: NimObject) -> NimObject {
    let known = |name: &str| {
        object
            .attribute(name)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    };
    let class = known("class");
    let object_type = known("type");
    let cstate = known("Cstate");
    let mstate = known("Mstate");
    let rstate = known("Rstate");
    let current_master = known("current_master");
    if let Some(class) = class {
        object.class = NimClass::parse(&class);
    }
    object.object_type = object_type.unwrap_or_default();
    object.cstate = cstate.as_deref().map(Cstate::parse);
    object.mstate = mstate.as_deref().map(Mstate::parse);
    object.rstate = rstate.as_deref().map(Rstate::parse);
    object.current_master = current_master;
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_shapes() {
        assert_eq!(attribute("   prev_state  ="), Some(("prev_state", "")));
        assert_eq!(attribute("   prev_state  = "), Some(("prev_state", "")));
        assert_eq!(attribute("  comments = a=b c"), Some(("comments", "a=b c")));
        assert_eq!(attribute("   because rc = 1"), None);
        assert_eq!(attribute("   = orphan"), None);
    }

    #[test]
    fn attributes_under_an_unreadable_object_line_go_nowhere() {
        let text = "client1:\n   class = machines\n   Cstate = ready for a NIM operation\n\
                    %%garbage header\n   Cstate = BOS installation has been enabled\n   spot = spot1\n\
                    client2:\n   class = machines\n";
        let parsed = parse_lsnim_long(text).unwrap();
        let names: Vec<_> = parsed.items.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["client1", "client2"]);
        assert_eq!(
            parsed.items[0].attribute("Cstate"),
            Some("ready for a NIM operation"),
            "the unreadable object's attributes are not merged into client1"
        );
        assert_eq!(parsed.items[0].attribute("spot"), None);
        assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
        assert_eq!(parsed.diagnostics[0].line, 4);
    }

    #[test]
    fn object_lines() {
        assert_eq!(object_name("client hostname:"), Some("client hostname"));
        assert_eq!(object_name("master:  "), Some("master"));
        assert_eq!(object_name(":"), None);
        assert_eq!(
            object_name("0042-001 nim: processing error encountered on \"master\":"),
            None
        );
    }

    #[test]
    fn code_shaped_name_with_known_class_is_an_entry() {
        let parsed = parse_lsnim("0042-053 machines standalone\n").unwrap();
        assert_eq!(parsed.items[0].name, "0042-053");
    }

    #[test]
    fn continuation_right_after_object_line() {
        let parsed = parse_lsnim_long("x:\n   wrapped text\n   class = machines\n").unwrap();
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].line, 2);
        assert_eq!(parsed.items[0].class, NimClass::Machines);
    }
}
