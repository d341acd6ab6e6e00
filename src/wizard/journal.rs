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
    /// Opens (creating) the journal at `path` for appending.
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
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

    /// Every record of a journal file; unreadable lines are skipped.
    pub fn read(path: &Path) -> std::io::Result<Vec<JournalRecord>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect())
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
