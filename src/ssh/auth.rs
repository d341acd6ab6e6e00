//! Logging in: ssh-agent, then identity files, then a password from the environment.
//!
//! Every attempt is described in words (without secrets) so that a failed login says
//! exactly what was tried.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use russh::client::{self, AuthResult, KeyboardInteractiveAuthResponse};
use russh::keys::agent::client::AgentClient;
use russh::keys::agent::AgentIdentity;
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey};
use russh::MethodKind;

use super::known_hosts::fingerprint;
use super::{SshError, Target};

/// An identity file as read from disk.
enum IdentityFile {
    /// Usable directly.
    Plain { path: PathBuf, key: Arc<PrivateKey> },
    /// Passphrase-protected: usable only through ssh-agent. The public half is known
    /// when the file is in OpenSSH format or a `.pub` file sits next to it.
    Encrypted {
        path: PathBuf,
        public: Option<PublicKey>,
    },
    /// Could not be read or parsed.
    Unusable { path: PathBuf, reason: String },
}

/// Identity files unlocked with their passphrase in this process (an operator typed it
/// at start-up). Kept in memory only, never written anywhere.
static UNLOCKED: std::sync::OnceLock<std::sync::Mutex<Vec<UnlockedKey>>> =
    std::sync::OnceLock::new();

/// An identity file and its decrypted key.
type UnlockedKey = (PathBuf, Arc<PrivateKey>);

fn unlocked(path: &Path) -> Option<Arc<PrivateKey>> {
    let keys = UNLOCKED.get()?.lock().ok()?;
    keys.iter()
        .find(|(unlocked, _)| unlocked == path)
        .map(|(_, key)| key.clone())
}

/// Whether `path` holds a passphrase-protected key that is not unlocked yet: the
/// command line asks for its passphrase once, before connecting.
pub fn needs_passphrase(path: &Path) -> bool {
    unlocked(path).is_none() && matches!(IdentityFile::load(path), IdentityFile::Encrypted { .. })
}

/// Decrypts the key in `path` with `passphrase` and keeps it for this process's logins.
/// The error says what went wrong, never the passphrase.
pub fn unlock(path: &Path, passphrase: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {} ({err})", path.display()))?;
    let key = match PrivateKey::from_openssh(text.as_bytes()) {
        Ok(key) => key
            .decrypt(passphrase)
            .map_err(|_| format!("wrong passphrase for {}", path.display()))?,
        Err(_) => russh::keys::decode_secret_key(&text, Some(passphrase))
            .map_err(|_| format!("wrong passphrase for {}", path.display()))?,
    };
    let keys = UNLOCKED.get_or_init(Default::default);
    let mut keys = keys
        .lock()
        .map_err(|_| "the unlocked keys are not available".to_string())?;
    keys.retain(|(unlocked, _)| unlocked != path);
    keys.push((path.to_path_buf(), Arc::new(key)));
    Ok(())
}

impl IdentityFile {
    fn load(path: &Path) -> IdentityFile {
        let path_buf = path.to_path_buf();
        if let Some(key) = unlocked(path) {
            return IdentityFile::Plain {
                path: path_buf,
                key,
            };
        }
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                return IdentityFile::Unusable {
                    path: path_buf,
                    reason: format!("cannot read it ({err})"),
                }
            }
        };
        if let Ok(key) = PrivateKey::from_openssh(text.as_bytes()) {
            return if key.is_encrypted() {
                IdentityFile::Encrypted {
                    path: path_buf,
                    public: Some(key.public_key().clone()),
                }
            } else {
                IdentityFile::Plain {
                    path: path_buf,
                    key: Arc::new(key),
                }
            };
        }
        // PEM / PKCS#8 formats (old `BEGIN RSA PRIVATE KEY` files).
        match russh::keys::decode_secret_key(&text, None) {
            Ok(key) => IdentityFile::Plain {
                path: path_buf,
                key: Arc::new(key),
            },
            Err(russh::keys::Error::KeyIsEncrypted) => {
                let mut pub_path = path.as_os_str().to_owned();
                pub_path.push(".pub");
                let public = russh::keys::load_public_key(PathBuf::from(pub_path)).ok();
                IdentityFile::Encrypted {
                    path: path_buf,
                    public,
                }
            }
            Err(err) => IdentityFile::Unusable {
                path: path_buf,
                reason: format!("not a private key powerdeck can read ({err})"),
            },
        }
    }

    fn public(&self) -> Option<&PublicKey> {
        match self {
            IdentityFile::Plain { key, .. } => Some(key.public_key()),
            IdentityFile::Encrypted { public, .. } => public.as_ref(),
            IdentityFile::Unusable { .. } => None,
        }
    }
}

