//! Why a command could not be run to its end, by kind.

/// What kind of failure stopped a command: decides what the operator is told to do and
/// whether the command may have run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecErrorKind {
    /// The host is not in the configuration.
    UnknownHost,
    /// The host's key is unknown, changed or revoked, or known_hosts cannot be used.
    HostKey,
    /// The host accepted none of the credentials.
    Auth,
    /// No connection: refused, unreachable, no answer, tunnel refused.
    Network,
    /// The command did not finish in time; it may still be running on the host.
    Timeout,
    /// The connection dropped while the command ran.
    Disconnected,
    /// The host would not run the command (channel refused, no exit status).
    Remote,
    /// powerdeck itself refused to send the command (a change during a refresh).
    Refused,
    /// The command printed more than the output limit and was ended there.
    OutputLimit,
}

impl ExecErrorKind {
    /// A short word for tables and status lines.
    pub fn label(self) -> &'static str {
        match self {
            ExecErrorKind::UnknownHost => "not configured",
            ExecErrorKind::HostKey => "host key",
            ExecErrorKind::Auth => "login",
            ExecErrorKind::Network => "network",
            ExecErrorKind::Timeout => "timeout",
            ExecErrorKind::Disconnected => "dropped",
            ExecErrorKind::Remote => "remote",
            ExecErrorKind::Refused => "refused",
            ExecErrorKind::OutputLimit => "too much output",
        }
    }
}

/// A command that could not be run to its end: its kind, the operator's message, and
/// whether it reached the host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExecError {
    /// What kind of failure.
    pub kind: ExecErrorKind,
    /// What happened, where, and what to do.
    pub message: String,
    /// The command reached the host and may have run (or may still be running).
    pub sent: bool,
}

impl ExecError {
    /// A failure before the command was sent.
    pub fn new(kind: ExecErrorKind, message: impl Into<String>) -> Self {
        ExecError {
            kind,
            message: message.into(),
            sent: false,
        }
    }

    /// `host` is not in the configuration.
    pub fn unknown_host(host: &str) -> Self {
        ExecError::new(
            ExecErrorKind::UnknownHost,
            format!("{host} is not in the config"),
        )
    }
}
