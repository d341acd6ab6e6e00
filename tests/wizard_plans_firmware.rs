//! The firmware wizard's checks and the plans it adapts, on a small estate: the update
//! access key, the HMC's minimum level, a new release that needs `updlic -o u`, the
//! shutdown ladder (OS, then delayed, then immediate only as a chosen recovery), VIOS down
//! last and up first, `auto_start` held off over the IPL, an evacuation validated whole
//! before anything moves, and the back-out with what the permanent side really holds.

use std::time::SystemTime;

use powerdeck::config::SourceKind;
use powerdeck::estate::{
    FirmwareLevels, HmcVersion, Lpar, ManagedSystem, Profile, RetrievableLevels,
};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::hmc;
use powerdeck::wizard::capacity::{CapacityFacts, PartitionSize};
use powerdeck::wizard::firmware::EvacuationFacts;
use powerdeck::wizard::{
    self, Condition, Disruptive, EstateView, FirmwareChoices, FirmwareFacts, FirmwareRepo,
    OnFailure, Plan, PlanError, PlanErrorKind, Step, StepKind,
};

fn system(record: &str, levels: (u32, u32, u32), lpars: &str) -> SystemData {
    let mut system = hmc::parse::<ManagedSystem>(record).unwrap().items.remove(0);
    system.firmware = Some(FirmwareLevels {
        ecnumber: Some("01VH950".into()),
        activated_level: Some(levels.0),
        installed_level: Some(levels.1),
        accepted_level: Some(levels.2),
        ..Default::default()
    });
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

const P9: &str = "\"lpar_proc_compat_modes=default,POWER7,POWER8,POWER9\"";
const CLIENT: &str =
    "lpar_env=aixlinux,state=Running,auto_start=0,curr_lpar_proc_compat_mode=POWER9";

fn estate() -> Vec<SourceSnapshot> {
    let systems = vec![
        // Two VIOS, three clients of different priorities, one without RMC, one down
        // with auto_start, one with auto_start running.
        system(
            &format!("name=p9-fw,type_model=9080-M9S,serial_num=13E8F2X,state=Operating,{P9}"),
            (105, 105, 105),
            &format!(
                "name=vios2,lpar_id=2,lpar_env=vioserver,state=Running,rmc_state=active,auto_start=1,default_profile=vios2p\n\
                 name=vios1,lpar_id=1,lpar_env=vioserver,state=Running,rmc_state=active,auto_start=1,default_profile=vios1p\n\
                 name=db01,lpar_id=3,{CLIENT},rmc_state=active,lpar_avail_priority=250,curr_profile=dbprof\n\
                 name=web01,lpar_id=4,{CLIENT},rmc_state=active,lpar_avail_priority=50\n\
                 name=batch01,lpar_id=5,lpar_env=aixlinux,state=Running,rmc_state=inactive,auto_start=1,curr_lpar_proc_compat_mode=POWER9,lpar_avail_priority=10\n\
                 name=spare01,lpar_id=6,lpar_env=aixlinux,state=Not Activated,auto_start=1\n"
            ),
        ),
        system(
            &format!("name=p9-big,type_model=9009-42A,serial_num=7800BIG,state=Operating,active_lpar_mobility_capable=1,{P9}"),
            (131, 131, 131),
            "",
        ),
        system(
            "name=p8-old,type_model=8286-42A,serial_num=2100OLD,state=Operating,active_lpar_mobility_capable=1,\"lpar_proc_compat_modes=default,POWER7,POWER8\"",
            (131, 131, 131),
            "",
        ),
        system(
            "name=p7-fw,type_model=9117-MMD,serial_num=1000P7X,state=Operating,\"lpar_proc_compat_modes=default,POWER6,POWER6+,POWER7\"",
            (84, 84, 84),
            "",
        ),
        system(
            &format!("name=p10-acc,type_model=9080-HEX,serial_num=78DC41X,state=Operating,{P9}"),
            (70, 70, 65),
            "",
        ),
        system(
            &format!("name=p9-stale,type_model=9009-42A,serial_num=7800STL,state=Operating,{P9}"),
            (105, 105, 105),
            "name=gone01,lpar_id=3,lpar_env=aixlinux,state=Not Activated,auto_start=0,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restarted\n",
        ),
        system(
            &format!("name=p9-blind,type_model=9009-42A,serial_num=7800BLD,state=Operating,{P9}"),
            (105, 105, 105),
            "name=what01,lpar_id=3,lpar_env=aixlinux,state=Running,rmc_state=active\n",
        ),
    ];
    vec![SourceSnapshot {
        name: "hmc01".into(),
        kind: SourceKind::Hmc,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: Some(SystemTime::now()),
        stale: false,
        data: SourceData::Hmc(systems),
    }]
}

fn profile(lpar: &str, name: &str, slots: &str) -> Profile {
    hmc::parse::<Profile>(&format!("name={name},lpar_name={lpar},io_slots={slots}\n"))
        .unwrap()
        .items
        .remove(0)
}

fn size(lpar: &str, profile: &str, memory_mb: u64) -> PartitionSize {
    PartitionSize {
        lpar: lpar.into(),
        profile: profile.into(),
        memory_mb,
        proc_units: 1.0,
    }
}

/// A valid key, HMC V10R2M1050, concurrent 131 and disruptive 145 offered, and room on
/// the evacuation target for every client, none with physical I/O.
fn facts() -> FirmwareFacts {
    FirmwareFacts {
        system_time: Some("06/14/2025 02:47:13".into()),
        access_key_expiry: Some("04/01/2040".into()),
        hmc_version: Some(HmcVersion {
            version: Some("10".into()),
            release: Some("2".into()),
            service_pack: Some("1050".into()),
            ..Default::default()
        }),
        retrievable: RetrievableLevels {
            release: None,
            concurrent_level: Some(131),
            disruptive_level: Some(145),
        },
        evacuation: Some(EvacuationFacts {
            capacity: CapacityFacts {
                free_memory_mb: 64 * 1024,
                free_proc_units: 16.0,
                sizes: vec![
                    size("db01", "dbprof", 16384),
                    size("web01", "default_profile", 8192),
                    size("batch01", "default_profile", 8192),
                ],
            },
            profiles: vec![
                profile("db01", "dbprof", "none"),
                profile("web01", "default_profile", "none"),
                profile("batch01", "default_profile", "none"),
            ],
        }),
    }
}

fn plan(system: &str, choices: &FirmwareChoices, facts: &FirmwareFacts) -> Result<Plan, PlanError> {
    let snapshots = estate();
    wizard::firmware(EstateView::new(&snapshots), system, choices, facts)
}

fn refused(system: &str, choices: &FirmwareChoices, facts: &FirmwareFacts) -> PlanError {
    plan(system, choices, facts).unwrap_err()
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(|s| s.line()).collect()
}

fn shutdown() -> FirmwareChoices {
    FirmwareChoices {
        disruptive: Some(Disruptive::Shutdown),
        ..Default::default()
    }
}

fn recovery(step: &Step) -> &[Step] {
    match &step.on_failure {
        OnFailure::Recover(steps) => steps,
        OnFailure::Stop | OnFailure::Decide { .. } => &[],
    }
}

#[test]
fn an_expired_update_access_key_refuses_the_update() {
    let expired = FirmwareFacts {
        access_key_expiry: Some("05/31/2025".into()),
        ..facts()
    };
    let error = refused("p9-fw", &FirmwareChoices::default(), &expired);
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("the update access key of p9-fw expired on 05/31/2025"),
        "{}",
        error.reason
    );
    // Expiring in 17 days: planned, with a warning.
    let soon = FirmwareFacts {
        access_key_expiry: Some("07/01/2025".into()),
        ..facts()
    };
    let planned = plan("p9-fw", &FirmwareChoices::default(), &soon).unwrap();
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.contains("expires in 17 days (07/01/2025)")),
        "{:?}",
        planned.notes
    );
}

