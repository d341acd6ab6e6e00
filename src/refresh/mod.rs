//! The refresh engine: read-only commands on every source, parsed into snapshots that
//! flow to the console as events. One refresh at a time per source; a slow or failed
//! host never holds up another.

pub mod hmc;
pub mod host;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, Notify};
use tokio::task::JoinSet;

pub use crate::estate::snapshot::{
    ReadFailure, SourceData, SourceSnapshot, SourceStatus, SystemData,
};

use crate::estate::SourceKind;
use crate::exec::Exec;

/// A source the engine reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub kind: SourceKind,
    pub interval: Duration,
}

/// Reads one source once, and logs the cycle: its duration and how it ended.
pub async fn refresh_source<T: Exec>(transport: Arc<T>, source: &Source) -> SourceSnapshot {
    let started = Instant::now();
    let snapshot = match source.kind {
        SourceKind::Hmc => hmc::refresh(transport, &source.name).await,
        SourceKind::Aix => host::refresh_aix(transport.as_ref(), &source.name).await,
        SourceKind::Nim => host::refresh_nim(transport.as_ref(), &source.name).await,
    };
    log_cycle(&snapshot, started.elapsed());
    snapshot
}

/// One line per refresh cycle: debug when everything was read, info when part was,
/// warn when nothing was.
fn log_cycle(snapshot: &SourceSnapshot, took: Duration) {
    let source = snapshot.name.as_str();
    let kind = snapshot.kind.as_str();
    let elapsed_ms = took.as_millis() as u64;
    let error = snapshot.error.as_deref();
    match snapshot.status {
        SourceStatus::Ok => tracing::debug!(source, kind, elapsed_ms, "refreshed"),
        SourceStatus::Partial => tracing::info!(
            source,
            kind,
            elapsed_ms,
            problems = snapshot.problems.len(),
            error,
            "refreshed in part"
        ),
        SourceStatus::Error => tracing::warn!(source, kind, elapsed_ms, error, "refresh failed"),
    }
}

/// Reads every source once, all at the same time; snapshots come back in the order
/// of `sources`.
pub async fn refresh_all<T: Exec>(transport: Arc<T>, sources: &[Source]) -> Vec<SourceSnapshot> {
    let mut tasks = JoinSet::new();
    for (index, source) in sources.iter().cloned().enumerate() {
        let transport = transport.clone();
        tasks.spawn(async move { (index, refresh_source(transport, &source).await) });
    }
    let mut snapshots: Vec<Option<SourceSnapshot>> = vec![None; sources.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, snapshot)) = joined {
            snapshots[index] = Some(snapshot);
        }
    }
    snapshots
        .into_iter()
        .zip(sources)
        .map(|(snapshot, source)| {
            snapshot.unwrap_or_else(|| {
                SourceSnapshot::failed(&source.name, source.kind, "the refresh task stopped")
            })
        })
        .collect()
}

/// What the engine tells its consumer.
#[derive(Debug, Clone)]
pub enum Event {
    /// A refresh of this source started.
    Started(String),
    /// A refresh finished.
    Snapshot(SourceSnapshot),
}

/// Handle to the running pollers: ask for a refresh now.
#[derive(Clone)]
pub struct Engine {
    triggers: Arc<Vec<(String, Arc<Notify>)>>,
}

impl Engine {
    /// Starts one poller per source; each refreshes at once, then on its interval or
    /// when asked. Asking while a refresh runs queues exactly one more (coalescing).
    pub fn spawn<T: Exec>(
        transport: Arc<T>,
        sources: Vec<Source>,
        events: mpsc::Sender<Event>,
    ) -> Engine {
        let mut triggers = Vec::new();
        for source in sources {
            let notify = Arc::new(Notify::new());
            triggers.push((source.name.clone(), notify.clone()));
            let transport = transport.clone();
            let events = events.clone();
            tokio::spawn(async move {
                loop {
                    if events
                        .send(Event::Started(source.name.clone()))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    let snapshot = refresh_source(transport.clone(), &source).await;
                    if events.send(Event::Snapshot(snapshot)).await.is_err() {
                        return;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(source.interval) => {}
                        _ = notify.notified() => {}
                    }
                }
            });
        }
        Engine {
            triggers: Arc::new(triggers),
        }
    }

    /// Refresh one source now (or all with `None`).
    pub fn refresh_now(&self, source: Option<&str>) {
        for (name, notify) in self.triggers.iter() {
            if source.is_none_or(|wanted| wanted == name) {
                notify.notify_one();
            }
        }
    }
}
