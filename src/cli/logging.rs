//! The log: powerdeck's `tracing` events written to a file beside the journal, never to
//! the terminal the console draws on (README.md, "Using it").

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use powerdeck::config;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// How much the log says, from `--log-level` or `POWERDECK_LOG`.
///
/// Exists so both are checked by clap against the same five words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogLevel {
    /// Only errors: changed or revoked host keys.
    Error,
    /// Also failed connections, refused host keys, command timeouts, failed refreshes.
    Warn,
    /// Also connections and logins, accepted new host keys, reconnects, partial refreshes.
    Info,
    /// Also every command sent (host, line, duration, exit status), every login method
    /// tried, every host-key check and every refresh cycle.
    Debug,
    /// Everything powerdeck records.
    Trace,
}

impl LogLevel {
    fn filter(self) -> LevelFilter {
        match self {
            LogLevel::Error => LevelFilter::ERROR,
            LogLevel::Warn => LevelFilter::WARN,
            LogLevel::Info => LevelFilter::INFO,
            LogLevel::Debug => LevelFilter::DEBUG,
            LogLevel::Trace => LevelFilter::TRACE,
        }
    }
}

/// Where the log is written: `$XDG_STATE_HOME/powerdeck/powerdeck.log` (else
/// `~/.local/state/powerdeck/powerdeck.log`); `None` when neither `XDG_STATE_HOME` nor
/// `HOME` is set.
///
/// Exists so the log sits beside the journal, where an operator already looks.
pub fn default_path() -> Option<PathBuf> {
    Some(config::state_dir()?.join("powerdeck").join("powerdeck.log"))
}

/// Sends powerdeck's events at `level` and above to the file at `path`, appended.
///
/// Exists so that what happened on the network can be read afterwards without ever
/// writing to the terminal the console owns. The directory is created 0700 and the file
/// kept 0600. When the file cannot be opened, this says so once on stderr, before the
/// console starts, and powerdeck runs without a log; so it does without a `path`.
pub fn start(level: LogLevel, path: Option<&Path>) {
    let Some(path) = path else {
        eprintln!(
            "powerdeck: neither XDG_STATE_HOME nor HOME is set, so there is no place for \
             the log; running without a log"
        );
        return;
    };
    let file = match open(path) {
        Ok(file) => file,
        Err(error) => {
            eprintln!(
                "powerdeck: cannot open the log {} ({error}); running without a log",
                path.display()
            );
            return;
        }
    };
    let only_powerdeck = Targets::new().with_target("powerdeck", level.filter());
    let to_file = tracing_subscriber::fmt::layer()
        .with_writer(Mutex::new(file))
        .with_filter(only_powerdeck);
    if let Err(error) = tracing_subscriber::registry().with(to_file).try_init() {
        eprintln!("powerdeck: cannot start the log ({error}); running without a log");
    }
}

#[cfg(unix)]
fn open(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}
