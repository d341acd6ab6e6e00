//! The raw result of one remote command, streams kept apart.

/// What a host returned for one command: stdout, stderr and the exit status
/// (`None` when the channel closed without one, e.g. a dropped connection).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_status: Option<u32>,
}

impl CommandOutput {
    /// Output of a command that exited with `exit_status`.
    pub fn new(stdout: impl Into<String>, stderr: impl Into<String>, exit_status: u32) -> Self {
        CommandOutput {
            stdout: stdout.into(),
            stderr: stderr.into(),
            exit_status: Some(exit_status),
        }
    }

    /// Exit status 0.
    pub fn succeeded(&self) -> bool {
        self.exit_status == Some(0)
    }

    /// stdout then stderr, for searching error codes that either stream may carry.
    pub fn combined(&self) -> String {
        match (self.stdout.trim().is_empty(), self.stderr.trim().is_empty()) {
            (_, true) => self.stdout.clone(),
            (true, false) => self.stderr.clone(),
            (false, false) => format!("{}\n{}", self.stdout.trim_end(), self.stderr),
        }
    }
}
