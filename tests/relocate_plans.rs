//! The relocation plan against a small estate and the facts read before it: each check
//! refusing (or adapting) with its reason and kind, the progress the move is followed
//! with, and what the executor offers after a failure for each state `lslparmigr`
//! re-reads (docs/procedures.md, "Relocation").

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use powerdeck::config::SourceKind;
use powerdeck::estate::{Lpar, ManagedSystem, MigrationState};
use powerdeck::exec::{CommandOutput, Exec, ExecError};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::hmc;
use powerdeck::wizard::capacity::PartitionSize;
use powerdeck::wizard::relocate::check_choices;
use powerdeck::wizard::relocate_facts::{MigrationSlots, Mobility, MoveCapacity};
use powerdeck::wizard::{
    relocate_with, Condition, EstateView, ExecEvent, Executor, Journal, OnFailure, Plan, PlanError,
    PlanErrorKind, RelocationFacts, StepKind, StepOutcome,
};
use tokio::sync::mpsc;

fn system(record: &str, lpars: &str) -> SystemData {
    let system = hmc::parse::<ManagedSystem>(record).unwrap().items.remove(0);
    let parsed = hmc::parse::<Lpar>(lpars).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    SystemData {
        system,
        lpars: parsed.items,
        rs_pool: None,
        rs_devices: Vec::new(),
    }
}

const P9: &str = "type_model=9009-42A,state=Operating,active_lpar_mobility_capable=1,inactive_lpar_mobility_capable=1,\"lpar_proc_compat_modes=default,POWER7,POWER8,POWER9,POWER9_base\"";
const P10: &str = "type_model=9080-HEX,state=Operating,active_lpar_mobility_capable=1,inactive_lpar_mobility_capable=1,\"lpar_proc_compat_modes=default,POWER8,POWER9,POWER9_base,POWER10\"";
const RUNNING: &str = "lpar_env=aixlinux,state=Running,rmc_state=active";
const OFF: &str = "lpar_env=aixlinux,state=Not Activated,rmc_state=inactive";

/// hmc01: p10-a (POWER10) with partitions in several modes, p9-b (POWER9), p9-c
/// (POWER9, not capable of inactive mobility).
fn estate() -> Vec<SourceSnapshot> {
    let mut p10 = system(
        &format!("name=p10-a,serial_num=78A0001,{P10}"),
        &format!(
            "name=p9mode,lpar_id=3,{RUNNING},curr_lpar_proc_compat_mode=POWER9,desired_lpar_proc_compat_mode=POWER9\n\
             name=native,lpar_id=4,{RUNNING},curr_lpar_proc_compat_mode=POWER10,desired_lpar_proc_compat_mode=default\n\
             name=prefers10,lpar_id=5,{RUNNING},curr_lpar_proc_compat_mode=POWER9,desired_lpar_proc_compat_mode=POWER10\n\
             name=off9,lpar_id=6,{OFF},curr_lpar_proc_compat_mode=POWER10,desired_lpar_proc_compat_mode=POWER9\n\
             name=off10,lpar_id=7,{OFF},curr_lpar_proc_compat_mode=POWER10,desired_lpar_proc_compat_mode=POWER10\n\
             name=nomodes,lpar_id=8,{RUNNING}\n\
             name=moving,lpar_id=9,{RUNNING},curr_lpar_proc_compat_mode=POWER9,desired_lpar_proc_compat_mode=POWER9\n\
             name=failed,lpar_id=10,{RUNNING},curr_lpar_proc_compat_mode=POWER9,desired_lpar_proc_compat_mode=POWER9\n"
        ),
    );
    p10.system.firmware = Some(powerdeck::estate::FirmwareLevels {
        ecnumber: Some("01MH1050".into()),
        activated_level: Some(20),
        ..Default::default()
    });
    p10.lpars[6].migration_state = Some(MigrationState::InProgress);
    p10.lpars[7].migration_state = Some(MigrationState::Failed);
    let p9 = system(
        &format!("name=p9-b,serial_num=7800002,{P9}"),
        "No results were found.\n",
    );
    let p9_active_only = system(
        "name=p9-c,type_model=9009-42A,serial_num=7800003,state=Operating,active_lpar_mobility_capable=1,inactive_lpar_mobility_capable=0,\"lpar_proc_compat_modes=default,POWER8,POWER9\"",
        "No results were found.\n",
    );
    vec![SourceSnapshot {
        name: "hmc01".to_string(),
        kind: SourceKind::Hmc,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: Some(SystemTime::now()),
        stale: false,
        data: SourceData::Hmc(vec![p10, p9, p9_active_only]),
    }]
}

