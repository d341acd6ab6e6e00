//! Plan builders on a small estate: every precondition branch, and the plans' exact
//! command lines.

use std::time::SystemTime;

use powerdeck::config::SourceKind;
use powerdeck::estate::{Lpar, ManagedSystem, MigrationState};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::hmc;
use powerdeck::wizard::capacity::{CapacityFacts, PartitionSize};
use powerdeck::wizard::remote_restart::remote_restart;
use powerdeck::wizard::{
    cleanup, relocate, CleanupChoices, EstateView, Plan, PlanError, PlanErrorKind,
    RemoteRestartChoices, StepKind,
};

fn system(record: &str, lpars: &str) -> SystemData {
    let system = hmc::parse::<ManagedSystem>(record).unwrap().items.remove(0);
    let parsed = hmc::parse::<Lpar>(if lpars.is_empty() {
        "No results were found.\n"
    } else {
        lpars
    })
    .unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    SystemData {
        system,
        lpars: parsed.items,
        rs_pool: None,
        rs_devices: Vec::new(),
    }
}

fn hmc_snapshot(name: &str, systems: Vec<SystemData>) -> SourceSnapshot {
    SourceSnapshot {
        name: name.to_string(),
        kind: SourceKind::Hmc,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: Some(SystemTime::now()),
        stale: false,
        data: SourceData::Hmc(systems),
    }
}

const LPAR: &str =
    "lpar_env=aixlinux,state=Running,rmc_state=active,os_version=AIX 7.2 7200-05-06-2320";

fn estate() -> Vec<SourceSnapshot> {
    let mut back = system(
        "name=p8-back,type_model=8286-42A,serial_num=2100AAA,state=Operating",
        "name=gone1,lpar_id=4,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restarted\n\
         name=stuckmig,lpar_id=5,lpar_env=aixlinux,state=Running,rmc_state=active\n\
         name=fine,lpar_id=6,lpar_env=aixlinux,state=Running,rmc_state=active\n",
    );
    back.lpars[1].migration_state = Some(MigrationState::Failed);
    vec![
        hmc_snapshot(
            "hmc01",
            vec![
                system(
                    "name=p7-01,type_model=9117-MMD,serial_num=1000AAA,state=Error - Dump in progress",
                    "name=p7-01-vios1,lpar_id=1,lpar_env=vioserver,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=0\n\
                     name=rrapp1,lpar_id=11,lpar_env=aixlinux,state=Not Available,remote_restart_capable=1,simplified_remote_restart_capable=0,remote_restart_status=Remote Restartable,rs_device_name=hdisk988,lpar_avail_priority=127,curr_lpar_proc_compat_mode=POWER7\n\
                     name=rrapp2,lpar_id=12,lpar_env=aixlinux,state=Not Available,remote_restart_capable=1,simplified_remote_restart_capable=0,remote_restart_status=Remote Restartable\n\
                     name=srrweb,lpar_id=13,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable,lpar_avail_priority=200,curr_lpar_proc_compat_mode=POWER7\n\
                     name=p9only,lpar_id=16,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable,lpar_avail_priority=10,curr_lpar_proc_compat_mode=POWER9\n\
                     name=neveron,lpar_id=14,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Invalid\n\
                     name=plain,lpar_id=15,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=0\n",
                ),
                system(
                    "name=p9-01,type_model=9009-42A,serial_num=7800AAA,state=Operating,active_lpar_mobility_capable=1,powervm_lpar_remote_restart_capable=1,powervm_lpar_simplified_remote_restart_capable=1,\"lpar_proc_compat_modes=default,POWER7,POWER8,POWER9\"",
                    &format!(
                        "name=app01,lpar_id=3,{LPAR}\n\
                         name=db01,lpar_id=4,lpar_env=aixlinux,state=Running,rmc_state=inactive\n\
                         name=nomove,lpar_id=5,{LPAR},migration_disabled=1\n\
                         name=off01,lpar_id=6,lpar_env=aixlinux,state=Not Activated,rmc_state=inactive\n\
                         name=p9-01-vios1,lpar_id=1,lpar_env=vioserver,state=Running,rmc_state=active\n\
                         name=clash01,lpar_id=7,{LPAR}\n\
                         name=prd'; rm -rf /,lpar_id=8,{LPAR}\n"
                    ),
                ),
                system(
                    "name=p9-02,type_model=9009-42A,serial_num=7800BBB,state=Operating,active_lpar_mobility_capable=1,powervm_lpar_remote_restart_capable=0,powervm_lpar_simplified_remote_restart_capable=1,\"lpar_proc_compat_modes=default,POWER7,POWER8\"",
                    &format!("name=clash01,lpar_id=2,{LPAR}\n"),
                ),
                system(
                    "name=off-01,type_model=9009-42A,serial_num=7800CCC,state=Power Off",
                    "",
                ),
                system(
                    "name=lost-01,type_model=9009-42A,serial_num=7800DDD,state=No Connection",
                    "name=lostapp,lpar_id=3,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable,curr_lpar_proc_compat_mode=POWER8\n",
                ),
                back,
            ],
        ),
        hmc_snapshot(
            "hmc02",
            vec![system(
                "name=p10-01,type_model=9080-HEX,serial_num=7900AAA,state=Operating",
                "",
            )],
        ),
    ]
}