#[test]
fn an_unreadable_key_cannot_tell_except_on_power7() {
    let unread = FirmwareFacts {
        access_key_expiry: None,
        ..facts()
    };
    let error = refused("p9-fw", &FirmwareChoices::default(), &unread);
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    assert!(error.reason.contains("update_access_key_exp_date"));
    let garbled = FirmwareFacts {
        access_key_expiry: Some("someday".into()),
        ..facts()
    };
    assert_eq!(
        refused("p9-fw", &FirmwareChoices::default(), &garbled).kind,
        PlanErrorKind::CannotTell
    );
    let p7 = FirmwareFacts {
        access_key_expiry: None,
        retrievable: RetrievableLevels {
            concurrent_level: Some(86),
            disruptive_level: Some(86),
            release: None,
        },
        ..facts()
    };
    let planned = plan("p7-fw", &FirmwareChoices::default(), &p7).unwrap();
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("POWER7 or older system: no update access key")));
}

#[test]
fn the_hmc_must_reach_the_minimum_level_of_the_readme() {
    let wants = |minimum: &str| FirmwareChoices {
        min_hmc: Some(minimum.into()),
        ..Default::default()
    };
    let error = refused("p9-fw", &wants("V10R3M1060"), &facts());
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("hmc01 runs V10R2M1050, below V10R3M1060"),
        "{}",
        error.reason
    );
    let planned = plan("p9-fw", &wants("V9R1M940"), &facts()).unwrap();
    assert!(planned
        .notes
        .iter()
        .any(|n| n == "hmc01 runs V10R2M1050, at least V9R1M940"));
    assert_eq!(
        refused("p9-fw", &wants("newest"), &facts()).kind,
        PlanErrorKind::Invalid
    );
    let blind = FirmwareFacts {
        hmc_version: None,
        ..facts()
    };
    assert_eq!(
        refused("p9-fw", &wants("V9R1M940"), &blind).kind,
        PlanErrorKind::CannotTell
    );
    // Without a minimum the plan names the HMC's level to compare with the readme.
    let planned = plan("p9-fw", &FirmwareChoices::default(), &facts()).unwrap();
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("minimum HMC level: hmc01 runs V10R2M1050")));
}

