//! The firmware and cleanup wizards end to end over real SSH against the simulated demo
//! estate: a disruptive update that takes the partitions down through their OS, VIOS
//! last, and brings the VIOS back first; an OS that hangs in its shutdown, escalated only
//! by the operator's recovery plan; the update access key and the HMC level refused by
//! the plan and by the simulator; the failed system brought back from Power Off and
//! cleaned up; a failed cleanup finished with `--force` as its own recovery.

mod common;

use std::time::Duration;

use common::sim::SshLab;
use powerdeck::estate::{LparState, SystemState};
use powerdeck::exec::Exec;
use powerdeck::refresh::{SourceData, SourceSnapshot, SystemData};
use powerdeck::sim::Estate;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    cleanup, CleanupChoices, Disruptive, EstateView, Executor, FirmwareChoices, FirmwareRepo,
    Journal, OnFailure, Plan, PlanError, PlanErrorKind, RemoteRestartChoices, RunSummary, StepKind,
    StepOutcome,
};
use tokio::sync::mpsc;

/// Runs `plan` (or a recovery plan) with the right confirmation.
async fn run(lab: &SshLab, plan: &Plan, journal: &str) -> RunSummary {
    let path = lab.sim.dir.join(format!("{journal}.jsonl"));
    let mut executor = Executor::new(
        lab.transport.clone(),
        Some(Journal::open(&path).unwrap()),
        false,
    );
    executor.poll_interval = Duration::from_millis(50);
    let (tx, mut rx) = mpsc::channel(4096);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let summary = executor
        .execute(plan, 0, &plan.confirm_name, Vec::new(), tx)
        .await;
    drain.await.unwrap();
    summary
}

