//! Wizards II end to end on the demo estate: refresh over [`LocalTransport`], build the
//! plan, run it with the executor and the right confirmation, refresh again and check
//! that the simulated world changed as the plan said: firmware levels activated (and
//! accepted), WPARs moved and recovered, NIM clients reset, the alternate master
//! synchronised and in control, `/bos_inst` gone. Failures in the middle (a disk that
//! fills up under `restwpar`, an `updlic` refused because another update started) halt
//! the plan with a complete journal, read back here.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::home::Home;
use common::sim::SshLab;
use powerdeck::config::SourceKind;
use powerdeck::estate::{Cstate, LparState, SystemState, WparState};
use powerdeck::exec::CommandOutput;
use powerdeck::exec::{Exec, ExecError, OutputLine};
use powerdeck::refresh::{self, Source, SourceData, SourceSnapshot};
use powerdeck::sim::estate::aix::SimHolder;
use powerdeck::sim::estate::nim::Multibos;
use powerdeck::sim::estate::HostKind;
use powerdeck::sim::local::LocalTransport;
use powerdeck::sim::world::World;
use powerdeck::sim::Estate;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    self, wpar_move, wpar_recovery, Disruptive, EstateView, Executor, FirmwareChoices, Journal,
    NimSyncChoices, NimadmChoices, Plan, PlanError, PlanErrorKind, RunSummary, StepKind,
    StepOutcome, WparMoveChoices, WparRecoveryChoices,
};
use tokio::sync::mpsc;

// ---------------------------------------------------------------------------------------
// The demo estate, in-process

struct Demo {
    world: Arc<Mutex<World>>,
    transport: Arc<LocalTransport>,
}

impl Demo {
    fn new() -> Demo {
        Demo::with(Estate::demo())
    }

    fn with(estate: Estate) -> Demo {
        let world = Arc::new(Mutex::new(World::new(estate)));
        let transport = Arc::new(LocalTransport::new(world.clone()));
        Demo { world, transport }
    }

    fn sources(&self) -> Vec<Source> {
        let world = self.world.lock().unwrap();
        world
            .estate
            .host_names()
            .into_iter()
            .map(|(name, kind)| Source {
                name: name.to_string(),
                kind: match kind {
                    HostKind::Hmc => SourceKind::Hmc,
                    HostKind::Aix => SourceKind::Aix,
                    HostKind::Nim => SourceKind::Nim,
                },
                interval: Duration::from_secs(30),
            })
            .collect()
    }

    async fn refresh(&self) -> Vec<SourceSnapshot> {
        let snapshots = refresh::refresh_all(self.transport.clone(), &self.sources()).await;
        for snapshot in &snapshots {
            assert!(
                snapshot.data != SourceData::Empty,
                "{} was not read: {:?}",
                snapshot.name,
                snapshot.error
            );
        }
        snapshots
    }

    /// Runs a read-only or simulator command line directly, without letting time pass.
    async fn exec(&self, host: &str, line: &str) -> CommandOutput {
        Exec::exec(self.transport.as_ref(), host, line.to_string())
            .await
            .unwrap()
    }
}

fn journal_path(test: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "powerdeck-e2e-ii-{test}-{}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

async fn execute<R: Exec>(
    runner: Arc<R>,
    plan: &Plan,
    from: usize,
    confirmation: &str,
    journal: &std::path::Path,
) -> RunSummary {
    let mut executor = Executor::new(runner, Some(Journal::open(journal).unwrap()), false);
    executor.poll_interval = Duration::from_millis(1);
    let (tx, mut rx) = mpsc::channel(1 << 16);
    let trace = std::env::var_os("POWERDECK_E2E_TRACE").is_some();
    let drain = tokio::spawn(async move {
        let mut polls = 0u32;
        while let Some(event) = rx.recv().await {
            if trace {
                match &event {
                    powerdeck::wizard::ExecEvent::Polled { .. } => {
                        polls += 1;
                        if polls % 1000 == 1 {
                            eprintln!("{event:?}");
                        }
                    }
                    powerdeck::wizard::ExecEvent::Output { .. } => {}
                    _ => eprintln!("{event:?}"),
                }
            }
        }
    });
    let summary = executor
        .execute(plan, from, confirmation, Vec::new(), tx)
        .await;
    let _ = drain.await;
    summary
}

fn system<'a>(snapshots: &'a [SourceSnapshot], name: &str) -> &'a powerdeck::refresh::SystemData {
    snapshots
        .iter()
        .find_map(|s| match &s.data {
            SourceData::Hmc(systems) => systems.iter().find(|d| d.system.name == name),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no system {name}"))
}

fn wpar_state(snapshots: &[SourceSnapshot], host: &str, wpar: &str) -> Option<WparState> {
    snapshots
        .iter()
        .find(|s| s.name == host)
        .and_then(|s| match &s.data {
            SourceData::Aix(wpars) => wpars.iter().find(|w| w.name == wpar),
            _ => None,
        })
        .map(|w| w.state.clone())
}

fn nim_object<'a>(
    snapshots: &'a [SourceSnapshot],
    master: &str,
    name: &str,
) -> Option<&'a powerdeck::estate::NimObject> {
    snapshots
        .iter()
        .find(|s| s.name == master)
        .and_then(|s| match &s.data {
            SourceData::Nim(objects) => objects.iter().find(|o| o.name == name),
            _ => None,
        })
}

