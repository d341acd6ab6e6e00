//! The HMC listing grammar: `attr=value` records with two-level CSV quoting, and the
//! `-F` delimited form (docs/formats.md, "HMC: records", "HMC: quoting", "HMC: -F and
//! --header", "HMC: empty listings").

use std::borrow::Cow;

use crate::estate::Attributes;
use crate::sources::{HostError, HsclMessage, Parsed};

/// One object from an HMC listing and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: usize,
    pub attributes: Attributes,
}

impl Record {
    /// The value of attribute `name`, if printed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes.get(name)
    }
}

/// The first line of `text` when the HMC printed a message instead of records:
/// `Err` for an HSCL or command-line error, `Ok(true)` for `No results were found.`,
/// `Ok(false)` when records follow.
fn leading_message(text: &str) -> Result<bool, HostError> {
    let Some(first) = text.lines().map(str::trim).find(|line| !line.is_empty()) else {
        return Ok(false);
    };
    if first == "No results were found." || first == "Nie znaleziono wyników." {
        return Ok(true);
    }
    if HsclMessage::parse_line(first).is_some() {
        return Err(
            HostError::recognise(text).unwrap_or_else(|| HostError::Failed {
                exit_status: None,
                text: first.to_string(),
            }),
        );
    }
    let lower = first.to_ascii_lowercase();
    let complaint = lower.starts_with("the command entered is")
        || lower.contains("invalid attribute")
        || lower.starts_with("rbash:")
        || lower.starts_with("usage:");
    if complaint {
        if let Some(error) = HostError::recognise(text) {
            return Err(error);
        }
    }
    Ok(false)
}

/// Parses the default listing format: one record per line, `attr=value` fields
/// separated by commas, a field wrapped in `"` when its value holds a comma (with `""`
/// for a literal quote), and values that may span lines inside quotes (`lshmc -V`).
///
/// `No results were found.` is an empty list. An HSCL message in place of records is an
/// error. A line that is not a record becomes a diagnostic; a bad field in an otherwise
/// good record is dropped with a diagnostic and the record kept.
pub fn parse_records(text: &str) -> Result<Parsed<Record>, HostError> {
    let mut parsed = Parsed::empty();
    if text.trim().is_empty() {
        parsed.warn(
            1,
            "",
            "empty output (an HMC prints 'No results were found.' when nothing matches)",
        );
        return Ok(parsed);
    }
    if leading_message(text)? {
        return Ok(parsed);
    }
    let mut reader = RecordReader::new(text);
    while let Some(raw) = reader.next_record() {
        let line_text = raw.source;
        if raw.broken {
            parsed.warn(
                raw.line,
                line_text,
                raw.problem.unwrap_or("unreadable record"),
            );
            continue;
        }
        if raw.attributes.is_empty() {
            let message = if HsclMessage::parse_line(line_text).is_some() {
                "HMC message among the records"
            } else {
                "not an attr=value record"
            };
            parsed.warn(raw.line, line_text, message);
            continue;
        }
        if let Some(problem) = raw.problem {
            parsed.warn(raw.line, line_text, problem);
        }
        parsed.items.push(Record {
            line: raw.line,
            attributes: raw.attributes,
        });
    }
    Ok(parsed)
}

/// One record as read, before it is judged.
struct RawRecord<'a> {
    line: usize,
    source: &'a str,
    attributes: Attributes,
    problem: Option<&'static str>,
    /// The record cannot be trusted as a whole (broken quoting, truncation).
    broken: bool,
}

/// Walks the text record by record; only quotes can make a record span lines.
struct RecordReader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    field: String,
    /// Size of the previous record, to size the next one's buffers.
    last_fields: usize,
    last_bytes: usize,
}

impl<'a> RecordReader<'a> {
    fn new(text: &'a str) -> Self {
        RecordReader {
            text,
            pos: 0,
            line: 1,
            field: String::new(),
            last_fields: 32,
            last_bytes: 512,
        }
    }

