//! One remote command: a fixed program and typed arguments, turned into the exact line
//! sent over SSH only at the last moment.
//!
//! Builders in `sources::{hmc,aix,nim}::commands` are the only place commands are made.
//! The program name is always a `&'static str` written in powerdeck's source; every value
//! that comes from the estate or the user goes through [`RemoteCommand::arg`] or
//! [`RemoteCommand::name`], is checked here, and is quoted by [`crate::sources::quote::shell`]
//! in [`RemoteCommand::line`], so no name can change what the remote shell runs.
//!
//! **Names starting with `-`.** Neither the HMC commands nor the AIX ones have a `--`
//! end-of-options convention we can rely on, and a value such as `-o` given to `-p` or as
//! a WPAR name could be read as an option. HMC and AIX object names cannot start with `-`
//! (docs/formats.md, "AIX: WPAR names"), so such a value cannot name a real object: builders
//! refuse it with [`ArgumentError::LeadingDash`] instead of sending it. The same holds for
//! paths and other values given as separate words (a relative path can be written `./-x`).

use std::fmt;

use thiserror::Error;

use super::quote;

/// Whether running a command can change anything on the host.
///
/// Exists so that read-only mode and the refresh engine can refuse every `Change` command
/// by type, without knowing which programs mutate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Only reports (`lssyscfg`, `lswpar`, `lsnim` ...); safe to poll.
    Read,
    /// Changes the estate or a file on the host; only run from a confirmed plan.
    Change,
}

/// An environment assignment put in front of the program to force English output.
///
/// Exists because the HMC and AIX localize messages and some values (docs/formats.md,
/// "HMC: locale": `os_version=Nieznane`; NIM `Cstate` texts), and parsers match the English
/// words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// `LANG=C`: what HMC Scanner sends to the HMC (docs/formats.md, "HMC: locale"); every
    /// HMC command uses it.
    LangC,
    /// `LC_ALL=C`: overrides any `LC_*` an AIX profile may set; ansible-power-aix wraps NIM
    /// commands in `LC_ALL=C` (docs/formats.md, "AIX: messages"). AIX and NIM commands use
    /// it.
    LcAllC,
}

impl Locale {
    /// The assignment word as written on the command line.
    pub fn assignment(self) -> &'static str {
        match self {
            Locale::LangC => "LANG=C",
            Locale::LcAllC => "LC_ALL=C",
        }
    }
}

/// Why a value cannot be put on a remote command line.
///
/// Exists so that a bad name in the estate or in user input stops the plan with a message
/// saying which value, what is wrong with it and what to do, instead of being truncated
/// or sent in a form that means something else.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArgumentError {
    /// The value holds a NUL byte, which no shell command line can carry.
    #[error(
        "the {what} {value:?} contains a NUL byte, which cannot be sent on a remote command \
         line; check where this name came from (config or host output) and correct it"
    )]
    Nul {
        /// What the value names (`LPAR name`, `WPAR name`, `directory` ...).
        what: &'static str,
        /// The value as given.
        value: String,
    },
    /// The value is empty where a name is required.
    #[error("the {what} is empty; give the name of an existing object")]
    Empty {
        /// What the value names.
        what: &'static str,
    },
    /// The value starts with `-`, so the remote command could read it as an option.
    #[error(
        "the {what} {value:?} starts with '-', which the remote command would read as an \
         option; HMC and AIX object names cannot start with '-', and a relative path can be \
         written ./{value}"
    )]
    LeadingDash {
        /// What the value names.
        what: &'static str,
        /// The value as given.
        value: String,
    },
}

/// Checks a value that names something (an LPAR, a system, a WPAR, a file ...): not empty,
/// no NUL byte, no leading `-`.
///
/// Exists so that names going into attribute lists (`--filter lpar_names=...`) get the
/// same checks as names given as separate words.
pub fn check_name(what: &'static str, value: &str) -> Result<(), ArgumentError> {
    if value.is_empty() {
        return Err(ArgumentError::Empty { what });
    }
    if value.starts_with('-') {
        return Err(ArgumentError::LeadingDash {
            what,
            value: value.to_string(),
        });
    }
    check_text(what, value)
}

