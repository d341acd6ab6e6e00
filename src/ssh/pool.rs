//! One session per target, shared by every poller and step that talks to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::RngExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{OutputChunk, Session, Settings, SshError, Target};
use crate::exec::CommandOutput;

/// How many connection attempts one call makes before giving up (all within its
/// timeout).
const CONNECT_ATTEMPTS: u32 = 3;
/// First backoff delay; doubled after each failed attempt, plus up to 50 % jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
/// How many times one call reconnects after finding its session dropped before the
/// command was sent.
const RECONNECTS_PER_CALL: u32 = 2;

/// Keeps one SSH [`Session`] per target name and runs commands on it.
///
/// Exists so that the refresh engine and the executor share one connection per host
/// (one login, many channels), never start two logins to the same host at once, and
/// get a dropped connection re-established without caring how.
///
/// Rules:
/// - concurrent first calls for one target wait for a single connection attempt and
///   share its result (success or failure);
/// - a closed session is replaced before a command is sent on it; a command whose
///   connection dropped *after* it was sent is never re-sent (it may have run);
/// - connection failures are retried up to 3 times with exponential backoff and
///   jitter, within the call's timeout; host-key refusals and failed logins never are.
pub struct Pool {
    settings: Settings,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

/// The connection state for one target name; its async lock serializes connecting.
#[derive(Default)]
struct Slot {
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    /// The target the session was made for; a changed target (new address, user ...)
    /// gets a new session.
    target: Option<Target>,
    session: Option<Session>,
    /// The last failed connect and when it ended, shared with callers that were
    /// waiting for it.
    failure: Option<(Instant, SshError)>,
}

impl Pool {
    /// An empty pool; connections are made on first use.
    pub fn new(settings: Settings) -> Pool {
        Pool {
            settings,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The settings every connection of this pool uses.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Runs `line` on `target` within `settings.command_timeout` (connecting included)
    /// and returns stdout, stderr and exit status. See [`Session::exec`] for timeouts.
    pub async fn exec(&self, target: &Target, line: &str) -> Result<CommandOutput, SshError> {
        self.exec_within(target, line, self.settings.command_timeout, None)
            .await
    }

    /// Like [`Pool::exec`] with an explicit limit, for commands known to run long
    /// (`migrlpar`, `updlic`) or checks that must answer fast.
    pub async fn exec_with_timeout(
        &self,
        target: &Target,
        line: &str,
        timeout: Duration,
    ) -> Result<CommandOutput, SshError> {
        self.exec_within(target, line, timeout, None).await
    }

    /// Like [`Pool::exec_with_timeout`], also sending output to `sink` as it arrives.
    pub async fn exec_streaming(
        &self,
        target: &Target,
        line: &str,
        timeout: Duration,
        sink: mpsc::Sender<OutputChunk>,
    ) -> Result<CommandOutput, SshError> {
        self.exec_within(target, line, timeout, Some(sink)).await
    }

    /// The live session for `target`, connecting (with retries) if there is none,
    /// within `settings.connect_timeout` per attempt and `settings.command_timeout` in
    /// all.
    ///
    /// Exists for callers that run several commands in a row on one host.
    pub async fn session(&self, target: &Target) -> Result<Session, SshError> {
        let deadline = Instant::now() + self.settings.command_timeout;
        self.session_until(target, deadline, self.settings.command_timeout)
            .await
    }

    /// Drops the session kept for `name`; the next call connects anew. Commands running
    /// on it finish; the connection closes when the last of them ends. Returns whether
    /// there was one.
    ///
    /// Exists for config reloads, a host the operator removed, or a manual "reconnect".
    pub fn forget(&self, name: &str) -> bool {
        self.slots
            .lock()
            .map(|mut slots| slots.remove(name).is_some())
            .unwrap_or(false)
    }

    /// Names of the targets that currently have an open session.
    ///
    /// Exists for the UI's connection indicator and for tests.
    pub async fn connected(&self) -> Vec<String> {
        let slots: Vec<(String, Arc<Slot>)> = match self.slots.lock() {
            Ok(slots) => slots
                .iter()
                .map(|(name, slot)| (name.clone(), slot.clone()))
                .collect(),
            Err(_) => return Vec::new(),
        };
        let mut names = Vec::new();
        for (name, slot) in slots {
            if let Ok(state) = slot.state.try_lock() {
                if state.session.as_ref().is_some_and(|s| !s.is_closed()) {
                    names.push(name);
                }
            }
        }
        names.sort();
        names
    }

    async fn exec_within(
        &self,
        target: &Target,
        line: &str,
        timeout: Duration,
        sink: Option<mpsc::Sender<OutputChunk>>,
    ) -> Result<CommandOutput, SshError> {
        let deadline = Instant::now() + timeout;
        let mut reconnects = 0;
        loop {
            let session = self.session_until(target, deadline, timeout).await?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let result = match &sink {
                Some(sink) => session.exec_streaming(line, remaining, sink.clone()).await,
                None => session.exec(line, remaining).await,
            };
            match result {
                Err(SshError::Disconnected {
                    command_sent: false,
                    ..
                }) if reconnects < RECONNECTS_PER_CALL => {
                    reconnects += 1;
                    tracing::info!(
                        host = target.name.as_str(),
                        command = line,
                        "the connection dropped before the command was sent; reconnecting"
                    );
                    self.discard(target, &session).await;
                }
                Err(SshError::Timeout { host, during, .. }) => {
                    // Report the caller's limit, not what was left of it.
                    return Err(SshError::Timeout {
                        host,
                        during,
                        after: timeout,
                    });
                }
                other => return other,
            }
        }
    }

    fn slot(&self, name: &str) -> Arc<Slot> {
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        slots.entry(name.to_string()).or_default().clone()
    }

    /// Forgets `session` for `target` if it is still the one kept.
    async fn discard(&self, target: &Target, session: &Session) {
        let slot = self.slot(&target.name);
        let mut state = slot.state.lock().await;
        if state
            .session
            .as_ref()
            .is_some_and(|kept| kept.same_connection(session))
        {
            state.session = None;
        }
    }

    async fn session_until(
        &self,
        target: &Target,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Session, SshError> {
        let slot = self.slot(&target.name);
        let waiting_since = Instant::now();
        let mut state = tokio::time::timeout_at(deadline, slot.state.lock())
            .await
            .map_err(|_| {
                let error = SshError::Timeout {
                    host: target.address(),
                    during: "waiting for the connection".to_string(),
                    after: timeout,
                };
                tracing::warn!(host = target.name.as_str(), %error, "timed out");
                error
            })?;
        if state.target.as_ref() == Some(target) {
            if let Some(session) = &state.session {
                if !session.is_closed() {
                    return Ok(session.clone());
                }
            }
            // Someone else tried while we waited, and failed: share that outcome
            // instead of hammering the host.
            if let Some((ended, error)) = &state.failure {
                if *ended >= waiting_since {
                    return Err(error.clone());
                }
            }
        }
        if state.session.take().is_some() {
            let why = if state.target.as_ref() == Some(target) {
                "the connection was lost; reconnecting"
            } else {
                "the host's settings changed; connecting anew"
            };
            tracing::info!(host = target.name.as_str(), "{why}");
        }
        state.target = Some(target.clone());
        match self.connect_with_retries(target, deadline).await {
            Ok(session) => {
                state.session = Some(session.clone());
                state.failure = None;
                Ok(session)
            }
            Err(error) => {
                state.failure = Some((Instant::now(), error.clone()));
                Err(error)
            }
        }
    }

    async fn connect_with_retries(
        &self,
        target: &Target,
        deadline: Instant,
    ) -> Result<Session, SshError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let mut settings = self.settings.clone();
            settings.connect_timeout = settings.connect_timeout.min(remaining);
            let error = match Session::connect(target, &settings).await {
                Ok(session) => return Ok(session),
                Err(error) => error,
            };
            if !error.is_transient() || attempt >= CONNECT_ATTEMPTS {
                return Err(error);
            }
            let delay = backoff(attempt);
            if Instant::now() + delay >= deadline {
                return Err(error);
            }
            tracing::info!(
                host = target.name.as_str(),
                attempt,
                delay_ms = delay.as_millis() as u64,
                "connecting again after a failed attempt"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

/// Delay after failed attempt `attempt` (1-based): 250 ms, 500 ms, 1 s ... plus up to
/// half as much again at random, so many pollers do not reconnect in lockstep.
fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE.saturating_mul(1 << attempt.saturating_sub(1).min(10));
    let jitter_ms = rand::rng().random_range(0..=base.as_millis() as u64 / 2);
    base + Duration::from_millis(jitter_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_within_jitter() {
        for attempt in 1..=4 {
            let base = BACKOFF_BASE * (1 << (attempt - 1));
            for _ in 0..20 {
                let delay = backoff(attempt);
                assert!(delay >= base && delay <= base + base / 2, "{delay:?}");
            }
        }
    }

    #[tokio::test]
    async fn refused_connection_is_retried_then_reported() {
        // Bind and drop a listener to get a loopback port nothing listens on.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let mut settings = Settings::new("/nonexistent/known_hosts");
        settings.command_timeout = Duration::from_secs(5);
        let pool = Pool::new(settings);
        let mut target = Target::new("nothing", "127.0.0.1", "root");
        target.port = port;
        let started = std::time::Instant::now();
        let error = pool
            .exec(&target, "true")
            .await
            .expect_err("nothing listens");
        assert!(matches!(error, SshError::Connect { .. }), "{error}");
        // Two backoff delays (≥ 250 + 500 ms) show the three attempts.
        assert!(
            started.elapsed() >= Duration::from_millis(750),
            "{:?}",
            started.elapsed()
        );
        assert!(error.to_string().contains(&port.to_string()), "{error}");
        assert!(pool.connected().await.is_empty());
    }
}
