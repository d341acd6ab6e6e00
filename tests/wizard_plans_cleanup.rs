//! The cleanup wizard's checks and the plans it adapts, on a small estate: `--retaindev`
//! only for reserved storage, the source's VIOS running with RMC first (started when
//! down, the system powered on to Standby when off), the restarted twin seen running, a
//! failed cleanup's `--force` as a recovery step or behind its own attestation, and the
//! warning never to start the stale copies.

use std::time::SystemTime;

use powerdeck::config::SourceKind;
use powerdeck::estate::{Lpar, ManagedSystem};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::hmc;
use powerdeck::wizard::{
    cleanup, CleanupChoices, Condition, EstateView, OnFailure, Plan, PlanError, PlanErrorKind,
    StepKind,
};

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

fn snapshot(name: &str, systems: Vec<SystemData>) -> SourceSnapshot {
    SourceSnapshot {
        name: name.into(),
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

const VIOS_UP: &str = "lpar_env=vioserver,state=Running,rmc_state=active";
const SRR_STALE: &str = "lpar_env=aixlinux,state=Not Activated,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restarted";
const RR_STALE: &str = "lpar_env=aixlinux,state=Not Activated,remote_restart_capable=1,simplified_remote_restart_capable=0,remote_restart_status=Remote Restarted,rs_device_name=hdisk988";
const TWIN: &str = "lpar_env=aixlinux,state=Running,rmc_state=active,remote_restart_capable=0,simplified_remote_restart_capable=1";

fn estate() -> Vec<SourceSnapshot> {
    vec![
        snapshot(
            "hmc01",
            vec![
                // Back, VIOS up: one simplified and one PowerVM copy, both restarted on
                // p9-dr; the simplified one has auto_start=1.
                system(
                    "name=p8-back,type_model=8286-42A,serial_num=2100AAA,state=Operating",
                    &format!(
                        "name=vios1,lpar_id=1,{VIOS_UP}\n\
                         name=vios2,lpar_id=2,{VIOS_UP}\n\
                         name=app01,lpar_id=3,{SRR_STALE},auto_start=1\n\
                         name=ora01,lpar_id=4,{RR_STALE}\n"
                    ),
                ),
                // Standby: one VIOS down, one up without RMC yet.
                system(
                    "name=p8-standby,type_model=8286-42A,serial_num=2100BBB,state=Standby",
                    &format!(
                        "name=sb-vios1,lpar_id=1,lpar_env=vioserver,state=Not Activated,default_profile=vios1prof\n\
                         name=sb-vios2,lpar_id=2,lpar_env=vioserver,state=Running,rmc_state=inactive\n\
                         name=app02,lpar_id=3,{SRR_STALE}\n"
                    ),
                ),
                // Powered off after its repair.
                system(
                    "name=p8-off,type_model=8286-42A,serial_num=2100CCC,state=Power Off",
                    &format!(
                        "name=off-vios1,lpar_id=1,lpar_env=vioserver,state=Not Activated\n\
                         name=app03,lpar_id=3,{SRR_STALE}\n"
                    ),
                ),
                // A VIOS stuck in Open Firmware.
                system(
                    "name=p8-sms,type_model=8286-42A,serial_num=2100DDD,state=Operating",
                    &format!(
                        "name=sms-vios1,lpar_id=1,lpar_env=vioserver,state=Open Firmware\n\
                         name=app09,lpar_id=3,{SRR_STALE}\n"
                    ),
                ),
                // app04 was restarted on a system of another HMC.
                system(
                    "name=p8-x,type_model=8286-42A,serial_num=2100HHH,state=Operating",
                    &format!("name=x-vios1,lpar_id=1,{VIOS_UP}\nname=app04,lpar_id=3,{SRR_STALE}\n"),
                ),
                // A cleanup that failed before.
                system(
                    "name=p8-failed,type_model=8286-42A,serial_num=2100EEE,state=Operating",
                    &format!(
                        "name=f-vios1,lpar_id=1,{VIOS_UP}\n\
                         name=app05,lpar_id=3,lpar_env=aixlinux,state=Not Activated,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Source Side Cleanup Failed\n\
                         name=app06,lpar_id=4,lpar_env=aixlinux,state=Not Activated,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Source Side Cleanup Failed\n"
                    ),
                ),
                // Its twin was shut down on the target.
                system(
                    "name=p8-early,type_model=8286-42A,serial_num=2100FFF,state=Operating",
                    &format!("name=e-vios1,lpar_id=1,{VIOS_UP}\nname=app07,lpar_id=3,{SRR_STALE}\n"),
                ),
                system(
                    "name=p8-down,type_model=8286-42A,serial_num=2100GGG,state=Error",
                    &format!("name=app08,lpar_id=3,{SRR_STALE}\n"),
                ),
                system(
                    "name=p9-dr,type_model=9009-42A,serial_num=7800AAA,state=Operating",
                    &format!(
                        "name=app01,lpar_id=7,{TWIN}\n\
                         name=ora01,lpar_id=8,{TWIN}\n\
                         name=app02,lpar_id=9,{TWIN}\n\
                         name=app03,lpar_id=10,{TWIN}\n\
                         name=app05,lpar_id=11,{TWIN}\n\
                         name=app07,lpar_id=12,lpar_env=aixlinux,state=Not Activated\n"
                    ),
                ),
            ],
        ),
        // app04's twin runs behind another HMC.
        snapshot(
            "hmc02",
            vec![system(
                "name=p10-far,type_model=9080-HEX,serial_num=7900AAA,state=Operating",
                &format!("name=app04,lpar_id=3,{TWIN}\n"),
            )],
        ),
    ]
}

fn plan(system: &str, retain_devices: bool) -> Result<Plan, PlanError> {
    let snapshots = estate();
    cleanup(
        EstateView::new(&snapshots),
        system,
        CleanupChoices { retain_devices },
    )
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(|s| s.line()).collect()
}

#[test]
fn retaindev_only_for_a_partition_with_a_reserved_storage_device() {
    let planned = plan("p8-back", true).unwrap();
    let lines = lines(&planned);
    assert!(lines.contains(&"LANG=C rrstartlpar -o cleanup -m p8-back -p app01".to_string()));
    assert!(lines
        .contains(&"LANG=C rrstartlpar -o cleanup -m p8-back -p ora01 --retaindev".to_string()));
    let app01 = planned
        .steps
        .iter()
        .find(|s| s.line() == "LANG=C rrstartlpar -o cleanup -m p8-back -p app01")
        .unwrap();
    assert!(!app01.why.contains("reserved"), "{}", app01.why);
    let note = planned
        .notes
        .iter()
        .find(|n| n.starts_with("stale copies to remove"))
        .unwrap();
    assert!(
        note.contains("app01 (simplified remote restart: its configuration is on the HMC, no reserved storage device, runs on p9-dr)")
            && note.contains("ora01 (PowerVM remote restart: its reserved storage device stays in the pool"),
        "{note}"
    );
    // Only simplified copies: --retaindev makes no sense.
    let error = plan("p8-standby", true).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Invalid);
    assert!(error
        .reason
        .contains("simplified remote restart keeps its data on the HMC"));
}

#[test]
fn the_source_vios_run_with_rmc_before_any_cleanup() {
    let planned = plan("p8-back", false).unwrap();
    let first_cleanup = planned
        .steps
        .iter()
        .position(|s| s.line().contains("rrstartlpar -o cleanup"))
        .unwrap();
    let vios: Vec<_> = planned.steps[..first_cleanup]
        .iter()
        .filter(|s| s.line().contains("-F name,state,rmc_state"))
        .collect();
    assert_eq!(vios.len(), 2);
    assert!(vios.iter().all(|s| s.kind == StepKind::Check));
    assert!(matches!(&vios[0].until, Some(Condition::All(all)) if all.len() == 2));

    // Standby: the stopped VIOS is started (and nothing else), the running one awaited.
    let planned = plan("p8-standby", false).unwrap();
    assert_eq!(
        lines(&planned)[1..4],
        [
            "LANG=C chsysstate -r lpar -m p8-standby -o on -n sb-vios1 -f vios1prof",
            "LANG=C lssyscfg -r lpar -m p8-standby --filter lpar_names=sb-vios1 -F name,state,rmc_state",
            "LANG=C lssyscfg -r lpar -m p8-standby --filter lpar_names=sb-vios2 -F name,state,rmc_state",
        ]
    );
    assert_eq!(planned.steps[2].kind, StepKind::Wait);
    assert_eq!(planned.steps[3].kind, StepKind::Wait);
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("sb-vios1 started first, and nothing else")));

    // A VIOS in any other state stops the plan.
    let error = plan("p8-sms", false).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("VIOS sms-vios1 is Open Firmware"));
}