fn slots(in_progress: u32, supported: u32) -> MigrationSlots {
    MigrationSlots {
        capable: Some(true),
        supported: Some(supported),
        in_progress: Some(in_progress),
    }
}

fn mobility(active: MigrationSlots, inactive: MigrationSlots) -> Mobility {
    Mobility { active, inactive }
}

/// Nothing moving anywhere, a 32 GB / 2 unit partition against 64 GB / 4 units free.
fn facts() -> RelocationFacts {
    RelocationFacts {
        source: mobility(slots(0, 16), slots(0, 16)),
        target: mobility(slots(0, 16), slots(0, 16)),
        capacity: Some(MoveCapacity {
            size: PartitionSize {
                lpar: "p9mode".into(),
                profile: "(current)".into(),
                memory_mb: 32768,
                proc_units: 2.0,
            },
            free_memory_mb: 65536,
            free_proc_units: 4.0,
        }),
    }
}

fn plan(lpar: &str, target: &str, facts: &RelocationFacts) -> Result<Plan, PlanError> {
    let snapshots = estate();
    relocate_with(EstateView::new(&snapshots), lpar, target, facts)
}

fn refused(result: Result<Plan, PlanError>, kind: PlanErrorKind, reason: &str) {
    let error = result.expect_err("the plan must be refused");
    assert_eq!(error.kind, kind, "{error}");
    assert!(error.reason.contains(reason), "{error}");
}

#[test]
fn processor_modes_current_and_preferred_for_active_preferred_for_inactive() {
    use PlanErrorKind::Refused;
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    assert!(plan.notes.iter().any(|n| n
        == "processor compatibility: current POWER9 and preferred POWER9 supported by p9-b (default, POWER7, POWER8, POWER9, POWER9_base)"));
    refused(
        self::plan("native", "p9-b", &facts()),
        Refused,
        "native runs in POWER10 mode, which p9-b does not support (default, POWER7, POWER8, POWER9, POWER9_base): the current processor compatibility mode must be supported on the target",
    );
    refused(
        self::plan("prefers10", "p9-b", &facts()),
        Refused,
        "prefers10 prefers POWER10 mode, which p9-b does not support",
    );
    // An inactive move takes the preferred mode: the current one no longer matters.
    let inactive = RelocationFacts {
        capacity: None,
        ..facts()
    };
    let plan = self::plan("off9", "p9-b", &inactive).unwrap();
    assert!(plan
        .notes
        .iter()
        .any(|n| n.starts_with("processor compatibility: preferred POWER9 supported by p9-b")));
    refused(
        self::plan("off10", "p9-b", &inactive),
        Refused,
        "off10 prefers POWER10 mode, which p9-b does not support",
    );
    // Modes the refresh did not read are left to the HMC's validation, and said so.
    let plan = self::plan("nomodes", "p9-b", &facts()).unwrap();
    assert!(plan.notes.iter().any(|n| n
        == "processor compatibility: cannot tell the current mode of nomodes; the HMC's validation decides"));
}

#[test]
fn inactive_mobility_capability_of_the_target() {
    let inactive = RelocationFacts {
        capacity: None,
        ..facts()
    };
    refused(
        plan("off9", "p9-c", &inactive),
        PlanErrorKind::Refused,
        "target p9-c is not capable of inactive partition mobility",
    );
    assert!(plan("p9mode", "p9-c", &facts()).is_ok());
}