#[test]
fn a_new_release_is_an_upgrade_with_updlic_o_u() {
    let release_only = FirmwareFacts {
        retrievable: RetrievableLevels {
            release: Some("01VH960".into()),
            concurrent_level: None,
            disruptive_level: None,
        },
        ..facts()
    };
    let error = refused("p9-fw", &FirmwareChoices::default(), &release_only);
    assert_eq!(error.kind, PlanErrorKind::NothingToDo);
    assert!(
        error.reason.contains("new release 01VH960") && error.reason.contains("--upgrade"),
        "{}",
        error.reason
    );
    let upgrade = FirmwareChoices {
        upgrade: true,
        ..shutdown()
    };
    let planned = plan("p9-fw", &upgrade, &release_only).unwrap();
    let lines = lines(&planned);
    assert!(lines.contains(
        &"LANG=C updlic -o u -m p9-fw -t sys -r ibmwebsite -l latest --allowpoweroff".to_string()
    ));
    assert!(!lines.iter().any(|l| l.contains("updlic -o a")));
    assert!(planned.title.contains("upgrade"));
    let release = Condition::HmcAttribute {
        record: None,
        attribute: "retrievable_release".into(),
        value: "01VH960".into(),
    };
    assert_eq!(planned.steps[3].until, Some(release));
    let verify = planned
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Verify)
        .unwrap();
    assert_eq!(
        verify.until,
        Some(Condition::HmcAttribute {
            record: None,
            attribute: "ecnumber".into(),
            value: "01VH960".into(),
        })
    );
    // An upgrade is always disruptive, and needs a release to go to.
    let concurrent = FirmwareChoices {
        upgrade: true,
        ..Default::default()
    };
    assert_eq!(
        refused("p9-fw", &concurrent, &release_only).kind,
        PlanErrorKind::Invalid
    );
    assert_eq!(
        refused("p9-fw", &upgrade, &facts()).kind,
        PlanErrorKind::NothingToDo
    );
    // A release offered beside newer levels is named, the update stays within the release.
    let both = FirmwareFacts {
        retrievable: RetrievableLevels {
            release: Some("01VH960".into()),
            ..facts().retrievable
        },
        ..facts()
    };
    let planned = plan("p9-fw", &FirmwareChoices::default(), &both).unwrap();
    assert!(planned
        .notes
        .iter()
        .any(|n| n.contains("01VH960") && n.contains("stays within the release")));
}

