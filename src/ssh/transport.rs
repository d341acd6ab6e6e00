//! The SSH pool as powerdeck's [`Exec`]: commands run on configured hosts by name.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{OutputChunk, OutputStream, Pool, Settings, Target};
use crate::exec::{CommandOutput, Exec, ExecError, OutputLine};

/// Runs commands on named hosts, over one pooled SSH session each.
#[derive(Clone)]
pub struct SshTransport {
    pool: Arc<Pool>,
    targets: Arc<HashMap<String, Target>>,
}

impl SshTransport {
    /// A transport reaching `targets` (keyed by their names) with `settings`.
    pub fn new(settings: Settings, targets: impl IntoIterator<Item = Target>) -> SshTransport {
        let targets = targets
            .into_iter()
            .map(|target| (target.name.clone(), target))
            .collect();
        SshTransport {
            pool: Arc::new(Pool::new(settings)),
            targets: Arc::new(targets),
        }
    }

    /// The pool underneath, for streaming execs.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The SSH target of a host.
    pub fn target(&self, host: &str) -> Option<&Target> {
        self.targets.get(host)
    }

    fn lookup(&self, host: &str) -> Result<&Target, ExecError> {
        self.targets
            .get(host)
            .ok_or_else(|| ExecError::unknown_host(host))
    }
}

impl Exec for SshTransport {
    async fn exec(&self, host: &str, line: String) -> Result<CommandOutput, ExecError> {
        let target = self.lookup(host)?;
        Ok(self.pool.exec(target, &line).await?)
    }

    async fn exec_streaming(
        &self,
        host: &str,
        line: String,
        timeout: Duration,
        output: mpsc::Sender<OutputLine>,
    ) -> Result<CommandOutput, ExecError> {
        let target = self.lookup(host)?;
        let (sink, mut chunks) = mpsc::channel::<OutputChunk>(256);
        let forward = tokio::spawn(async move {
            while let Some(chunk) = chunks.recv().await {
                let line = OutputLine {
                    stderr: chunk.stream == OutputStream::Stderr,
                    text: chunk.text,
                };
                if output.send(line).await.is_err() {
                    break;
                }
            }
        });
        let result = self.pool.exec_streaming(target, &line, timeout, sink).await;
        let _ = forward.await;
        Ok(result?)
    }
}