/// The recovery branch of a halted run as the console offers it: a plan of its own.
fn recovery_plan(plan: &Plan, summary: &RunSummary) -> Plan {
    Plan {
        wizard: plan.wizard,
        title: format!("Recovery: {}", plan.title),
        confirm_name: plan.confirm_name.clone(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: Vec::new(),
    }
}

async fn plan(lab: &SshLab, request: Request) -> Result<Plan, PlanError> {
    let snapshots = lab.refresh().await;
    catalogue::plan(
        lab.transport.as_ref(),
        EstateView::new(&snapshots),
        &request,
    )
    .await
}

fn firmware(system: &str, choices: FirmwareChoices) -> Request {
    Request::Firmware {
        system: system.into(),
        choices,
    }
}

fn system<'a>(snapshots: &'a [SourceSnapshot], name: &str) -> &'a SystemData {
    snapshots
        .iter()
        .find_map(|s| match &s.data {
            SourceData::Hmc(systems) => systems.iter().find(|d| d.system.name == name),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no system {name}"))
}

fn position(plan: &Plan, line: &str) -> usize {
    plan.steps
        .iter()
        .position(|s| s.line() == line)
        .unwrap_or_else(|| panic!("no step {line}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disruptive_update_takes_the_vios_down_last_and_brings_them_back_first() {
    let lab = SshLab::start(Estate::demo(), 400.0).await;
    let before = lab.refresh().await;
    let was = system(&before, "e980-01");
    let running: Vec<String> = was
        .lpars
        .iter()
        .filter(|l| l.state == LparState::Running)
        .map(|l| l.name.clone())
        .collect();
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Shutdown),
        ..Default::default()
    };
    let planned = plan(&lab, firmware("e980-01", choices)).await.unwrap();
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.contains("update access key of e980-01 expires in 17 days")),
        "{:?}",
        planned.notes
    );
    let lines: Vec<String> = planned.steps.iter().map(|s| s.line()).collect();
    assert!(!lines.iter().any(|l| l.contains("--immed")));
    // tstapp03 has no RMC: a delayed shutdown; the others through their OS.
    let delayed = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o shutdown -n tstapp03",
    );
    let last_client_down = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o osshutdown -n prdweb01",
    );
    let first_vios_down = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o osshutdown -n e980-01-vios1",
    );
    let updlic = position(
        &planned,
        "LANG=C updlic -o a -m e980-01 -t sys -r ibmwebsite -l latest --allowpoweroff",
    );
    let first_vios_up = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o on -n e980-01-vios1 -f default_profile",
    );
    let first_client_up = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o on -n aixnim01 -f default_profile",
    );
    assert!(delayed < first_vios_down && last_client_down < first_vios_down);
    assert!(first_vios_down < updlic && updlic < first_vios_up);
    assert!(first_vios_up < first_client_up);

    let summary = run(&lab, &planned, "fw-shutdown").await;
    assert!(summary.completed(), "{}", summary.describe(&planned));
    let after = lab.refresh().await;
    let now = system(&after, "e980-01");
    assert_eq!(now.system.state, SystemState::Operating);
    let levels = now.system.firmware.clone().unwrap();
    assert_eq!(levels.activated_level, Some(145));
    assert_eq!(
        levels.accepted_level,
        Some(105),
        "the install copied the level that ran before to the permanent side"
    );
    for name in &running {
        let lpar = now.lpars.iter().find(|l| &l.name == name).unwrap();
        assert_eq!(lpar.state, LparState::Running, "{name} runs again");
    }
    for vios in ["e980-01-vios1", "e980-01-vios2"] {
        let lpar = now.lpars.iter().find(|l| l.name == vios).unwrap();
        assert_eq!(
            lpar.attribute("auto_start"),
            Some("1"),
            "{vios} auto_start is back"
        );
    }
    // The journal shows the order the steps really ran in.
    let records = Journal::read(&lab.sim.dir.join("fw-shutdown.jsonl")).unwrap();
    let ran: Vec<String> = records
        .iter()
        .filter(|r| r.event == "step")
        .filter_map(|r| r.command.clone())
        .collect();
    let at = |text: &str| ran.iter().position(|c| c.contains(text)).unwrap();
    assert!(at("-o on -n e980-01-vios2") < at("-o on -n aixnim01"));
    assert!(at("-o osshutdown -n devapp03") < at("-o osshutdown -n e980-01-vios1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_os_that_hangs_is_escalated_only_by_the_operators_recovery_plan() {
    let mut estate = Estate::demo();
    estate
        .hmc
        .iter_mut()
        .flat_map(|hmc| hmc.systems.iter_mut())
        .flat_map(|system| system.lpars.iter_mut())
        .find(|lpar| lpar.name == "devapp03")
        .unwrap()
        .hang_os_shutdown = true;
    let lab = SshLab::start(estate, 400.0).await;
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Shutdown),
        ..Default::default()
    };
    let mut planned = plan(&lab, firmware("e980-01", choices)).await.unwrap();
    let os = position(
        &planned,
        "LANG=C chsysstate -r lpar -m e980-01 -o osshutdown -n devapp03",
    );
    let wait = os + 1;
    assert_eq!(planned.steps[wait].kind, StepKind::Wait);
    // Thirty minutes is the real patience; the test waits two seconds.
    planned.steps[wait].timeout = Some(Duration::from_secs(2));
    let summary = run(&lab, &planned, "fw-hang").await;
    assert_eq!(
        summary.halted_at,
        Some(wait),
        "{}",
        summary.describe(&planned)
    );
    assert!(matches!(
        summary.ran.iter().find(|(i, _)| *i == wait).unwrap().1,
        StepOutcome::ConditionNotMet(_)
    ));
    let offered: Vec<String> = summary.recovery.iter().map(|s| s.line()).collect();
    assert_eq!(
        offered,
        [
            "LANG=C chsysstate -r lpar -m e980-01 -o shutdown -n devapp03",
            "LANG=C lssyscfg -r lpar -m e980-01 --filter lpar_names=devapp03 -F name,state",
        ]
    );
    // The delayed shutdown's own recovery would be the immediate one; it is not needed.
    let OnFailure::Recover(last_resort) = &summary.recovery[1].on_failure else {
        panic!("the delayed shutdown offers no last resort");
    };
    assert!(last_resort[0].line().ends_with("--immed"));
    let snapshots = lab.refresh().await;
    let hung = system(&snapshots, "e980-01")
        .lpars
        .iter()
        .find(|l| l.name == "devapp03")
        .unwrap();
    assert_eq!(hung.state, LparState::Running, "its OS hangs");
    assert!(
        !summary.ran.iter().any(|(i, _)| *i > wait),
        "nothing after the hung shutdown ran"
    );

    let recovery = recovery_plan(&planned, &summary);
    let summary = run(&lab, &recovery, "fw-hang-recovery").await;
    assert!(summary.completed(), "{}", summary.describe(&recovery));
    let snapshots = lab.refresh().await;
    let stopped = system(&snapshots, "e980-01")
        .lpars
        .iter()
        .find(|l| l.name == "devapp03")
        .unwrap();
    assert_eq!(stopped.state, LparState::NotActivated);
    let records = Journal::read(&lab.sim.dir.join("fw-hang-recovery.jsonl")).unwrap();
    assert!(!records
        .iter()
        .filter_map(|r| r.command.as_deref())
        .any(|c| c.contains("--immed")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_update_access_key_and_the_hmc_level_are_refused_by_the_plan_and_the_hmc() {
    let lab = SshLab::start(Estate::demo(), 400.0).await;
    let error = plan(&lab, firmware("s924-01", FirmwareChoices::default()))
        .await
        .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.contains("expired on 03/31/2025"),
        "{}",
        error.reason
    );
    let refusal = |output: powerdeck::exec::CommandOutput| {
        assert_eq!(output.exit_status, Some(1), "{}", output.stdout);
        output.stdout
    };
    let hmc01 = lab.transport.as_ref();
    let text = refusal(
        Exec::exec(
            hmc01,
            "hmc01",
            "updlic -o a -m s924-01 -t sys -r ibmwebsite -l latestconcurrent".into(),
        )
        .await
        .unwrap(),
    );
    assert!(text.starts_with("HSCL2D0C "), "{text}");

    // The new release in VH960 needs an HMC at V10R3M1060; hmc02 runs V10R2M1050.
    let upgrade = |min_hmc: Option<&str>| FirmwareChoices {
        repository: FirmwareRepo::parse("mountpoint:/home/hscroot/fw/VH960").unwrap(),
        disruptive: Some(Disruptive::Shutdown),
        upgrade: true,
        min_hmc: min_hmc.map(str::to_string),
        ..Default::default()
    };
    let error = plan(&lab, firmware("e980-01", upgrade(Some("V10R3M1060"))))
        .await
        .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("hmc02 runs V10R2M1050, below V10R3M1060"),
        "{}",
        error.reason
    );
    // Without the readme's minimum the plan is built, saying what to compare; the HMC
    // itself refuses the upgrade.
    let planned = plan(&lab, firmware("e980-01", upgrade(None)))
        .await
        .unwrap();
    assert!(planned
        .steps
        .iter()
        .any(|s| s.line().starts_with("LANG=C updlic -o u -m e980-01")));
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("hmc02 runs V10R2M1050")));
    let text = refusal(
        Exec::exec(
            hmc01,
            "hmc02",
            "updlic -o u -m e980-01 -t sys -r mountpoint -d /home/hscroot/fw/VH960 -l latest --allowpoweroff".into(),
        )
        .await
        .unwrap(),
    );
    assert!(text.starts_with("HSCL2D0D "), "{text}");
}