/// Checks a value that may be any text: only NUL is refused.
fn check_text(what: &'static str, value: &str) -> Result<(), ArgumentError> {
    if value.contains('\0') {
        return Err(ArgumentError::Nul {
            what,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// What every command builder returns: the command, or the value that cannot be sent.
///
/// Exists so that builders read as `fn migrlpar(...) -> Built` and callers handle one error
/// type for every host kind.
pub type Built = Result<RemoteCommand, ArgumentError>;

/// A command to run on a remote host: program, arguments, effect and locale.
///
/// Exists so that the exact line sent over SSH is derived in one place ([`line`]) from
/// typed parts, and so that the executor, read-only mode, plans and transcripts all see
/// the same argument vector ([`argv`]).
///
/// [`line`]: RemoteCommand::line
/// [`argv`]: RemoteCommand::argv
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RemoteCommand {
    program: &'static str,
    args: Vec<String>,
    effect: Effect,
    locale: Option<Locale>,
}

impl RemoteCommand {
    /// A command that only reports; safe for refresh and read-only mode.
    pub fn read(program: &'static str) -> Self {
        Self::new(program, Effect::Read)
    }

    /// A command that changes something; only run from a confirmed plan.
    pub fn change(program: &'static str) -> Self {
        Self::new(program, Effect::Change)
    }

    /// A command with the given effect and no arguments yet.
    pub fn new(program: &'static str, effect: Effect) -> Self {
        RemoteCommand {
            program,
            args: Vec::new(),
            effect,
            locale: None,
        }
    }

    /// Puts `LANG=C` (or `LC_ALL=C`) in front of the program.
    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = Some(locale);
        self
    }

    /// Appends a fixed word written in powerdeck's source: an option (`-m`), a keyword
    /// (`lpar`, `rsdev`) or a fixed attribute (`subclass=all`).
    pub fn flag(mut self, word: &'static str) -> Self {
        self.args.push(word.to_string());
        self
    }

    /// Appends fixed words, in order.
    pub fn flags(mut self, words: &[&'static str]) -> Self {
        self.args.extend(words.iter().map(|word| word.to_string()));
        self
    }

    /// Appends one dynamic word that may be any text (an encoded `-i` list, a `-F` list);
    /// only a NUL byte is refused. Names go through [`RemoteCommand::name`] instead.
    pub fn arg(
        mut self,
        what: &'static str,
        value: impl Into<String>,
    ) -> Result<Self, ArgumentError> {
        let value = value.into();
        check_text(what, &value)?;
        self.args.push(value);
        Ok(self)
    }

    /// Appends one word that names something (see [`check_name`]).
    pub fn name(self, what: &'static str, value: &str) -> Result<Self, ArgumentError> {
        check_name(what, value)?;
        self.arg(what, value)
    }

    /// Appends several names, one word each (`lswpar w1 w2`).
    pub fn names(self, what: &'static str, values: &[&str]) -> Result<Self, ArgumentError> {
        values
            .iter()
            .try_fold(self, |command, value| command.name(what, value))
    }

    /// Appends an option and the name it takes: `-m SYS`, `-p LPAR`.
    pub fn option(
        self,
        flag: &'static str,
        what: &'static str,
        value: &str,
    ) -> Result<Self, ArgumentError> {
        self.flag(flag).name(what, value)
    }

    /// The program, always a fixed name.
    pub fn program(&self) -> &'static str {
        self.program
    }

    /// The arguments after the program, unquoted.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// Whether the command only reads or changes something.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The locale assignment put in front of the program, if any.
    pub fn locale_prefix(&self) -> Option<Locale> {
        self.locale
    }

    /// The argument vector the remote program receives: the program, then its arguments,
    /// exactly as typed (no quoting). This is what tests compare with what a shell delivers.
    pub fn argv(&self) -> Vec<&str> {
        std::iter::once(self.program)
            .chain(self.args.iter().map(String::as_str))
            .collect()
    }

    /// The exact command line sent to the remote shell: the locale assignment, then every
    /// word of [`argv`](RemoteCommand::argv) through [`quote::shell`], separated by spaces.
    pub fn line(&self) -> String {
        let mut line = String::new();
        if let Some(locale) = self.locale {
            line.push_str(locale.assignment());
            line.push(' ');
        }
        line.push_str(&quote::shell(self.program));
        for arg in &self.args {
            line.push(' ');
            line.push_str(&quote::shell(arg));
        }
        line
    }
}

impl fmt::Display for RemoteCommand {
    /// The command line, as [`RemoteCommand::line`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_quotes_only_what_needs_it() {
        let command = RemoteCommand::read("lssyscfg")
            .locale(Locale::LangC)
            .flags(&["-r", "lpar"])
            .option("-m", "managed system", "9131-52A*6535CCG")
            .unwrap()
            .flag("-F")
            .arg("attribute list", "name,state")
            .unwrap();
        assert_eq!(
            command.line(),
            "LANG=C lssyscfg -r lpar -m '9131-52A*6535CCG' -F name,state"
        );
        assert_eq!(
            command.argv(),
            [
                "lssyscfg",
                "-r",
                "lpar",
                "-m",
                "9131-52A*6535CCG",
                "-F",
                "name,state"
            ]
        );
        assert_eq!(command.effect(), Effect::Read);
    }

    #[test]
    fn names_are_checked() {
        let base = || RemoteCommand::change("startwpar");
        assert_eq!(
            base().name("WPAR name", ""),
            Err(ArgumentError::Empty { what: "WPAR name" })
        );
        assert!(matches!(
            base().name("WPAR name", "-F"),
            Err(ArgumentError::LeadingDash { .. })
        ));
        assert!(matches!(
            base().name("WPAR name", "a\0b"),
            Err(ArgumentError::Nul { .. })
        ));
        assert!(matches!(
            base().arg("input data", "x\0"),
            Err(ArgumentError::Nul { .. })
        ));
        assert_eq!(
            base().name("WPAR name", "a-b").unwrap().line(),
            "startwpar a-b"
        );
    }

    #[test]
    fn errors_say_what_and_what_to_do() {
        let error = check_name("LPAR name", "-x").unwrap_err().to_string();
        assert!(error.contains("LPAR name"), "{error}");
        assert!(error.contains("\"-x\""), "{error}");
        let error = check_name("LPAR name", "a\0").unwrap_err().to_string();
        assert!(error.contains("NUL"), "{error}");
    }
}
