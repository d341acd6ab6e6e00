//! The console's work off the render path: refreshes (the engine), confirmed plans (the
//! executor, in a task of its own) and reading the journal file. Everything comes back
//! as [`Action`]s on one channel, so [`super::run`] and the tests drive the console the
//! same way.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::exec::Exec;
use crate::refresh::Engine;
use crate::wizard::{Executor, Journal, Plan};

use super::app::Request;
use super::update::Action;
use super::wizard::FactsQuery;

/// Carries out the console's requests that reach outside it.
pub struct Services<R> {
    engine: Engine,
    runner: Arc<R>,
    journal: PathBuf,
    read_only: bool,
    actions: mpsc::Sender<Action>,
    /// Time between two polls of a `Wait` step (the executor's default: 10 s).
    pub poll_interval: Option<Duration>,
    /// The stop handle of the plan running now, if one is.
    running: Arc<std::sync::Mutex<Option<Arc<std::sync::atomic::AtomicBool>>>>,
}

impl<R: Exec> Services<R> {
    /// Services over the refresh `engine` and a `runner` for plans (in practice the same
    /// SSH transport); plans are journaled to `journal`; `read_only` makes the executor
    /// refuse any change. Results arrive on `actions`.
    pub fn new(
        engine: Engine,
        runner: Arc<R>,
        journal: PathBuf,
        read_only: bool,
        actions: mpsc::Sender<Action>,
    ) -> Self {
        Services {
            engine,
            runner,
            journal,
            read_only,
            actions,
            poll_interval: None,
            running: Arc::default(),
        }
    }

    /// Carries out a request; hands back the ones only the terminal's owner can do
    /// (themes, mouse, quit).
    pub fn handle(&self, request: Request) -> Option<Request> {
        match request {
            Request::Refresh(source) => self.engine.refresh_now(source.as_deref()),
            Request::Execute {
                plan,
                confirmation,
                attestation,
                choices,
            } => self.execute(*plan, confirmation, attestation, choices),
            Request::LoadJournal => self.load_journal(),
            Request::ReadFacts(request) => self.read_facts(request),
            Request::StopRun => self.stop_run(),
            other => return Some(other),
        }
        None
    }

    /// Runs a confirmed plan in a task of its own: its events, then its summary, come
    /// back as `Action::Exec` and `Action::RunEnded`.
    pub fn execute(
        &self,
        plan: Plan,
        confirmation: String,
        attestation: Option<String>,
        choices: Vec<String>,
    ) {
        let runner = self.runner.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if let Ok(mut slot) = self.running.lock() {
            *slot = Some(stop.clone());
        }
        let path = self.journal.clone();
        let read_only = self.read_only;
        let poll = self.poll_interval;
        let actions = self.actions.clone();
        tokio::spawn(async move {
            let (journal, problem) = match Journal::open(&path) {
                Ok(journal) => (Some(journal), None),
                Err(error) => (
                    None,
                    Some(format!(
                        "the journal {} cannot be opened ({error}): nothing that changes the estate runs without it",
                        path.display()
                    )),
                ),
            };
            let mut executor = Executor::new(runner, journal, read_only);
            executor.stop_on(stop);
            if let Some(problem) = problem {
                executor.journal_problem(problem);
            }
            if let Some(typed) = attestation {
                executor.attest(typed);
            }
            if let Some(poll) = poll {
                executor.poll_interval = poll;
            }
            let (events, mut received) = mpsc::channel(256);
            let forward = {
                let actions = actions.clone();
                async move {
                    while let Some(event) = received.recv().await {
                        if actions.send(Action::Exec(event)).await.is_err() {
                            return;
                        }
                    }
                }
            };
            // The forwarder ends when the executor drops its sender: every event is
            // delivered before the summary.
            let (summary, ()) = tokio::join!(
                executor.execute(&plan, 0, &confirmation, choices, events),
                forward
            );
            let _ = actions.send(Action::RunEnded(summary)).await;
        });
    }

    /// Asks the running plan, if any, to stop after the steps in flight.
    pub fn stop_run(&self) {
        if let Some(stop) = self.running.lock().ok().and_then(|slot| slot.clone()) {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Reads what a wizard's plan needs in a task of its own, with read-only commands
    /// only (`refresh::transport::read` refuses anything else); answers with
    /// `Action::FactsRead`.
    pub fn read_facts(&self, request: FactsQuery) {
        let transport = self.runner.clone();
        let actions = self.actions.clone();
        tokio::spawn(async move {
            let transport = transport.as_ref();
            let facts = request.read(transport).await;
            let _ = actions.send(Action::FactsRead(request, facts)).await;
        });
    }

    /// Reads the journal file off the async threads; answers with
    /// `Action::JournalLoaded`.
    pub fn load_journal(&self) {
        let path = self.journal.clone();
        let actions = self.actions.clone();
        tokio::task::spawn_blocking(move || {
            let loaded = Journal::read(&path)
                .map_err(|error| format!("cannot read the journal {}: {error}", path.display()));
            let _ = actions.blocking_send(Action::JournalLoaded(loaded));
        });
    }
}
