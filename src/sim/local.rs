//! Reaching the simulator without SSH: an [`Exec`] that runs commands on the
//! in-process world directly. Tests of the refresh engine and the console use it to
//! stay fast and deterministic; `--demo` and the integration tests use real SSH.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::exec::{send_whole, CommandOutput, Exec, ExecError, ExecErrorKind, OutputLine};

use super::host;
use super::world::World;

/// Runs command lines on simulated hosts at a fixed simulated time.
#[derive(Clone)]
pub struct LocalTransport {
    world: Arc<Mutex<World>>,
}

impl LocalTransport {
    /// A transport over `world`.
    pub fn new(world: Arc<Mutex<World>>) -> Self {
        LocalTransport { world }
    }

    /// Moves simulated time forward to `now`.
    pub fn advance(&self, now: Duration) {
        self.lock().advance(now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl LocalTransport {
    /// Runs `line` on `source` and lets simulated time pass for as long as the command
    /// takes, so its effects (a migration ending) have happened when it returns.
    fn run_to_end(&self, source: &str, line: &str) -> Result<CommandOutput, ExecError> {
        let mut world = self.lock();
        let faults = world.host_faults(source);
        if faults.dropping || faults.stalled {
            return Err(no_answer(source));
        }
        let start = world.now();
        let reply = host::exec(&mut world, source, line);
        world.advance(start + reply.duration());
        Ok(CommandOutput {
            stdout: reply.stdout_text(),
            stderr: reply.stderr_text(),
            exit_status: Some(reply.exit_status),
        })
    }
}

impl Exec for LocalTransport {
    async fn exec(&self, source: &str, line: String) -> Result<CommandOutput, ExecError> {
        let mut world = self.lock();
        let faults = world.host_faults(source);
        if faults.dropping || faults.stalled {
            return Err(no_answer(source));
        }
        let reply = host::exec(&mut world, source, &line);
        Ok(CommandOutput {
            stdout: reply.stdout_text(),
            stderr: reply.stderr_text(),
            exit_status: Some(reply.exit_status),
        })
    }

    async fn exec_streaming(
        &self,
        host: &str,
        line: String,
        _timeout: Duration,
        output: mpsc::Sender<OutputLine>,
    ) -> Result<CommandOutput, ExecError> {
        let done = self.run_to_end(host, &line)?;
        send_whole(&done, &output).await;
        Ok(done)
    }
}

/// A host under a simulated drop or stall fault.
fn no_answer(source: &str) -> ExecError {
    ExecError::new(
        ExecErrorKind::Network,
        format!("{source}: no answer (simulated fault)"),
    )
}