/// Every step a run reports as run, with the step's line.
fn ran_lines(plan: &Plan, summary: &RunSummary) -> Vec<String> {
    summary
        .ran
        .iter()
        .map(|(index, outcome)| format!("{} -> {}", plan.steps[*index].line(), outcome.word()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A runner through which something else happens on the estate just before one step

/// Runs everything on the demo; the first time a step line contains `trigger`, first
/// runs `lines` on `host` (letting their time pass when `complete`, else leaving them
/// in progress), as another admin would at the worst moment.
struct Meanwhile {
    inner: Arc<LocalTransport>,
    trigger: &'static str,
    host: &'static str,
    lines: Vec<&'static str>,
    complete: bool,
    fired: AtomicBool,
}

impl Exec for Meanwhile {
    async fn exec(&self, host: &str, line: String) -> Result<CommandOutput, ExecError> {
        self.exec_streaming(host, line, Duration::from_secs(120), mpsc::channel(1).0)
            .await
    }

    async fn exec_streaming(
        &self,
        host: &str,
        line: String,
        timeout: Duration,
        output: mpsc::Sender<OutputLine>,
    ) -> Result<CommandOutput, ExecError> {
        if line.contains(self.trigger) && !self.fired.swap(true, Ordering::SeqCst) {
            for extra in &self.lines {
                let done = if self.complete {
                    let (sink, mut drain) = mpsc::channel(16);
                    tokio::spawn(async move { while drain.recv().await.is_some() {} });
                    Exec::exec_streaming(
                        self.inner.as_ref(),
                        self.host,
                        extra.to_string(),
                        timeout,
                        sink,
                    )
                    .await
                    .unwrap()
                } else {
                    Exec::exec(self.inner.as_ref(), self.host, extra.to_string())
                        .await
                        .unwrap()
                };
                assert!(done.succeeded(), "{extra}: {done:?}");
            }
        }
        Exec::exec_streaming(self.inner.as_ref(), host, line, timeout, output).await
    }
}

/// Runs everything on the demo and lets `tick` of simulated time pass before each
/// command, as the executor's poll interval would on a real estate: operations that
/// answer at once and finish later (`chsysstate -o osshutdown`) then finish while a
/// `Wait` step polls. [`LocalTransport`] alone only lets time pass for as long as a
/// command's own output lasts.
struct Ticking {
    demo: Arc<LocalTransport>,
    world: Arc<Mutex<World>>,
    tick: Duration,
}

impl Exec for Ticking {
    async fn exec(&self, host: &str, line: String) -> Result<CommandOutput, ExecError> {
        self.exec_streaming(host, line, Duration::from_secs(120), mpsc::channel(1).0)
            .await
    }

    async fn exec_streaming(
        &self,
        host: &str,
        line: String,
        timeout: Duration,
        output: mpsc::Sender<OutputLine>,
    ) -> Result<CommandOutput, ExecError> {
        let now = self.world.lock().unwrap().now();
        self.demo.advance(now + self.tick);
        Exec::exec_streaming(self.demo.as_ref(), host, line, timeout, output).await
    }
}

impl Demo {
    fn ticking(&self) -> Arc<Ticking> {
        Arc::new(Ticking {
            demo: self.transport.clone(),
            world: self.world.clone(),
            tick: Duration::from_secs(10),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Firmware

/// The firmware plan of e980-01, its facts read from the hosts as `plan` reads them.
async fn firmware_plan(
    demo: &Demo,
    snapshots: &[SourceSnapshot],
    choices: FirmwareChoices,
) -> Result<Plan, PlanError> {
    let request = Request::Firmware {
        system: "e980-01".into(),
        choices,
    };
    catalogue::plan(
        demo.transport.as_ref(),
        EstateView::new(snapshots),
        &request,
    )
    .await
}

#[tokio::test]
async fn concurrent_firmware_update_then_accept() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    let before = system(&snapshots, "e980-01")
        .system
        .firmware
        .clone()
        .unwrap();
    assert_eq!(before.activated_level, Some(105));
    let plan = firmware_plan(&demo, &snapshots, FirmwareChoices::default())
        .await
        .unwrap();
    let path = journal_path("fw-concurrent");
    let summary = execute(demo.transport.clone(), &plan, 0, "e980-01", &path).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));

    let snapshots = demo.refresh().await;
    let after = system(&snapshots, "e980-01");
    let levels = after.system.firmware.clone().unwrap();
    assert_eq!(levels.activated_level, Some(131), "the concurrent level");
    assert_eq!(levels.accepted_level, Some(105), "not accepted yet");
    assert_eq!(after.system.state, SystemState::Operating);
    assert!(
        after
            .lpars
            .iter()
            .filter(|l| l.name == "prddb01" || l.name == "aixnim01")
            .all(|l| l.state == LparState::Running),
        "partitions kept running"
    );

    let accept = wizard::firmware_accept(EstateView::new(&snapshots), "e980-01").unwrap();
    let summary = execute(demo.transport.clone(), &accept, 0, "e980-01", &path).await;
    assert!(summary.completed(), "{}", summary.describe(&accept));
    let snapshots = demo.refresh().await;
    let levels = system(&snapshots, "e980-01")
        .system
        .firmware
        .clone()
        .unwrap();
    assert_eq!(levels.accepted_level, Some(131));
    assert!(
        wizard::firmware_accept(EstateView::new(&snapshots), "e980-01")
            .unwrap_err()
            .reason
            .contains("nothing to accept")
    );

    let records = Journal::read(&path).unwrap();
    let ends: Vec<_> = records
        .iter()
        .filter(|r| r.event == "run-ended")
        .map(|r| r.outcome.clone().unwrap())
        .collect();
    assert_eq!(ends, ["completed", "completed"]);
}

#[tokio::test]
async fn disruptive_firmware_update_with_evacuation() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    let running: Vec<String> = system(&snapshots, "e980-01")
        .lpars
        .iter()
        .filter(|l| !l.lpar_env.is_vios() && l.state == LparState::Running)
        .map(|l| l.name.clone())
        .collect();
    let stay = ["tstapp03", "prdbkp01"];
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: "e1080-01".into(),
            shutdown: stay.iter().map(|s| s.to_string()).collect(),
        }),
        ..Default::default()
    };
    let plan = firmware_plan(&demo, &snapshots, choices).await.unwrap();
    let path = journal_path("fw-disruptive");
    let summary = execute(demo.ticking(), &plan, 0, "e980-01", &path).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));

    let snapshots = demo.refresh().await;
    let updated = system(&snapshots, "e980-01");
    assert_eq!(updated.system.state, SystemState::Operating);
    let levels = updated.system.firmware.clone().unwrap();
    assert_eq!(
        levels.activated_level,
        Some(145),
        "the newest, disruptive level"
    );
    let target = system(&snapshots, "e1080-01");
    for name in running.iter().filter(|n| !stay.contains(&n.as_str())) {
        let moved = target
            .lpars
            .iter()
            .find(|l| &l.name == name)
            .unwrap_or_else(|| panic!("{name} is not on e1080-01"));
        assert_eq!(moved.state, LparState::Running, "{name}");
        assert!(
            !updated.lpars.iter().any(|l| &l.name == name),
            "{name} left e980-01"
        );
    }
    for name in stay {
        assert!(
            updated.lpars.iter().any(|l| l.name == name),
            "{name} stayed"
        );
        assert!(!target.lpars.iter().any(|l| l.name == name));
    }
}

