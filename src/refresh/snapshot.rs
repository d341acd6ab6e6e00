//! What one refresh of one source produced, and how it is kept when a later one fails.

use std::time::SystemTime;

use super::read::ReadFailure;
use crate::config::SourceKind;
use crate::estate::{Lpar, ManagedSystem, NimObject, RsDevice, RsPool, Wpar};
use crate::exec::ExecErrorKind;

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