/// Logs `target.user` in on an SSH connection whose host key was already accepted, and
/// says how (`ssh-agent key SHA256:...`, `key FILE (SHA256:...)`, `password from $VAR`).
///
/// `agent` is the ssh-agent socket to try first (normally `$SSH_AUTH_SOCK`). Each method
/// is logged as it is tried, by name and fingerprint only.
pub(super) async fn authenticate<H: client::Handler>(
    handle: &mut client::Handle<H>,
    target: &Target,
    agent: Option<&Path>,
) -> Result<String, SshError> {
    let host = target.address();
    let trying = |method: &str| {
        tracing::debug!(
            host = target.name.as_str(),
            user = target.user.as_str(),
            method,
            "trying login"
        )
    };
    let lost = |err: russh::Error| SshError::Connect {
        host: target.host.clone(),
        port: target.port,
        reason: format!("the connection failed during login ({err})"),
    };
    let files: Vec<IdentityFile> = target
        .identity_files
        .iter()
        .map(|path| IdentityFile::load(path))
        .collect();
    let mut tried = Vec::new();
    let mut agent_offered: Vec<PublicKey> = Vec::new();

    // 1. ssh-agent.
    if let Some(socket) = agent {
        match AgentClient::connect_uds(socket).await {
            Err(err) => tried.push(format!(
                "ssh-agent at {}: cannot connect ({err})",
                socket.display()
            )),
            Ok(mut client) => match client.request_identities().await {
                Err(err) => tried.push(format!("ssh-agent: cannot list keys ({err})")),
                Ok(identities) => {
                    let wanted: Vec<&PublicKey> =
                        files.iter().filter_map(IdentityFile::public).collect();
                    let keys: Vec<PublicKey> = identities
                        .into_iter()
                        .filter_map(|identity| match identity {
                            AgentIdentity::PublicKey { key, .. } => Some(key),
                            AgentIdentity::Certificate { .. } => None,
                        })
                        .filter(|key| {
                            files.is_empty()
                                || wanted.iter().any(|w| w.key_data() == key.key_data())
                        })
                        .collect();
                    for key in &keys {
                        let method = format!("ssh-agent key {}", fingerprint(key));
                        trying(&method);
                        let hash = rsa_hash(handle, key.algorithm().is_rsa()).await;
                        match handle
                            .authenticate_publickey_with(
                                target.user.clone(),
                                key.clone(),
                                hash,
                                &mut client,
                            )
                            .await
                        {
                            Ok(AuthResult::Success) => return Ok(method),
                            Ok(AuthResult::Failure { .. }) => {}
                            Err(err) => tried.push(format!(
                                "ssh-agent key {}: signing failed ({err})",
                                fingerprint(key)
                            )),
                        }
                        if handle.is_closed() {
                            return Err(lost(russh::Error::Disconnect));
                        }
                    }
                    tried.push(if keys.is_empty() && !files.is_empty() {
                        "ssh-agent: holds none of the identity files' keys".to_string()
                    } else {
                        format!("ssh-agent: {} key(s) offered, none accepted", keys.len())
                    });
                    agent_offered = keys;
                }
            },
        }
    }

    // 2. Identity files.
    for file in &files {
        match file {
            IdentityFile::Plain { path, key } => {
                if agent_offered
                    .iter()
                    .any(|offered| offered.key_data() == key.public_key().key_data())
                {
                    continue;
                }
                let method = format!("key {} ({})", path.display(), fingerprint(key.public_key()));
                trying(&method);
                let hash = rsa_hash(handle, key.algorithm().is_rsa()).await;
                let result = handle
                    .authenticate_publickey(
                        target.user.clone(),
                        PrivateKeyWithHashAlg::new(key.clone(), hash),
                    )
                    .await
                    .map_err(lost)?;
                if result.success() {
                    return Ok(method);
                }
                tried.push(format!("{method} not accepted"));
            }
            IdentityFile::Encrypted { path, public } => {
                let through_agent = public.as_ref().is_some_and(|public| {
                    agent_offered
                        .iter()
                        .any(|offered| offered.key_data() == public.key_data())
                });
                if !through_agent {
                    tried.push(format!(
                        "key {} is encrypted (has a passphrase) and no ssh-agent holds it: \
                         load it with `ssh-add {}` and set SSH_AUTH_SOCK, or run powerdeck \
                         on a terminal to be asked for its passphrase",
                        path.display(),
                        path.display()
                    ));
                }
            }
            IdentityFile::Unusable { path, reason } => {
                tried.push(format!("key {}: {reason}", path.display()));
            }
        }
    }

    // 3. Password from the environment (the value is never shown).
    if let Some(variable) = &target.password_env {
        match std::env::var(variable) {
            Ok(password) if !password.is_empty() => {
                let method = format!("password from ${variable}");
                trying(&method);
                let result = handle
                    .authenticate_password(target.user.clone(), password.clone())
                    .await
                    .map_err(lost)?;
                match result {
                    AuthResult::Success => return Ok(method),
                    AuthResult::Failure {
                        remaining_methods, ..
                    } => {
                        if remaining_methods.contains(&MethodKind::KeyboardInteractive) {
                            let interactive =
                                format!("keyboard-interactive, password from ${variable}");
                            trying(&interactive);
                            if keyboard_interactive(handle, &target.user, &password)
                                .await
                                .map_err(lost)?
                            {
                                return Ok(interactive);
                            }
                        }
                        tried.push(format!("{method} not accepted"));
                    }
                }
            }
            _ => tried.push(format!(
                "password: environment variable {variable} is not set or empty"
            )),
        }
    }

    if tried.is_empty() {
        tried.push(
            "nothing: no ssh-agent (SSH_AUTH_SOCK unset), no identity_file and no \
             password_env configured for this host"
                .to_string(),
        );
    }
    Err(SshError::Auth {
        host,
        user: target.user.clone(),
        tried,
    })
}

