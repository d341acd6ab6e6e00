//! The output side of the HMC listing grammar (docs/formats.md, "HMC: records" to
//! "HMC: empty listings"): `attr=value` records with two-level CSV quoting, `-F` values
//! joined by any delimiter, `--header`, and `No results were found.`; and the input side
//! of attribute lists (`--filter`, `-i`, `-a`), decoded with the same two levels.
//!
//! This is the simulator's own code: it must not share the parser's grammar, or a bug
//! in one would hide in the other.

use super::messages;
use crate::sim::reply::Reply;

/// One attribute value: a plain value, or a list whose elements are quoted one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Printed as is (`Not Activated`, `AIX 7.2 7200-05-07-2346`, empty).
    Text(String),
    /// Printed as comma-separated elements; an element holding a comma or a quote is
    /// wrapped in `"` with `"` doubled. The empty list prints `none`.
    List(Vec<String>),
}

impl Value {
    /// The value as it stands after the field level has been undone: list elements
    /// quoted and joined.
    pub fn text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::List(items) if items.is_empty() => "none".to_string(),
            Value::List(items) => items
                .iter()
                .map(|item| quote_if_needed(item, ','))
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// One object of a listing: attributes in the order the HMC prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    fields: Vec<(&'static str, Value)>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Record::default()
    }

    /// Appends a plain attribute.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((name, Value::Text(value.into())));
        self
    }

    /// Appends a `0`/`1` flag.
    pub fn flag(self, name: &'static str, on: bool) -> Self {
        self.text(name, if on { "1" } else { "0" })
    }

    /// Appends a list attribute.
    pub fn list(mut self, name: &'static str, items: Vec<String>) -> Self {
        self.fields.push((name, Value::List(items)));
        self
    }

    /// The value of `name`, if the record has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value)
    }

    /// Attribute names, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|(name, _)| *name)
    }

    /// The record in the default format, without the line end.
    pub fn line(&self) -> String {
        self.fields
            .iter()
            .map(|(name, value)| quote_if_needed(&format!("{name}={}", value.text()), ','))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `text` as one CSV field: wrapped in `"` (with `"` doubled) when it holds the
/// delimiter, a quote or a line break.
pub fn quote_if_needed(text: &str, delimiter: char) -> String {
    if text.contains(delimiter) || text.contains('"') || text.contains('\n') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// What `-F` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelection {
    /// Attribute names; empty means every attribute of each record.
    pub names: Vec<String>,
    /// The character between the names, which also separates the values.
    pub delimiter: char,
}

impl FieldSelection {
    /// Reads the `-F` argument: the delimiter is the first character that cannot be
    /// part of an attribute name (`name,state`, `name:state`, `name state`).
    pub fn parse(text: &str) -> FieldSelection {
        let delimiter = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
            .unwrap_or(',');
        let names = text
            .split(delimiter)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        FieldSelection { names, delimiter }
    }
}

/// How a listing command was asked to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Format {
    /// `-F`; `None` for the default `attr=value` records.
    pub fields: Option<FieldSelection>,
    /// `--header`.
    pub header: bool,
}

