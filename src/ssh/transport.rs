//! The SSH pool as the refresh engine's (and the executor's) way to reach sources.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Pool, Settings, Target};
use crate::config::{Config, Endpoint};
use crate::refresh::{Transport, TransportError};
use crate::sources::CommandOutput;

/// Runs commands on configured sources by name, over one pooled SSH session each.
#[derive(Clone)]
pub struct SshTransport {
    pool: Arc<Pool>,
    targets: Arc<HashMap<String, Target>>,
}

impl SshTransport {
    /// A transport for every source of `config`.
    pub fn from_config(config: &Config) -> SshTransport {
        let mut settings = Settings::new(config.ssh.known_hosts.clone());
        settings.accept_new_host_keys = config.ssh.accept_new_host_keys;
        settings.connect_timeout = config.ssh.connect_timeout;
        settings.command_timeout = config.ssh.command_timeout;
        let targets = config
            .endpoints()
            .into_iter()
            .map(|endpoint| (endpoint.name.clone(), target(&endpoint)))
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

    /// The SSH target of a source.
    pub fn target(&self, source: &str) -> Option<&Target> {
        self.targets.get(source)
    }
}

/// An endpoint of the config as an SSH target.
pub fn target(endpoint: &Endpoint) -> Target {
    Target {
        name: endpoint.name.clone(),
        host: endpoint.host.clone(),
        port: endpoint.port,
        user: endpoint.user.clone(),
        identity_files: endpoint.identity_files.clone(),
        password_env: endpoint.password_env.clone(),
        jump: endpoint.jump.as_deref().map(|jump| Box::new(target(jump))),
    }
}

impl Transport for SshTransport {
    async fn exec(&self, source: &str, line: String) -> Result<CommandOutput, TransportError> {
        let target = self.targets.get(source).ok_or_else(|| TransportError {
            message: format!("{source} is not in the config"),
        })?;
        self.pool
            .exec(target, &line)
            .await
            .map_err(|error| TransportError {
                message: error.to_string(),
            })
    }
}

impl crate::wizard::Runner for SshTransport {
    async fn run(
        &self,
        host: &str,
        line: String,
        timeout: std::time::Duration,
        output: tokio::sync::mpsc::Sender<crate::wizard::OutputLine>,
    ) -> Result<CommandOutput, crate::wizard::RunError> {
        let target = self
            .targets
            .get(host)
            .ok_or_else(|| crate::wizard::RunError {
                message: format!("{host} is not in the config"),
                sent: false,
            })?;
        let (sink, mut chunks) = tokio::sync::mpsc::channel::<super::OutputChunk>(256);
        let forward = tokio::spawn(async move {
            while let Some(chunk) = chunks.recv().await {
                let line = crate::wizard::OutputLine {
                    stderr: chunk.stream == super::OutputStream::Stderr,
                    text: chunk.text,
                };
                if output.send(line).await.is_err() {
                    break;
                }
            }
        });
        let result = self.pool.exec_streaming(target, &line, timeout, sink).await;
        let _ = forward.await;
        result.map_err(|error| crate::wizard::RunError {
            sent: match &error {
                super::SshError::Disconnected { command_sent, .. } => *command_sent,
                super::SshError::Timeout { .. } => true,
                _ => false,
            },
            message: error.to_string(),
        })
    }
}
