//! The refresh engine's one way to run a command: read-only, enforced.

use crate::exec::{CommandOutput, Exec, ExecError, ExecErrorKind};
use crate::sources::command::Effect;
use crate::sources::RemoteCommand;

/// Runs a read-only command; refuses anything that changes state, so a refresh can
/// never mutate a host whatever code calls it.
pub async fn read<E: Exec>(
    exec: &E,
    source: &str,
    command: &RemoteCommand,
) -> Result<CommandOutput, ExecError> {
    if command.effect() != Effect::Read {
        return Err(ExecError::new(
            ExecErrorKind::Refused,
            format!(
                "refusing to run a changing command during a refresh: {}",
                command.line()
            ),
        ));
    }
    exec.exec(source, command.line()).await
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
