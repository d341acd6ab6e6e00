//! The config file (README.md, "Config, inventory and plans"; every key in
//! `config.example.toml`): what to connect to and how.
//!
//! Every error a user can cause names the file, the line and the key. A plain
//! `password` is refused: secrets live in environment variables named by
//! `password_env`. A `host` may be an alias of `~/.ssh/config`, whose HostName, Port,
//! User, IdentityFile and ProxyJump apply unless the powerdeck config says otherwise.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

pub use crate::estate::SourceKind;

/// A loaded, checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from (for messages).
    pub origin: String,
    pub ssh: SshOptions,
    pub refresh: RefreshOptions,
    /// `[limits]`: how much one command may print.
    pub limits: Limits,
    pub sources: Vec<SourceConfig>,
    /// `[ui] theme`: the theme to start with (`--theme` wins).
    pub theme: Option<String>,
    /// `[keys]`: console key bindings, action name → keys (`"j, down"`).
    pub keys: std::collections::BTreeMap<String, String>,
    /// Line and column of the `[keys]` entries and `ui.theme` (`"keys.quit"` →
    /// `(12, 1)`), so the console can name them when it finds one it cannot use.
    pub positions: std::collections::BTreeMap<String, (usize, usize)>,
}

/// `[ssh]`.
#[derive(Debug, Clone)]
pub struct SshOptions {
    pub known_hosts: PathBuf,
    pub accept_new_host_keys: bool,
    pub connect_timeout: Duration,
    pub command_timeout: Duration,
}

/// `[refresh]`: how often each kind of source is read.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    pub hmc: Duration,
    pub aix: Duration,
    pub nim: Duration,
}

impl RefreshOptions {
    /// The interval for a kind of source.
    pub fn interval(&self, kind: SourceKind) -> Duration {
        match kind {
            SourceKind::Hmc => self.hmc,
            SourceKind::Aix => self.aix,
            SourceKind::Nim => self.nim,
        }
    }
}

/// `[limits]`: bounds on what one command may print, so a flooding host cannot exhaust
/// memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `max_output_bytes`: past it the command is ended and its source marked partial.
    pub max_output_bytes: usize,
    /// `max_line_bytes`: the rest of a longer line is dropped and marked.
    pub max_line_bytes: usize,
}

/// One `[[hmc]]`, `[[aix]]` or `[[nim]]` entry, with defaults applied and paths expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    pub kind: SourceKind,
    pub name: String,
    pub host: String,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity_file: Option<PathBuf>,
    pub password_env: Option<String>,
    /// For AIX globals: the LPAR they run in.
    pub lpar: Option<String>,
}

/// Where and how to reach one host, after `~/.ssh/config` is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub identity_files: Vec<PathBuf>,
    pub password_env: Option<String>,
    pub jump: Option<Box<Endpoint>>,
}

/// A problem with the config, located in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", location(*line, *column, key.as_deref()))]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the problem is not tied to a line (e.g. the file is missing).
    pub line: usize,
    pub column: usize,
    pub key: Option<String>,
    pub message: String,
}

/// Why a path starting with `~` cannot be used.
const NO_HOME_FOR_TILDE: &str = "starts with ~ but HOME is not set: write the full path";

fn location(line: usize, column: usize, key: Option<&str>) -> String {
    let mut text = String::new();
    if line > 0 {
        text.push_str(&format!(":{line}:{column}"));
    }
    if let Some(key) = key {
        text.push_str(&format!(": {key}"));
    }
    text
}

/// The default config path: `$XDG_CONFIG_HOME/powerdeck/config.toml`, else
/// `~/.config/powerdeck/config.toml`; `None` when neither `XDG_CONFIG_HOME` nor `HOME`
/// is set.
pub fn default_path() -> Option<PathBuf> {
    Some(config_dir()?.join("powerdeck").join("config.toml"))
}

