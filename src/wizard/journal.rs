//! The journal: every wizard run appended to a JSONL file, synced after each step so a
//! crash loses nothing. Secrets are redacted before anything is written.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalRecord {
    /// Identifies the run; every record of one run shares it.
    pub run_id: String,
    /// `run-started`, `step`, `reread`, `run-ended`.
    pub event: String,
    /// RFC 3339 UTC.
    pub at: String,
    /// The operator (login name).
    pub who: String,
    pub wizard: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// `succeeded`, `failed`, `refused`, `unknown` ..., or a run's end state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// What the operator chose (confirmation, parallelism, skip/retry ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

/// Most of a journal file read at once: its last 64 MB.
pub const READ_LIMIT: u64 = 64 * 1024 * 1024;

/// What [`Journal::read_checked`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JournalRead {
    /// The records, in file order.
    pub records: Vec<JournalRecord>,
    /// Lines (1-based, in what was read) that are not records.
    pub bad_lines: Vec<usize>,
    /// Only the end of a larger file was read.
    pub truncated: bool,
}

/// The file does not end with a newline: its last write was torn.
fn ends_torn(file: &mut File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// An append-only journal file.
pub struct Journal {
    path: PathBuf,
    file: File,
}

/// The default journal path: `$XDG_STATE_HOME/powerdeck/journal.jsonl`, else
/// `~/.local/state/powerdeck/journal.jsonl`.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("/"))
                .join(".local/state")
        });
    base.join("powerdeck").join("journal.jsonl")
}

impl Journal {
    /// Opens (creating) the journal at `path` for appending: the directory is made
    /// 0700 and the file 0600 when they are created. A torn last line (a crash in the
    /// middle of a write) is ended first, so the next record starts on a line of its own.
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .mode(0o600)
            .open(path)?;
        if ends_torn(&mut file)? {
            file.write_all(b"\n")?;
            file.sync_data()?;
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Where the journal lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record, redacted, and syncs it to disk.
    pub fn append(&mut self, record: &JournalRecord) -> std::io::Result<()> {
        let mut record = record.clone();
        for text in [&mut record.command, &mut record.stdout, &mut record.stderr]
            .into_iter()
            .flatten()
        {
            *text = redact(text);
        }
        let mut line = serde_json::to_string(&record).map_err(std::io::Error::other)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.file.sync_data()
    }

    /// Every record of a journal file; unreadable lines are skipped (see
    /// [`Journal::read_checked`] for which).
    pub fn read(path: &Path) -> std::io::Result<Vec<JournalRecord>> {
        Journal::read_checked(path).map(|read| read.records)
    }

    /// The records of a journal file, reading at most its last [`READ_LIMIT`] bytes, and
    /// the numbers of the lines that are not records (a torn write, a foreign line).
    pub fn read_checked(path: &Path) -> std::io::Result<JournalRead> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(JournalRead::default())
            }
            Err(error) => return Err(error),
        };
        let length = file.metadata()?.len();
        let skipped = length.saturating_sub(READ_LIMIT);
        file.seek(SeekFrom::Start(skipped))?;
        let mut bytes = Vec::new();
        file.take(READ_LIMIT).read_to_end(&mut bytes)?;
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if skipped > 0 {
            // Start at the first whole line.
            let start = text.find('\n').map_or(text.len(), |at| at + 1);
            text.drain(..start);
        }
        let mut read = JournalRead {
            truncated: skipped > 0,
            ..JournalRead::default()
        };
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(line) {
                Ok(record) => read.records.push(record),
                Err(_) => read.bad_lines.push(number + 1),
            }
        }
        Ok(read)
    }
}

/// Hides the values of password-like options and attributes
/// (`--passwd X`, `password=X`, `passwd=X`).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hide_next = false;
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        if hide_next && !word.is_empty() {
            out.push_str("[redacted]");
            hide_next = false;
            continue;
        }
        let lower = word.to_ascii_lowercase();
        if matches!(lower.as_str(), "--passwd" | "-passwd" | "--password") {
            hide_next = true;
            out.push_str(word);
            continue;
        }
        match lower
            .find("passw")
            .and_then(|at| lower[at..].find('=').map(|eq| at + eq))
        {
            Some(eq) => {
                out.push_str(&word[..=eq]);
                out.push_str("[redacted]");
            }
            None => out.push_str(word),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(event: &str) -> JournalRecord {
        JournalRecord {
            run_id: "r".into(),
            event: event.into(),
            at: "2026-12-03T00:00:00Z".into(),
            who: "op".into(),
            wizard: "w".into(),
            title: "t".into(),
            step: None,
            kind: None,
            host: None,
            command: None,
            exit_status: None,
            stdout: None,
            stderr: None,
            duration_ms: None,
            outcome: None,
            choices: Vec::new(),
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("powerdeck-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_torn_last_line_does_not_hide_the_next_record() {
        let dir = scratch("torn");
        let path = dir.join("journal.jsonl");
        let mut journal = Journal::open(&path).unwrap();
        journal.append(&record("run-started")).unwrap();
        drop(journal);
        // A crash in the middle of a write.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(br#"{"run_id":"r","event":"se"#)
            .unwrap();
        let mut journal = Journal::open(&path).unwrap();
        journal.append(&record("run-ended")).unwrap();
        let read = Journal::read_checked(&path).unwrap();
        let events: Vec<_> = read.records.iter().map(|r| r.event.as_str()).collect();
        assert_eq!(events, ["run-started", "run-ended"]);
        assert_eq!(read.bad_lines, [2]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_journal_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("private");
        let path = dir.join("state").join("journal.jsonl");
        Journal::open(&path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact("mkauthkeys --ip 10.0.0.2 -u hscroot --passwd s3cr3t"),
            "mkauthkeys --ip 10.0.0.2 -u hscroot --passwd [redacted]"
        );
        assert_eq!(
            redact("x -i \"password=abc,y=1\""),
            "x -i \"password=[redacted]"
        );
        assert_eq!(redact("migrlpar -o m -p lpar1"), "migrlpar -o m -p lpar1");
    }
}