#[test]
fn concurrent_moves_on_either_system() {
    use PlanErrorKind::{CannotTell, Refused};
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    assert!(plan
        .notes
        .contains(&"active moves now: p10-a runs 0 of 16; p9-b runs 0 of 16".to_string()));
    let full_source = RelocationFacts {
        source: mobility(slots(8, 8), slots(0, 8)),
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &full_source),
        Refused,
        "p10-a already runs 8 active migration(s), as many as it supports at once (8): wait until one ends",
    );
    let full_target = RelocationFacts {
        target: mobility(slots(16, 16), slots(0, 16)),
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &full_target),
        Refused,
        "p9-b already runs 16 active migration(s)",
    );
    // Inactive moves count apart: a target full of active moves still takes one.
    let inactive_room = RelocationFacts {
        capacity: None,
        ..full_target.clone()
    };
    assert!(self::plan("off9", "p9-b", &inactive_room).is_ok());
    let full_inactive = RelocationFacts {
        target: mobility(slots(0, 16), slots(4, 4)),
        capacity: None,
        ..facts()
    };
    refused(
        self::plan("off9", "p9-b", &full_inactive),
        Refused,
        "p9-b already runs 4 inactive migration(s)",
    );
    let unknown = RelocationFacts {
        target: mobility(
            MigrationSlots {
                capable: None,
                supported: None,
                in_progress: Some(0),
            },
            slots(0, 16),
        ),
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &unknown),
        CannotTell,
        "cannot tell how many active migrations p9-b runs now",
    );
    let incapable = RelocationFacts {
        source: mobility(
            MigrationSlots {
                capable: Some(false),
                ..slots(0, 16)
            },
            slots(0, 16),
        ),
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &incapable),
        Refused,
        "p10-a is not capable of active partition mobility",
    );
}

#[test]
fn room_on_the_target_for_what_the_partition_holds_now() {
    use PlanErrorKind::{CannotTell, Refused};
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    assert!(plan.notes.contains(
        &"capacity: p9mode holds 32768 MB and 2.00 processing units now; p9-b has 65536 MB and 4.00 free"
            .to_string()
    ));
    let with = |memory: u64, units: f64| RelocationFacts {
        capacity: Some(MoveCapacity {
            free_memory_mb: memory,
            free_proc_units: units,
            ..facts().capacity.unwrap()
        }),
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &with(32767, 4.0)),
        Refused,
        "p9mode holds 32768 MB and 2.00 processing units now; p9-b has 32767 MB and 4.00 free: not enough memory on p9-b",
    );
    refused(
        self::plan("p9mode", "p9-b", &with(65536, 1.5)),
        Refused,
        "not enough processing units on p9-b",
    );
    assert!(self::plan("p9mode", "p9-b", &with(32768, 2.0)).is_ok());
    let unread = RelocationFacts {
        capacity: None,
        ..facts()
    };
    refused(
        self::plan("p9mode", "p9-b", &unread),
        CannotTell,
        "the size of p9mode and the room on p9-b were not read",
    );
    // A partition that is off takes nothing on the target until it is activated.
    let plan = self::plan("off9", "p9-b", &unread).unwrap();
    assert!(plan.notes.contains(
        &"capacity: an inactive move takes no memory or processors on p9-b until off9 is activated there"
            .to_string()
    ));
}

#[test]
fn firmware_levels_are_shown_and_left_to_the_validation() {
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    assert!(plan.notes.contains(
        &"firmware: p10-a 01MH1050 level 20, p9-b not read at the last refresh; the HMC's validation (before the move) checks that they can move partitions between them"
            .to_string()
    ));
    let validate = plan
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Validate)
        .unwrap();
    let migrate = plan
        .steps
        .iter()
        .position(|s| s.line().contains("migrlpar -o m"))
        .unwrap();
    assert!(validate < migrate);
    assert!(plan.steps[validate].why.contains("firmware"));
}

#[test]
fn a_move_under_way_or_failed_comes_first() {
    refused(
        plan("moving", "p9-b", &facts()),
        PlanErrorKind::Refused,
        "moving is already migrating (Migration In Progress): follow or stop that move first",
    );
    refused(
        plan("failed", "p9-b", &facts()),
        PlanErrorKind::Refused,
        "failed shows Migration Failed: recover it (migrlpar -o r, the cleanup wizard) before moving it again",
    );
    // The estate-only checks (what the console judges targets with) say the same.
    let snapshots = estate();
    let error = check_choices(EstateView::new(&snapshots), "moving", "p9-b").unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
}