/// `$XDG_CONFIG_HOME`, else `~/.config`; `None` when neither variable is set.
///
/// Exists so the config file and user themes are looked up in one place, and so that
/// without a home directory powerdeck says so instead of guessing one.
pub fn config_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// `$XDG_STATE_HOME`, else `~/.local/state`; `None` when neither variable is set.
///
/// Exists so the log and the journal go where the XDG spec puts state, and nowhere
/// when there is no home directory to put them in (never `/` by default).
pub fn state_dir() -> Option<PathBuf> {
    xdg_dir("XDG_STATE_HOME", ".local/state")
}

fn xdg_dir(variable: &str, under_home: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| Some(home_dir()?.join(under_home)))
}

/// `$HOME`, or `None` when it is unset or empty.
fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
}

/// `~` and `~/...` mean `home`; `None` when the path needs it and there is none.
fn expand_tilde(path: &str, home: Option<&Path>) -> Option<PathBuf> {
    if path == "~" {
        return home.map(Path::to_path_buf);
    }
    match path.strip_prefix("~/") {
        Some(rest) => Some(home?.join(rest)),
        None => Some(PathBuf::from(path)),
    }
}

/// The longest `connect_timeout_secs`: an hour. Bounds exist because a larger value is
/// a typo, not a wish, and a huge one would overflow the deadlines computed from it.
pub const MAX_CONNECT_TIMEOUT_SECS: u64 = 3600;
/// The longest `command_timeout_secs` and refresh interval: a day (bounded for the same
/// reasons as [`MAX_CONNECT_TIMEOUT_SECS`]).
pub const MAX_SECS: u64 = 86_400;

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: origin.clone(),
            line: 0,
            column: 0,
            key: None,
            message: match error.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "no config file here; copy config.example.toml to {origin}, or try `powerdeck --demo`"
                ),
                _ => format!("cannot read: {error}"),
            },
        })?;
        Config::parse(&text, &origin)
    }

    /// Checks config text; `origin` names it in errors. `~` means `$HOME`.
    pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        Self::parse_with_home(text, origin, home_dir().as_deref())
    }

    /// Checks config text with `~` meaning `home` (`None`: a path with `~` is an error).
    ///
    /// Exists so that tests check the same text the same way whatever the environment
    /// they run in.
    pub fn parse_with_home(
        text: &str,
        origin: &str,
        home: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let locate = |span: Option<std::ops::Range<usize>>, key: Option<&str>, message: String| {
            let (line, column) = span.map_or((0, 0), |span| line_column(text, span.start));
            ConfigError {
                file: origin.to_string(),
                line,
                column,
                key: key.map(str::to_string),
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let message = error.message().to_string();
            let key = unknown_field(&message);
            let message = match &key {
                Some(key) => format!("unknown key {key:?} ({})", message.trim_end()),
                None => message.trim_end().to_string(),
            };
            locate(error.span(), key.as_deref(), message)
        })?;
        let ssh = raw.ssh.unwrap_or_default();
        let refresh = raw.refresh.unwrap_or_default();
        let seconds = |value: &Option<Spanned<u64>>, key: &str, default: u64, max: u64| {
            let Some(value) = value else {
                return Ok(Duration::from_secs(default));
            };
            let secs = *value.get_ref();
            if (1..=max).contains(&secs) {
                Ok(Duration::from_secs(secs))
            } else {
                Err(locate(
                    Some(value.span()),
                    Some(key),
                    format!("must be between 1 and {max} seconds, not {secs}"),
                ))
            }
        };
        let interval = seconds(
            &refresh.interval_secs,
            "refresh.interval_secs",
            30,
            MAX_SECS,
        )?;
        let per_kind = |value: &Option<Spanned<u64>>, key: &str| match value {
            Some(_) => seconds(value, key, 30, MAX_SECS),
            None => Ok(interval),
        };
        let known_hosts = match &ssh.known_hosts {
            Some(path) => expand_tilde(path.get_ref(), home).ok_or_else(|| {
                locate(
                    Some(path.span()),
                    Some("ssh.known_hosts"),
                    NO_HOME_FOR_TILDE.to_string(),
                )
            })?,
            None => expand_tilde("~/.ssh/known_hosts", home).ok_or_else(|| {
                locate(
                    None,
                    Some("ssh.known_hosts"),
                    "HOME is not set, so there is no default known_hosts file \
                     (~/.ssh/known_hosts): set known_hosts in [ssh] to a full path"
                        .to_string(),
                )
            })?,
        };
        let config_ssh = SshOptions {
            known_hosts,
            accept_new_host_keys: ssh.accept_new_host_keys.unwrap_or(false),
            connect_timeout: seconds(
                &ssh.connect_timeout_secs,
                "ssh.connect_timeout_secs",
                10,
                MAX_CONNECT_TIMEOUT_SECS,
            )?,
            command_timeout: seconds(
                &ssh.command_timeout_secs,
                "ssh.command_timeout_secs",
                120,
                MAX_SECS,
            )?,
        };
        let config_refresh = RefreshOptions {
            hmc: per_kind(&refresh.hmc_interval_secs, "refresh.hmc_interval_secs")?,
            aix: per_kind(&refresh.aix_interval_secs, "refresh.aix_interval_secs")?,
            nim: per_kind(&refresh.nim_interval_secs, "refresh.nim_interval_secs")?,
        };
        let raw_limits = raw.limits.unwrap_or_default();
        let within = |value: &Option<Spanned<u64>>,
                      key: &str,
                      range: std::ops::RangeInclusive<u64>,
                      default: usize| match value {
            Some(value) if !range.contains(value.get_ref()) => Err(locate(
                Some(value.span()),
                Some(key),
                format!(
                    "must be between {} and {} bytes",
                    range.start(),
                    range.end()
                ),
            )),
            Some(value) => Ok(*value.get_ref() as usize),
            None => Ok(default),
        };
        let limits = Limits {
            max_output_bytes: within(
                &raw_limits.max_output_bytes,
                "limits.max_output_bytes",
                64 * 1024..=1024 * 1024 * 1024,
                crate::ssh::DEFAULT_MAX_OUTPUT_BYTES,
            )?,
            max_line_bytes: within(
                &raw_limits.max_line_bytes,
                "limits.max_line_bytes",
                1024..=64 * 1024 * 1024,
                crate::ssh::DEFAULT_MAX_LINE_BYTES,
            )?,
        };
        let mut sources = Vec::new();
        let mut names: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        let all = [
            (SourceKind::Hmc, raw.hmc),
            (SourceKind::Aix, raw.aix),
            (SourceKind::Nim, raw.nim),
        ];
        for (kind, entries) in all {
            for entry in entries {
                let table = kind.as_str();
                if let Some(password) = &entry.password {
                    return Err(locate(
                        Some(password.span()),
                        Some(&format!("{table}.password")),
                        "plain passwords are not accepted: put the password in an environment variable and name it with password_env = \"VARIABLE\"".to_string(),
                    ));
                }
                if kind != SourceKind::Aix {
                    if let Some(lpar) = &entry.lpar {
                        return Err(locate(
                            Some(lpar.span()),
                            Some(&format!("{table}.lpar")),
                            "only [[aix]] entries run in an LPAR of their own here".to_string(),
                        ));
                    }
                }
                let name = entry.name.get_ref().trim().to_string();
                if name.is_empty() {
                    return Err(locate(
                        Some(entry.name.span()),
                        Some(&format!("{table}.name")),
                        "must not be empty".to_string(),
                    ));
                }
                if let Some((_, first)) = names.iter().find(|(seen, _)| *seen == name) {
                    let (line, _) = line_column(text, first.start);
                    return Err(locate(
                        Some(entry.name.span()),
                        Some(&format!("{table}.name")),
                        format!("{name:?} is already the name of the source on line {line}"),
                    ));
                }
                names.push((name.clone(), entry.name.span()));
                if entry.host.get_ref().trim().is_empty() {
                    return Err(locate(
                        Some(entry.host.span()),
                        Some(&format!("{table}.host")),
                        "must not be empty".to_string(),
                    ));
                }
                if let Some(port) = &entry.port {
                    if *port.get_ref() == 0 {
                        return Err(locate(
                            Some(port.span()),
                            Some(&format!("{table}.port")),
                            "must be 1-65535".to_string(),
                        ));
                    }
                }
                if let Some(variable) = &entry.password_env {
                    let name = variable.get_ref();
                    if name.trim().is_empty() || name.contains(['=', '\0']) {
                        return Err(locate(
                            Some(variable.span()),
                            Some(&format!("{table}.password_env")),
                            format!(
                                "{name:?} cannot be the name of an environment variable: \
                                 name the variable that holds the password \
                                 (password_env = \"HMC01_PASSWORD\"), or remove the key"
                            ),
                        ));
                    }
                }
                let identity_file = match &entry.identity_file {
                    Some(path) => Some(expand_tilde(path.get_ref(), home).ok_or_else(|| {
                        locate(
                            Some(path.span()),
                            Some(&format!("{table}.identity_file")),
                            NO_HOME_FOR_TILDE.to_string(),
                        )
                    })?),
                    None => None,
                };
                sources.push(SourceConfig {
                    kind,
                    name,
                    host: entry.host.into_inner().trim().to_string(),
                    port: entry.port.map(Spanned::into_inner),
                    user: entry.user,
                    identity_file,
                    password_env: entry.password_env.map(Spanned::into_inner),
                    lpar: entry.lpar.map(Spanned::into_inner),
                });
            }
        }
        let keys: std::collections::BTreeMap<String, String> = raw
            .keys
            .iter()
            .map(|(name, value)| (name.clone(), value.get_ref().clone()))
            .collect();
        let mut positions: std::collections::BTreeMap<String, (usize, usize)> = raw
            .keys
            .iter()
            .map(|(name, value)| {
                (
                    format!("keys.{name}"),
                    line_column(text, value.span().start),
                )
            })
            .collect();
        let theme = raw.ui.and_then(|ui| ui.theme).map(|theme| {
            positions.insert(
                "ui.theme".to_string(),
                line_column(text, theme.span().start),
            );
            theme.into_inner()
        });
        Ok(Config {
            origin: origin.to_string(),
            ssh: config_ssh,
            refresh: config_refresh,
            limits,
            sources,
            theme,
            keys,
            positions,
        })
    }

    /// Resolves every source's endpoint with `~/.ssh/config` (if readable).
    pub fn endpoints(&self) -> Vec<Endpoint> {
        self.endpoints_with(read_ssh_config().as_ref())
    }

    /// Resolves every source's endpoint with `ssh_config` (`None`: powerdeck's own
    /// settings and defaults only).
    ///
    /// Exists so tests and programs embedding powerdeck can resolve hosts without
    /// reading the user's `~/.ssh/config`.
    pub fn endpoints_with(&self, ssh_config: Option<&ssh2_config::SshConfig>) -> Vec<Endpoint> {
        self.sources
            .iter()
            .map(|source| source.endpoint(ssh_config))
            .collect()
    }

    /// An error about `key` (`"keys.quit"`, `"ui.theme"`), at the line it was written on.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> ConfigError {
        let (line, column) = self.positions.get(key).copied().unwrap_or((0, 0));
        ConfigError {
            file: self.origin.clone(),
            line,
            column,
            key: Some(key.to_string()),
            message: message.into(),
        }
    }

    /// The `[ssh]` table as the SSH layer's settings.
    pub fn ssh_settings(&self) -> crate::ssh::Settings {
        let mut settings = crate::ssh::Settings::new(self.ssh.known_hosts.clone());
        settings.accept_new_host_keys = self.ssh.accept_new_host_keys;
        settings.connect_timeout = self.ssh.connect_timeout;
        settings.command_timeout = self.ssh.command_timeout;
        settings.max_output_bytes = self.limits.max_output_bytes;
        settings.max_line_bytes = self.limits.max_line_bytes;
        settings
    }

    /// Every configured host as an SSH target, aliases resolved with `~/.ssh/config`.
    pub fn ssh_targets(&self) -> Vec<crate::ssh::Target> {
        self.endpoints().iter().map(Endpoint::target).collect()
    }

    /// Every configured host as an SSH target, aliases resolved with `ssh_config` only.
    ///
    /// Exists for the same reason as [`Config::endpoints_with`].
    pub fn ssh_targets_with(
        &self,
        ssh_config: Option<&ssh2_config::SshConfig>,
    ) -> Vec<crate::ssh::Target> {
        self.endpoints_with(ssh_config)
            .iter()
            .map(Endpoint::target)
            .collect()
    }
}