    fn next_record(&mut self) -> Option<RawRecord<'a>> {
        let text: &'a str = self.text;
        let bytes = text.as_bytes();
        // Skip blank lines; a record starts at the first line with something on it.
        let mut probe = self.pos;
        loop {
            match bytes.get(probe) {
                None => return None,
                Some(b'\n') => {
                    probe += 1;
                    self.pos = probe;
                    self.line += 1;
                }
                Some(b) if b.is_ascii_whitespace() => probe += 1,
                Some(_) => break,
            }
        }
        if let Some(record) = self.unquoted_line() {
            return Some(record);
        }
        let start = self.pos;
        let start_line = self.line;
        let mut attributes = Attributes::with_capacity(self.last_fields, self.last_bytes);
        let mut problem = None;
        let mut broken = false;
        loop {
            let (ended_line, content) = if bytes.get(self.pos) == Some(&b'"') {
                self.field.clear();
                match self.quoted_field() {
                    Ok(ended) => (ended, None),
                    Err(message) => {
                        problem = Some(message);
                        broken = true;
                        self.skip_line();
                        break;
                    }
                }
            } else {
                let (field, equals, ended) = self.plain_field();
                if let Some(at) = equals {
                    let name = &field[..at];
                    if is_attribute_name(name) {
                        attributes.push(name, &field[at + 1..]);
                        if ended {
                            break;
                        }
                        continue;
                    }
                }
                (ended, Some(field))
            };
            let content = content.unwrap_or(&self.field);
            match content.split_once('=') {
                Some((name, value)) if is_attribute_name(name) => attributes.push(name, value),
                _ if content.trim().is_empty() => {}
                _ => {
                    if !attributes.is_empty() || !ended_line {
                        problem.get_or_insert("field without attr=value dropped");
                    }
                }
            }
            if ended_line {
                break;
            }
        }
        self.last_fields = attributes.len().max(8);
        self.last_bytes = (self.pos - start).max(64);
        let source = text[start..self.pos].lines().next().unwrap_or_default();
        Some(RawRecord {
            line: start_line,
            source,
            attributes,
            problem,
            broken,
        })
    }

    /// The common case, fast: a record on one line with no quotes at all.
    fn unquoted_line(&mut self) -> Option<RawRecord<'a>> {
        let text: &'a str = self.text;
        let rest = &text.as_bytes()[self.pos..];
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let raw_line = &text[self.pos..self.pos + end];
        if memchr::memchr(b'"', raw_line.as_bytes()).is_some() {
            return None;
        }
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let bytes = line.as_bytes();
        let mut spans = Vec::with_capacity(self.last_fields);
        let mut problem = None;
        let mut start = 0;
        let mut equals = None;
        let separators = memchr::memchr2_iter(b',', b'=', bytes).chain([bytes.len()]);
        for at in separators {
            if at < bytes.len() && bytes[at] == b'=' {
                equals.get_or_insert(at);
                continue;
            }
            match equals.take() {
                Some(eq) if is_attribute_name(&line[start..eq]) => {
                    spans.push([start as u32, eq as u32, (eq + 1) as u32, at as u32])
                }
                _ if bytes[start..at].iter().all(u8::is_ascii_whitespace) => {}
                _ if spans.is_empty() && at == bytes.len() => {}
                _ => {
                    problem.get_or_insert("field without attr=value dropped");
                }
            }
            start = at + 1;
        }
        let attributes = Attributes::from_line(line.to_string(), spans);
        let record = RawRecord {
            line: self.line,
            source: line,
            attributes,
            problem,
            broken: false,
        };
        self.last_fields = record.attributes.len().max(8);
        self.pos += end;
        if self.pos < text.len() {
            self.pos += 1;
            self.line += 1;
        }
        Some(record)
    }

    /// Reads an unquoted field: its text, where its first `=` is, and whether it ended
    /// the line (or the text).
    fn plain_field(&mut self) -> (&'a str, Option<usize>, bool) {
        let text: &'a str = self.text;
        let rest = &text.as_bytes()[self.pos..];
        let mut equals = None;
        let mut end = rest.len();
        for (index, &byte) in rest.iter().enumerate() {
            match byte {
                b',' | b'\n' => {
                    end = index;
                    break;
                }
                b'=' if equals.is_none() => equals = Some(index),
                _ => {}
            }
        }
        let mut value = &text[self.pos..self.pos + end];
        if let Some(stripped) = value.strip_suffix('\r') {
            value = stripped;
            equals = equals.filter(|&at| at < value.len());
        }
        self.pos += end;
        (value, equals, self.finish_field())
    }

    /// Reads a `"..."` field with `""` escapes; true when it ended the line.
    fn quoted_field(&mut self) -> Result<bool, &'static str> {
        let bytes = self.text.as_bytes();
        self.pos += 1;
        loop {
            let rest = &bytes[self.pos..];
            let Some(quote) = rest.iter().position(|&b| b == b'"') else {
                return Err("unterminated quoted field (truncated output?)");
            };
            let chunk = &self.text[self.pos..self.pos + quote];
            self.line += chunk.bytes().filter(|&b| b == b'\n').count();
            self.field.push_str(chunk);
            self.pos += quote + 1;
            if bytes.get(self.pos) == Some(&b'"') {
                self.field.push('"');
                self.pos += 1;
                continue;
            }
            break;
        }
        match bytes.get(self.pos) {
            None | Some(b',' | b'\n') => Ok(self.finish_field()),
            Some(b'\r') if matches!(bytes.get(self.pos + 1), None | Some(b'\n')) => {
                self.pos += 1;
                Ok(self.finish_field())
            }
            _ => Err("text after a closing quote"),
        }
    }

    /// Consumes the separator after a field; true at the end of a line or the text.
    fn finish_field(&mut self) -> bool {
        match self.text.as_bytes().get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                false
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            _ => true,
        }
    }

    fn skip_line(&mut self) {
        let rest = &self.text.as_bytes()[self.pos..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) => {
                self.pos += end + 1;
                self.line += 1;
            }
            None => self.pos = self.text.len(),
        }
    }
}

