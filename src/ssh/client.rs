//! One SSH connection to one host, and running commands on it.

use std::borrow::Cow;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client::{self, DisconnectReason};
use russh::keys::{Algorithm, PublicKeyOrCertificate};
use russh::{ChannelMsg, Preferred};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::known_hosts::{self, HostKeyStatus};
use super::{auth, Settings, SshError, Target};
use crate::exec::CommandOutput;

/// How long a channel whose command timed out is kept counted against `max_channels`
/// while we wait for the host to close it. OpenSSH keeps the session (and counts it
/// against `MaxSessions`) until the command exits, so releasing the slot at once could
/// make later channels fail; this bounds how long a runaway command can hold one.
const TIMED_OUT_CHANNEL_LINGER: Duration = Duration::from_secs(300);

/// How many times a refused channel open is tried (≈ 0.5 s of waiting in all).
const CHANNEL_OPEN_ATTEMPTS: u32 = 8;

/// Which stream a piece of live output came from.
///
/// Exists because HMC and AIX commands report errors on either stream and the executor
/// shows them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputStream {
    /// Standard output.
    Stdout,
    /// Standard error (SSH extended data).
    Stderr,
}

/// A piece of a running command's output, as it arrives.
///
/// Exists for [`Session::exec_streaming`]: the executor shows long commands (`migrlpar`,
/// `updlic`) live. Text is split only at UTF-8 character boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChunk {
    /// The stream the text came from.
    pub stream: OutputStream,
    /// The text, possibly several lines or part of one.
    pub text: String,
}

