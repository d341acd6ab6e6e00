//! What can go wrong talking to a host, worded for the operator who has to act on it.

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

use crate::exec::{ExecError, ExecErrorKind};

/// Why a connection or a command over SSH failed.
///
/// Exists so that callers (refresh engine, executor, UI) can tell a host-key problem
/// from a network problem from a slow command, and so that every message says what
/// happened, on which host, and what to do. No variant ever holds a password or key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SshError {
    /// The TCP connection or the SSH handshake failed (refused, unreachable, no answer
    /// in time, the jump host could not open a tunnel ...).
    #[error(
        "cannot connect to {host} port {port}: {reason}; check the host name and port in \
         the config, that sshd runs there and that the network (or jump host) lets you in"
    )]
    Connect {
        /// Host name or address as configured.
        host: String,
        /// TCP port.
        port: u16,
        /// What failed, in words.
        reason: String,
    },

    /// The host offered a key that `known_hosts` does not hold, and accept-new is off
    /// (or the host already has keys of another type recorded).
    #[error(
        "the host key of {host} is not known: {fingerprint} is not in {known_hosts}. \
         Check this fingerprint with the host's administrator (on the host: \
         ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add this line to \
         {known_hosts}:\n{line_to_add}\n{}",
        accept_new_advice(known_hosts, other_key_lines)
    )]
    UnknownHostKey {
        /// `host` or `[host]:port`, as looked up.
        host: String,
        /// `SHA256:...` fingerprint of the offered key, as `ssh-keygen -l` prints it.
        fingerprint: String,
        /// The `known_hosts` line that would accept this key.
        line_to_add: String,
        /// The file that was searched.
        known_hosts: PathBuf,
        /// Lines of `known_hosts` holding keys of other types for this host: when there
        /// are any, the host is not new and `accept_new_host_keys` does not apply.
        other_key_lines: Vec<usize>,
    },

    /// `known_hosts` holds a different key of the same type for this host. Always
    /// refused: it may be a man-in-the-middle attack, or a reinstalled host.
    #[error(
        "the host key of {host} has CHANGED: it offers {fingerprint}, but line {line} of \
         {known_hosts} holds a different key. This can be an attack (someone between you \
         and the host) or a reinstalled host; powerdeck never accepts a changed key. \
         Confirm the new key with the host's administrator, then remove the old entry \
         (ssh-keygen -R '{host}' -f {known_hosts}) and connect again"
    )]
    HostKeyChanged {
        /// `host` or `[host]:port`, as looked up.
        host: String,
        /// `SHA256:...` fingerprint of the offered key.
        fingerprint: String,
        /// The file holding the old key.
        known_hosts: PathBuf,
        /// 1-based line number of the old key in that file.
        line: usize,
    },

    /// The offered key is marked `@revoked` in `known_hosts`.
    #[error(
        "the host key of {host} ({fingerprint}) is marked @revoked on line {line} of \
         {known_hosts}; powerdeck refuses it. Ask the host's administrator for the host's \
         current key"
    )]
    HostKeyRevoked {
        /// `host` or `[host]:port`, as looked up.
        host: String,
        /// `SHA256:...` fingerprint of the offered key.
        fingerprint: String,
        /// The file holding the `@revoked` line.
        known_hosts: PathBuf,
        /// 1-based line number of the `@revoked` entry.
        line: usize,
    },

    /// The host proved its identity with something other than a plain host key (an
    /// OpenSSH host certificate), which powerdeck does not check.
    #[error(
        "{host} offered a {what} instead of a plain host key; powerdeck checks plain host \
         keys against known_hosts only. Ask the host's administrator to enable a plain \
         ed25519, ecdsa or rsa host key"
    )]
    HostKeyUnsupported {
        /// `host` or `[host]:port`.
        host: String,
        /// What was offered.
        what: String,
    },

    /// The `known_hosts` file could not be read, or the accepted key not written.
    #[error(
        "cannot use the known_hosts file {path}: {reason}; check the [ssh] known_hosts \
         setting and the file's permissions"
    )]
    KnownHosts {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },

    /// The host accepted none of the credentials powerdeck had.
    #[error(
        "login as {user} on {host} failed; tried: {}. Check that the public key is in \
         ~{user}/.ssh/authorized_keys on the host, that ssh-agent holds it, or that the \
         password variable is set and correct", tried.join("; ")
    )]
    Auth {
        /// `host` or `[host]:port`.
        host: String,
        /// The remote user.
        user: String,
        /// Each method tried and how it ended, without secrets.
        tried: Vec<String>,
    },

    /// The command (or the wait for a channel to run it on) did not finish in time.
    /// The command may still be running on the host: SSH cannot stop it for us.
    #[error(
        "{during} on {host} did not finish within {}; the command may still be running on \
         the host: check its state there before running it again",
        seconds(*after)
    )]
    Timeout {
        /// `host` or `[host]:port`.
        host: String,
        /// What was being waited for (`the command`, `waiting for a free channel` ...).
        during: String,
        /// The limit that was hit.
        after: Duration,
    },

    /// The connection dropped. When `command_sent` is true the command may or may not
    /// have run; when false it was never sent and may safely be sent again.
    #[error("{}", disconnected_message(host, *command_sent, reason))]
    Disconnected {
        /// `host` or `[host]:port`.
        host: String,
        /// Whether the command had been sent when the connection dropped.
        command_sent: bool,
        /// What russh or the host said, if anything.
        reason: String,
    },

    /// The host refused to open a channel or to run the command on it.
    #[error(
        "{host} refused to run the command: {reason}; the host may limit sessions per \
         connection (OpenSSH MaxSessions) or restrict commands for this user"
    )]
    Channel {
        /// `host` or `[host]:port`.
        host: String,
        /// What was refused and why, as far as the host said.
        reason: String,
    },

    /// The command printed more than the output limit; it was ended there.
    #[error(
        "{host} printed more than {limit} bytes for one command; powerdeck ended it there \
         (raise [limits] max_output_bytes if the host really lists that much)"
    )]
    OutputLimit {
        /// `host` or `[host]:port`.
        host: String,
        /// The limit, in bytes.
        limit: usize,
    },
}

