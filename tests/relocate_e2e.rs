//! Relocation over SSH against the simulated HMC (docs/procedures.md, "Relocation"):
//! the plan reads the moves under way and the room on the target before it is built and
//! refuses what the HMC would refuse, the move is followed with `lslparmigr`, and after a
//! failure or a dropped connection the ways out offered depend on what `lslparmigr` says
//! when it is read again. Also the refresh of failed systems: what they still answer
//! is read and kept.

mod common;

use std::time::Duration;

use common::sim::SshLab;
use powerdeck::estate::{LparState, MigrationState, SystemState};
use powerdeck::exec::Exec;
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sim::estate::FaultAction;
use powerdeck::sim::Estate;
use powerdeck::ssh::SshTransport;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    Branch, EstateView, ExecEvent, Executor, Journal, Plan, PlanError, PlanErrorKind, RunSummary,
    StepOutcome,
};
use tokio::sync::mpsc;

const ESTATE: &str = r#"
[[hmc]]
name = "hmc"

[[hmc.systems]]
name = "p10"
type_model = "9080-HEX"
serial_num = "1000001"
generation = "POWER10"
memory_mb = 1048576
proc_units = 64.0
max_migrations = 1
firmware = { ecnumber = "01MH1050", activated_level = 20, installed_level = 20, accepted_level = 20 }
lpars = [
  { name = "p10-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.1.1", memory_mb = 4096, proc_units = 1.0, msp = true },
  { name = "mode9", id = 2, rmc_ipaddr = "10.0.1.2", memory_mb = 8192, proc_units = 0.5, compat_mode = "POWER9" },
  { name = "mode9b", id = 3, rmc_ipaddr = "10.0.1.3", memory_mb = 8192, proc_units = 0.5, compat_mode = "POWER9" },
  { name = "native", id = 4, rmc_ipaddr = "10.0.1.4", memory_mb = 8192, proc_units = 0.5 },
  { name = "big9", id = 5, rmc_ipaddr = "10.0.1.5", memory_mb = 65536, proc_units = 0.5, compat_mode = "POWER9" },
  { name = "slow9", id = 6, rmc_ipaddr = "10.0.1.6", memory_mb = 40960, proc_units = 0.5, compat_mode = "POWER9" },
  { name = "flaky9", id = 7, rmc_ipaddr = "10.0.1.7", memory_mb = 8192, proc_units = 0.5, compat_mode = "POWER9", fail_migration = true },
  { name = "flaky40", id = 8, rmc_ipaddr = "10.0.1.8", memory_mb = 40960, proc_units = 0.5, compat_mode = "POWER9", fail_migration = true },
]

[[hmc.systems]]
name = "p9"
type_model = "9009-42A"
serial_num = "2000002"
generation = "POWER9"
memory_mb = 65536
proc_units = 8.0
firmware = { ecnumber = "01VL950", activated_level = 161, installed_level = 161, accepted_level = 161 }
lpars = [
  { name = "p9-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.2.1", memory_mb = 4096, proc_units = 1.0, msp = true },
]

[[hmc.systems]]
name = "crashed"
type_model = "9009-42A"
serial_num = "3000003"
state = "Error"
generation = "POWER9"
memory_mb = 65536
proc_units = 8.0
firmware = { ecnumber = "01VL950", activated_level = 131, installed_level = 131, accepted_level = 131 }
lpars = [
  { name = "lost1", id = 2, state = "Not Available", memory_mb = 8192, proc_units = 0.5, srr = true },
]

[[hmc.systems]]
name = "dumping"
type_model = "9009-42A"
serial_num = "4000004"
state = "Error - Dump in progress"
generation = "POWER9"
memory_mb = 65536
proc_units = 8.0
firmware = { ecnumber = "01VL950", activated_level = 145, installed_level = 145, accepted_level = 140 }

[[hmc.systems]]
name = "cold"
type_model = "9009-42A"
serial_num = "5000005"
state = "Power Off"
generation = "POWER9"
memory_mb = 65536
proc_units = 8.0
firmware = { ecnumber = "01VL950", activated_level = 150, installed_level = 150, accepted_level = 150 }

[[hmc.systems]]
name = "unreachable"
type_model = "9009-42A"
serial_num = "6000006"
state = "No Connection"
generation = "POWER9"
memory_mb = 65536
proc_units = 8.0
firmware = { ecnumber = "01VL950", activated_level = 150, installed_level = 150, accepted_level = 150 }
"#;