#[tokio::test]
async fn a_partition_that_cannot_move_stops_the_plan_before_the_power_off() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    // prdbkp01 owns a physical tape adapter: the HMC refuses to migrate it.
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: "e1080-01".into(),
            shutdown: vec!["tstapp03".into()],
        }),
        ..Default::default()
    };
    // Its profile's io_slots say so at planning time: no step runs.
    let refused = firmware_plan(&demo, &snapshots, choices).await.unwrap_err();
    assert_eq!(refused.kind, PlanErrorKind::Refused, "{}", refused.reason);
    assert!(
        refused
            .reason
            .starts_with("prdbkp01 cannot be evacuated to e1080-01: it owns physical I/O slots"),
        "{}",
        refused.reason
    );
    let snapshots = demo.refresh().await;
    let still = system(&snapshots, "e980-01");
    assert_eq!(still.system.state, SystemState::Operating);
    assert_eq!(
        still.system.firmware.as_ref().unwrap().activated_level,
        Some(105)
    );
    assert!(still
        .lpars
        .iter()
        .any(|l| l.name == "prdbkp01" && l.state == LparState::Running));
}

#[tokio::test]
async fn an_updlic_error_halts_with_a_complete_journal() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    let plan = firmware_plan(&demo, &snapshots, FirmwareChoices::default())
        .await
        .unwrap();
    let update = plan
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Change)
        .unwrap();
    // Another admin starts an install from the HMC GUI between the checks and updlic.
    let runner = Arc::new(Meanwhile {
        inner: demo.transport.clone(),
        trigger: "updlic -o a",
        host: "hmc02",
        lines: vec!["updlic -o i -m e980-01 -t sys -r ibmwebsite -l latestconcurrent"],
        complete: false,
        fired: AtomicBool::new(false),
    });
    let path = journal_path("fw-error");
    let summary = execute(runner, &plan, 0, "e980-01", &path).await;
    assert_eq!(
        summary.halted_at,
        Some(update),
        "{}",
        summary.describe(&plan)
    );
    assert!(
        matches!(&summary.ran[update].1, StepOutcome::Failed(why) if why.contains("HSCL2D08")),
        "{:?}",
        summary.ran[update]
    );
    assert_eq!(summary.not_run, [update + 1]);
    assert!(
        summary
            .reread
            .iter()
            .any(|(line, text)| line.contains("-F activated_level,") && text.contains("105")),
        "the levels were read again: {:?}",
        summary.reread
    );

    let records = Journal::read(&path).unwrap();
    let run_id = &records[0].run_id;
    assert!(records.iter().all(|r| &r.run_id == run_id));
    let events: Vec<&str> = records.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(events.first(), Some(&"run-started"));
    assert_eq!(events.last(), Some(&"run-ended"));
    let steps: Vec<_> = records.iter().filter(|r| r.event == "step").collect();
    assert_eq!(steps.len(), update + 1, "every step that ran, once");
    let failed = steps.last().unwrap();
    assert_eq!(failed.step, Some(update));
    assert_eq!(failed.host.as_deref(), Some("hmc02"));
    assert_eq!(
        failed.command.as_deref(),
        Some("LANG=C updlic -o a -m e980-01 -t sys -r ibmwebsite -l latestconcurrent")
    );
    assert_ne!(failed.exit_status, Some(0));
    assert!(failed
        .outcome
        .as_deref()
        .unwrap()
        .starts_with("failed: HSCL2D08"));
    assert!(records.iter().any(|r| r.event == "reread"));
    assert_eq!(
        records.last().unwrap().outcome.as_deref(),
        Some(format!("halted at step {}", update + 1).as_str())
    );

    // Nothing of ours changed the level: the other install is still running.
    let snapshots = demo.refresh().await;
    let levels = system(&snapshots, "e980-01")
        .system
        .firmware
        .clone()
        .unwrap();
    assert_eq!(levels.activated_level, Some(105));
}

// ---------------------------------------------------------------------------------------
// WPAR move

async fn move_plan(demo: &Demo, wpar: &str, choices: &WparMoveChoices) -> Result<Plan, String> {
    let snapshots = demo.refresh().await;
    let facts = wpar_move::read_facts(
        demo.transport.as_ref(),
        wpar,
        "aixprd02",
        "aixprd01",
        &choices.shared_dir,
    )
    .await
    .unwrap();
    wizard::wpar_move(
        EstateView::new(&snapshots),
        wpar,
        "aixprd02",
        "aixprd01",
        choices,
        &facts,
    )
    .map_err(|e| e.reason)
}

