//! Running a read-only command: the one way refresh and the wizards' fact readers run
//! host commands, so reading can never change a host whatever code calls it.

use super::command::Effect;
use super::RemoteCommand;
use crate::exec::{CommandOutput, Exec, ExecError, ExecErrorKind};

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