impl Endpoint {
    /// This endpoint as the SSH layer's target, its jump host included.
    pub fn target(&self) -> crate::ssh::Target {
        crate::ssh::Target {
            name: self.name.clone(),
            host: self.host.clone(),
            port: self.port,
            user: self.user.clone(),
            identity_files: self.identity_files.clone(),
            password_env: self.password_env.clone(),
            jump: self.jump.as_deref().map(|jump| Box::new(jump.target())),
        }
    }
}

impl SourceConfig {
    /// Where to connect: powerdeck's own keys first, then `~/.ssh/config` for the
    /// alias, then defaults (port 22, hscroot or root).
    pub fn endpoint(&self, ssh_config: Option<&ssh2_config::SshConfig>) -> Endpoint {
        let params = ssh_config.map(|config| config.query(&self.host));
        let host = params
            .as_ref()
            .and_then(|p| p.host_name.clone())
            .unwrap_or_else(|| self.host.clone());
        let port = self
            .port
            .or_else(|| params.as_ref().and_then(|p| p.port))
            .unwrap_or(22);
        let user = self
            .user
            .clone()
            .or_else(|| params.as_ref().and_then(|p| p.user.clone()))
            .unwrap_or_else(|| self.kind.default_user().to_string());
        let identity_files = match &self.identity_file {
            Some(file) => vec![file.clone()],
            None => params
                .as_ref()
                .and_then(|p| p.identity_file.clone())
                .unwrap_or_default(),
        };
        let jump = params
            .as_ref()
            .and_then(|p| p.proxy_jump.as_ref())
            .and_then(|jumps| jumps.first())
            .filter(|jump| !jump.eq_ignore_ascii_case("none"))
            .map(|jump| Box::new(jump_endpoint(jump, &self.name, ssh_config)));
        Endpoint {
            name: self.name.clone(),
            host,
            port,
            user,
            identity_files,
            password_env: self.password_env.clone(),
            jump,
        }
    }
}