/// HMC attribute names are lower-case identifiers (a few have digits or capitals).
fn is_attribute_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| NAME_BYTES[b as usize])
}

/// Bytes allowed in an attribute name, as a lookup table: this check runs for every
/// field of every record.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    table
};

/// Splits a list value (`vios1,vios2`, `""a,b"",c` after the field level) into its
/// elements: the second CSV level of docs/formats.md, "HMC: quoting". `none` and the empty
/// string are the empty list.
pub fn split_list(value: &str) -> Vec<String> {
    if value.is_empty() || value == "none" {
        return Vec::new();
    }
    match split_delimited(value, ',') {
        Ok(elements) => elements.into_iter().map(Cow::into_owned).collect(),
        Err(_) => vec![value.to_string()],
    }
}

/// Splits one line on `delimiter`, honouring `"` quotes with `""` escapes.
fn split_delimited(line: &str, delimiter: char) -> Result<Vec<Cow<'_, str>>, &'static str> {
    if !line.contains('"') {
        return Ok(line.split(delimiter).map(Cow::Borrowed).collect());
    }
    split_quoted(line, delimiter).map(|fields| fields.into_iter().map(Cow::Owned).collect())
}

/// The slow path of [`split_delimited`], for lines with quotes.
fn split_quoted(line: &str, delimiter: char) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    loop {
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("unterminated quoted value (truncated output?)"),
                }
            }
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    return Ok(fields);
                }
                Some(c) if c == delimiter => fields.push(std::mem::take(&mut field)),
                Some(_) => return Err("text after a closing quote"),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(std::mem::take(&mut field));
                        return Ok(fields);
                    }
                    Some(c) if c == delimiter => {
                        fields.push(std::mem::take(&mut field));
                        break;
                    }
                    Some(c) => field.push(c),
                }
            }
        }
    }
}

