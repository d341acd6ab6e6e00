//! What one refresh of one source produced, and how it is kept when a later one fails:
//! the estate as powerdeck knows it, source by source.

use std::time::SystemTime;

use super::{Lpar, ManagedSystem, NimObject, RsDevice, RsPool, Wpar};
use crate::exec::{ExecError, ExecErrorKind};

/// Health of a source after its last refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Everything was read.
    Ok,
    /// Some of it was read; `problems` says what was not.
    Partial,
    /// Nothing usable was read this time.
    Error,
}

/// The kind of source a host is, which decides what powerdeck reads from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Hmc,
    Aix,
    Nim,
}

impl SourceKind {
    /// The login an admin uses by default on this kind of host.
    pub fn default_user(self) -> &'static str {
        match self {
            SourceKind::Hmc => "hscroot",
            SourceKind::Aix | SourceKind::Nim => "root",
        }
    }

    /// The name as the config file and the inventory spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Hmc => "hmc",
            SourceKind::Aix => "aix",
            SourceKind::Nim => "nim",
        }
    }
}

/// Why a source (or one of its listings) could not be read: the message for the
/// operator and, when reaching the host failed, the kind of that failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailure {
    /// The kind of transport failure; `None` when the host answered with an error.
    pub kind: Option<ExecErrorKind>,
    /// What happened, where.
    pub message: String,
}

impl ReadFailure {
    /// A failure to reach the host while reading `what`.
    pub fn exec(what: &str, error: &ExecError) -> Self {
        ReadFailure {
            kind: Some(error.kind),
            message: format!("{what}: {error}"),
        }
    }
}

impl From<String> for ReadFailure {
    fn from(message: String) -> Self {
        ReadFailure {
            kind: None,
            message,
        }
    }
}

impl From<&str> for ReadFailure {
    fn from(message: &str) -> Self {
        ReadFailure::from(message.to_string())
    }
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// One managed system with what was read about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemData {
    pub system: ManagedSystem,
    pub lpars: Vec<Lpar>,
    pub rs_pool: Option<RsPool>,
    pub rs_devices: Vec<RsDevice>,
}

/// The objects a source holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SourceData {
    /// Nothing read yet.
    #[default]
    Empty,
    Hmc(Vec<SystemData>),
    Aix(Vec<Wpar>),
    Nim(Vec<NimObject>),
}

/// The state of one source: its data, when it was read, and what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSnapshot {
    pub name: String,
    pub kind: SourceKind,
    pub status: SourceStatus,
    /// The main error, when the status is not `Ok`.
    pub error: Option<String>,
    /// What kind of failure the main error was, when reaching the host failed (host
    /// key, login, network ...), so the console can tell them apart.
    pub error_kind: Option<ExecErrorKind>,
    /// Every problem met (unreadable systems, skipped lines), for the Sources view.
    pub problems: Vec<String>,
    /// When `data` was read; `None` if it never was.
    pub fetched_at: Option<SystemTime>,
    /// `data` comes from an earlier refresh because the last one failed.
    pub stale: bool,
    pub data: SourceData,
}

impl SourceSnapshot {
    /// A snapshot of a source that could not be read at all.
    pub fn failed(name: &str, kind: SourceKind, error: impl Into<ReadFailure>) -> Self {
        let ReadFailure {
            kind: error_kind,
            message: error,
        } = error.into();
        SourceSnapshot {
            name: name.to_string(),
            kind,
            status: SourceStatus::Error,
            problems: vec![error.clone()],
            error: Some(error),
            error_kind,
            fetched_at: None,
            stale: false,
            data: SourceData::Empty,
        }
    }

    /// Keeps the last good data when this refresh failed: the data stays on screen,
    /// marked stale with its age, and the error says why it is not fresh.
    pub fn carry_over(mut self, previous: &SourceSnapshot) -> SourceSnapshot {
        if self.status == SourceStatus::Error && previous.data != SourceData::Empty {
            self.data = previous.data.clone();
            self.fetched_at = previous.fetched_at;
            self.stale = true;
        }
        self
    }
}