#[tokio::test]
async fn wpar_moves_from_aix61_to_aix71() {
    let demo = Demo::new();
    let plan = move_plan(&demo, "wpmig61", &WparMoveChoices::default())
        .await
        .unwrap();
    let path = journal_path("wpar-move");
    let summary = execute(demo.transport.clone(), &plan, 0, "wpmig61", &path).await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );

    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpmig61"),
        Some(WparState::Active)
    );
    assert_eq!(
        wpar_state(&snapshots, "aixprd02", "wpmig61"),
        Some(WparState::Defined),
        "kept, stopped, as a fallback"
    );
    let level = demo.exec("aixprd01", "clogin wpmig61 oslevel -s").await;
    assert_eq!(level.stdout.trim(), "7100-00-02-1041", "migrated to 7.1");
    let records = Journal::read(&path).unwrap();
    let hosts: Vec<&str> = records
        .iter()
        .filter(|r| r.event == "step")
        .filter_map(|r| r.host.as_deref())
        .collect();
    assert!(hosts.contains(&"aixprd02") && hosts.contains(&"aixprd01"));
    let restore = records
        .iter()
        .find(|r| r.event == "step" && r.command.as_deref().is_some_and(|c| c.contains("restwpar")))
        .unwrap();
    assert_eq!(restore.host.as_deref(), Some("aixprd01"));
    assert!(restore.stderr.as_deref().unwrap().contains("0960-507"));
}

#[tokio::test]
async fn wpar_move_with_removal_of_the_source() {
    let demo = Demo::new();
    let choices = WparMoveChoices {
        source_after: wizard::SourceAfterMove::Remove,
        ..Default::default()
    };
    let plan = move_plan(&demo, "wpmig61", &choices).await.unwrap();
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "wpmig61",
        &journal_path("wpar-move-rm"),
    )
    .await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpmig61"),
        Some(WparState::Active)
    );
    assert_eq!(wpar_state(&snapshots, "aixprd02", "wpmig61"), None);
}

#[tokio::test]
async fn a_disk_that_fills_under_restwpar_halts_the_move_and_the_source_comes_back() {
    let demo = Demo::new();
    let plan = move_plan(&demo, "wpmig61", &WparMoveChoices::default())
        .await
        .unwrap();
    let restore = plan
        .steps
        .iter()
        .position(|s| s.line().contains("restwpar"))
        .unwrap();
    // Between the free-space check and the restore, someone copies two backup images
    // into aixprd01's rootvg: the 2 GB left after the demo's 3 GB dump are gone.
    let runner = Arc::new(Meanwhile {
        inner: demo.transport.clone(),
        trigger: "restwpar",
        host: "aixprd01",
        lines: vec![
            "ulimit -f unlimited; cp /export/wpars/wpweb01.savewpar /backup/wpweb01.copy1",
            "ulimit -f unlimited; cp /export/wpars/wpweb01.savewpar /backup/wpweb01.copy2",
        ],
        complete: true,
        fired: AtomicBool::new(false),
    });
    let path = journal_path("wpar-full");
    let summary = execute(runner, &plan, 0, "wpmig61", &path).await;
    assert_eq!(
        summary.halted_at,
        Some(restore),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    // The outcome names the first AIX message of the output (here the expected 0960-507
    // level warning); the journal keeps the whole output.
    assert!(
        matches!(&summary.ran[restore].1, StepOutcome::Failed(_)),
        "{:?}",
        summary.ran[restore]
    );
    assert_eq!(
        summary.not_run,
        (restore + 1..plan.steps.len()).collect::<Vec<_>>()
    );
    // The recovery branch: remove what the restore left on the target (nothing here),
    // start the WPAR again where it was.
    assert_eq!(
        summary
            .recovery
            .iter()
            .map(|s| (s.host.as_str(), s.line()))
            .collect::<Vec<_>>(),
        [
            ("aixprd01", "LC_ALL=C rmwpar -F wpmig61".to_string()),
            ("aixprd02", "LC_ALL=C startwpar wpmig61".to_string())
        ]
    );

    let records = Journal::read(&path).unwrap();
    let failed = records.iter().rev().find(|r| r.event == "step").unwrap();
    assert_eq!(failed.step, Some(restore));
    assert_eq!(failed.host.as_deref(), Some("aixprd01"));
    assert_eq!(failed.exit_status, Some(1));
    let stderr = failed.stderr.as_deref().unwrap();
    assert!(
        stderr.contains("0516-404") && stderr.contains("0960-514"),
        "{stderr}"
    );
    let reread: Vec<_> = records.iter().filter(|r| r.event == "reread").collect();
    assert!(
        reread.iter().any(|r| r.host.as_deref() == Some("aixprd01")
            && r.command.as_deref() == Some("LC_ALL=C lsvg rootvg")),
        "free space read again"
    );
    assert_eq!(
        records.last().unwrap().outcome.as_deref(),
        Some(format!("halted at step {}", restore + 1).as_str())
    );

    // The failed restore left nothing behind on aixprd01.
    let snapshots = demo.refresh().await;
    assert_eq!(wpar_state(&snapshots, "aixprd01", "wpmig61"), None);
    assert_eq!(
        wpar_state(&snapshots, "aixprd02", "wpmig61"),
        Some(WparState::Defined)
    );

    // The operator takes the recovery branch.
    let recovery = Plan {
        wizard: "wpar-move",
        title: "recovery".into(),
        confirm_name: "wpmig61".into(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: Vec::new(),
    };
    let done = execute(demo.transport.clone(), &recovery, 0, "wpmig61", &path).await;
    assert!(done.completed());
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd02", "wpmig61"),
        Some(WparState::Active)
    );
}

#[tokio::test]
async fn the_demo_dump_leaves_no_room_for_wpleg61_until_removed() {
    let demo = Demo::new();
    let choices = WparMoveChoices {
        images: Some("/mnt".into()),
        ..Default::default()
    };
    let refused = move_plan(&demo, "wpleg61", &choices).await.unwrap_err();
    assert!(
        refused.contains("aixprd01's rootvg, which has 2048 MB free"),
        "{refused}"
    );
    let removed = demo.exec("aixprd01", "rm /backup/wpdb01_export.dmp").await;
    assert!(removed.succeeded(), "{removed:?}");
    let plan = move_plan(&demo, "wpleg61", &choices).await.unwrap();
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line() == "LC_ALL=C migwpar -d /mnt wpleg61"));
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "wpleg61",
        &journal_path("wpleg61"),
    )
    .await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpleg61"),
        Some(WparState::Active)
    );
}