/// An authenticated SSH connection to one host, on which many commands can run at once.
///
/// Exists so that every command to a host reuses one connection (one key exchange and
/// login), as each costs 80+ ms against OpenSSH. Cheap to clone: clones share the
/// connection. The connection closes when the last clone is dropped.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    handle: client::Handle<HostKeyPolicy>,
    /// Bounds concurrent channels (OpenSSH `MaxSessions` defaults to 10).
    channels: Arc<Semaphore>,
    /// `host` or `[host]:port`, for messages.
    address: String,
    /// The target's name in the config, for the log.
    name: String,
    /// Why the connection ended, when russh or the host told us.
    ended: Arc<Mutex<Option<String>>>,
    /// [`Settings::max_output_bytes`].
    max_output_bytes: usize,
    /// [`Settings::max_line_bytes`].
    max_line_bytes: usize,
    /// The jump host's session, kept alive as long as this one; its channel slot for
    /// our tunnel is held in `_tunnel_slot`.
    via: Option<Session>,
    _tunnel_slot: Option<OwnedSemaphorePermit>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("address", &self.inner.address)
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl Session {
    /// Connects to `target` (through its jump host, if any), checks the host key against
    /// `settings.known_hosts` and logs in, trying ssh-agent (`settings.agent`), then the
    /// identity files, then the password from `target.password_env`.
    ///
    /// Each hop must finish within `settings.connect_timeout`.
    pub async fn connect(target: &Target, settings: &Settings) -> Result<Session, SshError> {
        Self::connect_with_agent(target, settings, settings.agent.as_deref()).await
    }

    /// Like [`Session::connect`], with the ssh-agent socket given explicitly (`None`: no
    /// agent).
    ///
    /// Exists so that tests and embedding programs do not depend on the process
    /// environment.
    pub async fn connect_with_agent(
        target: &Target,
        settings: &Settings,
        agent: Option<&Path>,
    ) -> Result<Session, SshError> {
        connect_boxed(target, settings, agent).await
    }

    /// Whether two handles share one connection.
    pub(super) fn same_connection(&self, other: &Session) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// `host` or `[host]:port` of the connected host.
    pub fn address(&self) -> &str {
        &self.inner.address
    }

    /// Whether the connection (or the jump host's connection it runs over) has ended:
    /// closed by the host, lost (keepalive probes unanswered) or refused.
    ///
    /// Exists so the [`super::Pool`] can reconnect before sending a command.
    pub fn is_closed(&self) -> bool {
        self.inner.handle.is_closed() || self.inner.via.as_ref().is_some_and(Session::is_closed)
    }

    /// Runs one command line and returns its stdout, stderr and exit status, kept apart.
    ///
    /// `line` is sent as is (build it with `RemoteCommand::line`). `timeout` covers
    /// waiting for a free channel, opening it and the command itself. On
    /// [`SshError::Timeout`] the channel is closed but **the command may still be
    /// running on the host**: SSH cannot stop a remote process for us.
    ///
    /// `exit_status` is `None` when the channel closed without one (the command was
    /// killed by a signal, or the host never reported).
    pub async fn exec(&self, line: &str, timeout: Duration) -> Result<CommandOutput, SshError> {
        self.run(line, timeout, None).await
    }

    /// Like [`Session::exec`], and also sends the output to `sink` as it arrives, tagged
    /// stdout or stderr. A closed `sink` is ignored (the command still runs to its end).
    pub async fn exec_streaming(
        &self,
        line: &str,
        timeout: Duration,
        sink: mpsc::Sender<OutputChunk>,
    ) -> Result<CommandOutput, SshError> {
        self.run(line, timeout, Some(sink)).await
    }

    /// Closes the connection politely (SSH disconnect message). Commands still running
    /// on it end with [`SshError::Disconnected`].
    pub async fn disconnect(&self) {
        let _ = self
            .inner
            .handle
            .disconnect(russh::Disconnect::ByApplication, "powerdeck closing", "en")
            .await;
    }

    fn timeout_error(&self, during: &str, after: Duration) -> SshError {
        SshError::Timeout {
            host: self.inner.address.clone(),
            during: during.to_string(),
            after,
        }
    }

    fn disconnected(&self, command_sent: bool, what: Option<russh::Error>) -> SshError {
        let recorded = self
            .inner
            .ended
            .lock()
            .ok()
            .and_then(|reason| reason.clone());
        let reason = recorded
            .or_else(|| what.map(|err| err.to_string()))
            .unwrap_or_default();
        SshError::Disconnected {
            host: self.inner.address.clone(),
            command_sent,
            reason,
        }
    }

    /// Opens a session channel, retrying briefly when the host refuses one.
    ///
    /// OpenSSH frees the slot of a closed session only on its next main-loop pass, so an
    /// open sent right after a close can be refused (`MaxSessions`) even though fewer
    /// channels are in use; a short wait always cures it.
    async fn open_channel(
        &self,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<russh::Channel<client::Msg>, SshError> {
        let mut delay = Duration::from_millis(5);
        let mut refusals = 0;
        loop {
            match tokio::time::timeout_at(deadline, self.inner.handle.channel_open_session()).await
            {
                Err(_) => return Err(self.timeout_error("opening a channel", timeout)),
                Ok(Ok(channel)) => return Ok(channel),
                Ok(Err(russh::Error::ChannelOpenFailure(reason))) => {
                    refusals += 1;
                    if refusals >= CHANNEL_OPEN_ATTEMPTS || Instant::now() + delay >= deadline {
                        return Err(SshError::Channel {
                            host: self.inner.address.clone(),
                            reason: format!(
                                "the host would not open a session channel ({reason:?}, \
                                 {refusals} attempts)"
                            ),
                        });
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_millis(200));
                }
                Ok(Err(err)) => return Err(self.disconnected(false, Some(err))),
            }
        }
    }

    /// Runs `line` and logs it: host, command line, duration and exit status, or why it
    /// did not finish.
    async fn run(
        &self,
        line: &str,
        timeout: Duration,
        sink: Option<mpsc::Sender<OutputChunk>>,
    ) -> Result<CommandOutput, SshError> {
        let started = Instant::now();
        let result = self.run_channel(line, timeout, sink).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let host = self.inner.name.as_str();
        match &result {
            Ok(output) => tracing::debug!(
                host,
                command = line,
                elapsed_ms,
                exit_status = output.exit_status,
                "command run"
            ),
            Err(error) => tracing::warn!(
                host,
                command = line,
                elapsed_ms,
                %error,
                "command did not finish"
            ),
        }
        result
    }

    async fn run_channel(
        &self,
        line: &str,
        timeout: Duration,
        mut sink: Option<mpsc::Sender<OutputChunk>>,
    ) -> Result<CommandOutput, SshError> {
        let deadline = Instant::now() + timeout;
        let permit = tokio::time::timeout_at(deadline, self.inner.channels.clone().acquire_owned())
            .await
            .map_err(|_| self.timeout_error("waiting for a free channel", timeout))?
            .map_err(|_| self.disconnected(false, None))?;

        if self.is_closed() {
            return Err(self.disconnected(false, None));
        }
        let mut channel = self.open_channel(deadline, timeout).await?;
        if let Err(err) = channel.exec(true, line).await {
            return Err(self.disconnected(false, Some(err)));
        }

        let limits = (self.inner.max_output_bytes, self.inner.max_line_bytes);
        let mut stdout = Collected::new(limits.1);
        let mut stderr = Collected::new(limits.1);
        let mut exit_status = None;
        let too_much = || SshError::OutputLimit {
            host: self.inner.address.clone(),
            limit: limits.0,
        };
        let reading = async {
            loop {
                let Some(message) = channel.wait().await else {
                    // The channel ended without a Close: the connection is gone.
                    return if exit_status.is_some() {
                        Ok(())
                    } else {
                        Err(self.disconnected(true, None))
                    };
                };
                match message {
                    ChannelMsg::Data { data } => {
                        stdout.push(&data, OutputStream::Stdout, &mut sink).await;
                        if stdout.received + stderr.received > limits.0 {
                            return Err(too_much());
                        }
                    }
                    ChannelMsg::ExtendedData { data, .. } => {
                        stderr.push(&data, OutputStream::Stderr, &mut sink).await;
                        if stdout.received + stderr.received > limits.0 {
                            return Err(too_much());
                        }
                    }
                    ChannelMsg::ExitStatus {
                        exit_status: status,
                    } => exit_status = Some(status),
                    ChannelMsg::Failure => {
                        return Err(SshError::Channel {
                            host: self.inner.address.clone(),
                            reason: "the host refused the exec request".to_string(),
                        })
                    }
                    ChannelMsg::Close => return Ok(()),
                    _ => {}
                }
            }
        };
        match tokio::time::timeout_at(deadline, reading).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                if matches!(
                    error,
                    SshError::Channel { .. } | SshError::OutputLimit { .. }
                ) {
                    // The host refused the exec, or floods: the channel is open, free it.
                    let _ = channel.close().await;
                }
                return Err(error);
            }
            Err(_) => {
                // Close our side and keep the slot counted until the host closes its
                // side (or the linger bound passes), off the caller's path.
                tokio::spawn(async move {
                    let _ = channel.close().await;
                    let _ = tokio::time::timeout(TIMED_OUT_CHANNEL_LINGER, async {
                        while let Some(message) = channel.wait().await {
                            if matches!(message, ChannelMsg::Close) {
                                break;
                            }
                        }
                    })
                    .await;
                    drop(permit);
                });
                return Err(self.timeout_error("the command", timeout));
            }
        }
        stdout.finish(OutputStream::Stdout, &mut sink).await;
        stderr.finish(OutputStream::Stderr, &mut sink).await;
        drop(permit);
        Ok(CommandOutput {
            stdout: stdout.into_string(),
            stderr: stderr.into_string(),
            exit_status,
        })
    }
}