#[test]
fn a_powered_off_source_comes_up_to_standby_and_only_its_vios_start() {
    let planned = plan("p8-off", false).unwrap();
    assert_eq!(
        lines(&planned)[..5],
        [
            "LANG=C lssyscfg -r sys -m p8-off -F name,state",
            "LANG=C chsysstate -r sys -m p8-off -o onstandby",
            "LANG=C lssyscfg -r sys -m p8-off -F name,state",
            "LANG=C chsysstate -r lpar -m p8-off -o on -n off-vios1",
            "LANG=C lssyscfg -r lpar -m p8-off --filter lpar_names=off-vios1 -F name,state,rmc_state",
        ]
    );
    assert!(!lines(&planned).iter().any(|l| l.contains("-o on -n app03")));
    let error = plan("p8-down", false).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("p8-down is Error"));
}

#[test]
fn the_restarted_twin_must_run_and_a_failed_cleanup_offers_force_as_recovery() {
    let planned = plan("p8-back", false).unwrap();
    let at = planned
        .steps
        .iter()
        .position(|s| s.line() == "LANG=C rrstartlpar -o cleanup -m p8-back -p app01")
        .unwrap();
    let twin = &planned.steps[at - 1];
    assert_eq!(twin.kind, StepKind::Check);
    assert_eq!(
        twin.line(),
        "LANG=C lssyscfg -r lpar -m p9-dr --filter lpar_names=app01 -F name,state"
    );
    let OnFailure::Recover(recovery) = &planned.steps[at].on_failure else {
        panic!("no recovery for the cleanup");
    };
    assert_eq!(
        recovery.iter().map(|s| s.line()).collect::<Vec<_>>(),
        [
            "LANG=C lssyscfg -r lpar -m p9-dr --filter lpar_names=app01 -F name,state",
            "LANG=C rrstartlpar -o cleanup -m p8-back -p app01 --force",
            "LANG=C lssyscfg -r lpar -m p8-back --filter lpar_names=app01 -F name,state",
        ]
    );
    assert!(!lines(&planned).iter().any(|l| l.contains("--force")));
    assert!(planned.attestation.is_none());
    // The twin behind another HMC is checked there.
    let far = plan("p8-x", false).unwrap();
    let check = far
        .steps
        .iter()
        .find(|s| {
            s.line() == "LANG=C lssyscfg -r lpar -m p10-far --filter lpar_names=app04 -F name,state"
        })
        .unwrap();
    assert_eq!(check.host, "hmc02");
    // A twin that is not running stops the plan.
    let error = plan("p8-early", false).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("the restarted copy of app07 on p9-dr is Not Activated"),
        "{}",
        error.reason
    );
}

