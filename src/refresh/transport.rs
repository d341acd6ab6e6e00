//! How the refresh engine reaches hosts: anything that runs a command line on a named
//! source. The SSH pool is the real one; tests can use others.

use std::future::Future;

use crate::sources::{CommandOutput, RemoteCommand};

/// Why a command could not be run on a source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    pub message: String,
}

/// Runs command lines on named sources.
pub trait Transport: Send + Sync + 'static {
    /// Runs `line` on `source` and returns what it printed.
    fn exec(
        &self,
        source: &str,
        line: String,
    ) -> impl Future<Output = Result<CommandOutput, TransportError>> + Send;
}

/// Runs a read-only command; refuses anything that changes state, so a refresh can
/// never mutate a host whatever code calls it.
pub async fn read<T: Transport>(
    transport: &T,
    source: &str,
    command: &RemoteCommand,
) -> Result<CommandOutput, TransportError> {
    if command.effect() != crate::sources::command::Effect::Read {
        return Err(TransportError {
            message: format!(
                "refusing to run a changing command during a refresh: {}",
                command.line()
            ),
        });
    }
    transport.exec(source, command.line()).await
}