/// The bytes of one stream, and the live-output cut at UTF-8 boundaries. A line longer
/// than the line limit keeps its start and a marker; the rest is dropped.
struct Collected {
    bytes: Vec<u8>,
    /// Offset in `bytes` up to which text was sent to the sink.
    sent: usize,
    /// Bytes received, kept or not: what the output limit counts.
    received: usize,
    /// Bytes of the current line so far.
    line: usize,
    max_line: usize,
}

/// Put where a too long line was cut.
const LINE_CUT: &[u8] = b" [line cut by powerdeck]";

impl Collected {
    fn new(max_line: usize) -> Collected {
        Collected {
            bytes: Vec::new(),
            sent: 0,
            received: 0,
            line: 0,
            max_line: max_line.max(1),
        }
    }

    /// Keeps `data`, minus what passes the line limit.
    fn keep(&mut self, data: &[u8]) {
        self.received += data.len();
        for piece in data.split_inclusive(|byte| *byte == b'\n') {
            let room = self.max_line.saturating_sub(self.line);
            if piece.len() <= room {
                self.bytes.extend_from_slice(piece);
            } else {
                self.bytes.extend_from_slice(&piece[..room]);
                if room > 0 {
                    self.bytes.extend_from_slice(LINE_CUT);
                }
                if piece.ends_with(b"\n") {
                    self.bytes.push(b'\n');
                }
            }
            self.line = if piece.ends_with(b"\n") {
                0
            } else {
                self.line + piece.len()
            };
        }
    }