// ---------------------------------------------------------------------------------------
// WPAR recovery

/// Reads the recovery facts of `wpar` on aixprd01 and builds its plan.
async fn recovery_plan(
    demo: &Demo,
    wpar: &str,
    choices: &WparRecoveryChoices,
) -> Result<Plan, wizard::PlanError> {
    let snapshots = demo.refresh().await;
    let view = EstateView::new(&snapshots);
    let directory = wpar_recovery::wpar_directory(view, "aixprd01", wpar)?;
    let facts =
        wpar_recovery::read_facts(demo.transport.as_ref(), "aixprd01", wpar, &directory).await?;
    wizard::wpar_recover(view, "aixprd01", wpar, choices, &facts)
}

#[tokio::test]
async fn stuck_wpar_is_recovered() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpbatch01"),
        Some(WparState::Transitional)
    );
    let choices = WparRecoveryChoices {
        start: true,
        ..Default::default()
    };
    let plan = recovery_plan(&demo, "wpbatch01", &choices).await.unwrap();
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line() == "LC_ALL=C umount /wpars/wpbatch01/SW"));
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "wpbatch01",
        &journal_path("stuck"),
    )
    .await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpbatch01"),
        Some(WparState::Active)
    );
    let mounts = demo.exec("aixprd01", "mount").await;
    assert!(!mounts.stdout.contains("/wpars/wpbatch01/SW"));
}

#[tokio::test]
async fn a_holder_that_appears_after_planning_halts_the_ladder_before_the_unmount() {
    let demo = Demo::new();
    let plan = recovery_plan(&demo, "wpbatch01", &WparRecoveryChoices::default())
        .await
        .unwrap();
    // Between planning and running, someone's shell goes into the software depot.
    for host in demo.world.lock().unwrap().estate.aix.iter_mut() {
        if let Some(wpar) = host.wpar_mut("wpbatch01") {
            wpar.holders.push(SimHolder {
                pid: 5_111_222,
                path: "/wpars/wpbatch01/SW/images".into(),
                usage: "c".into(),
            });
        }
    }
    let path = journal_path("stuck-held");
    let summary = execute(demo.transport.clone(), &plan, 0, "wpbatch01", &path).await;
    let held = plan
        .steps
        .iter()
        .position(|s| s.line() == "LC_ALL=C fuser -cx /wpars/wpbatch01/SW")
        .unwrap();
    assert_eq!(summary.halted_at, Some(held));
    assert_eq!(
        summary.ran[held].1,
        StepOutcome::ConditionNotMet("held by process 5111222 (current directory)".into())
    );
    assert!(
        !summary.ran.iter().any(|(i, _)| plan.steps[*i].changes()),
        "nothing was unmounted or stopped"
    );
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wpbatch01"),
        Some(WparState::Transitional),
        "still stuck, nothing forced"
    );
    // Planning again now says who holds it.
    let refused = recovery_plan(&demo, "wpbatch01", &WparRecoveryChoices::default())
        .await
        .unwrap_err();
    assert!(
        refused
            .reason
            .contains("/wpars/wpbatch01/SW by process 5111222 (current directory)"),
        "{}",
        refused.reason
    );
}

#[tokio::test]
async fn broken_wpar_is_recreated_after_a_failed_start() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wprpt01"),
        Some(WparState::Broken)
    );
    let choices = WparRecoveryChoices {
        start: true,
        ..Default::default()
    };
    let plan = recovery_plan(&demo, "wprpt01", &choices).await.unwrap();
    let path = journal_path("broken");
    let summary = execute(demo.transport.clone(), &plan, 0, "wprpt01", &path).await;
    // The forced stop works, the start breaks it again.
    let start = plan
        .steps
        .iter()
        .position(|s| s.line() == "LC_ALL=C startwpar wprpt01")
        .unwrap();
    assert_eq!(summary.halted_at, Some(start));
    // The df rung: no file system of it is full, so its infrastructure is damaged.
    let rung = Plan {
        wizard: "wpar-recover",
        title: "df".into(),
        confirm_name: "wprpt01".into(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: Vec::new(),
    };
    assert!(!rung.changes_anything());
    let checked = execute(demo.transport.clone(), &rung, 0, "", &path).await;
    assert!(
        checked.completed(),
        "{}",
        ran_lines(&rung, &checked).join("\n")
    );

    // The last rung: a plan of its own, attested, with a backup first.
    let recreate = WparRecoveryChoices {
        start: true,
        recreate: true,
        ..Default::default()
    };
    let plan = recovery_plan(&demo, "wprpt01", &recreate).await.unwrap();
    let attestation = plan.attestation.clone().unwrap();
    let mut executor = Executor::new(
        demo.transport.clone(),
        Some(Journal::open(&path).unwrap()),
        false,
    );
    let (tx, mut rx) = mpsc::channel(1 << 12);
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let unattested = executor
        .execute(&plan, 0, "wprpt01", Vec::new(), tx.clone())
        .await;
    assert!(
        matches!(&unattested.ran[0].1, StepOutcome::Refused(why) if why.contains("recreate wprpt01")),
        "{:?}",
        unattested.ran
    );
    executor.poll_interval = Duration::from_millis(1);
    executor.attest(attestation.phrase);
    let done = executor.execute(&plan, 0, "wprpt01", Vec::new(), tx).await;
    assert!(done.completed(), "{}", ran_lines(&plan, &done).join("\n"));
    let snapshots = demo.refresh().await;
    assert_eq!(
        wpar_state(&snapshots, "aixprd01", "wprpt01"),
        Some(WparState::Active)
    );
    let backup = demo
        .exec(
            "aixprd01",
            "ls -l /export/wpars/wprpt01.before-recreate.savewpar",
        )
        .await;
    assert!(
        backup.succeeded(),
        "the backup was written first: {backup:?}"
    );
}

