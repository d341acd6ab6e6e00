//! One way to run a command on a host: the seam between what powerdeck decides (refresh,
//! wizards) and how it reaches hosts (SSH, or the simulator in-process).
//!
//! The refresh engine, the wizards' fact readers and the executor all take an [`Exec`];
//! the SSH pool implements it, and so does the simulator's in-process transport. An
//! [`ExecError`] keeps its [`ExecErrorKind`], so the console can show a host-key refusal
//! apart from a network failure, and the executor can tell whether a command may have run.

mod error;
mod output;

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

pub use error::{ExecError, ExecErrorKind};
pub use output::CommandOutput;

/// A piece of a command's live output, as it arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    /// The piece came on stderr.
    pub stderr: bool,
    /// The text, as received.
    pub text: String,
}

/// Runs command lines on hosts named as in the config.
///
/// Exists so that refresh, wizards and the console never learn which transport they were
/// given: tests and the demo's in-process world use the same code paths as production.
pub trait Exec: Send + Sync + 'static {
    /// Runs `line` on `host` within the transport's own command timeout and returns
    /// what it printed. A non-zero exit is an `Ok` output with its status; an `Err` means
    /// the command could not be run to its end.
    fn exec(
        &self,
        host: &str,
        line: String,
    ) -> impl Future<Output = Result<CommandOutput, ExecError>> + Send;

    /// Runs `line` on `host` within `timeout`, sending output pieces to `output` as they
    /// arrive; returns the whole output at the end. A transport that cannot stream
    /// keeps this default: the output comes whole at the end, within its own timeout.
    fn exec_streaming(
        &self,
        host: &str,
        line: String,
        timeout: Duration,
        output: mpsc::Sender<OutputLine>,
    ) -> impl Future<Output = Result<CommandOutput, ExecError>> + Send {
        let _ = timeout;
        async move {
            let done = self.exec(host, line).await?;
            send_whole(&done, &output).await;
            Ok(done)
        }
    }
}

/// Sends a finished command's output as at most two pieces (stdout, then stderr), for
/// transports that cannot stream.
pub async fn send_whole(done: &CommandOutput, output: &mpsc::Sender<OutputLine>) {
    for (stderr, text) in [(false, &done.stdout), (true, &done.stderr)] {
        if !text.is_empty() {
            let line = OutputLine {
                stderr,
                text: text.clone(),
            };
            if output.send(line).await.is_err() {
                return;
            }
        }
    }
}