    async fn push(
        &mut self,
        data: &[u8],
        stream: OutputStream,
        sink: &mut Option<mpsc::Sender<OutputChunk>>,
    ) {
        self.keep(data);
        if sink.is_none() {
            return;
        }
        let pending = &self.bytes[self.sent..];
        let complete = match std::str::from_utf8(pending) {
            Ok(_) => pending.len(),
            // An incomplete character at the end waits for the next packet; invalid
            // bytes in the middle are sent (replaced) with what precedes them.
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(_) => pending.len(),
        };
        self.send(complete, stream, sink).await;
    }

    async fn finish(&mut self, stream: OutputStream, sink: &mut Option<mpsc::Sender<OutputChunk>>) {
        let rest = self.bytes.len() - self.sent;
        self.send(rest, stream, sink).await;
    }

    async fn send(
        &mut self,
        length: usize,
        stream: OutputStream,
        sink: &mut Option<mpsc::Sender<OutputChunk>>,
    ) {
        if length == 0 {
            return;
        }
        let text = String::from_utf8_lossy(&self.bytes[self.sent..self.sent + length]).into_owned();
        self.sent += length;
        if let Some(sender) = sink {
            if sender.send(OutputChunk { stream, text }).await.is_err() {
                *sink = None;
            }
        }
    }

    fn into_string(self) -> String {
        match String::from_utf8(self.bytes) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        }
    }
}

/// The russh handler: applies powerdeck's host-key policy and records why a
/// connection ended.
struct HostKeyPolicy {
    /// The target's name in the config, for the log.
    name: String,
    host: String,
    port: u16,
    known_hosts: PathBuf,
    accept_new: bool,
    /// Set when the key is refused, so `connect` can return the precise error instead
    /// of russh's generic "unknown server key".
    refusal: Arc<Mutex<Option<SshError>>>,
    ended: Arc<Mutex<Option<String>>>,
}

impl HostKeyPolicy {
    /// Accepts or refuses the offered key, and logs the decision with its fingerprint.
    fn decide(&self, offered: &PublicKeyOrCertificate) -> Result<(), SshError> {
        let address = known_hosts::host_pattern(&self.host, self.port);
        let host = self.name.as_str();
        let key = match offered {
            PublicKeyOrCertificate::PublicKey { key, .. } => key,
            PublicKeyOrCertificate::Certificate(_) => {
                tracing::warn!(host, %address, "host certificate refused: not supported");
                return Err(SshError::HostKeyUnsupported {
                    host: address,
                    what: "host certificate".to_string(),
                });
            }
        };
        let known_hosts_error = |err: std::io::Error| SshError::KnownHosts {
            path: self.known_hosts.clone(),
            reason: err.to_string(),
        };
        let status = known_hosts::check(&self.known_hosts, &self.host, self.port, key)
            .map_err(known_hosts_error)?;
        match status {
            HostKeyStatus::Known => {
                let fingerprint = known_hosts::fingerprint(key);
                tracing::debug!(host, %address, %fingerprint, "host key known");
                Ok(())
            }
            HostKeyStatus::Unknown {
                fingerprint,
                line_to_add,
                other_key_lines,
            } => {
                if self.accept_new && other_key_lines.is_empty() {
                    known_hosts::append(&self.known_hosts, &self.host, self.port, key)
                        .map_err(known_hosts_error)?;
                    tracing::info!(
                        host,
                        %address,
                        %fingerprint,
                        known_hosts = %self.known_hosts.display(),
                        "new host key accepted and recorded"
                    );
                    Ok(())
                } else {
                    tracing::warn!(
                        host,
                        %address,
                        %fingerprint,
                        known_hosts = %self.known_hosts.display(),
                        "unknown host key refused"
                    );
                    Err(SshError::UnknownHostKey {
                        host: address,
                        fingerprint,
                        line_to_add,
                        known_hosts: self.known_hosts.clone(),
                        other_key_lines,
                    })
                }
            }
            HostKeyStatus::Changed {
                fingerprint,
                known_line_number,
                path,
            } => {
                tracing::error!(
                    host,
                    %address,
                    %fingerprint,
                    known_hosts = %path.display(),
                    line = known_line_number,
                    "changed host key refused"
                );
                Err(SshError::HostKeyChanged {
                    host: address,
                    fingerprint,
                    known_hosts: path,
                    line: known_line_number,
                })
            }
            HostKeyStatus::Revoked {
                fingerprint,
                line_number,
                path,
            } => {
                tracing::error!(
                    host,
                    %address,
                    %fingerprint,
                    known_hosts = %path.display(),
                    line = line_number,
                    "revoked host key refused"
                );
                Err(SshError::HostKeyRevoked {
                    host: address,
                    fingerprint,
                    known_hosts: path,
                    line: line_number,
                })
            }
        }
    }
}