/// A ProxyJump hop, `[user@]host[:port]`, itself resolved through `~/.ssh/config`
/// (one level: its own ProxyJump is not followed).
fn jump_endpoint(
    spec: &str,
    source: &str,
    ssh_config: Option<&ssh2_config::SshConfig>,
) -> Endpoint {
    let (user, rest) = match spec.rsplit_once('@') {
        Some((user, rest)) => (Some(user.to_string()), rest),
        None => (None, spec),
    };
    let (alias, port) = match rest.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => (host, port.parse().ok()),
        _ => (rest, None),
    };
    let params = ssh_config.map(|config| config.query(alias));
    Endpoint {
        name: format!("{source} (jump host {alias})"),
        host: params
            .as_ref()
            .and_then(|p| p.host_name.clone())
            .unwrap_or_else(|| alias.to_string()),
        port: port
            .or_else(|| params.as_ref().and_then(|p| p.port))
            .unwrap_or(22),
        user: user
            .or_else(|| params.as_ref().and_then(|p| p.user.clone()))
            .unwrap_or_else(|| std::env::var("USER").unwrap_or_else(|_| "root".to_string())),
        identity_files: params
            .as_ref()
            .and_then(|p| p.identity_file.clone())
            .unwrap_or_default(),
        password_env: None,
        jump: None,
    }
}