fn lines(plan: &powerdeck::wizard::Plan) -> Vec<String> {
    plan.steps.iter().map(|s| s.line()).collect()
}

#[test]
fn relocate_active_partition() {
    let snapshots = estate();
    let plan = relocate(EstateView::new(&snapshots), "app01", "p9-02").unwrap();
    assert_eq!(plan.confirm_name, "app01");
    assert_eq!(
        lines(&plan),
        [
            "LANG=C lslparmigr -r lpar -m p9-01 --filter lpar_names=app01 -F name,migration_state",
            "LANG=C lssyscfg -r lpar -m p9-01 --filter lpar_names=app01 -F name,state,rmc_state,migration_disabled",
            "LANG=C lssyscfg -r sys -m p9-02 -F name,state",
            "LANG=C migrlpar -o v -m p9-01 -t p9-02 -p app01",
            "LANG=C migrlpar -o m -m p9-01 -t p9-02 -p app01",
            "LANG=C lslparmigr -r lpar -m p9-02 --filter lpar_names=app01 -F name,migration_state,bytes_transmitted,bytes_remaining",
            "LANG=C lssyscfg -r lpar -m p9-02 --filter lpar_names=app01 -F name,state",
            "LANG=C lssyscfg -r lpar -m p9-01 --filter lpar_names=app01 -F name,state",
        ]
    );
    let kinds: Vec<_> = plan.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::Check,
            StepKind::Check,
            StepKind::Check,
            StepKind::Validate,
            StepKind::Change,
            StepKind::Wait,
            StepKind::Wait,
            StepKind::Verify
        ]
    );
    // A failed move re-reads lslparmigr before anything is offered; recovery is offered
    // only for a move that stopped or failed, never for one still running.
    match &plan.steps[4].on_failure {
        powerdeck::wizard::OnFailure::Decide { probe, branches } => {
            assert_eq!(
                probe.line(),
                "LANG=C lslparmigr -r lpar -m p9-01 --filter lpar_names=app01 -F name,migration_state,bytes_transmitted,bytes_remaining"
            );
            for branch in branches {
                let recovers = branch
                    .steps
                    .iter()
                    .position(|s| s.line().contains("migrlpar -o r"));
                let running = matches!(&branch.when, powerdeck::wizard::Condition::Migration { states, .. }
                    if states.contains(&MigrationState::InProgress));
                if let (true, Some(at)) = (running, recovers) {
                    let stop = branch
                        .steps
                        .iter()
                        .position(|s| s.line().contains("migrlpar -o s"));
                    assert!(stop.is_some_and(|stop| stop < at), "{}", branch.label);
                }
            }
        }
        other => panic!("{other:?}"),
    }
    let script = plan.to_script();
    assert!(script.contains("# 4. Validate on hmc01: the HMC validates moving app01 to p9-02"));
    assert!(script.contains("\nLANG=C migrlpar -o m -m p9-01 -t p9-02 -p app01\n"));
}