impl client::Handler for HostKeyPolicy {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        server_public_key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        match self.decide(server_public_key) {
            Ok(()) => Ok(true),
            Err(refusal) => {
                if let Ok(mut slot) = self.refusal.lock() {
                    *slot = Some(refusal);
                }
                Ok(false)
            }
        }
    }

    async fn disconnected(
        &mut self,
        reason: DisconnectReason<Self::Error>,
    ) -> Result<(), Self::Error> {
        let (text, result) = match reason {
            DisconnectReason::ReceivedDisconnect(info) => (
                format!("the host closed the connection: {}", info.message.trim()),
                Ok(()),
            ),
            DisconnectReason::Error(err) => (err.to_string(), Err(err)),
        };
        tracing::info!(
            host = self.name.as_str(),
            reason = text.as_str(),
            "connection ended"
        );
        if let Ok(mut ended) = self.ended.lock() {
            ended.get_or_insert(text);
        }
        result
    }
}

/// The russh client configuration for one hop.
fn client_config(settings: &Settings, known_algorithms: &[Algorithm]) -> client::Config {
    // Ask first for key types known_hosts already holds for this host, as OpenSSH does.
    let mut keys: Vec<Algorithm> = Preferred::DEFAULT.key.to_vec();
    let same_type = |a: &Algorithm, b: &Algorithm| {
        a == b || (matches!(a, Algorithm::Rsa { .. }) && matches!(b, Algorithm::Rsa { .. }))
    };
    keys.sort_by_key(|offered| {
        !known_algorithms
            .iter()
            .any(|known| same_type(known, offered))
    });
    client::Config {
        // Without this every round-trip waits ≈ 40 ms for Nagle + delayed ACK.
        nodelay: true,
        keepalive_interval: (!settings.keepalive_interval.is_zero())
            .then_some(settings.keepalive_interval),
        keepalive_max: 3,
        inactivity_timeout: None,
        preferred: Preferred {
            key: Cow::Owned(keys),
            ..Preferred::DEFAULT
        },
        ..client::Config::default()
    }
}

type ConnectFuture<'a> = Pin<Box<dyn Future<Output = Result<Session, SshError>> + Send + 'a>>;

/// Boxed so that a jump host (itself possibly behind a jump host) can recurse.
fn connect_boxed<'a>(
    target: &'a Target,
    settings: &'a Settings,
    agent: Option<&'a Path>,
) -> ConnectFuture<'a> {
    Box::pin(async move {
        tracing::debug!(
            host = target.name.as_str(),
            address = target.host.as_str(),
            port = target.port,
            user = target.user.as_str(),
            jump = target.jump.as_deref().map(Target::address),
            "connecting"
        );
        let via = match &target.jump {
            Some(jump) => Some(connect_boxed(jump, settings, agent).await?),
            None => None,
        };
        let connect_error = |reason: String| SshError::Connect {
            host: target.host.clone(),
            port: target.port,
            reason,
        };
        let timeout = settings.connect_timeout;
        let started = Instant::now();
        let connected = tokio::time::timeout(timeout, connect_hop(target, settings, agent, via))
            .await
            .map_err(|_| {
                connect_error(format!(
                    "no SSH login within {} s (connect_timeout_secs)",
                    timeout.as_secs_f64()
                ))
            })
            .and_then(|connected| connected);
        log_connect(target, &connected, started);
        connected.map(|(session, _)| session)
    })
}

