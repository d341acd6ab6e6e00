//! Wizards II over real SSH against the simulated demo estate: a concurrent firmware
//! update, a WPAR moved from the AIX 6.1 global to the 7.1 one, the stuck WPAR
//! recovered, the stuck NIM client reset and the alternate NIM master synchronised —
//! each verified by reading the hosts again.

mod common;

use std::time::Duration;

use common::sim::SshLab;
use powerdeck::estate::{Cstate, WparState};
use powerdeck::refresh::{SourceData, SourceSnapshot};
use powerdeck::sim::Estate;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    self, wpar_move, wpar_recovery, Disruptive, EstateView, Executor, FirmwareChoices, Journal,
    NimSyncChoices, Plan, WparMoveChoices, WparRecoveryChoices,
};
use tokio::sync::mpsc;

/// Runs a plan to its end with the right confirmation; the journal is checked too.
async fn run(lab: &SshLab, plan: &Plan, confirmation: &str) {
    let path = lab.sim.dir.join(format!("{}.jsonl", plan.wizard));
    let mut executor = Executor::new(
        lab.transport.clone(),
        Some(Journal::open(&path).unwrap()),
        false,
    );
    executor.poll_interval = Duration::from_millis(50);
    let (tx, mut rx) = mpsc::channel(4096);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let summary = executor
        .execute(plan, 0, confirmation, Vec::new(), tx)
        .await;
    drain.await.unwrap();
    assert!(summary.completed(), "{}", summary.describe(plan));
    let records = Journal::read(&path).unwrap();
    assert_eq!(
        records.iter().filter(|r| r.event == "step").count(),
        plan.steps.len()
    );
    assert_eq!(
        records.last().unwrap().outcome.as_deref(),
        Some("completed")
    );
}

fn wpar_state(snapshots: &[SourceSnapshot], host: &str, wpar: &str) -> Option<WparState> {
    snapshots
        .iter()
        .find(|s| s.name == host)
        .and_then(|s| match &s.data {
            SourceData::Aix(wpars) => wpars
                .iter()
                .find(|w| w.name == wpar)
                .map(|w| w.state.clone()),
            _ => None,
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_firmware_update() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let before = lab.refresh().await;
    let request = Request::Firmware {
        system: "e980-01".into(),
        choices: FirmwareChoices::default(),
    };
    let plan = catalogue::plan(lab.transport.as_ref(), EstateView::new(&before), &request)
        .await
        .unwrap();
    run(&lab, &plan, "e980-01").await;
    let after = lab.refresh().await;
    let system = after
        .iter()
        .find_map(|s| match &s.data {
            SourceData::Hmc(systems) => systems.iter().find(|d| d.system.name == "e980-01"),
            _ => None,
        })
        .unwrap();
    let levels = system.system.firmware.clone().unwrap();
    assert_eq!(levels.activated_level, Some(131));
    assert_eq!(
        levels.accepted_level,
        Some(105),
        "accepting is a plan of its own"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disruptive_firmware_update_with_evacuation() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let before = lab.refresh().await;
    // prdbkp01 owns physical I/O and tstapp03 has no RMC: they cannot move, so they are
    // shut down; every other running partition moves to e1080-01 first.
    let stay = ["tstapp03", "prdbkp01"];
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: "e1080-01".into(),
            shutdown: stay.iter().map(|s| s.to_string()).collect(),
        }),
        ..Default::default()
    };
    let request = Request::Firmware {
        system: "e980-01".into(),
        choices,
    };
    let plan = catalogue::plan(lab.transport.as_ref(), EstateView::new(&before), &request)
        .await
        .unwrap();
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line().contains("migrlpar -o m -m e980-01 -t e1080-01")));
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line().contains("--allowpoweroff")));
    run(&lab, &plan, "e980-01").await;
    let after = lab.refresh().await;
    let system = |name: &str| {
        after
            .iter()
            .find_map(|s| match &s.data {
                SourceData::Hmc(systems) => systems.iter().find(|d| d.system.name == name),
                _ => None,
            })
            .unwrap()
    };
    let updated = system("e980-01");
    assert_eq!(
        updated.system.firmware.as_ref().unwrap().activated_level,
        Some(145)
    );
    let target = system("e1080-01");
    for moved in ["prddb01", "prdapp04", "prdweb01"] {
        assert!(
            target
                .lpars
                .iter()
                .any(|l| l.name == moved && l.state == powerdeck::estate::LparState::Running),
            "{moved} runs on e1080-01"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wpar_moves_between_the_two_globals() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let before = lab.refresh().await;
    let facts = wpar_move::read_facts(
        lab.transport.as_ref(),
        "wpmig61",
        "aixprd02",
        "aixprd01",
        wpar_move::DEFAULT_SHARED_DIR,
    )
    .await
    .unwrap();
    let plan = wizard::wpar_move(
        EstateView::new(&before),
        "wpmig61",
        "aixprd02",
        "aixprd01",
        &WparMoveChoices::default(),
        &facts,
    )
    .unwrap();
    assert!(plan.steps.iter().any(|s| s.host == "aixprd02"));
    assert!(plan.steps.iter().any(|s| s.host == "aixprd01"));
    run(&lab, &plan, "wpmig61").await;
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpmig61"),
        Some(WparState::Active)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_wpar_and_stuck_nim_client_are_recovered() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let before = lab.refresh().await;
    assert_eq!(
        wpar_state(&before, "aixprd01", "wpbatch01"),
        Some(WparState::Transitional)
    );
    let view = EstateView::new(&before);
    let directory = wpar_recovery::wpar_directory(view, "aixprd01", "wpbatch01").unwrap();
    let facts =
        wpar_recovery::read_facts(lab.transport.as_ref(), "aixprd01", "wpbatch01", &directory)
            .await
            .unwrap();
    assert_eq!(facts.leftover(), ["/wpars/wpbatch01/SW"]);
    let plan = wizard::wpar_recover(
        view,
        "aixprd01",
        "wpbatch01",
        &WparRecoveryChoices::default(),
        &facts,
    )
    .unwrap();
    run(&lab, &plan, "wpbatch01").await;

    let reset = Request::NimReset {
        master: "nim01".into(),
        client: "tstdb02".into(),
    };
    let plan = catalogue::plan(lab.transport.as_ref(), view, &reset)
        .await
        .unwrap();
    run(&lab, &plan, "tstdb02").await;

    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpbatch01"),
        Some(WparState::Defined)
    );
    let client = after
        .iter()
        .find_map(|s| match &s.data {
            SourceData::Nim(objects) if s.name == "nim01" => {
                objects.iter().find(|o| o.name == "tstdb02")
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(client.cstate, Some(Cstate::Ready));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alternate_nim_master_is_synchronised() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let before = lab.refresh().await;
    let sync = Request::NimSync {
        master: "nim01".into(),
        choices: NimSyncChoices::default(),
    };
    let plan = catalogue::plan(lab.transport.as_ref(), EstateView::new(&before), &sync)
        .await
        .unwrap();
    run(&lab, &plan, "nim01").await;
    let after = lab.refresh().await;
    let on_alternate = |name: &str| {
        after.iter().find_map(|s| match &s.data {
            SourceData::Nim(objects) if s.name == "nim02" => {
                objects.iter().find(|o| o.name == name).cloned()
            }
            _ => None,
        })
    };
    assert_eq!(
        on_alternate("nim01").unwrap().object_type,
        "alternate_master"
    );
    assert!(
        on_alternate("tstdb02").is_some(),
        "clients copied to the alternate"
    );
}
