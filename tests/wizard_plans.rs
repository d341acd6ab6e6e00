//! Plan builders on a small estate: every precondition branch, and the plans' exact
//! command lines.

use std::time::SystemTime;

use powerdeck::config::SourceKind;
use powerdeck::estate::{Lpar, ManagedSystem, MigrationState};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::hmc;
use powerdeck::wizard::{
    cleanup, relocate, remote_restart, CleanupChoices, EstateView, PlanErrorKind,
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
                     name=rrapp1,lpar_id=11,lpar_env=aixlinux,state=Not Available,remote_restart_capable=1,simplified_remote_restart_capable=0,remote_restart_status=Remote Restartable,rs_device_name=hdisk988\n\
                     name=rrapp2,lpar_id=12,lpar_env=aixlinux,state=Not Available,remote_restart_capable=1,simplified_remote_restart_capable=0,remote_restart_status=Remote Restartable\n\
                     name=srrweb,lpar_id=13,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable\n\
                     name=neveron,lpar_id=14,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Invalid\n\
                     name=plain,lpar_id=15,lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=0\n",
                ),
                system(
                    "name=p9-01,type_model=9009-42A,serial_num=7800AAA,state=Operating,active_lpar_mobility_capable=1",
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
                    "name=p9-02,type_model=9009-42A,serial_num=7800BBB,state=Operating,active_lpar_mobility_capable=1",
                    &format!("name=clash01,lpar_id=2,{LPAR}\n"),
                ),
                system(
                    "name=off-01,type_model=9009-42A,serial_num=7800CCC,state=Power Off",
                    "",
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
            "LANG=C lssyscfg -r lpar -m p9-01 --filter lpar_names=app01 -F name,state,rmc_state,migration_disabled",
            "LANG=C lssyscfg -r sys -m p9-02 -F name,state",
            "LANG=C migrlpar -o v -m p9-01 -t p9-02 -p app01",
            "LANG=C migrlpar -o m -m p9-01 -t p9-02 -p app01",
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
            StepKind::Validate,
            StepKind::Change,
            StepKind::Wait,
            StepKind::Verify
        ]
    );
    match &plan.steps[3].on_failure {
        powerdeck::wizard::OnFailure::Recover(steps) => {
            assert_eq!(steps[0].line(), "LANG=C migrlpar -o r -m p9-01 -p app01")
        }
        other => panic!("{other:?}"),
    }
    let script = plan.to_script();
    assert!(script.contains("# 3. Validate on hmc01: the HMC validates moving app01 to p9-02"));
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
        plan.steps[3].line(),
        "LANG=C migrlpar -o m -m p9-01 -t p9-02 -p 'prd'\\''; rm -rf /'"
    );
}

#[test]
fn remote_restart_every_restartable_partition() {
    let snapshots = estate();
    let choices = RemoteRestartChoices {
        parallelism: 2,
        ..Default::default()
    };
    let plan = remote_restart(EstateView::new(&snapshots), "p7-01", "p9-01", &choices).unwrap();
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
    assert_eq!(plan.parallelism, 2);
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("rrapp2") && n.contains("reserved storage")));
    let restarts: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .collect();
    assert_eq!(restarts.len(), 2);
    assert!(restarts.iter().all(|s| s.group == Some(1)));
}

#[test]
fn remote_restart_follows_priorities() {
    let snapshots = estate();
    let choices = RemoteRestartChoices {
        priorities: vec![("srrweb".into(), 1), ("rrapp1".into(), 5)],
        parallelism: 1,
        ..Default::default()
    };
    let plan = remote_restart(EstateView::new(&snapshots), "p7-01", "p9-01", &choices).unwrap();
    let restarts: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .map(|s| s.line())
        .collect();
    assert!(restarts[0].ends_with("-p srrweb") && restarts[1].ends_with("-p rrapp1"));
}

#[test]
fn remote_restart_refusals() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let refused = |from: &str, to: &str, lpars: &[&str]| {
        let choices = RemoteRestartChoices {
            lpars: lpars.iter().map(|l| l.to_string()).collect(),
            parallelism: 1,
            ..Default::default()
        };
        remote_restart(view, from, to, &choices).unwrap_err().reason
    };
    assert!(refused("p9-01", "p9-02", &[]).contains("p9-01 is Operating"));
    assert!(refused("p7-01", "off-01", &[]).contains("must be Operating"));
    assert!(refused("p7-01", "p10-01", &[]).contains("stays on one HMC"));
    assert!(refused("p7-01", "p9-01", &["rrapp2"]).contains("reserved storage device"));
    assert!(refused("p7-01", "p9-01", &["neveron"]).contains("Invalid"));
    assert!(refused("p7-01", "p9-01", &["plain"]).contains("not a remote-restart-capable"));
    assert!(refused("nosuch", "p9-01", &[]).contains("no managed system"));
    let choices = RemoteRestartChoices::default();
    let kind = |from: &str, to: &str| remote_restart(view, from, to, &choices).unwrap_err().kind;
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
    let kept = cleanup(
        view,
        "p8-back",
        CleanupChoices {
            retain_devices: true,
        },
    )
    .unwrap();
    assert_eq!(
        kept.steps[1].line(),
        "LANG=C rrstartlpar -o cleanup -m p8-back -p gone1 --retaindev"
    );
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