/// Logs how one hop's connection ended: the login that was accepted, or the error.
fn log_connect(target: &Target, connected: &Result<(Session, String), SshError>, started: Instant) {
    let host = target.name.as_str();
    let jump = target.jump.as_deref().map(Target::address);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match connected {
        Ok((_, login)) => tracing::info!(
            host,
            address = target.host.as_str(),
            port = target.port,
            user = target.user.as_str(),
            jump,
            login = login.as_str(),
            elapsed_ms,
            "connected"
        ),
        Err(error) => tracing::warn!(
            host,
            address = target.host.as_str(),
            port = target.port,
            jump,
            elapsed_ms,
            %error,
            "connection failed"
        ),
    }
}

/// Connects one hop and logs in; returns the session and how the login was accepted.
async fn connect_hop(
    target: &Target,
    settings: &Settings,
    agent: Option<&Path>,
    via: Option<Session>,
) -> Result<(Session, String), SshError> {
    let connect_error = |reason: String| SshError::Connect {
        host: target.host.clone(),
        port: target.port,
        reason,
    };
    let known_algorithms =
        known_hosts::known_algorithms(&settings.known_hosts, &target.host, target.port).map_err(
            |err| SshError::KnownHosts {
                path: settings.known_hosts.clone(),
                reason: err.to_string(),
            },
        )?;
    let config = Arc::new(client_config(settings, &known_algorithms));
    let refusal = Arc::new(Mutex::new(None));
    let ended = Arc::new(Mutex::new(None));
    let policy = HostKeyPolicy {
        name: target.name.clone(),
        host: target.host.clone(),
        port: target.port,
        known_hosts: settings.known_hosts.clone(),
        accept_new: settings.accept_new_host_keys,
        refusal: refusal.clone(),
        ended: ended.clone(),
    };

    let mut tunnel_slot = None;
    let connected = match &via {
        None => {
            let stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
                .await
                .map_err(|err| connect_error(format!("TCP connection failed ({err})")))?;
            stream
                .set_nodelay(true)
                .map_err(|err| connect_error(format!("cannot set TCP_NODELAY ({err})")))?;
            client::connect_stream(config, stream, policy).await
        }
        Some(jump) => {
            // The tunnel is a channel on the jump host's connection: count it.
            let slot = jump
                .inner
                .channels
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| connect_error("the jump host's connection closed".to_string()))?;
            let channel = jump
                .inner
                .handle
                .channel_open_direct_tcpip(
                    target.host.clone(),
                    u32::from(target.port),
                    "127.0.0.1",
                    0,
                )
                .await
                .map_err(|err| {
                    connect_error(format!(
                        "the jump host {} could not open a tunnel ({err})",
                        jump.address()
                    ))
                })?;
            tunnel_slot = Some(slot);
            client::connect_stream(config, channel.into_stream(), policy).await
        }
    };
    let mut handle = match connected {
        Ok(handle) => handle,
        Err(err) => {
            let refused = refusal.lock().ok().and_then(|mut slot| slot.take());
            return Err(
                refused.unwrap_or_else(|| connect_error(format!("SSH handshake failed ({err})")))
            );
        }
    };
    let login = auth::authenticate(&mut handle, target, agent).await?;
    let session = Session {
        inner: Arc::new(Inner {
            handle,
            channels: Arc::new(Semaphore::new(settings.max_channels.max(1))),
            max_output_bytes: settings.max_output_bytes.max(1),
            max_line_bytes: settings.max_line_bytes.max(1),
            address: target.address(),
            name: target.name.clone(),
            ended,
            via,
            _tunnel_slot: tunnel_slot,
        }),
    };
    Ok((session, login))
}