#[test]
fn the_script_follows_the_move_and_shows_the_ladder() {
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    let script = plan.to_script();
    let progress = "LANG=C lslparmigr -r lpar -m p10-a --filter lpar_names=p9mode -F name,migration_state,bytes_transmitted,bytes_remaining";
    assert!(
        script.contains(&format!(
            "#    while it runs, follow on hmc01: {progress} (where the move of p9mode stands: migration state, bytes sent and remaining)\nLANG=C migrlpar -o m -m p10-a -t p9-b -p p9mode\n"
        )),
        "{script}"
    );
    // The verify loop: lslparmigr on the target until the partition no longer migrates.
    assert!(script.contains(
        "#    repeat until p9mode is Not Migrating (at most 7200 s)\nLANG=C lslparmigr -r lpar -m p9-b --filter lpar_names=p9mode -F name,migration_state,bytes_transmitted,bytes_remaining\n"
    ), "{script}");
    assert!(script.contains(&format!(
        "#    if it fails, first re-read on hmc01: {progress}"
    )));
    assert!(script.contains(
        "#      then, when p9mode is Migration Starting or Migration In Progress, offered: keep watching the move of p9mode\n"
    ));
    assert!(script.contains(
        "#      then, when p9mode is Migration Stopped or Migration Failed, offered: recover p9mode (migrlpar -o r): its move stopped or failed\n"
    ));
}

#[test]
fn recovery_is_never_offered_for_a_move_in_progress() {
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    let migrate = plan
        .steps
        .iter()
        .find(|s| s.line().contains("migrlpar -o m"))
        .unwrap();
    let OnFailure::Decide { probe, branches } = &migrate.on_failure else {
        panic!("{:?}", migrate.on_failure);
    };
    assert!(probe.line().contains("lslparmigr -r lpar -m p10-a"));
    for branch in branches {
        let Condition::Migration { states, .. } = &branch.when else {
            panic!("{:?}", branch.when);
        };
        let running = states.contains(&MigrationState::InProgress);
        let mut stopped_and_settled = false;
        for step in &branch.steps {
            if step.line().contains("migrlpar -o s") {
                assert!(running, "{}", branch.label);
            }
            // After a stop, the HMC must say the move no longer runs before -o r.
            if let Some(Condition::Migration {
                states, or_gone, ..
            }) = &step.until
            {
                if step.kind == StepKind::Wait
                    && !states.contains(&MigrationState::InProgress)
                    && *or_gone
                {
                    stopped_and_settled = true;
                }
            }
            if step.line().contains("migrlpar -o r") {
                assert!(
                    !running || stopped_and_settled,
                    "{}: -o r offered for a move in progress",
                    branch.label
                );
            }
        }
    }
}

/// A fresh journal: a change is journaled before it is sent, or not sent.
fn journal() -> Journal {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "powerdeck-relocate-plans-{}-{}.jsonl",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&path);
    Journal::open(&path).unwrap()
}

/// Answers the probe with `probe`, fails `migrlpar -o m`, and lets every check pass.
struct Probe {
    probe: String,
    calls: Mutex<Vec<String>>,
}

impl Exec for Probe {
    async fn exec(&self, _host: &str, line: String) -> Result<CommandOutput, ExecError> {
        self.calls.lock().unwrap().push(line.clone());
        let out = |text: &str| Ok(CommandOutput::new(text, "", 0));
        if line.contains("migrlpar -o m") {
            return Ok(CommandOutput::new(
                "HSCLA610 The migration of the partition p9mode failed.\n",
                "",
                1,
            ));
        }
        if line.contains("bytes_transmitted") {
            return out(&self.probe);
        }
        if line.contains("lslparmigr") {
            return out("p9mode,Not Migrating\n");
        }
        if line.contains("-r sys") {
            return out("p9-b,Operating\n");
        }
        if line.contains("lssyscfg -r lpar") {
            return out("p9mode,Running,active,0\n");
        }
        out("")
    }
}