#[test]
fn relocate_inactive_partition_waits_for_not_activated() {
    let snapshots = estate();
    let plan = relocate(EstateView::new(&snapshots), "off01", "p9-02").unwrap();
    assert!(plan.to_script().contains("off01 is Not Activated"));
}

#[test]
fn relocate_refusals() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let refused = |lpar: &str, target: &str, kind: PlanErrorKind, reason: &str| {
        let error = relocate(view, lpar, target).unwrap_err();
        assert_eq!(error.kind, kind, "{error}");
        assert!(error.reason.contains(reason), "{error}");
    };
    use PlanErrorKind::*;
    refused("nosuch", "p9-02", NotFound, "no partition called nosuch");
    refused(
        "app01",
        "nosuch",
        NotFound,
        "no managed system called nosuch",
    );
    refused("app01", "p9-01", NothingToDo, "already runs on p9-01");
    refused("app01", "p10-01", Refused, "managed by hmc02");
    refused("app01", "off-01", Refused, "target off-01 is Power Off");
    refused("db01", "p9-02", Refused, "RMC connection is inactive");
    refused("nomove", "p9-02", Refused, "migration_disabled=1");
    refused("p9-01-vios1", "p9-02", Refused, "Virtual I/O Server");
    refused("clash01", "p9-02", Invalid, "exists on 2 systems");
    refused(
        "rrapp1",
        "p9-02",
        Refused,
        "source p7-01 is Error - Dump in progress",
    );
    refused("gone1", "p9-01", Refused, "remote-restarted copy");
}

#[test]
fn hostile_names_are_quoted_in_plans() {
    let snapshots = estate();
    let plan = relocate(EstateView::new(&snapshots), "prd'; rm -rf /", "p9-02").unwrap();
    assert_eq!(
        plan.steps[4].line(),
        "LANG=C migrlpar -o m -m p9-01 -t p9-02 -p 'prd'\\''; rm -rf /'"
    );
}

/// Room for everything, and a one-profile size for every partition of `system`.
fn roomy(snapshots: &[SourceSnapshot], system: &str) -> CapacityFacts {
    let sizes = EstateView::new(snapshots)
        .find_system(system)
        .iter()
        .flat_map(|found| &found.data.lpars)
        .map(|lpar| PartitionSize {
            lpar: lpar.name.clone(),
            profile: "default_profile".into(),
            memory_mb: 8192,
            proc_units: 0.5,
        })
        .collect();
    CapacityFacts {
        free_memory_mb: 1 << 20,
        free_proc_units: 64.0,
        sizes,
    }
}

fn restart(
    snapshots: &[SourceSnapshot],
    from: &str,
    to: &str,
    choices: &RemoteRestartChoices,
) -> Result<Plan, PlanError> {
    remote_restart(
        EstateView::new(snapshots),
        from,
        to,
        choices,
        &roomy(snapshots, from),
    )
}

fn one_at_a_time() -> RemoteRestartChoices {
    RemoteRestartChoices {
        parallelism: 1,
        ..Default::default()
    }
}