#[test]
fn a_level_the_repository_does_not_offer_concurrently_is_refused() {
    let at = |level| FirmwareChoices {
        level: Some(level),
        ..Default::default()
    };
    let error = refused("p9-fw", &at(145), &facts());
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("cannot be activated concurrently"));
    assert_eq!(
        refused("p9-fw", &at(150), &facts()).kind,
        PlanErrorKind::Refused
    );
    let restart_only = FirmwareFacts {
        retrievable: RetrievableLevels {
            release: None,
            concurrent_level: None,
            disruptive_level: Some(145),
        },
        ..facts()
    };
    let error = refused("p9-fw", &FirmwareChoices::default(), &restart_only);
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("choose a disruptive update"));
    assert!(plan(
        "p9-fw",
        &FirmwareChoices {
            repository: FirmwareRepo::Disk,
            ..shutdown()
        },
        &restart_only
    )
    .is_ok());
}

#[test]
fn partitions_go_down_through_their_os_vios_last_and_never_immediately_by_default() {
    let planned = plan("p9-fw", &shutdown(), &facts()).unwrap();
    let lines = lines(&planned);
    // Each change, from its first word after `-m p9-fw`.
    let changes: Vec<String> = planned
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .map(|s| {
            let line = s.line();
            line.split_once("-m p9-fw ")
                .map_or(line.clone(), |(_, rest)| rest.to_string())
        })
        .collect();
    assert_eq!(
        changes,
        [
            // Lowest availability priority first; batch01 has no RMC: delayed shutdown.
            "-o shutdown -n batch01",
            "-o osshutdown -n web01",
            "-o osshutdown -n db01",
            // The VIOS after every client.
            "-o osshutdown -n vios1",
            "-o osshutdown -n vios2",
            // Nothing may start by itself after the IPL.
            "-i name=vios2,auto_start=0",
            "-i name=vios1,auto_start=0",
            "-i name=batch01,auto_start=0",
            "-i name=spare01,auto_start=0",
            "-t sys -r ibmwebsite -l latest --allowpoweroff",
            // VIOS first, then the clients, highest priority first.
            "-o on -n vios1 -f vios1p",
            "-o on -n vios2 -f vios2p",
            "-o on -n db01 -f dbprof",
            "-o on -n web01",
            "-o on -n batch01",
            // auto_start as it was.
            "-i name=vios2,auto_start=1",
            "-i name=vios1,auto_start=1",
            "-i name=batch01,auto_start=1",
            "-i name=spare01,auto_start=1",
        ],
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("--immed")), "{lines:#?}");
    // The VIOS wait for RMC before any client starts.
    let vios_wait = planned
        .steps
        .iter()
        .find(|s| {
            s.kind == StepKind::Wait
                && s.line()
                    .contains("lpar_names=vios2 -F name,state,rmc_state")
        })
        .unwrap();
    assert!(matches!(&vios_wait.until, Some(Condition::All(all)) if all.len() == 2));
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.contains("not running before the update, so not started after it: spare01")),
        "{:?}",
        planned.notes
    );
    assert!(
        planned
            .notes
            .iter()
            .any(|n| n.contains("must not start by themselves after the IPL")
                && n.contains("spare01"))
    );
}

#[test]
fn each_shutdown_rung_offers_the_next_one_only_as_its_recovery() {
    let planned = plan("p9-fw", &shutdown(), &facts()).unwrap();
    let step = |line: &str| {
        planned
            .steps
            .iter()
            .find(|s| s.line() == line)
            .unwrap_or_else(|| panic!("no step {line}"))
    };
    let os = step("LANG=C chsysstate -r lpar -m p9-fw -o osshutdown -n web01");
    let delayed = recovery(os);
    assert_eq!(
        delayed.iter().map(Step::line).collect::<Vec<_>>(),
        [
            "LANG=C chsysstate -r lpar -m p9-fw -o shutdown -n web01",
            "LANG=C lssyscfg -r lpar -m p9-fw --filter lpar_names=web01 -F name,state",
        ]
    );
    // The wait after the OS shutdown offers the same delayed rung.
    let position = planned.steps.iter().position(|s| s == os).unwrap();
    let wait = &planned.steps[position + 1];
    assert_eq!(wait.kind, StepKind::Wait);
    assert_eq!(recovery(wait), delayed);
    // Only the delayed rung's wait offers the immediate shutdown, as a last resort.
    let immediate = recovery(&delayed[1]);
    assert_eq!(
        immediate[0].line(),
        "LANG=C chsysstate -r lpar -m p9-fw -o shutdown -n web01 --immed"
    );
    assert!(immediate[0].why.starts_with("LAST RESORT"));
    assert!(recovery(&delayed[0]).is_empty());
    // Without RMC the ladder starts at the delayed rung.
    let batch = step("LANG=C chsysstate -r lpar -m p9-fw -o shutdown -n batch01");
    assert!(recovery(batch).is_empty());
}