/// The output text of a listing, or the error the HMC prints instead.
///
/// `known` is every attribute the resource has (records may leave some out): asking
/// `-F` for another name is an error, even when nothing matches. A record without an
/// attribute that `-F` names prints `null` in its place.
pub fn render(records: &[Record], format: &Format, known: &[&str]) -> Result<String, Reply> {
    if let Some(selection) = &format.fields {
        if let Some(bad) = selection
            .names
            .iter()
            .find(|name| !known.contains(&name.as_str()))
        {
            return Err(messages::invalid_attribute(bad));
        }
    }
    if records.is_empty() {
        return Ok(messages::NO_RESULTS.to_string());
    }
    let mut out = String::new();
    match &format.fields {
        None => {
            for record in records {
                out.push_str(&record.line());
                out.push('\n');
            }
        }
        Some(selection) => {
            let delimiter = selection.delimiter;
            if format.header {
                let names: Vec<String> = if selection.names.is_empty() {
                    records[0].names().map(str::to_string).collect()
                } else {
                    selection.names.clone()
                };
                out.push_str(&names.join(&delimiter.to_string()));
                out.push('\n');
            }
            for record in records {
                let values: Vec<String> = if selection.names.is_empty() {
                    record
                        .fields
                        .iter()
                        .map(|(_, value)| quote_if_needed(&value.text(), delimiter))
                        .collect()
                } else {
                    selection
                        .names
                        .iter()
                        .map(|name| {
                            let text = record.get(name).map_or("null".to_string(), Value::text);
                            quote_if_needed(&text, delimiter)
                        })
                        .collect()
                };
                out.push_str(&values.join(&delimiter.to_string()));
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// Splits one level of an attribute list on commas outside quotes. A `"` opens or
/// closes quoting wherever it stands (`vios_names="a,b"` and `"vios_names=a,b"` read
/// the same); inside quotes `""` is a literal quote.
pub fn split_level(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The elements of a list value (the second level); `none` and the empty value are the
/// empty list.
pub fn split_values(value: &str) -> Vec<String> {
    if value.is_empty() || value == "none" {
        return Vec::new();
    }
    split_level(value)
}

/// Decodes an attribute list (`-i`, `-a`, `--filter` data) into `(name, value)` pairs.
///
/// A field without `=` continues the previous value: `lpar_names=a,b` (the form IBM
/// documents for `--filter`) reads as one attribute with the value `a,b`. `Err` carries
/// a field that names no attribute.
pub fn split_attributes(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for field in split_level(text) {
        match field.split_once('=') {
            Some((name, value)) if is_name(name) => {
                pairs.push((name.to_string(), value.to_string()));
            }
            _ => match pairs.last_mut() {
                Some((_, value)) => {
                    value.push(',');
                    value.push_str(&quote_if_needed(&field, ','));
                }
                None if field.is_empty() => {}
                None => return Err(field),
            },
        }
    }
    Ok(pairs)
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A decoded `--filter`: which names and ids to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pairs: Vec<(String, Vec<String>)>,
}

impl Filter {
    /// Decodes `--filter` data; each filter name must be one of `allowed`.
    pub fn parse(text: &str, allowed: &[&str]) -> Result<Filter, Reply> {
        let pairs = split_attributes(text).map_err(|_| messages::usage(&["--filter"]))?;
        if pairs.is_empty() {
            return Err(messages::usage(&["--filter"]));
        }
        let mut filter = Filter::default();
        for (name, value) in pairs {
            if !allowed.contains(&name.as_str()) {
                return Err(messages::usage(&["--filter"]));
            }
            let values = split_values(&value);
            if values.is_empty() {
                return Err(messages::usage(&["--filter"]));
            }
            filter.pairs.push((name, values));
        }
        Ok(filter)
    }

    /// The values given for `name`, if that filter was given.
    pub fn values(&self, name: &str) -> Option<&[String]> {
        self.pairs
            .iter()
            .find(|(filter, _)| filter == name)
            .map(|(_, values)| values.as_slice())
    }

    /// Keeps a partition (or its profile) when every given partition filter admits it.
    pub fn admits_lpar(&self, name: &str, id: u32) -> bool {
        let by_name = self
            .values("lpar_names")
            .is_none_or(|names| names.iter().any(|n| n == name));
        let by_id = self
            .values("lpar_ids")
            .is_none_or(|ids| ids.iter().any(|i| i.trim().parse::<u32>() == Ok(id)));
        by_name && by_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_level_quoting_of_lists() {
        let record = Record::new()
            .text("name", "test_1")
            .list("virtual_scsi_adapters", vec![])
            .list("virtual_eth_adapters", vec!["2/1/1/3,4,5/0/1".to_string()])
            .list(
                "virtual_serial_adapters",
                vec![
                    "0/server/1/any//any/1".into(),
                    "1/server/1/any//any/1".into(),
                ],
            );
        assert_eq!(
            record.line(),
            "name=test_1,virtual_scsi_adapters=none,\"virtual_eth_adapters=\"\"2/1/1/3,4,5/0/1\"\"\",\"virtual_serial_adapters=0/server/1/any//any/1,1/server/1/any//any/1\""
        );
    }

    #[test]
    fn fields_with_a_space_delimiter() {
        let record = Record::new()
            .text("name", "lpar1")
            .text("state", "Not Activated");
        let format = Format {
            fields: Some(FieldSelection::parse("name state")),
            header: false,
        };
        let out = render(&[record], &format, &["name", "state"]).unwrap();
        assert_eq!(out, "lpar1 \"Not Activated\"\n");
    }

    #[test]
    fn attribute_lists_decode_both_quoting_styles() {
        let a = split_attributes("vios_names=\"vios1,vios2\"").unwrap();
        let b = split_attributes("\"vios_names=vios1,vios2\"").unwrap();
        let c = split_attributes("vios_names=vios1,vios2").unwrap();
        for pairs in [a, b, c] {
            assert_eq!(pairs.len(), 1);
            assert_eq!(split_values(&pairs[0].1), ["vios1", "vios2"]);
        }
        let d = split_attributes("\"virtual_eth_adapters=\"\"2/1/1/3,4,5/0/1\"\"\",x=1").unwrap();
        assert_eq!(split_values(&d[0].1), ["2/1/1/3,4,5/0/1"]);
        assert_eq!(d[1], ("x".to_string(), "1".to_string()));
        assert!(split_attributes("oops").is_err());
    }
}