/// `~/.ssh/config`, when `HOME` is set and there is one that parses.
pub fn read_ssh_config() -> Option<ssh2_config::SshConfig> {
    let path = home_dir()?.join(".ssh").join("config");
    let text = std::fs::read_to_string(path).ok()?;
    parse_ssh_config(&text)
}

/// Parses ssh_config text, tolerating options powerdeck does not use.
pub fn parse_ssh_config(text: &str) -> Option<ssh2_config::SshConfig> {
    let mut reader = std::io::BufReader::new(text.as_bytes());
    ssh2_config::SshConfig::default()
        .parse(
            &mut reader,
            ssh2_config::ParseRule::ALLOW_UNKNOWN_FIELDS
                | ssh2_config::ParseRule::ALLOW_UNSUPPORTED_FIELDS,
        )
        .ok()
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
    (line, column)
}

/// The key named by toml's "unknown field `x`" message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    ssh: Option<RawSsh>,
    refresh: Option<RawRefresh>,
    limits: Option<RawLimits>,
    #[serde(default)]
    hmc: Vec<RawSource>,
    #[serde(default)]
    aix: Vec<RawSource>,
    #[serde(default)]
    nim: Vec<RawSource>,
    ui: Option<RawUi>,
    #[serde(default)]
    keys: std::collections::BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    theme: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSsh {
    known_hosts: Option<Spanned<String>>,
    accept_new_host_keys: Option<bool>,
    connect_timeout_secs: Option<Spanned<u64>>,
    command_timeout_secs: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_output_bytes: Option<Spanned<u64>>,
    max_line_bytes: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRefresh {
    interval_secs: Option<Spanned<u64>>,
    hmc_interval_secs: Option<Spanned<u64>>,
    aix_interval_secs: Option<Spanned<u64>>,
    nim_interval_secs: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Spanned<String>,
    host: Spanned<String>,
    port: Option<Spanned<u16>>,
    user: Option<String>,
    identity_file: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    /// Refused with a pointer to `password_env`.
    password: Option<Spanned<toml::Value>>,
    lpar: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses with `~` meaning `/home/op`, whatever `HOME` is.
    fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        Config::parse_with_home(text, origin, Some(Path::new("/home/op")))
    }

    #[test]
    fn output_limits_have_a_range() {
        let config = parse("[limits]\nmax_output_bytes = 1048576\n", "c").unwrap();
        assert_eq!(config.limits.max_output_bytes, 1_048_576);
        assert_eq!(config.ssh_settings().max_output_bytes, 1_048_576);
        let error = parse("[limits]\nmax_output_bytes = 10\n", "c").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (2, Some("limits.max_output_bytes")),
            "{error}"
        );
        let error = parse("[limits]\nmax_line_bytes = 18446744073709551615\n", "c").unwrap_err();
        assert_eq!(
            error.key.as_deref(),
            Some("limits.max_line_bytes"),
            "{error}"
        );
    }

    const GOOD: &str = r#"
