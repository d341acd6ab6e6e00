//! Wizards end to end over real SSH against the simulated demo estate: relocate a
//! partition, remote-restart every capable partition of the failed system, clean up
//! when it returns, survive a dropped connection mid-migration, refuse in read-only.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::sim::SshLab;
use powerdeck::estate::LparState;
use powerdeck::refresh::{SourceData, SourceSnapshot};
use powerdeck::sim::estate::FaultAction;
use powerdeck::sim::Estate;
use powerdeck::ssh::SshTransport;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    cleanup, relocate, CleanupChoices, EstateView, ExecEvent, Executor, Journal,
    RemoteRestartChoices, StepOutcome,
};
use tokio::sync::mpsc;

struct Lab {
    lab: SshLab,
}

impl std::ops::Deref for Lab {
    type Target = SshLab;
    fn deref(&self) -> &SshLab {
        &self.lab
    }
}

impl Lab {
    async fn start(speed: f64) -> Lab {
        Lab {
            lab: SshLab::start(Estate::demo(), speed).await,
        }
    }

    fn executor(&self, read_only: bool) -> Executor<SshTransport> {
        let journal = Journal::open(&self.journal_path()).unwrap();
        let mut executor = Executor::new(self.transport.clone(), Some(journal), read_only);
        executor.poll_interval = Duration::from_millis(50);
        executor
    }

    fn journal_path(&self) -> PathBuf {
        self.sim.dir.join("journal.jsonl")
    }
}

/// Where a partition is now: (system, state), for every copy.
fn whereabouts(snapshots: &[SourceSnapshot], lpar: &str) -> Vec<(String, LparState)> {
    snapshots
        .iter()
        .filter_map(|s| match &s.data {
            SourceData::Hmc(systems) => Some(systems),
            _ => None,
        })
        .flatten()
        .flat_map(|system| {
            system
                .lpars
                .iter()
                .filter(|l| l.name == lpar)
                .map(|l| (system.system.name.clone(), l.state.clone()))
        })
        .collect()
}