impl From<SshError> for ExecError {
    fn from(error: SshError) -> Self {
        let (kind, sent) = match &error {
            SshError::Connect { .. } => (ExecErrorKind::Network, false),
            SshError::UnknownHostKey { .. }
            | SshError::HostKeyChanged { .. }
            | SshError::HostKeyRevoked { .. }
            | SshError::HostKeyUnsupported { .. }
            | SshError::KnownHosts { .. } => (ExecErrorKind::HostKey, false),
            SshError::Auth { .. } => (ExecErrorKind::Auth, false),
            SshError::Timeout { .. } => (ExecErrorKind::Timeout, true),
            SshError::Disconnected { command_sent, .. } => {
                (ExecErrorKind::Disconnected, *command_sent)
            }
            SshError::Channel { .. } => (ExecErrorKind::Remote, false),
            SshError::OutputLimit { .. } => (ExecErrorKind::OutputLimit, true),
        };
        ExecError {
            kind,
            message: error.to_string(),
            sent,
        }
    }
}

impl SshError {
    /// Whether trying the same connection again later can help: true for network
    /// failures and dropped connections, false for host-key, login and command errors.
    ///
    /// Exists so that the [`super::Pool`] and the refresh engine never retry a host-key
    /// refusal or a failed login (retrying could lock the account).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SshError::Connect { .. }
                | SshError::Disconnected {
                    command_sent: false,
                    ..
                }
        )
    }

    /// Whether this is a host-key refusal (unknown, changed, revoked, unsupported).
    ///
    /// Exists so that the UI can show these prominently: they need an operator's decision.
    pub fn is_host_key_refusal(&self) -> bool {
        matches!(
            self,
            SshError::UnknownHostKey { .. }
                | SshError::HostKeyChanged { .. }
                | SshError::HostKeyRevoked { .. }
                | SshError::HostKeyUnsupported { .. }
        )
    }
}

/// The end of the unknown-key message: setting `accept_new_host_keys` helps only for a
/// host with no entry at all, so it is suggested only then.
fn accept_new_advice(known_hosts: &std::path::Path, other_key_lines: &[usize]) -> String {
    if other_key_lines.is_empty() {
        return "or set accept_new_host_keys = true in [ssh] to record the keys of hosts \
                that have no entry yet"
            .to_string();
    }
    let lines: Vec<String> = other_key_lines.iter().map(usize::to_string).collect();
    format!(
        "accept_new_host_keys does not record it: the host is not new, {} holds a key of \
         another type for it (line {}), so a new key type needs your check",
        known_hosts.display(),
        lines.join(", ")
    )
}

fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs >= 1.0 && duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{secs:.1} s")
    }
}