// ---------------------------------------------------------------------------------------
// NIM

/// Builds a plan as `powerdeck plan` does: its facts read over the transport first.
async fn planned(
    demo: &Demo,
    snapshots: &[SourceSnapshot],
    request: &Request,
) -> Result<Plan, PlanError> {
    catalogue::plan(demo.transport.as_ref(), EstateView::new(snapshots), request).await
}

fn nim_reset_request(client: &str) -> Request {
    Request::NimReset {
        master: "nim01".into(),
        client: client.into(),
    }
}

#[tokio::test]
async fn stuck_nim_client_is_reset_and_freed() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    let plan = planned(&demo, &snapshots, &nim_reset_request("tstdb02"))
        .await
        .unwrap();
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("did not change in 60 s")),
        "{:?}",
        plan.notes
    );
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "tstdb02",
        &journal_path("nim-reset"),
    )
    .await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    let client = nim_object(&snapshots, "nim01", "tstdb02").unwrap();
    assert_eq!(client.cstate, Some(Cstate::Ready));
    for resource in ["spot", "lpp_source", "boot", "bosinst_data", "nim_script"] {
        assert_eq!(client.attribute(resource), None, "{resource}");
    }
    assert!(planned(&demo, &snapshots, &nim_reset_request("tstdb02"))
        .await
        .unwrap_err()
        .reason
        .contains("nothing to reset"));
}

#[tokio::test]
async fn a_progressing_client_is_not_reset() {
    let mut estate = Estate::demo();
    let client = estate.nim[0]
        .objects
        .iter_mut()
        .find(|o| o.name == "tstdb02")
        .unwrap();
    client.progressing = true;
    let demo = Demo::with(estate);
    let snapshots = demo.refresh().await;
    let error = planned(&demo, &snapshots, &nim_reset_request("tstdb02"))
        .await
        .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.contains("tstdb02 is not stuck"),
        "{}",
        error.reason
    );
    assert!(
        error.reason.contains("its info went from 'BOS install 39% complete : Installing additional software.' to 'BOS install 41% complete"),
        "{}",
        error.reason
    );
    assert!(
        error.reason.contains("its NIM log grew"),
        "{}",
        error.reason
    );
    // Nothing was changed: the install goes on and completes by itself.
    let output = demo.exec("nim01", "sleep 2000; lsnim -l tstdb02").await;
    assert!(
        output.stdout.contains("Cstate_result  = success"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("spot"), "{}", output.stdout);
}

#[tokio::test]
async fn alternate_master_is_synchronised_then_takes_over() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    assert!(nim_object(&snapshots, "nim02", "lpp_7100-03-05").is_none());
    let sync_request = Request::NimSync {
        master: "nim01".into(),
        choices: NimSyncChoices::default(),
    };
    let sync = planned(&demo, &snapshots, &sync_request).await.unwrap();
    let path = journal_path("hanim");
    let summary = execute(demo.transport.clone(), &sync, 0, "nim01", &path).await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&sync, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    let primary = nim_object(&snapshots, "nim02", "nim01").unwrap();
    assert_eq!(primary.object_type, "alternate_master");
    assert!(
        nim_object(&snapshots, "nim02", "lpp_7100-03-05").is_some(),
        "replicated"
    );
    assert_eq!(
        nim_object(&snapshots, "nim02", "prdapp01")
            .unwrap()
            .current_master
            .as_deref(),
        Some("nim01")
    );
    // Synchronising from the alternate, which controls nothing, is refused.
    let wrong = planned(
        &demo,
        &snapshots,
        &Request::NimSync {
            master: "nim02".into(),
            choices: NimSyncChoices::default(),
        },
    )
    .await
    .unwrap_err();
    assert!(
        wrong.reason.contains("nim02 does not control its clients"),
        "{}",
        wrong.reason
    );

    // Planned takeover (nim01 answers): devapp01 (sync_required = yes) refuses and
    // prdbatch01 (powered off) is pending; neither fails the takeover step.
    let takeover_request = Request::NimTakeover {
        alternate: "nim02".into(),
        from: None,
    };
    let takeover = planned(&demo, &snapshots, &takeover_request).await.unwrap();
    assert!(takeover.attestation.is_none());
    assert!(takeover.notes.iter().any(|n| n.contains("devapp01")));
    assert!(takeover
        .notes
        .iter()
        .any(|n| n.contains("pending, not failures: prdbatch01")));
    let summary = execute(demo.transport.clone(), &takeover, 0, "nim02", &path).await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&takeover, &summary).join("\n")
    );
    let snapshots = demo.refresh().await;
    for (client, master) in [
        ("prdapp01", "nim02"),
        ("tstdb02", "nim02"),
        ("devapp01", "nim01"),
        ("prdbatch01", "nim01"),
    ] {
        assert_eq!(
            nim_object(&snapshots, "nim02", client)
                .unwrap()
                .current_master
                .as_deref(),
            Some(master),
            "{client}"
        );
    }
    // After the takeover the roles are swapped: nim01 may no longer sync.
    let stale = planned(&demo, &snapshots, &sync_request).await.unwrap_err();
    assert_eq!(stale.kind, PlanErrorKind::Refused);
    assert!(
        stale.reason.contains("control is split"),
        "{}",
        stale.reason
    );
    let records = Journal::read(&path).unwrap();
    let ends: Vec<_> = records
        .iter()
        .filter(|r| r.event == "run-ended")
        .filter_map(|r| r.outcome.clone())
        .collect();
    assert_eq!(ends, ["completed", "completed"]);
}

