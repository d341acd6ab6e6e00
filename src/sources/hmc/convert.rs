//! From generic HMC records to estate types.

use super::record::{parse_fields, parse_records, Record};
use crate::sources::{HostError, Parsed};

/// An estate type that can be read from one HMC record, in default or `-F` form.
pub trait FromRecord: Sized {
    /// Builds the value, taking what it keeps out of the record; `Err` names what is
    /// missing or malformed (the record is then left as it was).
    fn from_record(record: &mut Record) -> Result<Self, String>;
}

/// Converts records, turning each one that does not fit into a diagnostic on its line.
pub fn convert<T: FromRecord>(records: Parsed<Record>) -> Parsed<T> {
    let mut parsed = Parsed {
        items: Vec::with_capacity(records.items.len()),
        diagnostics: records.diagnostics,
    };
    let mut unsorted = false;
    for mut record in records.items {
        match T::from_record(&mut record) {
            Ok(item) => parsed.items.push(item),
            Err(message) => {
                let label = ["name", "lpar_name", "device_name"]
                    .iter()
                    .find_map(|name| record.get(name))
                    .unwrap_or_default();
                parsed.warn(record.line, label, message);
                unsorted = true;
            }
        }
    }
    if unsorted {
        parsed.diagnostics.sort_by_key(|d| d.line);
    }
    parsed
}

/// Parses a default-format listing straight into estate types.
pub fn parse<T: FromRecord>(text: &str) -> Result<Parsed<T>, HostError> {
    parse_records(text).map(convert)
}

/// Parses `-F` output (see [`parse_fields`]) straight into estate types.
pub fn parse_delimited<T: FromRecord>(
    text: &str,
    delimiter: char,
    names: &[&str],
    header: bool,
) -> Result<Parsed<T>, HostError> {
    parse_fields(text, delimiter, names, header).map(convert)
}

/// `1`/`0` flags; `None` for `unavailable` and anything else.
pub(crate) fn flag(value: &str) -> Option<bool> {
    match value {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// A number, or `None` for sentinels (`none`, `unavailable`, empty).
pub(crate) fn number<T: std::str::FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}

/// Text, with the HMC's sentinels (`none`, `null`, `unavailable`, empty) as `None`.
pub(crate) fn text(value: &str) -> Option<String> {
    match value {
        "" | "none" | "null" | "unavailable" => None,
        other => Some(other.to_string()),
    }
}

/// A required attribute's value or a message naming it.
pub(crate) fn required(value: Option<String>, name: &str) -> Result<String, String> {
    value.ok_or_else(|| format!("record has no {name}"))
}
