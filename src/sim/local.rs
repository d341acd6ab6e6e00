//! Reaching the simulator without SSH: a refresh transport that runs commands on the
//! in-process world directly. Tests of the refresh engine and the console use it to
//! stay fast and deterministic; `--demo` and the integration tests use real SSH.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::refresh::{Transport, TransportError};
use crate::sources::CommandOutput;

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
    fn run_to_end(&self, source: &str, line: &str) -> Result<CommandOutput, String> {
        let mut world = self.lock();
        let faults = world.host_faults(source);
        if faults.dropping || faults.stalled {
            return Err(format!("{source}: no answer (simulated fault)"));
        }
        let reply = host::exec(&mut world, source, line);
        let end = world.now() + reply.duration();
        world.advance(end);
        Ok(CommandOutput {
            stdout: reply.stdout_text(),
            stderr: reply.stderr_text(),
            exit_status: Some(reply.exit_status),
        })
    }
}

impl crate::wizard::Runner for LocalTransport {
    async fn run(
        &self,
        host: &str,
        line: String,
        _timeout: Duration,
        output: tokio::sync::mpsc::Sender<crate::wizard::OutputLine>,
    ) -> Result<CommandOutput, crate::wizard::RunError> {
        let result = self.run_to_end(host, &line);
        match result {
            Ok(done) => {
                for (stderr, text) in [(false, &done.stdout), (true, &done.stderr)] {
                    if !text.is_empty() {
                        let line = crate::wizard::OutputLine {
                            stderr,
                            text: text.clone(),
                        };
                        let _ = output.send(line).await;
                    }
                }
                Ok(done)
            }
            Err(message) => Err(crate::wizard::RunError {
                message,
                sent: false,
            }),
        }
    }
}

impl Transport for LocalTransport {
    async fn exec(&self, source: &str, line: String) -> Result<CommandOutput, TransportError> {
        let mut world = self.lock();
        let faults = world.host_faults(source);
        if faults.dropping || faults.stalled {
            return Err(TransportError {
                message: format!("{source}: no answer (simulated fault)"),
            });
        }
        let reply = host::exec(&mut world, source, &line);
        Ok(CommandOutput {
            stdout: reply.stdout_text(),
            stderr: reply.stderr_text(),
            exit_status: Some(reply.exit_status),
        })
    }
}