/// Parses `-F` output: one line per object, the values of `names` joined by
/// `delimiter`, a value quoted when it holds the delimiter. With `header`
/// (`--header`), the first line names the attributes and overrides `names`.
///
/// A line with the wrong number of values is skipped with a diagnostic.
pub fn parse_fields(
    text: &str,
    delimiter: char,
    names: &[&str],
    header: bool,
) -> Result<Parsed<Record>, HostError> {
    let mut parsed = Parsed::empty();
    if text.trim().is_empty() {
        parsed.warn(
            1,
            "",
            "empty output (an HMC prints 'No results were found.' when nothing matches)",
        );
        return Ok(parsed);
    }
    if leading_message(text)? {
        return Ok(parsed);
    }
    let mut names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    let mut header_pending = header;
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() {
            continue;
        }
        let values = match split_delimited(line, delimiter) {
            Ok(values) => values,
            Err(message) => {
                parsed.warn(line_no, line, message);
                continue;
            }
        };
        if header_pending {
            header_pending = false;
            names = values.into_iter().map(Cow::into_owned).collect();
            continue;
        }
        if values.len() != names.len() {
            let message = if HsclMessage::parse_line(line).is_some() {
                "HMC message among the records".to_string()
            } else {
                format!(
                    "{} values where {} were asked for",
                    values.len(),
                    names.len()
                )
            };
            parsed.warn(line_no, line, message);
            continue;
        }
        let mut attributes = Attributes::with_capacity(names.len(), line.len());
        for (name, value) in names.iter().zip(&values) {
            attributes.push(name, value);
        }
        parsed.items.push(Record {
            line: line_no,
            attributes,
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Record {
        let parsed = parse_records(text).unwrap();
        assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), 1);
        parsed.items.into_iter().next().unwrap()
    }

    #[test]
    fn value_may_hold_equals_and_spaces() {
        let r = one("a=b,c=d=e,f=Not Activated\n");
        assert_eq!(r.get("c"), Some("d=e"));
        assert_eq!(r.get("f"), Some("Not Activated"));
    }

    #[test]
    fn two_level_quoting() {
        let r = one(
            "virtual_scsi_adapters=none,\"virtual_eth_adapters=3/1/1/10/0/1,\"\"2/1/1/3,4,5/0/1\"\",3/1/1/10/0/1\",hca_adapters=none",
        );
        let list = split_list(r.get("virtual_eth_adapters").unwrap());
        assert_eq!(list, ["3/1/1/10/0/1", "2/1/1/3,4,5/0/1", "3/1/1/10/0/1"]);
        assert_eq!(r.get("hca_adapters"), Some("none"));
    }

    #[test]
    fn empty_values_and_crlf() {
        let r = one("name=dump,rmc_ipaddr=,curr_profile=\r\n");
        assert_eq!(r.get("rmc_ipaddr"), Some(""));
        assert_eq!(r.get("curr_profile"), Some(""));
    }

    #[test]
    fn unterminated_quote_is_a_diagnostic_not_a_panic() {
        let parsed = parse_records("name=a,\"x=1,2\nname=b\n").unwrap();
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].get("name"), Some("b"));
        assert_eq!(parsed.items[0].line, 2);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(parsed.diagnostics[0].message.contains("unterminated"));
    }

    #[test]
    fn space_delimited_fields_with_quotes() {
        let parsed = parse_fields(
            "\"03/28/2023 18:38:20\" \"Linux ppc64le\"\n\"03/28/2023 18:38:19\" CA000093\n",
            ' ',
            &["time_stamp", "refcode"],
            false,
        )
        .unwrap();
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.items[0].get("refcode"), Some("Linux ppc64le"));
        assert_eq!(
            parsed.items[1].get("time_stamp"),
            Some("03/28/2023 18:38:19")
        );
    }
}