#[tokio::test]
async fn nimadm_preflight_removes_the_leftover_bos_inst() {
    let demo = Demo::new();
    let snapshots = demo.refresh().await;
    let request = Request::NimadmPreflight {
        master: "nim01".into(),
        client: "prdapp02".into(),
        choices: NimadmChoices::default(),
    };
    let plan = planned(&demo, &snapshots, &request).await.unwrap();
    assert!(plan.changes_anything());
    assert!(
        plan.notes.iter().any(|n| n
            == "then run on nim01: nimadm -j nimadmvg -c prdapp02 -s spot_7100-03-05 -l lpp_7100-03-05 -d hdisk1 -Y"),
        "{:?}",
        plan.notes
    );
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "prdapp02",
        &journal_path("nimadm"),
    )
    .await;
    assert!(
        summary.completed(),
        "{}",
        ran_lines(&plan, &summary).join("\n")
    );
    // Planned again: only checks, which run without a confirmation.
    let plan = planned(&demo, &snapshots, &request).await.unwrap();
    assert!(!plan.changes_anything());
    let summary = execute(
        demo.transport.clone(),
        &plan,
        0,
        "",
        &journal_path("nimadm-again"),
    )
    .await;
    assert!(summary.completed());
    // The migration the pre-flight prepared now passes phase 11.
    let migration = demo
        .exec(
            "nim01",
            "nimadm -j nimadmvg -c prdapp02 -s spot_7100-03-05 -l lpp_7100-03-05 -d hdisk1 -Y",
        )
        .await;
    assert_eq!(migration.exit_status, Some(0), "{}", migration.stderr);
    assert!(migration
        .stdout
        .contains("Bootlist is set to the boot disk: hdisk1 blv=hd5"));
}

// ---------------------------------------------------------------------------------------
// NIM over SSH (the lab harness of tests/common)

/// Runs a plan over SSH with the confirmation, and the attestation when one is given.
async fn run_over_ssh(
    lab: &SshLab,
    plan: &Plan,
    confirmation: &str,
    attested: Option<&str>,
) -> RunSummary {
    let path = lab.sim.dir.join(format!("{}.jsonl", plan.wizard));
    let mut executor = Executor::new(
        lab.transport.clone(),
        Some(Journal::open(&path).unwrap()),
        false,
    );
    executor.poll_interval = Duration::from_millis(50);
    if let Some(phrase) = attested {
        executor.attest(phrase);
    }
    let (tx, mut rx) = mpsc::channel(4096);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let summary = executor
        .execute(plan, 0, confirmation, Vec::new(), tx)
        .await;
    drain.await.unwrap();
    summary
}

