//! Reading an AIX global environment (its WPARs) and a NIM master (its database).

use std::time::SystemTime;

use super::hmc::describe;
use crate::estate::snapshot::{SourceData, SourceSnapshot, SourceStatus};
use crate::estate::ReadFailure;
use crate::estate::SourceKind;
use crate::exec::Exec;
use crate::sources::read;
use crate::sources::{aix, nim, HostError, RemoteCommand};

/// Reads the WPARs of an AIX global environment (`lswpar -cq`).
pub async fn refresh_aix<T: Exec>(transport: &T, source: &str) -> SourceSnapshot {
    let command = match aix::commands::lswpar(&[]) {
        Ok(command) => command,
        Err(error) => return SourceSnapshot::failed(source, SourceKind::Aix, error.to_string()),
    };
    match run(transport, source, &command).await {
        Ok(stdout) => match aix::parse_lswpar_delimited(&stdout, ':', aix::DEFAULT_LSWPAR_FIELDS) {
            Ok(parsed) => {
                let problems = describe("lswpar -cq", &parsed.diagnostics);
                built(
                    source,
                    SourceKind::Aix,
                    problems,
                    SourceData::Aix(parsed.items),
                )
            }
            Err(error) => {
                SourceSnapshot::failed(source, SourceKind::Aix, format!("lswpar: {error}"))
            }
        },
        Err(error) => SourceSnapshot::failed(source, SourceKind::Aix, error),
    }
}

/// Reads every object of a NIM master (`lsnim -l`).
pub async fn refresh_nim<T: Exec>(transport: &T, source: &str) -> SourceSnapshot {
    let command = match nim::commands::lsnim_long(None) {
        Ok(command) => command,
        Err(error) => return SourceSnapshot::failed(source, SourceKind::Nim, error.to_string()),
    };
    match run(transport, source, &command).await {
        Ok(stdout) => match nim::parse_lsnim_long(&stdout) {
            Ok(parsed) => {
                let problems = describe("lsnim -l", &parsed.diagnostics);
                built(
                    source,
                    SourceKind::Nim,
                    problems,
                    SourceData::Nim(parsed.items),
                )
            }
            Err(error) => {
                SourceSnapshot::failed(source, SourceKind::Nim, format!("lsnim: {error}"))
            }
        },
        Err(error) => SourceSnapshot::failed(source, SourceKind::Nim, error),
    }
}

async fn run<T: Exec>(
    transport: &T,
    source: &str,
    command: &RemoteCommand,
) -> Result<String, ReadFailure> {
    let output = read(transport, source, command)
        .await
        .map_err(|error| ReadFailure::exec(command.program(), &error))?;
    HostError::check(&output)
        .map(str::to_string)
        .map_err(|error| format!("{}: {error}", command.program()).into())
}

fn built(
    source: &str,
    kind: SourceKind,
    problems: Vec<String>,
    data: SourceData,
) -> SourceSnapshot {
    SourceSnapshot {
        name: source.to_string(),
        kind,
        status: if problems.is_empty() {
            SourceStatus::Ok
        } else {
            SourceStatus::Partial
        },
        error: problems.first().cloned(),
        error_kind: None,
        problems,
        fetched_at: Some(SystemTime::now()),
        stale: false,
        data,
    }
}