/// Restarts the remote-restartable partitions of s824-01 (or only `lpars`) on s924-01.
async fn restart_s824(lab: &SshLab, lpars: &[&str]) {
    let request = Request::RemoteRestart {
        from: "s824-01".into(),
        to: "s924-01".into(),
        choices: RemoteRestartChoices {
            lpars: lpars.iter().map(|l| l.to_string()).collect(),
            parallelism: 2,
            ..Default::default()
        },
    };
    let planned = plan(lab, request).await.unwrap();
    let summary = run(lab, &planned, "rr").await;
    assert!(summary.completed(), "{}", summary.describe(&planned));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_failed_system_back_from_power_off_is_cleaned_up_with_its_vios_first() {
    let lab = SshLab::start(Estate::demo(), 400.0).await;
    restart_s824(&lab, &[]).await;
    let snapshots = lab.refresh().await;
    let error = cleanup(
        EstateView::new(&snapshots),
        "s824-01",
        CleanupChoices::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);

    // The repair is done: the system is off. The demo's way to say so.
    let reply = lab
        .sim
        .simulator
        .exec_local("hmc01", "simctl state hmc01 s824-01 Power Off");
    assert_eq!(reply.exit_status, 0);
    let snapshots = lab.refresh().await;
    let planned = cleanup(
        EstateView::new(&snapshots),
        "s824-01",
        CleanupChoices::default(),
    )
    .unwrap();
    let lines: Vec<String> = planned.steps.iter().map(|s| s.line()).collect();
    assert_eq!(lines[1], "LANG=C chsysstate -r sys -m s824-01 -o onstandby");
    assert!(!lines.iter().any(|l| l.contains("--retaindev")));
    let vios_up = position(
        &planned,
        "LANG=C chsysstate -r lpar -m s824-01 -o on -n s824-01-vios2 -f default_profile",
    );
    let first_cleanup = lines
        .iter()
        .position(|l| l.contains("rrstartlpar -o cleanup"))
        .unwrap();
    assert!(vios_up < first_cleanup);
    assert!(planned.notes.iter().any(|n| n
        .starts_with("never start prddb02, prdapp03, prdweb02, devapp02 on s824-01")
        || n.starts_with("never start prdapp03, prddb02, prdweb02, devapp02 on s824-01")));
    let summary = run(&lab, &planned, "cleanup").await;
    assert!(summary.completed(), "{}", summary.describe(&planned));

    let after = lab.refresh().await;
    let source = system(&after, "s824-01");
    assert_eq!(source.system.state, SystemState::Operating);
    for vios in ["s824-01-vios1", "s824-01-vios2"] {
        let lpar = source.lpars.iter().find(|l| l.name == vios).unwrap();
        assert_eq!(lpar.state, LparState::Running);
    }
    let target = system(&after, "s924-01");
    for lpar in ["prdapp03", "prddb02", "prdweb02", "devapp02"] {
        assert!(
            !source.lpars.iter().any(|l| l.name == lpar),
            "{lpar} cleaned"
        );
        assert!(target
            .lpars
            .iter()
            .any(|l| l.name == lpar && l.state == LparState::Running));
    }
    // tstdb01 was never restarted: it stays, down.
    let kept = source.lpars.iter().find(|l| l.name == "tstdb01").unwrap();
    assert_eq!(kept.state, LparState::NotActivated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_cleanup_is_finished_with_force_as_its_own_confirmed_step() {
    let mut estate = Estate::demo();
    estate
        .hmc
        .iter_mut()
        .flat_map(|hmc| hmc.systems.iter_mut())
        .flat_map(|system| system.lpars.iter_mut())
        .find(|lpar| lpar.name == "prdweb02")
        .unwrap()
        .fail_cleanup = true;
    let lab = SshLab::start(estate, 400.0).await;
    restart_s824(&lab, &["prdweb02"]).await;
    let reply = lab
        .sim
        .simulator
        .exec_local("hmc01", "simctl state hmc01 s824-01 Standby");
    assert_eq!(reply.exit_status, 0);
    let snapshots = lab.refresh().await;
    let planned = cleanup(
        EstateView::new(&snapshots),
        "s824-01",
        CleanupChoices::default(),
    )
    .unwrap();
    let step = position(
        &planned,
        "LANG=C rrstartlpar -o cleanup -m s824-01 -p prdweb02",
    );
    let summary = run(&lab, &planned, "cleanup-fails").await;
    assert_eq!(
        summary.halted_at,
        Some(step),
        "{}",
        summary.describe(&planned)
    );
    assert!(
        matches!(&summary.ran.iter().find(|(i, _)| *i == step).unwrap().1,
            StepOutcome::Failed(why) if why.contains("HSCLA9EB")),
        "{:?}",
        summary.ran
    );
    let offered: Vec<String> = summary.recovery.iter().map(|s| s.line()).collect();
    assert_eq!(
        offered,
        [
            "LANG=C lssyscfg -r lpar -m s924-01 --filter lpar_names=prdweb02 -F name,state",
            "LANG=C rrstartlpar -o cleanup -m s824-01 -p prdweb02 --force",
            "LANG=C lssyscfg -r lpar -m s824-01 --filter lpar_names=prdweb02 -F name,state",
        ]
    );

    // Planned afresh, the forced cleanup waits for its own attestation.
    let snapshots = lab.refresh().await;
    let forced = cleanup(
        EstateView::new(&snapshots),
        "s824-01",
        CleanupChoices::default(),
    )
    .unwrap();
    assert!(forced
        .steps
        .iter()
        .any(|s| s.line() == "LANG=C rrstartlpar -o cleanup -m s824-01 -p prdweb02 --force"));
    let attestation = forced.attestation.clone().unwrap();
    let refused = run(&lab, &forced, "cleanup-forced-unattested").await;
    assert!(
        matches!(&refused.ran[0].1, StepOutcome::Refused(why) if why.contains(&attestation.phrase)),
        "{:?}",
        refused.ran
    );

    // The recovery plan, confirmed on its own, finishes the job.
    let recovery = recovery_plan(&planned, &summary);
    let summary = run(&lab, &recovery, "cleanup-recovery").await;
    assert!(summary.completed(), "{}", summary.describe(&recovery));
    let after = lab.refresh().await;
    assert!(!system(&after, "s824-01")
        .lpars
        .iter()
        .any(|l| l.name == "prdweb02"));
}