#[test]
fn an_evacuation_validates_every_move_before_the_first_one() {
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: "p9-big".into(),
            shutdown: vec!["batch01".into()],
        }),
        ..Default::default()
    };
    let planned = plan("p9-fw", &choices, &facts()).unwrap();
    let lines = lines(&planned);
    let validations: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains("migrlpar -o v"))
        .collect();
    let moves: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains("migrlpar -o m"))
        .collect();
    assert_eq!(validations.len(), 2, "{lines:#?}");
    assert_eq!(moves.len(), 2);
    assert!(validations.iter().all(|v| v < &moves[0]), "{lines:#?}");
    assert!(planned
        .notes
        .iter()
        .any(|n| n.starts_with("capacity: 2 partition(s) need 24576 MB")));
}

#[test]
fn a_partition_that_cannot_move_stops_the_plan_while_it_is_a_plan() {
    let evacuate = |target: &str| FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: target.into(),
            shutdown: vec!["batch01".into()],
        }),
        ..Default::default()
    };
    // Physical I/O.
    let mut adapters = facts();
    adapters.evacuation.as_mut().unwrap().profiles[1] =
        profile("web01", "default_profile", "21010203/none/1");
    let error = refused("p9-fw", &evacuate("p9-big"), &adapters);
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.starts_with(
            "web01 cannot be evacuated to p9-big: it owns physical I/O slots (21010203/none/1)"
        ),
        "{}",
        error.reason
    );
    // Room for one of the two only.
    let mut small = facts();
    small.evacuation.as_mut().unwrap().capacity.free_memory_mb = 20_000;
    let error = refused("p9-fw", &evacuate("p9-big"), &small);
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(error.reason.contains("only db01 fit"), "{}", error.reason);
    // A POWER9 partition cannot land on a POWER8.
    let error = refused("p9-fw", &evacuate("p8-old"), &facts());
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("runs in POWER9 mode, which p8-old does not support"),
        "{}",
        error.reason
    );
    // Facts not read: cannot tell.
    let unread = FirmwareFacts {
        evacuation: None,
        ..facts()
    };
    assert_eq!(
        refused("p9-fw", &evacuate("p9-big"), &unread).kind,
        PlanErrorKind::CannotTell
    );
}

#[test]
fn a_disruptive_update_waits_for_cleanup_and_for_known_auto_start() {
    let error = refused("p9-stale", &shutdown(), &facts());
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.contains("gone01 is the stale copy") && error.reason.contains("cleanup"),
        "{}",
        error.reason
    );
    // Concurrent updates do not restart anything: the stale copy does not matter.
    assert!(plan("p9-stale", &FirmwareChoices::default(), &facts()).is_ok());
    let error = refused("p9-blind", &shutdown(), &facts());
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    assert!(error.reason.contains("auto_start is not listed"));
}

#[test]
fn the_back_out_goes_to_the_level_the_install_copied_to_the_permanent_side() {
    // p10-acc runs 70, never accepted (65): the install copies 70 to the permanent side.
    let planned = plan("p10-acc", &FirmwareChoices::default(), &facts()).unwrap();
    let note = planned
        .notes
        .iter()
        .find(|n| n.starts_with("back-out:"))
        .unwrap();
    assert!(
        note.contains(
            "copies the level there (70) to the permanent side, replacing the accepted level 65"
        ) && note.contains("`updlic -o r -m p10-acc` removes it and activates level 70 again"),
        "{note}"
    );
    let verify = planned.steps.last().unwrap();
    assert_eq!(verify.kind, StepKind::Verify);
    let back = recovery(verify);
    assert_eq!(back[0].line(), "LANG=C updlic -o r -m p10-acc");
    assert_eq!(
        back[1].until,
        Some(Condition::FirmwareLevel {
            system: "p10-acc".into(),
            which: wizard::LicLevelKind::Activated,
            min: 70,
            max: Some(70),
        })
    );
    // Disruptive: the back-out may power the system off again.
    let planned = plan("p9-fw", &shutdown(), &facts()).unwrap();
    let verify = planned
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Verify)
        .unwrap();
    assert_eq!(
        recovery(verify)[0].line(),
        "LANG=C updlic -o r -m p9-fw --allowpoweroff"
    );
}
