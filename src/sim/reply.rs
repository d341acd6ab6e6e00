//! What a simulated host answers to one command.

use std::time::Duration;

/// Which stream a chunk of output goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A piece of output and how long (in simulated time) the command works before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub after: Duration,
    pub stream: Stream,
    pub text: String,
}

/// A command's whole answer: output over time, then an exit status after `tail`.
///
/// Long operations (a migration, a firmware update) are answers with delays: the
/// server plays them out in scaled real time, so a client sees output arrive while the
/// command runs, and the state change happens in the world at the same moment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    pub chunks: Vec<Chunk>,
    /// Simulated time between the last chunk and the exit status.
    pub tail: Duration,
    pub exit_status: u32,
}

impl Reply {
    /// Success with `text` on stdout at once.
    pub fn ok(text: impl Into<String>) -> Self {
        Reply::default().stdout(text)
    }

    /// Success with no output (what `ch*`, `migrlpar` and `rrstartlpar` print).
    pub fn silent() -> Self {
        Reply::default()
    }

    /// A failure: `text` on stdout (where HMCs put HSCL messages) and `exit_status`.
    pub fn fail_stdout(text: impl Into<String>, exit_status: u32) -> Self {
        Reply {
            exit_status,
            ..Reply::default()
        }
        .stdout(text)
    }

    /// A failure: `text` on stderr (AIX and shell errors) and `exit_status`.
    pub fn fail_stderr(text: impl Into<String>, exit_status: u32) -> Self {
        Reply {
            exit_status,
            ..Reply::default()
        }
        .stderr(text)
    }

    /// Appends stdout text with no delay.
    pub fn stdout(self, text: impl Into<String>) -> Self {
        self.then(Duration::ZERO, Stream::Stdout, text)
    }

    /// Appends stderr text with no delay.
    pub fn stderr(self, text: impl Into<String>) -> Self {
        self.then(Duration::ZERO, Stream::Stderr, text)
    }

    /// Appends output after `after` of simulated work.
    pub fn then(mut self, after: Duration, stream: Stream, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.is_empty() || !after.is_zero() {
            self.chunks.push(Chunk {
                after,
                stream,
                text,
            });
        }
        self
    }

    /// Sets the work between the last output and the exit status.
    pub fn ending_after(mut self, tail: Duration) -> Self {
        self.tail = tail;
        self
    }

    /// Sets the exit status.
    pub fn with_status(mut self, exit_status: u32) -> Self {
        self.exit_status = exit_status;
        self
    }

    /// Total simulated duration of the command.
    pub fn duration(&self) -> Duration {
        self.chunks
            .iter()
            .map(|chunk| chunk.after)
            .sum::<Duration>()
            + self.tail
    }

    /// All stdout text, for tests and in-process use.
    pub fn stdout_text(&self) -> String {
        self.text_of(Stream::Stdout)
    }

    /// All stderr text.
    pub fn stderr_text(&self) -> String {
        self.text_of(Stream::Stderr)
    }

    fn text_of(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|chunk| chunk.stream == stream)
            .map(|chunk| chunk.text.as_str())
            .collect()
    }

    /// Joins the answers of commands run one after another (`a ; b`).
    pub fn append(mut self, next: Reply) -> Self {
        if !self.tail.is_zero() {
            self.chunks.push(Chunk {
                after: self.tail,
                stream: Stream::Stdout,
                text: String::new(),
            });
        }
        self.chunks.extend(next.chunks);
        self.tail = next.tail;
        self.exit_status = next.exit_status;
        self
    }
}