#[test]
fn remote_restart_every_restartable_partition() {
    let snapshots = estate();
    let choices = RemoteRestartChoices {
        parallelism: 2,
        ..Default::default()
    };
    let plan = restart(&snapshots, "p7-01", "p9-01", &choices).unwrap();
    let lines = lines(&plan);
    assert!(
        lines.contains(&"LANG=C rrstartlpar -o validate -m p7-01 -t p9-01 -p rrapp1".to_string())
    );
    assert!(
        lines.contains(&"LANG=C rrstartlpar -o restart -m p7-01 -t p9-01 -p srrweb".to_string())
    );
    assert!(
        !lines.iter().any(|l| l.contains("rrapp2")),
        "no reserved storage device"
    );
    assert!(
        !lines.iter().any(|l| l.contains("neveron")),
        "status Invalid"
    );
    assert!(!lines.iter().any(|l| l.contains("vios")));
    assert!(!lines.iter().any(|l| l.contains("-p plain")));
    assert!(!lines.iter().any(|l| l.contains("--noconnection")));
    assert!(plan.attestation.is_none());
    assert_eq!(plan.parallelism, 2);
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("rrapp2") && n.contains("reserved storage")));
    assert!(plan
        .notes
        .iter()
        .any(|n| n.starts_with("capacity: 3 partition(s) need 24576 MB")));
    let restarts: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .collect();
    assert_eq!(restarts.len(), 3);
    assert!(restarts.iter().all(|s| s.group == Some(1)));
}

fn restart_order(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .map(|s| s.line().rsplit(' ').next().unwrap().to_string())
        .collect()
}

#[test]
fn remote_restart_order_is_availability_priority_unless_the_operator_says() {
    let snapshots = estate();
    let plan = restart(&snapshots, "p7-01", "p9-01", &one_at_a_time()).unwrap();
    assert_eq!(restart_order(&plan), ["srrweb", "rrapp1", "p9only"]);
    assert!(plan
        .notes
        .contains(&"restart order: srrweb, rrapp1, p9only".to_string()));
    let choices = RemoteRestartChoices {
        order: vec!["p9only".into(), "rrapp1".into()],
        ..one_at_a_time()
    };
    let plan = restart(&snapshots, "p7-01", "p9-01", &choices).unwrap();
    assert_eq!(restart_order(&plan), ["p9only", "rrapp1", "srrweb"]);
    let stranger = RemoteRestartChoices {
        order: vec!["nosuch".into()],
        ..one_at_a_time()
    };
    let error = restart(&snapshots, "p7-01", "p9-01", &stranger).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Invalid, "{error}");
}

#[test]
fn remote_restart_sums_what_lands_on_the_target() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let mut tight = roomy(&snapshots, "p7-01");
    tight.free_memory_mb = 20_000;
    let error = remote_restart(view, "p7-01", "p9-01", &one_at_a_time(), &tight).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("3 partition(s) need 24576 MB and 1.50 processing units; p9-01 has 20000 MB"),
        "{error}"
    );
    assert!(error.reason.contains("only srrweb, rrapp1 fit"), "{error}");
    tight.free_memory_mb = 1 << 20;
    tight.free_proc_units = 0.25;
    let error = remote_restart(view, "p7-01", "p9-01", &one_at_a_time(), &tight).unwrap_err();
    assert!(error.reason.contains("none of them fits"), "{error}");
    let unknown = CapacityFacts {
        sizes: Vec::new(),
        ..roomy(&snapshots, "p7-01")
    };
    let error = remote_restart(view, "p7-01", "p9-01", &one_at_a_time(), &unknown).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::CannotTell, "{error}");
}

#[test]
fn remote_restart_checks_the_target_can_take_each_partition() {
    let snapshots = estate();
    let only = |name: &str| RemoteRestartChoices {
        lpars: vec![name.into()],
        ..one_at_a_time()
    };
    let error = restart(&snapshots, "p7-01", "p9-02", &only("rrapp1")).unwrap_err();
    assert!(
        error
            .reason
            .contains("does not support PowerVM remote restart"),
        "{error}"
    );
    let error = restart(&snapshots, "p7-01", "p9-02", &only("p9only")).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("runs in POWER9 mode, which p9-02 does not support"),
        "{error}"
    );
    assert!(restart(&snapshots, "p7-01", "p9-02", &only("srrweb")).is_ok());
}

