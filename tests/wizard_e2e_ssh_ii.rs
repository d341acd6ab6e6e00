//! Wizards II over real SSH against the simulated demo estate: a concurrent firmware
//! update, a WPAR moved from the AIX 6.1 global to the 7.1 one, the stuck WPAR
//! recovered, the stuck NIM client reset and the alternate NIM master synchronised —
//! each verified by reading the hosts again. Then the WPAR wizards on unsafe states:
//! refused with their reason, a failed restore cleaned up, the recovery ladder climbed
//! rung by rung.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::sim::SshLab;
use powerdeck::estate::{Cstate, WparState};
use powerdeck::exec::{CommandOutput, Exec, ExecError, OutputLine};
use powerdeck::refresh::{SourceData, SourceSnapshot};
use powerdeck::sim::estate::aix::SimHolder;
use powerdeck::sim::estate::{AixHost, SimWpar};
use powerdeck::sim::Estate;
use powerdeck::wizard::catalogue::{self, Request};
use powerdeck::wizard::{
    self, wpar_move, wpar_recovery, Disruptive, EstateView, Executor, FirmwareChoices, Journal,
    NimSyncChoices, Plan, PlanError, RunSummary, StepOutcome, WparMoveChoices, WparRecoveryChoices,
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

// ---------------------------------------------------------------------------------------
// WPAR move and recovery: what they check before changing anything, over SSH

/// Runs `plan` over `transport` with the confirmation (and the attestation, if given);
/// the summary, whatever happened.
async fn execute<R: Exec>(
    lab: &SshLab,
    transport: Arc<R>,
    plan: &Plan,
    confirmation: &str,
    attest: Option<&str>,
) -> RunSummary {
    let journal = Journal::open(&lab.sim.dir.join("wpar-safety.jsonl")).unwrap();
    let mut executor = Executor::new(transport, Some(journal), false);
    executor.poll_interval = Duration::from_millis(50);
    if let Some(phrase) = attest {
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

/// A plan read and built as `powerdeck plan` does it: facts over SSH, then the builder.
async fn planned(lab: &SshLab, request: &Request) -> Result<Plan, PlanError> {
    let snapshots = lab.refresh().await;
    catalogue::plan(lab.transport.as_ref(), EstateView::new(&snapshots), request).await
}

fn move_request(wpar: &str, from: &str, to: &str) -> Request {
    Request::WparMove {
        wpar: wpar.into(),
        from: from.into(),
        to: to.into(),
        choices: WparMoveChoices::default(),
    }
}

async fn ssh_ok(lab: &SshLab, host: &str, line: &str) -> String {
    let output = lab.sim.ssh(host, line).await;
    assert!(
        output.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The demo with a third global, aixprd03: AIX 7.1 with room and APAR IZ99829.
fn demo_with_a_second_71_global() -> Estate {
    let mut estate = Estate::demo();
    let mut third: AixHost = estate.aix[0].clone();
    third.name = "aixprd03".into();
    third.lpar = None;
    third.free_mb = 16_384;
    third.wpars.clear();
    third.files.clear();
    estate.aix.push(third);
    estate
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wpar_move_refuses_unsafe_states_over_ssh() {
    // No APAR IZ99829 on the 7.1 target: a 6.1 image cannot go there.
    let mut estate = Estate::demo();
    estate.aix[0].apars.clear();
    let lab = SshLab::start(estate, 300.0).await;
    let refused = planned(&lab, &move_request("wpmig61", "aixprd02", "aixprd01"))
        .await
        .unwrap_err();
    assert!(
        refused.reason.contains("aixprd01 lacks APAR IZ99829"),
        "{}",
        refused.reason
    );
    drop(lab);

    let lab = SshLab::start(Estate::demo(), 300.0).await;
    let request = move_request("wpmig61", "aixprd02", "aixprd01");
    // The shared directory not mounted on the target: the image would stay local.
    ssh_ok(&lab, "aixprd01", "umount /export/wpars").await;
    let refused = planned(&lab, &request).await.unwrap_err();
    assert!(
        refused
            .reason
            .contains("/export/wpars is not an NFS mount on aixprd01"),
        "{}",
        refused.reason
    );
    // Mounted read-only: nothing can be written there.
    ssh_ok(
        &lab,
        "aixprd01",
        "mount -o ro nfs01:/export/wpars /export/wpars",
    )
    .await;
    let refused = planned(&lab, &request).await.unwrap_err();
    assert!(
        refused
            .reason
            .contains("/export/wpars is mounted read-only on aixprd01"),
        "{}",
        refused.reason
    );
    ssh_ok(&lab, "aixprd01", "umount /export/wpars").await;
    ssh_ok(&lab, "aixprd01", "mount nfs01:/export/wpars /export/wpars").await;
    assert!(planned(&lab, &request).await.is_ok());
    // Nothing was stopped by all this.
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd02", "wpmig61"),
        Some(WparState::Active)
    );
    drop(lab);

    // Room for the WPAR is not room for its image.
    let mut estate = Estate::demo();
    estate.aix[0].shared_free_mb = Some(500);
    let lab = SshLab::start(estate, 300.0).await;
    let refused = planned(&lab, &request).await.unwrap_err();
    assert!(
        refused.reason.contains(
            "/export/wpars has 500 MB free, and the image of wpmig61 can take up to 768 MB"
        ),
        "{}",
        refused.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_wpar_is_verified_inside_and_its_source_cannot_come_back() {
    let lab = SshLab::start(demo_with_a_second_71_global(), 600.0).await;
    // wpweb01's image (1 GB) passes root's file-size limit: a plain savewpar stops.
    let cut = lab
        .sim
        .ssh(
            "aixprd01",
            "savewpar -i -f /export/wpars/by-hand.savewpar wpweb01",
        )
        .await;
    assert!(!cut.status.success());
    assert!(String::from_utf8_lossy(&cut.stderr)
        .contains("A file cannot be larger than the value set by ulimit."));

    let plan = planned(&lab, &move_request("wpweb01", "aixprd01", "aixprd03"))
        .await
        .unwrap();
    assert!(plan.steps.iter().any(|s| s.line()
        == "LC_ALL=C sh -c 'ulimit -f unlimited && savewpar -i -f /export/wpars/wpweb01.savewpar wpweb01'"));
    let summary = execute(&lab, lab.transport.clone(), &plan, "wpweb01", None).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd03", "wpweb01"),
        Some(WparState::Active)
    );
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpweb01"),
        Some(WparState::Defined)
    );
    // The copy left on the source does not start at boot; the moved one does.
    let auto = |text: String| {
        powerdeck::sources::aix::parse_lswpar_general(&text)
            .unwrap()
            .items[0]
            .auto_start
    };
    assert_eq!(
        auto(ssh_ok(&lab, "aixprd01", "lswpar -G wpweb01").await),
        Some(false)
    );
    assert_eq!(
        auto(ssh_ok(&lab, "aixprd03", "lswpar -G wpweb01").await),
        Some(true)
    );
    assert_eq!(
        ssh_ok(&lab, "aixprd03", "clogin wpweb01 oslevel -s").await,
        "7100-00-02-1041\n"
    );
}

/// Runs everything over SSH; the first time a step line contains `trigger`, first runs
/// `line` on `host`, as another admin would at the worst moment.
struct Meanwhile {
    inner: Arc<powerdeck::ssh::SshTransport>,
    trigger: &'static str,
    host: &'static str,
    line: &'static str,
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
            let done = Exec::exec(self.inner.as_ref(), self.host, self.line.to_string())
                .await
                .unwrap();
            assert_eq!(done.exit_status, Some(1), "{}: {done:?}", self.line);
        }
        Exec::exec_streaming(self.inner.as_ref(), host, line, timeout, output).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_restore_leaves_no_half_created_wpar_and_the_source_comes_back() {
    let lab = SshLab::start(Estate::demo(), 600.0).await;
    let plan = planned(&lab, &move_request("wpmig61", "aixprd02", "aixprd01"))
        .await
        .unwrap();
    // Just before the restore, someone saves wpmig61 again by hand under a 100 MB file
    // size limit over the good image: what is left there is cut short.
    let runner = Arc::new(Meanwhile {
        inner: lab.transport.clone(),
        trigger: "restwpar",
        host: "aixprd02",
        line: "ulimit -f 204800; savewpar -i -f /export/wpars/wpmig61.savewpar wpmig61",
        fired: AtomicBool::new(false),
    });
    let summary = execute(&lab, runner, &plan, "wpmig61", None).await;
    let restore = plan
        .steps
        .iter()
        .position(|s| s.line().contains("restwpar"))
        .unwrap();
    assert_eq!(
        summary.halted_at,
        Some(restore),
        "{}",
        summary.describe(&plan)
    );
    assert!(matches!(
        &summary.ran.last().unwrap().1,
        StepOutcome::Failed(_)
    ));
    // The restore left a half-created, Broken wpmig61 on aixprd01.
    let halfway = lab.refresh().await;
    assert_eq!(
        wpar_state(&halfway, "aixprd01", "wpmig61"),
        Some(WparState::Broken)
    );
    // The recovery branch, confirmed on its own: remove it, start the source again.
    let recovery = Plan {
        wizard: "wpar-move",
        title: "recovery".into(),
        confirm_name: "wpmig61".into(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: Vec::new(),
    };
    assert_eq!(
        recovery
            .steps
            .iter()
            .map(|s| (s.host.as_str(), s.line()))
            .collect::<Vec<_>>(),
        [
            ("aixprd01", "LC_ALL=C rmwpar -F wpmig61".to_string()),
            ("aixprd02", "LC_ALL=C startwpar wpmig61".to_string()),
        ]
    );
    let done = execute(&lab, lab.transport.clone(), &recovery, "wpmig61", None).await;
    assert!(done.completed(), "{}", done.describe(&recovery));
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpmig61"),
        None,
        "nothing left"
    );
    assert_eq!(
        wpar_state(&after, "aixprd02", "wpmig61"),
        Some(WparState::Active)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recovery_ladder_runs_rung_by_rung_over_ssh() {
    let mut estate = Estate::demo();
    let mut ladder = SimWpar::new("wpladder");
    ladder.state = WparState::Broken;
    ladder.leftover_mount = Some("/wpars/wpladder/SW".into());
    ladder.holders = vec![SimHolder {
        pid: 4_128_872,
        path: "/wpars/wpladder/SW".into(),
        usage: "c".into(),
    }];
    ladder.full_fs = Some("/var".into());
    ladder.damaged = true;
    estate.aix[0].wpars.push(ladder);
    estate.aix[0].free_mb = 8192;
    let lab = SshLab::start(estate, 600.0).await;
    let recover = |start: bool, recreate: bool| Request::WparRecover {
        host: "aixprd01".into(),
        wpar: "wpladder".into(),
        choices: WparRecoveryChoices {
            start,
            recreate,
            ..Default::default()
        },
    };

    // Rung 1: a shell of the global sits in the software depot under it.
    let refused = planned(&lab, &recover(true, false)).await.unwrap_err();
    assert!(
        refused
            .reason
            .contains("/wpars/wpladder/SW by process 4128872 (current directory)"),
        "{}",
        refused.reason
    );
    ssh_ok(&lab, "aixprd01", "kill 4128872").await;
    // Rung 5, seen before starting: /var is full, a start would break it again.
    let refused = planned(&lab, &recover(true, false)).await.unwrap_err();
    assert!(refused
        .reason
        .contains("/wpars/wpladder/var of wpladder is 100% full"));
    // Rungs 2 and 4: a plain unmount of the depot, the forced stop, Defined.
    let plan = planned(&lab, &recover(false, false)).await.unwrap();
    assert!(!plan.steps.iter().any(|s| s.line().contains("umount -f")));
    let summary = execute(&lab, lab.transport.clone(), &plan, "wpladder", None).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    assert!(!ssh_ok(&lab, "aixprd01", "mount")
        .await
        .contains("/wpars/wpladder/SW"));
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpladder"),
        Some(WparState::Defined)
    );
    // The operator grows /var and starts it by hand: it breaks again.
    ssh_ok(&lab, "aixprd01", "chfs -a size=+256M /wpars/wpladder/var").await;
    let start = lab.sim.ssh("aixprd01", "startwpar wpladder").await;
    assert!(!start.status.success());
    // The ladder with a start: it halts at the start, and the df rung finds nothing full.
    let plan = planned(&lab, &recover(true, false)).await.unwrap();
    let summary = execute(&lab, lab.transport.clone(), &plan, "wpladder", None).await;
    let start = plan
        .steps
        .iter()
        .position(|s| s.line() == "LC_ALL=C startwpar wpladder")
        .unwrap();
    assert_eq!(
        summary.halted_at,
        Some(start),
        "{}",
        summary.describe(&plan)
    );
    let rung = Plan {
        wizard: "wpar-recover",
        title: "df".into(),
        confirm_name: "wpladder".into(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: Vec::new(),
    };
    let checked = execute(&lab, lab.transport.clone(), &rung, "", None).await;
    assert!(checked.completed(), "{}", checked.describe(&rung));
    // Rung 6: recreate, attested on its own, after a backup.
    let plan = planned(&lab, &recover(true, true)).await.unwrap();
    let phrase = plan.attestation.as_ref().unwrap().phrase.clone();
    assert_eq!(phrase, "recreate wpladder");
    let unattested = execute(&lab, lab.transport.clone(), &plan, "wpladder", None).await;
    assert!(matches!(&unattested.ran[0].1, StepOutcome::Refused(_)));
    let backup = plan
        .steps
        .iter()
        .position(|s| s.line().contains("savewpar"))
        .unwrap();
    let removal = plan
        .steps
        .iter()
        .position(|s| s.line().contains("rmwpar"))
        .unwrap();
    assert!(backup < removal, "the backup comes first");
    let summary = execute(
        &lab,
        lab.transport.clone(),
        &plan,
        "wpladder",
        Some(&phrase),
    )
    .await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let after = lab.refresh().await;
    assert_eq!(
        wpar_state(&after, "aixprd01", "wpladder"),
        Some(WparState::Active)
    );
    assert!(ssh_ok(&lab, "aixprd01", "ls /export/wpars")
        .await
        .contains("wpladder.before-recreate.savewpar"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chained_commands_over_ssh_each_see_the_one_before() {
    let lab = SshLab::start(Estate::demo(), 300.0).await;
    // The listing runs once the stop has ended, not with the world of the start.
    let out = ssh_ok(&lab, "aixprd02", "stopwpar wpmig61; lswpar -cq wpmig61").await;
    assert!(
        out.ends_with("wpmig61:D:S:wpmig61:/wpars/wpmig61:no\n"),
        "{out}"
    );
    let out = ssh_ok(
        &lab,
        "aixprd02",
        "sh -c 'startwpar wpmig61 && lswpar -cq wpmig61'",
    )
    .await;
    assert!(
        out.ends_with("wpmig61:A:S:wpmig61:/wpars/wpmig61:no\n"),
        "{out}"
    );
    // A limit raised in one command line is gone in the next.
    assert_eq!(
        ssh_ok(&lab, "aixprd02", "ulimit -f unlimited && ulimit -f").await,
        "unlimited\n"
    );
    assert_eq!(ssh_ok(&lab, "aixprd02", "ulimit -f").await, "2097151\n");
    let failed = lab
        .sim
        .ssh("aixprd02", "lswpar -cq nosuch && echo reached")
        .await;
    assert_eq!(failed.status.code(), Some(1));
    assert!(failed.stdout.is_empty());
}
