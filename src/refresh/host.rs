//! Reading an AIX global environment (its WPARs) and a NIM master (its database).

use std::time::SystemTime;

use super::hmc::describe;
use crate::estate::snapshot::{SourceData, SourceSnapshot, SourceStatus};
use crate::estate::ReadFailure;
use crate::estate::SourceKind;
use crate::exec::Exec;
use crate::sources::read;
use crate::sources::{aix, nim, Diagnostic, HostError, Parsed, RemoteCommand};

/// Reads the WPARs of an AIX global environment (`lswpar -cq`).
pub async fn refresh_aix<T: Exec>(transport: &T, source: &str) -> SourceSnapshot {
    let command = match aix::commands::lswpar(&[]) {
        Ok(command) => command,
        Err(error) => return SourceSnapshot::failed(source, SourceKind::Aix, error.to_string()),
    };
    match run(transport, source, &command).await {
        Ok(stdout) => match aix::parse_lswpar_delimited(&stdout, ':', aix::DEFAULT_LSWPAR_FIELDS) {
            Ok(parsed) => {
                let problems = problems("lswpar -cq", &stdout, &parsed);
                if parsed.items.is_empty() && unreadable(&parsed.diagnostics) {
                    return garbage(source, SourceKind::Aix, "lswpar -cq", problems);
                }
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
                let problems = problems("lsnim -l", &stdout, &parsed);
                if parsed.items.is_empty() && unreadable(&parsed.diagnostics) {
                    return garbage(source, SourceKind::Nim, "lsnim -l", problems);
                }
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

/// The parser's diagnostics as problems, and a problem for bytes that were not UTF-8
/// (they show as U+FFFD in the text kept).
fn problems<T>(what: &str, stdout: &str, parsed: &Parsed<T>) -> Vec<String> {
    let mut problems = describe(what, &parsed.diagnostics);
    if stdout.contains(char::REPLACEMENT_CHARACTER) {
        problems.push(format!(
            "{what}: the output holds bytes that are not UTF-8 (shown as \u{FFFD})"
        ));
    }
    problems
}

/// Some line that was not blank did not parse.
fn unreadable(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| !d.excerpt.trim().is_empty())
}

/// Output with no readable record and lines that do not parse: the source answered
/// garbage. It fails, so the last good data stays on screen, marked stale.
fn garbage(source: &str, kind: SourceKind, what: &str, problems: Vec<String>) -> SourceSnapshot {
    let mut snapshot = SourceSnapshot::failed(
        source,
        kind,
        format!("{what}: nothing in the output could be read"),
    );
    snapshot.problems.extend(problems);
    snapshot
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