#[test]
fn remote_restart_from_no_connection_needs_the_flag_and_an_attestation() {
    let snapshots = estate();
    let plan = restart(&snapshots, "lost-01", "p9-01", &one_at_a_time()).unwrap();
    let lines = lines(&plan);
    let rr: Vec<_> = lines.iter().filter(|l| l.contains("rrstartlpar")).collect();
    assert_eq!(rr.len(), 2, "validate and restart: {lines:?}");
    assert!(rr.iter().all(|l| l.ends_with("--noconnection")), "{rr:?}");
    let attestation = plan.attestation.as_ref().unwrap();
    assert_eq!(attestation.phrase, "lost-01 partitions are down");
    assert!(attestation.statement.contains("shared disks"));
    assert!(plan.notes.iter().any(|n| n.contains("--noconnection")));
}

#[test]
fn remote_restart_bounds_its_parallelism() {
    let snapshots = estate();
    for parallelism in [0, 17] {
        let choices = RemoteRestartChoices {
            parallelism,
            ..Default::default()
        };
        let error = restart(&snapshots, "p7-01", "p9-01", &choices).unwrap_err();
        assert_eq!(error.kind, PlanErrorKind::Invalid, "{error}");
    }
}

#[test]
fn remote_restart_refusals() {
    let snapshots = estate();
    let refused = |from: &str, to: &str, lpars: &[&str]| {
        let choices = RemoteRestartChoices {
            lpars: lpars.iter().map(|l| l.to_string()).collect(),
            parallelism: 1,
            ..Default::default()
        };
        restart(&snapshots, from, to, &choices).unwrap_err().reason
    };
    assert!(refused("p9-01", "p9-02", &[]).contains("p9-01 is Operating"));
    assert!(refused("p7-01", "off-01", &[]).contains("must be Operating"));
    assert!(refused("p7-01", "p10-01", &[]).contains("stays on one HMC"));
    assert!(refused("p7-01", "p9-01", &["rrapp2"]).contains("reserved storage device"));
    assert!(refused("p7-01", "p9-01", &["neveron"]).contains("Invalid"));
    assert!(refused("p7-01", "p9-01", &["plain"]).contains("not a remote-restart-capable"));
    assert!(refused("nosuch", "p9-01", &[]).contains("no managed system"));
    let kind = |from: &str, to: &str| {
        restart(&snapshots, from, to, &one_at_a_time())
            .unwrap_err()
            .kind
    };
    assert_eq!(kind("nosuch", "p9-01"), PlanErrorKind::NotFound);
    assert_eq!(kind("p9-01", "p9-02"), PlanErrorKind::Refused);
    assert_eq!(kind("p7-01", "p7-01"), PlanErrorKind::Invalid);
}

#[test]
fn cleanup_after_the_source_returns() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let plan = cleanup(view, "p8-back", CleanupChoices::default()).unwrap();
    assert_eq!(
        lines(&plan)[1..],
        [
            "LANG=C rrstartlpar -o cleanup -m p8-back -p gone1".to_string(),
            "LANG=C lssyscfg -r lpar -m p8-back --filter lpar_names=gone1 -F name,state"
                .to_string(),
            "LANG=C migrlpar -o r -m p8-back -p stuckmig".to_string(),
        ]
    );
    // gone1 uses simplified remote restart: no reserved storage device to retain.
    let kept = cleanup(
        view,
        "p8-back",
        CleanupChoices {
            retain_devices: true,
        },
    )
    .unwrap_err();
    assert_eq!(kept.kind, PlanErrorKind::Invalid);
    assert!(kept
        .reason
        .contains("no partition to clean up on p8-back has one"));
    assert!(cleanup(view, "p9-02", CleanupChoices::default())
        .unwrap_err()
        .reason
        .contains("nothing to clean up"));
    assert_eq!(
        cleanup(view, "p9-02", CleanupChoices::default())
            .unwrap_err()
            .kind,
        PlanErrorKind::NothingToDo
    );
    assert!(cleanup(view, "p7-01", CleanupChoices::default())
        .unwrap_err()
        .reason
        .contains("back in Operating or Standby"));
    assert_eq!(
        powerdeck::wizard::cleanup::needs_cleanup(view, "p8-back"),
        ["gone1", "stuckmig"]
    );
}