fn disconnected_message(host: &str, command_sent: bool, reason: &str) -> String {
    let reason = if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    };
    if command_sent {
        format!(
            "the connection to {host} dropped while the command was running{reason}; it may \
             or may not have completed on the host: check its state there before running it \
             again"
        )
    } else {
        format!(
            "the connection to {host} dropped before the command was sent{reason}; it did \
             not run and can be sent again once the host is reachable"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_errors_keep_the_kind_and_whether_the_command_was_sent() {
        let changed = ExecError::from(SshError::HostKeyChanged {
            host: "hmc01".into(),
            fingerprint: "SHA256:abc".into(),
            known_hosts: PathBuf::from("/k"),
            line: 1,
        });
        assert_eq!(
            (changed.kind, changed.sent),
            (ExecErrorKind::HostKey, false)
        );
        let refused = ExecError::from(SshError::Connect {
            host: "hmc01".into(),
            port: 22,
            reason: "refused".into(),
        });
        assert_eq!(refused.kind, ExecErrorKind::Network);
        let login = ExecError::from(SshError::Auth {
            host: "hmc01".into(),
            user: "hscroot".into(),
            tried: vec![],
        });
        assert_eq!(login.kind, ExecErrorKind::Auth);
        let dropped = ExecError::from(SshError::Disconnected {
            host: "hmc01".into(),
            command_sent: true,
            reason: "eof".into(),
        });
        assert_eq!(
            (dropped.kind, dropped.sent),
            (ExecErrorKind::Disconnected, true)
        );
        let slow = ExecError::from(SshError::Timeout {
            host: "hmc01".into(),
            during: "the command".into(),
            after: Duration::from_secs(1),
        });
        assert_eq!((slow.kind, slow.sent), (ExecErrorKind::Timeout, true));
    }

    #[test]
    fn messages_say_what_where_and_what_to_do() {
        let error = SshError::HostKeyChanged {
            host: "[127.0.0.1]:2222".into(),
            fingerprint: "SHA256:abc".into(),
            known_hosts: PathBuf::from("/home/op/.ssh/known_hosts"),
            line: 7,
        };
        let text = error.to_string();
        assert!(
            text.contains("line 7 of /home/op/.ssh/known_hosts"),
            "{text}"
        );
        assert!(text.contains("SHA256:abc"), "{text}");
        assert!(text.contains("ssh-keygen -R"), "{text}");

        let error = SshError::Timeout {
            host: "hmc01".into(),
            during: "the command".into(),
            after: Duration::from_millis(500),
        };
        let text = error.to_string();
        assert!(text.contains("0.5 s"), "{text}");
        assert!(text.contains("may still be running"), "{text}");

        let error = SshError::Auth {
            host: "hmc01".into(),
            user: "hscroot".into(),
            tried: vec!["key a not accepted".into(), "password from $X".into()],
        };
        assert!(error
            .to_string()
            .contains("key a not accepted; password from $X"));
    }

    #[test]
    fn only_network_failures_are_transient() {
        let connect = SshError::Connect {
            host: "h".into(),
            port: 22,
            reason: "refused".into(),
        };
        assert!(connect.is_transient());
        let dropped_mid_command = SshError::Disconnected {
            host: "h".into(),
            command_sent: true,
            reason: String::new(),
        };
        assert!(!dropped_mid_command.is_transient());
        let unknown = SshError::UnknownHostKey {
            host: "h".into(),
            fingerprint: "SHA256:x".into(),
            line_to_add: "h ssh-ed25519 AAAA".into(),
            known_hosts: PathBuf::from("kh"),
            other_key_lines: Vec::new(),
        };
        assert!(!unknown.is_transient());
        assert!(unknown.is_host_key_refusal());
    }

    #[test]
    fn accept_new_is_suggested_only_for_a_host_it_would_record() {
        let unknown = |other_key_lines: Vec<usize>| SshError::UnknownHostKey {
            host: "[127.0.0.1]:2222".into(),
            fingerprint: "SHA256:x".into(),
            line_to_add: "[127.0.0.1]:2222 ssh-ed25519 AAAA".into(),
            known_hosts: PathBuf::from("/k"),
            other_key_lines,
        };
        let text = unknown(Vec::new()).to_string();
        assert!(text.contains("set accept_new_host_keys = true"), "{text}");
        let text = unknown(vec![3, 7]).to_string();
        assert!(!text.contains("set accept_new_host_keys"), "{text}");
        assert!(text.contains("/k holds a key of another type"), "{text}");
        assert!(text.contains("(line 3, 7)"), "{text}");
        assert!(text.contains("[127.0.0.1]:2222 ssh-ed25519 AAAA"), "{text}");
    }
}
