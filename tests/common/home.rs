//! A private home for every powerdeck a test starts, so that no test reads or writes
//! the files of the user running it: `HOME`, `XDG_CONFIG_HOME` and `XDG_STATE_HOME`
//! point into a temporary directory (the log and the journal go there), and the
//! variables of the user's session that change what powerdeck does are removed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `powerdeck-<what>-<pid>-<random>`.
    pub fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "powerdeck-{what}-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|err| panic!("create {}: {err}", dir.display()));
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Variables of the user's session a test's powerdeck never inherits: an ssh-agent,
/// and powerdeck's own settings (a test that wants one sets it).
pub const CLEARED: &[&str] = &["SSH_AUTH_SOCK", "POWERDECK_LOG", "POWERDECK_DEMO_SPEED"];

/// `HOME`, `XDG_CONFIG_HOME` and `XDG_STATE_HOME` for the processes of one test, each a
/// directory of its own in a temporary directory that goes when this is dropped.
pub struct Home {
    dir: TempDir,
}

impl Home {
    /// A new, empty private home.
    pub fn new(what: &str) -> Home {
        let home = Home {
            dir: TempDir::new(what),
        };
        for dir in [home.home(), home.config(), home.state()] {
            std::fs::create_dir_all(&dir)
                .unwrap_or_else(|err| panic!("create {}: {err}", dir.display()));
        }
        home
    }

    /// The temporary directory holding the three.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `HOME`.
    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// `XDG_CONFIG_HOME`.
    pub fn config(&self) -> PathBuf {
        self.path().join("config")
    }

    /// `XDG_STATE_HOME`: powerdeck's log and journal are in `powerdeck/` under it.
    pub fn state(&self) -> PathBuf {
        self.path().join("state")
    }

    /// The variables to set, with their values.
    pub fn vars(&self) -> [(&'static str, PathBuf); 3] {
        [
            ("HOME", self.home()),
            ("XDG_CONFIG_HOME", self.config()),
            ("XDG_STATE_HOME", self.state()),
        ]
    }

    /// Gives `command` this home and removes [`CLEARED`]; its stdin is `/dev/null`.
    pub fn apply<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        for name in CLEARED {
            command.env_remove(name);
        }
        for (name, value) in self.vars() {
            command.env(name, value);
        }
        command.stdin(Stdio::null())
    }

    /// The `powerdeck` binary, in this home.
    pub fn powerdeck(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_powerdeck"));
        self.apply(&mut command);
        command
    }

    /// `env` and its arguments, for a shell line: runs the rest of the line in this
    /// home, without [`CLEARED`], with `extra` set.
    pub fn env_words(&self, extra: &[(&str, &str)]) -> String {
        let mut words = vec!["env".to_string()];
        for name in CLEARED {
            words.push(format!("-u {name}"));
        }
        for (name, value) in self.vars() {
            words.push(format!("{name}={}", quote(&value.display().to_string())));
        }
        for (name, value) in extra {
            words.push(format!("{name}={}", quote(value)));
        }
        words.join(" ")
    }
}

/// `text` in single quotes for `sh`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
