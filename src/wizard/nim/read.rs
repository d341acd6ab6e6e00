//! Reading several things from one host in one call, with pauses on the host's own
//! clock between them: how the NIM wizards sample a client twice some seconds apart
//! (docs/procedures.md, "NIM reset") and batch their `c_rsh` reads.
//!
//! The line sent is `echo MARK0; CMD0; sleep N; echo MARK1; CMD1; ...`: every command is
//! a read (anything else is refused before sending), each one's stdout is cut out by
//! its marker, and the stderr of the whole call is kept for the reasons. The markers
//! carry a random number drawn for the call, so no text a host prints (an object's
//! `info`, a log line) can pass for one.

use std::time::Duration;

use crate::exec::{Exec, ExecErrorKind};
use crate::sources::command::Effect;
use crate::sources::RemoteCommand;

use super::super::PlanError;

/// The start of the marker line written before each command's output.
const MARK: &str = "powerdeck-read-";

/// One part of a chained read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A read-only command whose stdout is wanted.
    Read(RemoteCommand),
    /// A pause on the host (`sleep`), so the next read sees that much later.
    Pause(Duration),
}

/// What a chained read brought back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chained {
    /// The stdout of each [`Part::Read`], in order.
    pub stdout: Vec<String>,
    /// The stderr of the whole call.
    pub stderr: String,
}

impl Chained {
    /// The stdout of read number `index` (empty when it printed nothing).
    pub fn out(&self, index: usize) -> &str {
        self.stdout.get(index).map_or("", String::as_str)
    }
}

/// Why the host could not be asked at all: the kind of failure and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoAnswer {
    /// The transport's failure kind (network, timeout, login ...).
    pub kind: ExecErrorKind,
    /// Its message.
    pub message: String,
}

/// Runs the parts on `host` in one call; `Err` when nothing came back.
pub async fn chained<E: Exec>(
    exec: &E,
    host: &str,
    parts: &[Part],
) -> Result<Result<Chained, NoAnswer>, PlanError> {
    let mark = format!("{MARK}{:016x}-", rand::random::<u64>());
    let mut line = Vec::new();
    let mut reads = 0;
    for part in parts {
        match part {
            Part::Read(command) => {
                if command.effect() != Effect::Read {
                    return Err(PlanError::invalid(format!(
                        "refusing to read with a changing command: {}",
                        command.line()
                    )));
                }
                line.push(format!("echo {mark}{reads}"));
                line.push(command.line());
                reads += 1;
            }
            Part::Pause(pause) => line.push(format!("sleep {}", pause.as_secs().max(1))),
        }
    }
    let output = match exec.exec(host, line.join("; ")).await {
        Ok(output) => output,
        Err(error) => {
            return Ok(Err(NoAnswer {
                kind: error.kind,
                message: error.message,
            }))
        }
    };
    let mut stdout = vec![String::new(); reads];
    let mut current: Option<usize> = None;
    for text in output.stdout.lines() {
        if let Some(index) = text
            .trim()
            .strip_prefix(mark.as_str())
            .and_then(|n| n.parse::<usize>().ok())
        {
            current = Some(index);
            continue;
        }
        if let Some(slot) = current.and_then(|index| stdout.get_mut(index)) {
            slot.push_str(text);
            slot.push('\n');
        }
    }
    Ok(Ok(Chained {
        stdout,
        stderr: output.stderr,
    }))
}

/// [`chained`], where no answer is "cannot tell".
pub async fn chained_or_cannot_tell<E: Exec>(
    exec: &E,
    host: &str,
    parts: &[Part],
) -> Result<Chained, PlanError> {
    chained(exec, host, parts)
        .await?
        .map_err(|no| PlanError::cannot_tell(format!("{host} did not answer: {}", no.message)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::{CommandOutput, ExecError};
    use crate::sources::nim::commands as nim;

    /// Answers like a shell would: each `echo` prints its word, every other command
    /// prints a line that looks like a marker of the wrong call, then `out`.
    struct Shell {
        out: &'static str,
    }

    impl Exec for Shell {
        async fn exec(&self, _host: &str, line: String) -> Result<CommandOutput, ExecError> {
            let mut stdout = String::new();
            for command in line.split("; ") {
                match command.strip_prefix("echo ") {
                    Some(word) => stdout.push_str(&format!("{word}\n")),
                    None if command.starts_with("sleep ") => {}
                    None => stdout.push_str(&format!("{MARK}0000000000000000-1\n{}", self.out)),
                }
            }
            Ok(CommandOutput::new(stdout, "", 0))
        }
    }

    #[tokio::test]
    async fn each_read_gets_its_own_output_and_no_printed_text_passes_for_a_marker() {
        let shell = Shell { out: "seen\n" };
        let read = chained(
            &shell,
            "nim01",
            &[
                Part::Read(nim::lsnim()),
                Part::Pause(Duration::from_secs(60)),
                Part::Read(nim::lsnim()),
            ],
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(read.stdout.len(), 2);
        for at in 0..2 {
            assert_eq!(
                read.out(at),
                format!("{MARK}0000000000000000-1\nseen\n"),
                "the fake marker stays in the output it was printed in"
            );
        }
        let change = nim::nim_reset("c1", true).unwrap();
        assert!(chained(&shell, "nim01", &[Part::Read(change)])
            .await
            .is_err());
    }
}