/// The RSA signature hash the server accepts (rsa-sha2-512, -256, or legacy SHA-1);
/// `None` for non-RSA keys.
async fn rsa_hash<H: client::Handler>(handle: &client::Handle<H>, is_rsa: bool) -> Option<HashAlg> {
    if !is_rsa {
        return None;
    }
    handle
        .best_supported_rsa_hash()
        .await
        .ok()
        .flatten()
        .flatten()
}

/// Answers keyboard-interactive prompts that do not echo (password prompts) with the
/// password; some hosts offer only this method for passwords. At most 3 rounds.
async fn keyboard_interactive<H: client::Handler>(
    handle: &mut client::Handle<H>,
    user: &str,
    password: &str,
) -> Result<bool, russh::Error> {
    let mut response = handle
        .authenticate_keyboard_interactive_start(user.to_string(), None)
        .await?;
    for _ in 0..3 {
        match response {
            KeyboardInteractiveAuthResponse::Success => return Ok(true),
            KeyboardInteractiveAuthResponse::Failure { .. } => return Ok(false),
            KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => {
                let answers = prompts
                    .iter()
                    .map(|prompt| {
                        if prompt.echo {
                            String::new()
                        } else {
                            password.to_string()
                        }
                    })
                    .collect();
                response = handle
                    .authenticate_keyboard_interactive_respond(answers)
                    .await?;
            }
        }
    }
    Ok(matches!(response, KeyboardInteractiveAuthResponse::Success))
}
