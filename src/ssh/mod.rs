//! The SSH transport: one russh client session per host, many exec channels on it.
//!
//! Everything powerdeck reads from or runs on an HMC, an AIX global environment or a NIM
//! master goes through this module. It is the only place that talks to the network.
//!
//! - [`Target`] and [`Settings`] are plain inputs, independent of the config file: the
//!   config module converts `[ssh]` and the host tables into them.
//! - [`known_hosts`] matches OpenSSH `known_hosts` files (plain, `[host]:port`, hashed,
//!   wildcard and `@revoked` entries) and records accepted keys.
//! - [`Session`] is one authenticated connection (optionally through a ProxyJump host)
//!   that runs commands with [`Session::exec`] / [`Session::exec_streaming`], many at once.
//! - [`Pool`] keeps one [`Session`] per target name, coalesces concurrent first connects,
//!   and reconnects with backoff when a session dropped.
//!
//! Connection attempts, host-key decisions, logins and every command (with its duration
//! and exit status) are recorded as `tracing` events; the command line decides where
//! they go. Secrets (passwords, passphrases, private keys) never appear in an
//! [`SshError`], an event, or anywhere else this module produces text.

#![warn(missing_docs)]

mod auth;

pub use auth::{needs_passphrase, unlock};
mod client;
mod error;
pub mod known_hosts;
mod pool;
pub mod transport;

use std::path::PathBuf;
use std::time::Duration;

pub use client::{OutputChunk, OutputStream, Session};
pub use error::SshError;
pub use pool::Pool;
pub use transport::SshTransport;

/// One host to reach over SSH, as the transport needs it.
///
/// Exists so that the SSH code does not depend on the config file's shape: the config
/// module (and the simulator's generated config) convert their host tables into this.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The display name from the config (`hmc01`); the [`Pool`] keys sessions by it.
    pub name: String,
    /// Address or host name to connect to; also the name looked up in `known_hosts`.
    /// For a target behind a jump host, it is resolved by the jump host.
    pub host: String,
    /// TCP port of the SSH server (22 for a normal host).
    pub port: u16,
    /// Remote user to log in as (`hscroot` on an HMC, `root` on AIX and NIM).
    pub user: String,
    /// Private key files to offer, in order. Unencrypted keys are used directly; an
    /// encrypted key is used only through ssh-agent. When not empty, only the agent
    /// keys matching these files are offered (like OpenSSH `IdentitiesOnly`).
    pub identity_files: Vec<PathBuf>,
    /// Name of an environment variable holding the password, tried after keys.
    /// The name, never the password, is stored in the config and in errors.
    pub password_env: Option<String>,
    /// A ProxyJump host: connect to it first and tunnel the SSH connection to this
    /// target through a `direct-tcpip` channel on it.
    pub jump: Option<Box<Target>>,
}

impl Target {
    /// A target on port 22 with no key files, password or jump host set yet.
    ///
    /// Exists to keep tests and the simulator's config short; fields are public for the rest.
    pub fn new(name: impl Into<String>, host: impl Into<String>, user: impl Into<String>) -> Self {
        Target {
            name: name.into(),
            host: host.into(),
            port: 22,
            user: user.into(),
            identity_files: Vec::new(),
            password_env: None,
            jump: None,
        }
    }

    /// `host` for port 22, `[host]:port` otherwise: how the target is named in
    /// `known_hosts` and in messages.
    pub fn address(&self) -> String {
        known_hosts::host_pattern(&self.host, self.port)
    }
}

/// Default of [`Settings::max_output_bytes`]: 16 MiB, far above the largest listing of
/// a large HMC.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

/// Default of [`Settings::max_line_bytes`]: 64 KiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024;

/// Transport settings shared by every target: the `[ssh]` table of the config.
///
/// Exists so that host-key policy, timeouts and channel limits are decided once, in the
/// config, and applied the same way to every host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The OpenSSH-format `known_hosts` file host keys are checked against (and appended
    /// to when `accept_new_host_keys` is true).
    pub known_hosts: PathBuf,
    /// Like OpenSSH `StrictHostKeyChecking=accept-new`: record the key of a host that has
    /// no entry at all. A changed or revoked key is always refused.
    pub accept_new_host_keys: bool,
    /// Limit for one connection attempt: TCP connect, key exchange and authentication
    /// (per hop when a jump host is used).
    pub connect_timeout: Duration,
    /// Limit for one command, from asking for a channel to the exit status. In the
    /// [`Pool`] it also covers (re)connecting.
    pub command_timeout: Duration,
    /// How often to probe an idle connection; a host that misses 3 probes in a row is
    /// treated as gone. Zero disables the probes.
    pub keepalive_interval: Duration,
    /// Most exec channels open at once on one connection. OpenSSH allows 10 sessions
    /// per connection (`MaxSessions`), so keep this below 10.
    pub max_channels: usize,
    /// Most bytes one command may print (stdout and stderr together); past it the
    /// command is ended and reported, so a flooding host cannot exhaust memory.
    pub max_output_bytes: usize,
    /// Most bytes kept of one output line; the rest of the line is dropped and marked.
    pub max_line_bytes: usize,
    /// The ssh-agent socket logins try first (`None`: no agent). [`Settings::new`] takes
    /// `$SSH_AUTH_SOCK`; tests set `None` so they never depend on the user's agent.
    pub agent: Option<PathBuf>,
}

impl Settings {
    /// Settings with the defaults of the config file's `[ssh]` table and the given
    /// `known_hosts` file: no accept-new, 10 s connect, 120 s command, 15 s keepalive,
    /// 8 channels per connection, the agent of `$SSH_AUTH_SOCK` when it is set.
    pub fn new(known_hosts: impl Into<PathBuf>) -> Self {
        Settings {
            known_hosts: known_hosts.into(),
            accept_new_host_keys: false,
            connect_timeout: Duration::from_secs(10),
            command_timeout: Duration::from_secs(120),
            keepalive_interval: Duration::from_secs(15),
            max_channels: 8,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            agent: std::env::var_os("SSH_AUTH_SOCK")
                .filter(|value| !value.is_empty())
                .map(PathBuf::from),
        }
    }
}