async fn drain(mut events: mpsc::Receiver<ExecEvent>) -> Vec<ExecEvent> {
    let mut all = Vec::new();
    while let Some(event) = events.recv().await {
        all.push(event);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relocate_a_running_partition() {
    let lab = Lab::start(400.0).await;
    let before = lab.refresh().await;
    let plan = relocate(EstateView::new(&before), "prdweb01", "e1080-01").unwrap();
    let (tx, rx) = mpsc::channel(1024);
    let collector = tokio::spawn(drain(rx));
    let summary = lab
        .executor(false)
        .execute(&plan, 0, "prdweb01", Vec::new(), tx)
        .await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let events = collector.await.unwrap();
    assert!(events.contains(&ExecEvent::Completed));
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "prdweb01"),
        [("e1080-01".to_string(), LparState::Running)]
    );
    let records = Journal::read(&lab.journal_path()).unwrap();
    assert_eq!(records.first().unwrap().event, "run-started");
    assert_eq!(
        records.last().unwrap().outcome.as_deref(),
        Some("completed")
    );
    assert_eq!(
        records.iter().filter(|r| r.event == "step").count(),
        plan.steps.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_restart_the_failed_system_then_clean_up() {
    let lab = Lab::start(400.0).await;
    let before = lab.refresh().await;
    let choices = RemoteRestartChoices {
        parallelism: 2,
        ..Default::default()
    };
    let request = Request::RemoteRestart {
        from: "s824-01".into(),
        to: "s924-01".into(),
        choices,
    };
    // Capacity is read over SSH before the plan is built.
    let plan = catalogue::plan(lab.transport.as_ref(), EstateView::new(&before), &request)
        .await
        .unwrap();
    assert!(
        plan.notes.iter().any(|n| n.starts_with("capacity: ")),
        "{:?}",
        plan.notes
    );
    let (tx, rx) = mpsc::channel(1024);
    let collector = tokio::spawn(drain(rx));
    let summary = lab
        .executor(false)
        .execute(&plan, 0, "s824-01", Vec::new(), tx)
        .await;
    collector.await.unwrap();
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let after = lab.refresh().await;
    for lpar in ["prdapp03", "prddb02", "prdweb02", "devapp02"] {
        let copies = whereabouts(&after, lpar);
        assert!(
            copies.contains(&("s924-01".to_string(), LparState::Running)),
            "{lpar}: {copies:?}"
        );
        assert!(
            copies.iter().any(|(system, _)| system == "s824-01"),
            "stale copy kept"
        );
    }
    assert!(
        !whereabouts(&after, "tstdb01")
            .iter()
            .any(|(system, _)| system == "s924-01"),
        "not capable, not restarted"
    );
    let refused = cleanup(
        EstateView::new(&after),
        "s824-01",
        CleanupChoices::default(),
    );
    assert!(refused.unwrap_err().reason.contains("Operating or Standby"));

    // The source comes back; its stale copies are cleaned up.
    lab.sim
        .simulator
        .exec_local("hmc01", "simctl state hmc01 s824-01 Operating");
    let back = lab.refresh().await;
    let plan = cleanup(EstateView::new(&back), "s824-01", CleanupChoices::default()).unwrap();
    let (tx, rx) = mpsc::channel(1024);
    let collector = tokio::spawn(drain(rx));
    let summary = lab
        .executor(false)
        .execute(&plan, 0, "s824-01", Vec::new(), tx)
        .await;
    collector.await.unwrap();
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let cleaned = lab.refresh().await;
    for lpar in ["prdapp03", "prddb02", "prdweb02", "devapp02"] {
        assert_eq!(
            whereabouts(&cleaned, lpar),
            [("s924-01".to_string(), LparState::Running)],
            "{lpar}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_mid_migration_halts_rereads_and_journals() {
    let lab = Lab::start(20.0).await;
    let before = lab.refresh().await;
    let plan = relocate(EstateView::new(&before), "prdapp04", "e1080-01").unwrap();
    let migrate_step = plan
        .steps
        .iter()
        .position(|s| s.line().contains("migrlpar -o m"))
        .unwrap();
    let (tx, mut rx) = mpsc::channel(1024);
    let world = lab.sim.simulator.world.clone();
    let breaker = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(event) = rx.recv().await {
            if event == ExecEvent::StepStarted(migrate_step) {
                // Drop every connection to hmc02 while the migration runs, then mend
                // the host so the executor's re-read can reach it again.
                tokio::time::sleep(Duration::from_millis(300)).await;
                let fault = |action| world.lock().unwrap().apply_fault("hmc02", &action).unwrap();
                fault(FaultAction::Drop);
                tokio::time::sleep(Duration::from_millis(500)).await;
                fault(FaultAction::Recover);
            }
            seen.push(event);
        }
        seen
    });
    let summary = lab
        .executor(false)
        .execute(&plan, 0, "prdapp04", Vec::new(), tx)
        .await;
    let events = breaker.await.unwrap();
    assert_eq!(
        summary.halted_at,
        Some(migrate_step),
        "{}",
        summary.describe(&plan)
    );
    assert!(
        matches!(
            &summary
                .ran
                .iter()
                .find(|(i, _)| *i == migrate_step)
                .unwrap()
                .1,
            StepOutcome::Interrupted { sent: true, .. }
        ),
        "{:?}",
        summary.ran
    );
    assert_eq!(
        summary.not_run,
        (migrate_step + 1..plan.steps.len()).collect::<Vec<_>>()
    );
    assert!(events.contains(&ExecEvent::Halted { step: migrate_step }));
    assert!(!summary.reread.is_empty());
    assert!(
        summary
            .reread
            .iter()
            .any(|(line, text)| line.contains("prdapp04") && text.contains("prdapp04")),
        "the real state was read again: {:?}",
        summary.reread
    );
    let text = summary.describe(&plan);
    assert!(text.contains("-> unknown"), "{text}");
    assert!(text.contains("not run"), "{text}");
    let records = Journal::read(&lab.journal_path()).unwrap();
    assert!(records.iter().any(|r| r.event == "reread"));
    let end = records.last().unwrap();
    assert_eq!(end.event, "run-ended");
    assert!(end
        .outcome
        .as_deref()
        .unwrap()
        .starts_with("halted at step"));
    let migrations = records
        .iter()
        .filter(|r| {
            r.event == "sent"
                && r.command
                    .as_deref()
                    .is_some_and(|c| c.contains("migrlpar -o m"))
        })
        .count();
    assert_eq!(migrations, 1, "the migration was sent once, never re-run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_mode_changes_nothing() {
    let lab = Lab::start(400.0).await;
    let before = lab.refresh().await;
    let plan = relocate(EstateView::new(&before), "prdweb01", "e1080-01").unwrap();
    let (tx, rx) = mpsc::channel(1024);
    let collector = tokio::spawn(drain(rx));
    let summary = lab
        .executor(true)
        .execute(&plan, 0, "prdweb01", Vec::new(), tx)
        .await;
    collector.await.unwrap();
    assert!(matches!(&summary.ran[0].1, StepOutcome::Refused(why) if why.contains("read-only")));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "prdweb01"),
        [("e980-01".to_string(), LparState::Running)]
    );
}