async fn lab(speed: f64) -> SshLab {
    SshLab::start(
        Estate::from_toml(ESTATE, "relocation estate").unwrap(),
        speed,
    )
    .await
}

fn executor(lab: &SshLab) -> Executor<SshTransport> {
    let journal = Journal::open(&lab.sim.dir.join("journal.jsonl")).unwrap();
    let mut executor = Executor::new(lab.transport.clone(), Some(journal), false);
    executor.poll_interval = Duration::from_millis(50);
    executor
}

async fn plan(lab: &SshLab, snapshots: &[SourceSnapshot], lpar: &str) -> Result<Plan, PlanError> {
    let request = Request::Relocate {
        lpar: lpar.to_string(),
        to: "p9".to_string(),
    };
    catalogue::plan(lab.transport.as_ref(), EstateView::new(snapshots), &request).await
}

/// Runs `plan` confirmed; returns the summary and what the run's waits and follows saw.
async fn run(lab: &SshLab, plan: &Plan) -> (RunSummary, Vec<(usize, String)>) {
    let (tx, mut rx) = mpsc::channel(4096);
    let seen = tokio::spawn(async move {
        let mut polled = Vec::new();
        while let Some(event) = rx.recv().await {
            if let ExecEvent::Polled { step, observed } = event {
                polled.push((step, observed));
            }
        }
        polled
    });
    let summary = executor(lab)
        .execute(plan, 0, &plan.confirm_name, Vec::new(), tx)
        .await;
    (summary, seen.await.unwrap())
}

fn systems(snapshots: &[SourceSnapshot]) -> Vec<&SystemData> {
    snapshots
        .iter()
        .filter_map(|s| match &s.data {
            SourceData::Hmc(systems) => Some(systems),
            _ => None,
        })
        .flatten()
        .collect()
}

fn system<'a>(snapshots: &'a [SourceSnapshot], name: &str) -> &'a SystemData {
    systems(snapshots)
        .into_iter()
        .find(|s| s.system.name == name)
        .unwrap_or_else(|| panic!("no system {name}"))
}

/// (system, state) of every copy of `lpar`.
fn whereabouts(snapshots: &[SourceSnapshot], lpar: &str) -> Vec<(String, LparState)> {
    systems(snapshots)
        .into_iter()
        .flat_map(|s| {
            s.lpars
                .iter()
                .filter(|l| l.name == lpar)
                .map(|l| (s.system.name.clone(), l.state.clone()))
        })
        .collect()
}

fn step_of(plan: &Plan, text: &str) -> usize {
    plan.steps
        .iter()
        .position(|s| s.line().contains(text))
        .unwrap_or_else(|| panic!("no step runs {text}"))
}