#[test]
fn a_cleanup_that_failed_before_is_forced_behind_its_own_attestation() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    // app06's twin is nowhere to be seen: no forced cleanup for it.
    let error = cleanup(view, "p8-failed", CleanupChoices::default()).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("the last cleanup of app06 failed"));
    // Without app06, app05's forced cleanup is planned after its twin's check.
    let mut trimmed = estate();
    if let SourceData::Hmc(systems) = &mut trimmed[0].data {
        for system in systems.iter_mut() {
            system.lpars.retain(|l| l.name != "app06");
        }
    }
    let planned = cleanup(
        EstateView::new(&trimmed),
        "p8-failed",
        CleanupChoices::default(),
    )
    .unwrap();
    let lines = lines(&planned);
    let force = lines
        .iter()
        .position(|l| l == "LANG=C rrstartlpar -o cleanup -m p8-failed -p app05 --force")
        .unwrap();
    assert_eq!(
        lines[force - 1],
        "LANG=C lssyscfg -r lpar -m p9-dr --filter lpar_names=app05 -F name,state"
    );
    let attestation = planned.attestation.as_ref().unwrap();
    assert_eq!(attestation.phrase, "force cleanup of p8-failed");
    assert!(attestation.statement.contains("Source Side Cleanup Failed"));
}

#[test]
fn the_plan_warns_never_to_start_the_stale_copies() {
    let planned = plan("p8-back", false).unwrap();
    assert!(planned
        .notes
        .iter()
        .any(|n| n.starts_with("never start app01, ora01 on p8-back")));
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("auto_start=1 on the stale copies of app01")
            && n.contains("only to Standby")));
    // A twin powerdeck cannot see is said, and gets no forced recovery.
    let snapshots = estate();
    let only_hmc01 = &snapshots[..1];
    let planned = cleanup(
        EstateView::new(only_hmc01),
        "p8-x",
        CleanupChoices::default(),
    )
    .unwrap();
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.starts_with("the restarted copy of app04 is on no system powerdeck reads")),
        "{:?}",
        planned.notes
    );
    let step = planned
        .steps
        .iter()
        .find(|s| s.line() == "LANG=C rrstartlpar -o cleanup -m p8-x -p app04")
        .unwrap();
    assert_eq!(step.on_failure, OnFailure::Stop);
}