async fn plan_over_ssh(
    lab: &SshLab,
    snapshots: &[SourceSnapshot],
    request: &Request,
) -> Result<Plan, PlanError> {
    catalogue::plan(lab.transport.as_ref(), EstateView::new(snapshots), request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_a_client_still_installing_is_not_reset() {
    let mut estate = Estate::demo();
    let client = estate.nim[0]
        .objects
        .iter_mut()
        .find(|o| o.name == "tstdb02")
        .unwrap();
    client.progressing = true;
    let lab = SshLab::start(estate, 60.0).await;
    let snapshots = lab.refresh().await;
    let error = plan_over_ssh(&lab, &snapshots, &nim_reset_request("tstdb02"))
        .await
        .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused, "{}", error.reason);
    assert!(
        error.reason.starts_with(
            "tstdb02 is not stuck, it is still working: in 60 s its info went from 'BOS install"
        ),
        "{}",
        error.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_sync_is_refused_where_replication_would_fill_root() {
    let mut estate = Estate::demo();
    let alternate = estate.nim[1]
        .objects
        .iter_mut()
        .find(|o| o.name == "master")
        .unwrap();
    alternate.filesystems.retain(|fs| fs.mount != "/export/nim");
    let lab = SshLab::start(estate, 300.0).await;
    let snapshots = lab.refresh().await;
    let error = plan_over_ssh(
        &lab,
        &snapshots,
        &Request::NimSync {
            master: "nim01".into(),
            choices: NimSyncChoices::default(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.starts_with("on nim02 no file system is mounted for lpp_7100-00-02 (/export/nim/lpp_source/lpp_7100-00-02), lpp_7100-03-05"),
        "{}",
        error.reason
    );
    assert!(error.reason.ends_with("NIM would create them under / and fill it. Create and mount the same file systems as on nim01 first"));
}

/// The demo plus an HMC that manages the partition nim01 runs in.
fn with_nim01_partition() -> Estate {
    let mut estate = Estate::demo();
    let extra = Estate::from_toml(
        r#"
[[hmc]]
name = "hmc03"

[[hmc.systems]]
name = "p8-infra"
type_model = "8286-42A"
serial_num = "21A7C2V"
state = "Operating"
memory_mb = 262144
proc_units = 16.0
lpars = [
  { name = "nim01", id = 2, os_version = "AIX 7.1 7100-03-05-1524", rmc_ipaddr = "10.20.20.5", memory_mb = 8192, proc_units = 1.0, vlans = [20] },
]
"#,
        "nim01's partition",
    )
    .unwrap();
    estate.hmc.extend(extra.hmc);
    estate
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_takeover_from_a_silent_master_needs_proof_or_attestation() {
    let lab = SshLab::start(with_nim01_partition(), 300.0).await;
    let snapshots = lab.refresh().await;
    let sync = plan_over_ssh(
        &lab,
        &snapshots,
        &Request::NimSync {
            master: "nim01".into(),
            choices: NimSyncChoices::default(),
        },
    )
    .await
    .unwrap();
    let done = run_over_ssh(&lab, &sync, "nim01", None).await;
    assert!(done.completed(), "{}", done.describe(&sync));

    // nim01 stops answering, but its partition runs: nothing proves it is down.
    Exec::exec(
        lab.transport.as_ref(),
        "nim02",
        "simctl fault nim01 drop".to_string(),
    )
    .await
    .unwrap();
    // The simulator ends nim01's open connection within a tick: wait until it is gone.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while Exec::exec(lab.transport.as_ref(), "nim01", "lsnim".to_string())
        .await
        .is_ok()
    {
        assert!(std::time::Instant::now() < deadline, "nim01 still answers");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let snapshots = lab.refresh().await;
    let takeover = Request::NimTakeover {
        alternate: "nim02".into(),
        from: None,
    };
    let plan = plan_over_ssh(&lab, &snapshots, &takeover).await.unwrap();
    let attestation = plan
        .attestation
        .clone()
        .unwrap_or_else(|| panic!("an attestation: {:?}", plan.notes));
    assert_eq!(attestation.phrase, "nim01 is down");
    assert!(
        attestation.statement.contains(
            "its partition nim01 on p8-infra is Running, so it may still serve its clients"
        ),
        "{}",
        attestation.statement
    );
    let unattested = run_over_ssh(&lab, &plan, "nim02", None).await;
    assert!(!unattested.completed());
    assert!(matches!(unattested.ran[0].1, StepOutcome::Refused(_)));

    // Its system is switched off: proven down, re-checked as the first step.
    Exec::exec(
        lab.transport.as_ref(),
        "nim02",
        "simctl state hmc03 p8-infra Power Off".to_string(),
    )
    .await
    .unwrap();
    let snapshots = lab.refresh().await;
    let plan = plan_over_ssh(&lab, &snapshots, &takeover).await.unwrap();
    assert!(plan.attestation.is_none());
    assert_eq!(plan.steps[0].host, "hmc03");
    let done = run_over_ssh(&lab, &plan, "nim02", None).await;
    assert!(done.completed(), "{}", done.describe(&plan));
    let after = lab.refresh().await;
    for (client, master) in [
        ("prdapp01", "nim02"),
        ("devapp01", "nim01"),
        ("prdbatch01", "nim01"),
    ] {
        assert_eq!(
            nim_object(&after, "nim02", client)
                .unwrap()
                .current_master
                .as_deref(),
            Some(master),
            "{client}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_ssh_nimadm_preflight_judges_output_and_bos_inst() {
    let mut estate = Estate::demo();
    let standby = estate.nim[0]
        .objects
        .iter_mut()
        .find(|o| o.name == "tstapp02")
        .unwrap();
    standby.bos_inst_dir = true;
    standby.multibos = Multibos::Mounted;
    standby.oslevel = Some("6100-09-12-1846".into());
    // Fast: the migration at the end takes two simulated hours.
    let lab = SshLab::start(estate, 3000.0).await;
    let snapshots = lab.refresh().await;
    let preflight = |client: &str| Request::NimadmPreflight {
        master: "nim01".into(),
        client: client.into(),
        choices: NimadmChoices::default(),
    };
    let error = plan_over_ssh(&lab, &snapshots, &preflight("tstapp02"))
        .await
        .unwrap_err();
    assert_eq!(
        error.reason,
        "/bos_inst on tstapp02 is not a leftover: /dev/bos_hd4 on /bos_inst, /dev/bos_hd2 on /bos_inst/usr, /dev/bos_hd9var on /bos_inst/var, /dev/bos_hd10opt on /bos_inst/opt is mounted there (a multibos standby in use)"
    );
    let error = plan_over_ssh(&lab, &snapshots, &preflight("prdbatch01"))
        .await
        .unwrap_err();
    assert!(
        error.reason.starts_with("nim01 cannot run commands on prdbatch01: c_rsh prdbatch01 hostname printed '' instead of 'prdbatch01' (and said: prdbatch01: timedout"),
        "{}",
        error.reason
    );
    let plan = plan_over_ssh(&lab, &snapshots, &preflight("prdapp02"))
        .await
        .unwrap();
    let done = run_over_ssh(&lab, &plan, "prdapp02", None).await;
    assert!(done.completed(), "{}", done.describe(&plan));
    let migration = Exec::exec(
        lab.transport.as_ref(),
        "nim01",
        "nimadm -j nimadmvg -c prdapp02 -s spot_7100-03-05 -l lpp_7100-03-05 -d hdisk1 -Y"
            .to_string(),
    )
    .await
    .unwrap();
    assert_eq!(migration.exit_status, Some(0), "{}", migration.stderr);
}

// ---------------------------------------------------------------------------------------
// The command line, over SSH to the in-process demo

fn powerdeck(args: &[&str]) -> std::process::Output {
    let home = Home::new("wizard-plan");
    home.powerdeck()
        .arg("--demo")
        .arg("plan")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn plan_subcommands_print_scripts_or_refuse_in_one_line() {
    let out = powerdeck(&[
        "wpar-move",
        "--wpar",
        "wpmig61",
        "--from",
        "aixprd02",
        "--to",
        "aixprd01",
    ]);
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(script.starts_with("#!/bin/sh\n# powerdeck plan: wpar-move\n"));
    assert!(script.contains("\nLC_ALL=C restwpar -f /export/wpars/wpmig61.savewpar -C\n"));
    assert!(script.contains("\nLC_ALL=C migwpar wpmig61\n"));

    let out = powerdeck(&["wpar-recover", "--host", "aixprd01", "--wpar", "wpbatch01"]);
    assert!(out.status.success());
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(script.contains("\nLC_ALL=C umount /wpars/wpbatch01/SW\n"));
    assert!(script.contains("\nLC_ALL=C fuser -cx /wpars/wpbatch01/SW\n"));
    assert!(!script.contains("umount -f"));

    let out = powerdeck(&[
        "nimadm-preflight",
        "--master",
        "nim01",
        "--client",
        "prdapp02",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("\nLC_ALL=C /usr/lpp/bos.sysmgt/nim/methods/c_rsh prdapp02 rm -r /bos_inst\n"));

    let out = powerdeck(&["firmware", "--system", "e980-01", "--disruptive"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let reason: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("powerdeck: cannot plan"))
        .collect();
    assert_eq!(reason.len(), 1, "{stderr}");
    assert!(reason[0].contains("--disruptive-evacuate-to"));
    assert!(out.stdout.is_empty());
}