/// A way out of a halted run as the console would run it.
fn offer_plan(plan: &Plan, branch: &Branch) -> Plan {
    Plan {
        title: branch.label.clone(),
        steps: branch.steps.clone(),
        notes: Vec::new(),
        ..plan.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_is_read_before_it_is_planned_and_followed_while_it_runs() {
    let lab = lab(20.0).await;
    let before = lab.refresh().await;
    let plan = plan(&lab, &before, "mode9").await.unwrap();
    for note in [
        "active moves now: p10 runs 0 of 1; p9 runs 0 of 16",
        "capacity: mode9 holds 8192 MB and 0.50 processing units now; p9 has 61440 MB and 7.00 free",
        "firmware: p10 01MH1050 level 20, p9 01VL950 level 161; the HMC's validation (before the move) checks that they can move partitions between them",
    ] {
        assert!(plan.notes.iter().any(|n| n == note), "{note}: {:?}", plan.notes);
    }
    let migrate = step_of(&plan, "migrlpar -o m");
    let (summary, polled) = run(&lab, &plan).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    // The migrate step reported the bytes moved while it ran.
    assert!(
        polled
            .iter()
            .any(|(step, seen)| *step == migrate && seen.contains("GB sent (")),
        "{polled:?}"
    );
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "mode9"),
        [("p9".to_string(), LparState::Running)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_before_validating_as_the_hmc_would_refuse() {
    // Validations take 8 simulated seconds, the move below 60: at ten times the speed
    // the move is still running while the next one is planned.
    let lab = lab(10.0).await;
    let before = lab.refresh().await;
    let kind_and_reason = |result: Result<Plan, PlanError>| {
        let error = result.expect_err("refused");
        (error.kind, error.reason)
    };
    // Processor mode: POWER10 mode cannot land on a POWER9, and the HMC agrees.
    let (kind, reason) = kind_and_reason(plan(&lab, &before, "native").await);
    assert_eq!(kind, PlanErrorKind::Refused);
    assert!(
        reason.contains("native runs in POWER10 mode, which p9 does not support"),
        "{reason}"
    );
    let hmc = |line: &str| {
        let transport = lab.transport.clone();
        let line = line.to_string();
        async move { transport.exec("hmc", line).await.unwrap() }
    };
    let out = hmc("migrlpar -o v -m p10 -t p9 -p native").await;
    assert!(out.stdout.starts_with("HSCLA613 "), "{}", out.stdout);
    // Room: 64 GB does not fit in what p9 has free, and the HMC agrees.
    let (kind, reason) = kind_and_reason(plan(&lab, &before, "big9").await);
    assert_eq!(kind, PlanErrorKind::Refused);
    assert!(reason.ends_with("not enough memory on p9"), "{reason}");
    let out = hmc("migrlpar -o v -m p10 -t p9 -p big9").await;
    assert!(out.stdout.starts_with("HSCLA60A "), "{}", out.stdout);
    // Moves at once: p10 supports one; with one under way, the next is refused by the
    // plan (read just before) and by the HMC.
    let mover = tokio::spawn(hmc("migrlpar -o m -m p10 -t p9 -p slow9"));
    let mut running = String::new();
    for _ in 0..100 {
        running = hmc("lslparmigr -r sys -m p10 -F num_active_migrations_in_progress")
            .await
            .stdout;
        if running == "1\n" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(running, "1\n");
    let (kind, reason) = kind_and_reason(plan(&lab, &before, "mode9b").await);
    assert_eq!(kind, PlanErrorKind::Refused);
    assert_eq!(
        reason,
        "p10 already runs 1 active migration(s), as many as it supports at once (1): wait until one ends"
    );
    let out = hmc("migrlpar -o v -m p10 -t p9 -p mode9b").await;
    assert!(out.stdout.starts_with("HSCLA617 "), "{}", out.stdout);
    mover.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_move_offers_recovery_only_then_recovers() {
    let lab = lab(20.0).await;
    let before = lab.refresh().await;
    let plan = plan(&lab, &before, "flaky9").await.unwrap();
    let migrate = step_of(&plan, "migrlpar -o m");
    let (summary, _) = run(&lab, &plan).await;
    assert_eq!(
        summary.halted_at,
        Some(migrate),
        "{}",
        summary.describe(&plan)
    );
    assert!(matches!(
        summary.ran.iter().find(|(i, _)| *i == migrate).map(|(_, o)| o),
        Some(StepOutcome::Failed(why)) if why.contains("HSCLA610")
    ));
    // lslparmigr was read again first, and says the move failed.
    let (first, text) = &summary.reread[0];
    assert!(first.contains("lslparmigr -r lpar -m p10"), "{first}");
    assert!(text.contains("flaky9,Migration Failed,"), "{text}");
    let labels: Vec<&str> = summary.offers.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        ["recover flaky9 (migrlpar -o r): its move stopped or failed"]
    );
    let recovery = offer_plan(&plan, &summary.offers[0]);
    let (recovered, _) = run(&lab, &recovery).await;
    assert!(recovered.completed(), "{}", recovered.describe(&recovery));
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "flaky9"),
        [("p10".to_string(), LparState::Running)]
    );
    let flaky = system(&after, "p10")
        .lpars
        .iter()
        .find(|l| l.name == "flaky9")
        .unwrap();
    assert_eq!(flaky.migration_state, Some(MigrationState::NotMigrating));
}

/// Drops every connection to the HMC shortly after the migrate step starts, then mends
/// it: the move goes on in the HMC meanwhile.
async fn dropped_mid_move(lab: &SshLab, plan: &Plan) -> RunSummary {
    let lpar = plan.confirm_name.clone();
    let migrate = step_of(plan, "migrlpar -o m");
    let (tx, mut rx) = mpsc::channel(4096);
    let world = lab.sim.simulator.world.clone();
    let breaker = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            if event == ExecEvent::StepStarted(migrate) {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let fault = |action| world.lock().unwrap().apply_fault("hmc", &action).unwrap();
                fault(FaultAction::Drop);
                tokio::time::sleep(Duration::from_millis(500)).await;
                fault(FaultAction::Recover);
            }
        }
    });
    let summary = executor(lab)
        .execute(plan, 0, &plan.confirm_name, Vec::new(), tx)
        .await;
    breaker.await.unwrap();
    assert_eq!(
        summary.halted_at,
        Some(migrate),
        "{}",
        summary.describe(plan)
    );
    assert!(matches!(
        summary
            .ran
            .iter()
            .find(|(i, _)| *i == migrate)
            .map(|(_, o)| o),
        Some(StepOutcome::Interrupted { sent: true, .. })
    ));
    let (first, text) = &summary.reread[0];
    assert!(first.contains("lslparmigr -r lpar -m p10"), "{first}");
    assert!(
        text.contains(&format!("{lpar},Migration In Progress,")),
        "{text}"
    );
    let labels: Vec<String> = summary.offers.iter().map(|b| b.label.clone()).collect();
    assert_eq!(
        labels,
        [
            format!("keep watching the move of {lpar}"),
            format!("stop the move of {lpar} (migrlpar -o s), then recover it (migrlpar -o r) once the HMC says it no longer runs"),
        ]
    );
    summary
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_move_that_then_fails_halts_at_once_and_offers_recovery() {
    let lab = lab(20.0).await;
    let before = lab.refresh().await;
    let plan = plan(&lab, &before, "flaky40").await.unwrap();
    let summary = dropped_mid_move(&lab, &plan).await;
    let watch = offer_plan(&plan, &summary.offers[0]);
    let started = std::time::Instant::now();
    let (watched, _) = run(&lab, &watch).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no long wait for an arrival that cannot come"
    );
    assert_eq!(watched.halted_at, Some(1), "{}", watched.describe(&watch));
    let labels: Vec<&str> = watched.offers.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        ["recover flaky40 (migrlpar -o r): its move stopped or failed"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_mid_move_offers_watching_then_it_arrives() {
    let lab = lab(20.0).await;
    let before = lab.refresh().await;
    let plan = plan(&lab, &before, "slow9").await.unwrap();
    let summary = dropped_mid_move(&lab, &plan).await;
    let watch = offer_plan(&plan, &summary.offers[0]);
    assert!(!watch.changes_anything(), "watching changes nothing");
    let (watched, polled) = run(&lab, &watch).await;
    assert!(watched.completed(), "{}", watched.describe(&watch));
    assert!(
        polled.iter().any(|(_, seen)| seen.contains("GB sent (")),
        "{polled:?}"
    );
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "slow9"),
        [("p9".to_string(), LparState::Running)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_mid_move_offers_stopping_then_recovers_once_it_stopped() {
    let lab = lab(20.0).await;
    let before = lab.refresh().await;
    let plan = plan(&lab, &before, "slow9").await.unwrap();
    let summary = dropped_mid_move(&lab, &plan).await;
    let stop = offer_plan(&plan, &summary.offers[1]);
    let lines: Vec<String> = stop.steps.iter().map(|s| s.line()).collect();
    let at = |text: &str| lines.iter().position(|l| l.contains(text)).unwrap();
    assert!(at("migrlpar -o s") < at("lslparmigr") && at("lslparmigr") < at("migrlpar -o r"));
    let (stopped, _) = run(&lab, &stop).await;
    assert!(stopped.completed(), "{}", stopped.describe(&stop));
    let after = lab.refresh().await;
    assert_eq!(
        whereabouts(&after, "slow9"),
        [("p10".to_string(), LparState::Running)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_systems_still_show_their_firmware_and_reference_code() {
    let lab = lab(1.0).await;
    let snapshots = lab.refresh().await;
    assert_eq!(
        snapshots[0].status,
        SourceStatus::Ok,
        "{:?}",
        snapshots[0].problems
    );
    let shown = |name: &str| {
        let data = system(&snapshots, name);
        (
            data.system
                .firmware
                .as_ref()
                .and_then(|f| f.activated_level),
            data.system
                .reference_code
                .as_ref()
                .map(|code| code.refcode.clone()),
        )
    };
    // A failed system still answers lslic and lsrefcode.
    assert_eq!(shown("crashed"), (Some(131), Some("B7005442".to_string())));
    assert_eq!(shown("dumping"), (Some(145), Some("B7005442".to_string())));
    // Powered off: the HMC does not know its hardware, but its code is read.
    assert_eq!(shown("cold"), (None, Some("00000000".to_string())));
    // No connection to its service processor: neither can be read.
    assert_eq!(shown("unreachable"), (None, None));
    // A running system shows its firmware; its reference code says nothing.
    assert_eq!(shown("p9"), (Some(161), None));
    assert_eq!(
        system(&snapshots, "crashed").system.state,
        SystemState::Error
    );
    let code = system(&snapshots, "crashed")
        .system
        .reference_code
        .clone()
        .unwrap();
    assert!(code.time_stamp.is_some());
}