[ssh]
known_hosts = "/etc/ssh/ssh_known_hosts"
accept_new_host_keys = true

[refresh]
interval_secs = 20
nim_interval_secs = 300

[[hmc]]
name = "hmc01"
host = "hmc01.example.com"

[[aix]]
name = "aixprd01"
host = "10.0.0.5"
port = 2222
user = "admin"
identity_file = "~/.ssh/id_aix"
lpar = "aixprd01"

[[nim]]
name = "nim01"
host = "nim01"
password_env = "NIM01_PASSWORD"
"#;

    #[test]
    fn reads_the_contract_keys_with_defaults() {
        let config = parse(GOOD, "c.toml").unwrap();
        assert!(config.ssh.accept_new_host_keys);
        assert_eq!(config.ssh.connect_timeout, Duration::from_secs(10));
        assert_eq!(config.ssh.command_timeout, Duration::from_secs(120));
        assert_eq!(config.refresh.hmc, Duration::from_secs(20));
        assert_eq!(config.refresh.nim, Duration::from_secs(300));
        assert_eq!(config.sources.len(), 3);
        let aix = &config.sources[1];
        assert_eq!(aix.kind, SourceKind::Aix);
        assert_eq!(aix.lpar.as_deref(), Some("aixprd01"));
        assert_eq!(
            aix.identity_file.as_deref(),
            Some(Path::new("/home/op/.ssh/id_aix"))
        );
        let endpoints: Vec<_> = config.sources.iter().map(|s| s.endpoint(None)).collect();
        assert_eq!(endpoints[0].user, "hscroot");
        assert_eq!(endpoints[0].port, 22);
        assert_eq!(endpoints[1].user, "admin");
        assert_eq!(endpoints[1].port, 2222);
        assert_eq!(endpoints[2].user, "root");
        assert_eq!(endpoints[2].password_env.as_deref(), Some("NIM01_PASSWORD"));
    }

    #[test]
    fn plain_password_is_refused_with_its_line() {
        let text = "[[hmc]]\nname = \"a\"\nhost = \"b\"\npassword = \"abc123\"\n";
        let error = parse(text, "c.toml").unwrap_err();
        assert_eq!(error.line, 4);
        assert_eq!(error.key.as_deref(), Some("hmc.password"));
        assert!(error.message.contains("password_env"));
        assert!(
            !error.to_string().contains("abc123"),
            "the secret is never repeated"
        );
        assert!(error.to_string().starts_with("c.toml:4:"));
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let text = "[ssh]\nknown_hosts = \"x\"\nconect_timeout_secs = 5\n";
        let error = parse(text, "/etc/pd.toml").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (3, Some("conect_timeout_secs"))
        );
        assert!(error.to_string().starts_with("/etc/pd.toml:3:"), "{error}");
    }

    #[test]
    fn wrong_type_and_duplicates_are_located() {
        let error = parse("[[hmc]]\nname = \"a\"\nhost = \"b\"\nport = \"x\"\n", "c").unwrap_err();
        assert_eq!(error.line, 4);
        let text = "[[hmc]]\nname = \"a\"\nhost = \"b\"\n[[nim]]\nname = \"a\"\nhost = \"c\"\n";
        let error = parse(text, "c").unwrap_err();
        assert_eq!(error.line, 5);
        assert!(error.message.contains("line 2"));
        let error = parse("[refresh]\ninterval_secs = 0\n", "c").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (2, Some("refresh.interval_secs"))
        );
    }

    #[test]
    fn timeouts_and_intervals_have_ranges() {
        let huge = "[ssh]\nknown_hosts = \"/k\"\nconnect_timeout_secs = 18446744073709551615\n";
        let error = parse(huge, "c.toml").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (3, Some("ssh.connect_timeout_secs"))
        );
        assert!(
            error.to_string().starts_with(
                "c.toml:3:24: ssh.connect_timeout_secs: must be between 1 and 3600 seconds"
            ),
            "{error}"
        );
        for (key, max) in [
            ("ssh.connect_timeout_secs", MAX_CONNECT_TIMEOUT_SECS),
            ("ssh.command_timeout_secs", MAX_SECS),
            ("refresh.interval_secs", MAX_SECS),
            ("refresh.hmc_interval_secs", MAX_SECS),
            ("refresh.aix_interval_secs", MAX_SECS),
            ("refresh.nim_interval_secs", MAX_SECS),
        ] {
            let text = |value: u64| format!("ssh.known_hosts = \"/k\"\n{key} = {value}\n");
            parse(&text(max), "c").unwrap_or_else(|e| panic!("{key} = {max}: {e}"));
            for bad in [0, max + 1, i64::MAX as u64] {
                let error = parse(&text(bad), "c").unwrap_err();
                assert_eq!((error.line, error.key.as_deref()), (2, Some(key)), "{bad}");
            }
        }
    }

    #[test]
    fn without_a_home_a_tilde_path_is_an_error_naming_its_key() {
        let no_home = |text: &str| Config::parse_with_home(text, "c.toml", None);
        let error = no_home("[[hmc]]\nname = \"a\"\nhost = \"b\"\n").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (0, Some("ssh.known_hosts"))
        );
        assert!(error.message.contains("HOME is not set"), "{error}");
        assert!(
            error.message.contains("set known_hosts in [ssh]"),
            "{error}"
        );
        let error = no_home("[ssh]\nknown_hosts = \"~/kh\"\n").unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (2, Some("ssh.known_hosts"))
        );
        let text = "[ssh]\nknown_hosts = \"/kh\"\n[[aix]]\nname = \"a\"\nhost = \"b\"\nidentity_file = \"~/.ssh/id\"\n";
        let error = no_home(text).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (6, Some("aix.identity_file"))
        );
        assert!(
            error
                .to_string()
                .contains("HOME is not set: write the full path"),
            "{error}"
        );
        let config = no_home(&text.replace("~/.ssh/id", "/keys/id")).unwrap();
        assert_eq!(config.ssh.known_hosts, PathBuf::from("/kh"));
    }

    #[test]
    fn an_empty_password_variable_is_refused_at_load() {
        for value in ["\"\"", "\" \"", "\"A=B\""] {
            let text = format!("[ssh]\nknown_hosts = \"/k\"\n[[nim]]\nname = \"a\"\nhost = \"b\"\npassword_env = {value}\n");
            let error = parse(&text, "c.toml").unwrap_err();
            assert_eq!(
                (error.line, error.key.as_deref()),
                (6, Some("nim.password_env")),
                "{value}"
            );
            assert!(error.message.contains("name the variable"), "{error}");
        }
    }

    #[test]
    fn ssh_config_alias_with_proxy_jump() {
        let ssh = parse_ssh_config(
            "Host hmc-prod\n  HostName 10.1.1.10\n  Port 2022\n  User hmcadmin\n  IdentityFile /keys/hmc\n  ProxyJump ops@bastion:2200\n\nHost bastion\n  HostName bastion.example.com\n",
        )
        .unwrap();
        let source = SourceConfig {
            kind: SourceKind::Hmc,
            name: "hmc01".into(),
            host: "hmc-prod".into(),
            port: None,
            user: None,
            identity_file: None,
            password_env: None,
            lpar: None,
        };
        let endpoint = source.endpoint(Some(&ssh));
        assert_eq!(endpoint.host, "10.1.1.10");
        assert_eq!(endpoint.port, 2022);
        assert_eq!(endpoint.user, "hmcadmin");
        assert_eq!(endpoint.identity_files, [PathBuf::from("/keys/hmc")]);
        let jump = endpoint.jump.unwrap();
        assert_eq!(
            (jump.host.as_str(), jump.port, jump.user.as_str()),
            ("bastion.example.com", 2200, "ops")
        );
        let explicit = SourceConfig {
            port: Some(22),
            user: Some("hscroot".into()),
            ..source
        };
        let endpoint = explicit.endpoint(Some(&ssh));
        assert_eq!((endpoint.port, endpoint.user.as_str()), (22, "hscroot"));
    }

    #[test]
    fn keys_and_theme() {
        let config = parse(
            "[ui]\ntheme = \"light\"\n[keys]\nquit = \"q, ctrl-c\"\n",
            "c",
        )
        .unwrap();
        assert_eq!(config.theme.as_deref(), Some("light"));
        assert_eq!(
            config.keys.get("quit").map(String::as_str),
            Some("q, ctrl-c")
        );
        assert_eq!(config.positions.get("keys.quit"), Some(&(4, 8)));
        assert_eq!(config.positions.get("ui.theme"), Some(&(2, 9)));
    }

    #[test]
    fn example_config_is_valid() {
        let text = include_str!("../config.example.toml");
        let config = parse(text, "config.example.toml").unwrap();
        assert_eq!(config.sources.len(), 3);
    }
}
