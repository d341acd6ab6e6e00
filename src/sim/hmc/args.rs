//! Command-line options of the HMC commands, read the way the HMC CLI reads them.
//!
//! Each command declares which options take a value and which are bare flags; anything
//! else (an unknown option, a stray word, a missing value) is the HMC's "missing or
//! invalid parameter" complaint naming it. `-F` is special, as on the HMC: it takes the
//! words after it up to the next option, so `-F a b c` (unquoted, as in a published
//! `lslic` run, docs/formats.md, "HMC: lslic") is the space-delimited list `a b c`, and
//! `-Fa:b` needs no space.

use super::listing::{FieldSelection, Filter, Format};
use super::messages;
use crate::sim::reply::Reply;

/// What a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Options followed by a value (`-m`, `-r`, `--filter`).
    pub values: &'static [&'static str],
    /// Options standing alone (`--immed`, `--manual`).
    pub flags: &'static [&'static str],
    /// Accepts `-F` and `--header`.
    pub listing: bool,
}

/// The options of one command line.
#[derive(Debug, Clone, Default)]
pub struct Args {
    values: Vec<(&'static str, String)>,
    flags: Vec<&'static str>,
    /// `-F` and `--header`.
    pub format: Format,
    /// `--help` was given.
    pub help: bool,
}

impl Args {
    /// Reads `argv` (without the program name) against `spec`.
    pub fn parse(argv: &[String], spec: &Spec) -> Result<Args, Reply> {
        let mut args = Args::default();
        let mut fields_given = false;
        let mut index = 0;
        while index < argv.len() {
            let word = argv[index].as_str();
            index += 1;
            if word == "--help" {
                args.help = true;
                continue;
            }
            if spec.listing && word == "--header" {
                args.format.header = true;
                continue;
            }
            if spec.listing && word.starts_with("-F") && !word.starts_with("-F-") {
                fields_given = true;
                let attached = &word[2..];
                let mut text = attached.to_string();
                if attached.is_empty() {
                    let mut words = Vec::new();
                    while index < argv.len() && !argv[index].starts_with('-') {
                        words.push(argv[index].as_str());
                        index += 1;
                    }
                    text = words.join(" ");
                }
                args.format.fields = Some(FieldSelection::parse(&text));
                continue;
            }
            if let Some(name) = spec.values.iter().find(|name| **name == word) {
                let Some(value) = argv.get(index) else {
                    return Err(messages::usage(&[name]));
                };
                index += 1;
                args.values.retain(|(given, _)| given != name);
                args.values.push((name, value.clone()));
                continue;
            }
            if let Some(name) = spec.flags.iter().find(|name| **name == word) {
                if !args.flags.contains(name) {
                    args.flags.push(name);
                }
                continue;
            }
            return Err(messages::usage(&[word]));
        }
        if args.format.header && !fields_given {
            return Err(messages::usage(&["--header"]));
        }
        Ok(args)
    }

    /// The value of an option, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(given, _)| *given == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of a required option, or the HMC's complaint naming it.
    pub fn need(&self, name: &'static str) -> Result<&str, Reply> {
        self.get(name).ok_or_else(|| messages::usage(&[name]))
    }

    /// True when a bare flag was given.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }

    /// `--filter`, decoded; the empty filter when not given.
    pub fn filter(&self, allowed: &[&str]) -> Result<Filter, Reply> {
        match self.get("--filter") {
            Some(text) => Filter::parse(text, allowed),
            None => Ok(Filter::default()),
        }
    }

    /// Exactly one of `-p NAME` / `-n NAME` (the given `name_option`) or `--id ID`:
    /// which partition the command is about.
    pub fn partition(&self, name_option: &'static str) -> Result<PartitionRef, Reply> {
        match (self.get(name_option), self.get("--id")) {
            (Some(name), None) => Ok(PartitionRef::Name(name.to_string())),
            (None, Some(id)) => id
                .trim()
                .parse()
                .map(PartitionRef::Id)
                .map_err(|_| messages::usage(&["--id"])),
            (Some(_), Some(_)) => Err(messages::usage(&[name_option, "--id"])),
            (None, None) => Err(messages::usage(&[name_option])),
        }
    }
}

/// A partition named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionRef {
    /// `-p NAME` / `-n NAME`.
    Name(String),
    /// `--id ID`.
    Id(u32),
}

impl std::fmt::Display for PartitionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartitionRef::Name(name) => f.write_str(name),
            PartitionRef::Id(id) => write!(f, "with ID {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        values: &["-m", "-r", "--filter"],
        flags: &["--immed"],
        listing: true,
    };

    fn words(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn unquoted_field_words_make_a_space_list() {
        let args = Args::parse(&words("-m s -F a b c --immed"), &SPEC).unwrap();
        let fields = args.format.fields.clone().unwrap();
        assert_eq!(fields.delimiter, ' ');
        assert_eq!(fields.names, ["a", "b", "c"]);
        assert!(args.has("--immed"));
    }

    #[test]
    fn attached_fields_and_errors() {
        let args = Args::parse(&words("-Fname:state"), &SPEC).unwrap();
        assert_eq!(args.format.fields.unwrap().delimiter, ':');
        assert!(Args::parse(&words("-m"), &SPEC).is_err());
        assert!(Args::parse(&words("-x 1"), &SPEC).is_err());
        assert!(Args::parse(&words("--header"), &SPEC).is_err());
    }
}