/// Runs the plan against `probe` as the re-read migration state; returns the labels
/// offered and the first command re-read.
async fn offered(probe: &str) -> (Vec<String>, String) {
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    let exec = std::sync::Arc::new(Probe {
        probe: probe.to_string(),
        calls: Mutex::new(Vec::new()),
    });
    let mut executor = Executor::new(exec.clone(), Some(journal()), false);
    executor.poll_interval = Duration::from_millis(5);
    let (tx, mut rx) = mpsc::channel(1024);
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let summary = executor.execute(&plan, 0, "p9mode", Vec::new(), tx).await;
    let migrate = plan
        .steps
        .iter()
        .position(|s| s.line().contains("migrlpar -o m"))
        .unwrap();
    assert_eq!(summary.halted_at, Some(migrate));
    assert!(matches!(
        summary.ran.last(),
        Some((_, StepOutcome::Failed(_)))
    ));
    assert!(summary.recovery.is_empty());
    let calls = exec.calls.lock().unwrap().clone();
    let after = calls
        .iter()
        .position(|c| c.contains("migrlpar -o m"))
        .unwrap();
    assert!(
        calls[after + 1].contains("bytes_transmitted"),
        "lslparmigr is re-read first: {calls:?}"
    );
    (
        summary.offers.iter().map(|b| b.label.clone()).collect(),
        summary.reread[0].0.clone(),
    )
}

#[tokio::test]
async fn the_re_read_state_decides_what_is_offered() {
    let (running, first) = offered("p9mode,Migration In Progress,1073741824,3221225472\n").await;
    assert!(first.contains("lslparmigr -r lpar -m p10-a"), "{first}");
    assert_eq!(
        running,
        [
            "keep watching the move of p9mode",
            "stop the move of p9mode (migrlpar -o s), then recover it (migrlpar -o r) once the HMC says it no longer runs",
        ]
    );
    let (starting, _) = offered("p9mode,Migration Starting,0,0\n").await;
    assert_eq!(starting, running);
    let (failed, _) = offered("p9mode,Migration Failed,1073741824,3221225472\n").await;
    assert_eq!(
        failed,
        ["recover p9mode (migrlpar -o r): its move stopped or failed"]
    );
    let (stopped, _) = offered("p9mode,Migration Stopped,0,4294967296\n").await;
    assert_eq!(stopped, failed);
    let (gone, _) = offered("No results were found.\n").await;
    assert_eq!(
        gone,
        ["p9mode has left p10-a: follow it to its end on p9-b"]
    );
    let (idle, _) = offered("p9mode,Not Migrating,,\n").await;
    assert!(idle.is_empty(), "{idle:?}");
}

#[tokio::test]
async fn the_move_reports_its_progress_while_it_runs() {
    struct Slow;
    impl Exec for Slow {
        async fn exec(&self, _host: &str, line: String) -> Result<CommandOutput, ExecError> {
            let out = |text: &str| Ok(CommandOutput::new(text, "", 0));
            if line.contains("migrlpar -o m") {
                tokio::time::sleep(Duration::from_millis(300)).await;
                return out("");
            }
            if line.contains("lslparmigr -r lpar -m p10-a") && line.contains("bytes") {
                return out("p9mode,Migration In Progress,1610612736,2684354560\n");
            }
            if line.contains("lslparmigr") && line.contains("bytes") {
                return out("p9mode,Not Migrating,,\n");
            }
            if line.contains("lslparmigr") {
                return out("p9mode,Not Migrating\n");
            }
            if line.contains("-r sys") {
                return out("p9-b,Operating\n");
            }
            if line.contains("lssyscfg -r lpar -m p9-b") {
                return out("p9mode,Running\n");
            }
            if line.ends_with("-F name,state") {
                return out("No results were found.\n");
            }
            if line.contains("lssyscfg -r lpar") {
                return out("p9mode,Running,active,0\n");
            }
            out("")
        }
    }
    let plan = plan("p9mode", "p9-b", &facts()).unwrap();
    let migrate = plan
        .steps
        .iter()
        .position(|s| s.line().contains("migrlpar -o m"))
        .unwrap();
    let mut executor = Executor::new(std::sync::Arc::new(Slow), Some(journal()), false);
    executor.poll_interval = Duration::from_millis(20);
    let (tx, mut rx) = mpsc::channel(1024);
    let seen = tokio::spawn(async move {
        let mut polled = Vec::new();
        while let Some(event) = rx.recv().await {
            if let ExecEvent::Polled { step, observed } = event {
                polled.push((step, observed));
            }
        }
        polled
    });
    let summary = executor.execute(&plan, 0, "p9mode", Vec::new(), tx).await;
    assert!(summary.completed(), "{}", summary.describe(&plan));
    let polled = seen.await.unwrap();
    assert!(
        polled.contains(&(
            migrate,
            "p9mode is Migration In Progress: 1.5 GB of 4.0 GB sent (37 %)".to_string()
        )),
        "{polled:?}"
    );
}
