//! Wizards II plan builders on small estates: every precondition branch, the plans'
//! exact command lines, and hostile names quoted. Also the command builders added for
//! them (`mount`, `lsfs -u`, `lsvg`, `c_rsh`), through a real shell.

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use powerdeck::config::SourceKind;
use powerdeck::estate::{
    FirmwareLevels, HmcVersion, Lpar, ManagedSystem, MigrationState, Profile, RetrievableLevels,
    Wpar,
};
use powerdeck::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sources::aix::commands as aix;
use powerdeck::sources::command::{Effect, RemoteCommand};
use powerdeck::sources::nim::commands::{self as nim, ClientCommand};
use powerdeck::sources::nim::output::{FileSystem, LogicalVolume};
use powerdeck::sources::{aix as aix_parse, hmc, nim as nim_parse};
use powerdeck::wizard::aix_checks::MountEntry;
use powerdeck::wizard::capacity::{CapacityFacts, PartitionSize};
use powerdeck::wizard::firmware::EvacuationFacts;
use powerdeck::wizard::nim::reset::{self, Sample};
use powerdeck::wizard::nim::{nimadm, OldMasterAnswer};
use powerdeck::wizard::{
    self, wpar_move, wpar_recovery, Condition, Disruptive, EstateView, FirmwareChoices,
    FirmwareFacts, FirmwareRepo, NimResetFacts, NimSyncChoices, NimSyncFacts, NimadmChoices,
    NimadmFacts, OnFailure, Plan, PlanError, PlanErrorKind, SourceAfterMove, StepKind,
    TakeoverFacts, WparMoveChoices, WparMoveFacts, WparRecoveryChoices, WparRecoveryFacts,
};

// ---------------------------------------------------------------------------------------
// Estates

fn snapshot(name: &str, kind: SourceKind, data: SourceData) -> SourceSnapshot {
    SourceSnapshot {
        name: name.to_string(),
        kind,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: Some(SystemTime::now()),
        stale: false,
        data,
    }
}

fn levels(activated: u32, installed: u32, accepted: u32) -> Option<FirmwareLevels> {
    Some(FirmwareLevels {
        ecnumber: Some("01VH950".into()),
        activated_level: Some(activated),
        installed_level: Some(installed),
        accepted_level: Some(accepted),
        ..Default::default()
    })
}

fn system(record: &str, firmware: Option<FirmwareLevels>, lpars: &str) -> SystemData {
    let mut system = hmc::parse::<ManagedSystem>(record).unwrap().items.remove(0);
    system.firmware = firmware;
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

const RUN: &str = "lpar_env=aixlinux,state=Running,rmc_state=active,auto_start=0,curr_lpar_proc_compat_mode=POWER9";
const HOSTILE_LPAR: &str = "prd'; rm -rf /";

fn hmc_estate() -> Vec<SourceSnapshot> {
    let mut migrating = system(
        "name=p9-mig,type_model=9009-42A,serial_num=7800MIG,state=Operating",
        levels(105, 105, 105),
        &format!("name=moving1,lpar_id=3,{RUN}\n"),
    );
    migrating.lpars[0].migration_state = Some(MigrationState::InProgress);
    vec![
        snapshot(
            "hmc01",
            SourceKind::Hmc,
            SourceData::Hmc(vec![
                system(
                    "name=p9-fw,type_model=9080-M9S,serial_num=13E8F2X,state=Operating",
                    levels(105, 105, 105),
                    &format!(
                        "name=p9-fw-vios1,lpar_id=1,lpar_env=vioserver,state=Running,rmc_state=active,auto_start=1\n\
                         name=app01,lpar_id=3,{RUN}\n\
                         name=norm01,lpar_id=4,lpar_env=aixlinux,state=Running,rmc_state=inactive,auto_start=0,curr_lpar_proc_compat_mode=POWER9\n\
                         name=off01,lpar_id=5,lpar_env=aixlinux,state=Not Activated,auto_start=1\n\
                         name={HOSTILE_LPAR},lpar_id=6,{RUN}\n"
                    ),
                ),
                system(
                    "name=p9-spare,type_model=9009-42A,serial_num=7800SPR,state=Operating,active_lpar_mobility_capable=1,\"lpar_proc_compat_modes=default,POWER8,POWER9\"",
                    levels(131, 131, 131),
                    "",
                ),
                system(
                    "name=p9-idle,type_model=9009-42A,serial_num=7800IDL,state=Standby",
                    levels(80, 84, 80),
                    "name=idle-vios1,lpar_id=1,lpar_env=vioserver,state=Running,rmc_state=active,auto_start=1\n\
                     name=idle01,lpar_id=2,lpar_env=aixlinux,state=Not Activated,auto_start=0\n",
                ),
                system(
                    "name=p9-off,type_model=9009-42A,serial_num=7800OFF,state=Power Off",
                    None,
                    "",
                ),
                system(
                    "name=p9-blind,type_model=9009-42A,serial_num=7800BLD,state=Operating",
                    None,
                    "",
                ),
                system(
                    "name=p10-acc,type_model=9080-HEX,serial_num=78DC41X,state=Operating",
                    levels(70, 70, 65),
                    "",
                ),
                migrating,
            ]),
        ),
        snapshot(
            "hmc02",
            SourceKind::Hmc,
            SourceData::Hmc(vec![system(
                "name=p9-far,type_model=9009-42A,serial_num=7800FAR,state=Operating",
                levels(131, 131, 131),
                "",
            )]),
        ),
    ]
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(|s| s.line()).collect()
}

fn kinds(plan: &Plan) -> Vec<StepKind> {
    plan.steps.iter().map(|s| s.kind).collect()
}

/// What the firmware plans read: a valid key, an HMC, a repository offering concurrent
/// level 131 and disruptive level 145, and room on the evacuation target.
fn firmware_facts() -> FirmwareFacts {
    let size = |lpar: &str| PartitionSize {
        lpar: lpar.to_string(),
        profile: "default_profile".to_string(),
        memory_mb: 8192,
        proc_units: 1.0,
    };
    let profile = |lpar: &str| {
        hmc::parse::<Profile>(&format!(
            "name=default_profile,lpar_name={lpar},io_slots=none\n"
        ))
        .unwrap()
        .items
        .remove(0)
    };
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
                free_memory_mb: 1 << 20,
                free_proc_units: 64.0,
                sizes: vec![size("app01"), size(HOSTILE_LPAR), size("norm01")],
            },
            profiles: vec![profile("app01"), profile(HOSTILE_LPAR), profile("norm01")],
        }),
    }
}

// ---------------------------------------------------------------------------------------
// Firmware

#[test]
fn concurrent_firmware_update() {
    let snapshots = hmc_estate();
    let plan = wizard::firmware(
        EstateView::new(&snapshots),
        "p9-fw",
        &FirmwareChoices::default(),
        &firmware_facts(),
    )
    .unwrap();
    assert_eq!(plan.wizard, "firmware");
    assert_eq!(plan.confirm_name, "p9-fw");
    assert_eq!(
        lines(&plan),
        [
            "LANG=C lssyscfg -r sys -m p9-fw -F name,state",
            "LANG=C lslparmigr -r lpar -m p9-fw -F name,migration_state",
            "LANG=C lslic -m p9-fw -t sys -F activated_level,installed_level,accepted_level",
            "LANG=C lslic -m p9-fw -t sys -r ibmwebsite -F retrievable_release,concurrent_retrievable_level,disruptive_retrievable_level",
            "LANG=C updlic -o a -m p9-fw -t sys -r ibmwebsite -l latestconcurrent",
            "LANG=C lslic -m p9-fw -t sys -F activated_level",
        ]
    );
    assert_eq!(
        kinds(&plan),
        [
            StepKind::Check,
            StepKind::Check,
            StepKind::Check,
            StepKind::Check,
            StepKind::Change,
            StepKind::Verify
        ]
    );
    assert_eq!(plan.steps[1].until, Some(Condition::NoMigration));
    assert_eq!(
        plan.steps[3].until,
        Some(Condition::FirmwareRetrievable {
            concurrent: true,
            min: 106
        })
    );
    assert_eq!(
        plan.steps[5].until,
        Some(Condition::FirmwareLevel {
            system: "p9-fw".into(),
            which: wizard::LicLevelKind::Activated,
            min: 106,
            max: None
        })
    );
    assert!(plan.notes.iter().any(|n| n.contains("firmware-accept")));
    let script = plan.to_script();
    assert!(script.contains("#    repeat until p9-fw activated_level is 105 (at most 0 s)"));
    assert!(script.contains("the repository offers level 106 or above concurrently"));
}

#[test]
fn firmware_level_and_repositories() {
    let snapshots = hmc_estate();
    let view = EstateView::new(&snapshots);
    let choices = FirmwareChoices {
        level: Some(131),
        repository: FirmwareRepo::parse("mountpoint:/home/hscroot/fw/VH950").unwrap(),
        ..Default::default()
    };
    let plan = wizard::firmware(view, "p9-fw", &choices, &firmware_facts()).unwrap();
    assert_eq!(
        plan.steps[4].line(),
        "LANG=C updlic -o a -m p9-fw -t sys -r mountpoint -d /home/hscroot/fw/VH950 -l 131"
    );
    assert_eq!(
        plan.steps[5].until,
        Some(Condition::FirmwareLevel {
            system: "p9-fw".into(),
            which: wizard::LicLevelKind::Activated,
            min: 131,
            max: Some(131)
        })
    );
    let ftp = FirmwareChoices {
        repository: FirmwareRepo::parse("ftp:fixes.example.com:/pub/fw").unwrap(),
        ..Default::default()
    };
    assert_eq!(
        wizard::firmware(view, "p9-fw", &ftp, &firmware_facts()).unwrap().steps[4].line(),
        "LANG=C updlic -o a -m p9-fw -t sys -r ftp -h fixes.example.com -u anonymous -d /pub/fw -l latestconcurrent"
    );
    let sftp = FirmwareChoices {
        repository: FirmwareRepo::parse("sftp:fw@repo.example.com:/srv/fw 2").unwrap(),
        ..Default::default()
    };
    assert_eq!(
        wizard::firmware(view, "p9-fw", &sftp, &firmware_facts()).unwrap().steps[3].line(),
        "LANG=C lslic -m p9-fw -t sys -r sftp -h repo.example.com -u fw -d '/srv/fw 2' -F retrievable_release,concurrent_retrievable_level,disruptive_retrievable_level"
    );
    assert_eq!(FirmwareRepo::parse("disk").unwrap(), FirmwareRepo::Disk);
    for bad in [
        "",
        "cdrom",
        "mountpoint",
        "mountpoint:",
        "ftp",
        "ftp:",
        "sftp:@h",
        "ibmwebsite:x",
    ] {
        assert!(FirmwareRepo::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn firmware_refusals() {
    let snapshots = hmc_estate();
    let view = EstateView::new(&snapshots);
    let refused = |system: &str, choices: &FirmwareChoices| {
        wizard::firmware(view, system, choices, &firmware_facts())
            .unwrap_err()
            .reason
    };
    let plain = FirmwareChoices::default();
    assert!(refused("nosuch", &plain).contains("no managed system called nosuch"));
    assert!(refused("p9-off", &plain).contains("p9-off is Power Off"));
    assert!(refused("p9-blind", &plain).contains("could not be read"));
    assert!(refused("p9-mig", &plain).contains("moving1 is migrating"));
    let older = FirmwareChoices {
        level: Some(100),
        ..Default::default()
    };
    assert!(refused("p9-fw", &older).contains("already runs firmware level 105"));
    let power_off = FirmwareChoices {
        disruptive: Some(Disruptive::PowerOff),
        ..Default::default()
    };
    let why = refused("p9-fw", &power_off);
    assert!(
        why.contains("app01, norm01, prd'; rm -rf / are running"),
        "{why}"
    );
    assert!(why.contains("--disruptive-evacuate-to"));
    let evacuate = |target: &str, shutdown: &[&str]| FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: target.into(),
            shutdown: shutdown.iter().map(|s| s.to_string()).collect(),
        }),
        ..Default::default()
    };
    assert!(refused("p9-fw", &evacuate("p9-fw", &[])).contains("the system being updated"));
    assert!(refused("p9-fw", &evacuate("nosuch", &[])).contains("no managed system"));
    let why = refused("p9-fw", &evacuate("p9-spare", &[]));
    assert!(
        why.contains("norm01 cannot be evacuated to p9-spare")
            && why.contains("RMC")
            && why.contains("--shutdown-lpar"),
        "{why}"
    );
    assert!(
        refused("p9-fw", &evacuate("p9-far", &["norm01"])).contains("p9-far is managed by hmc02")
    );
    assert!(refused("p9-fw", &evacuate("p9-spare", &["off01"]))
        .contains("off01 is not a running client partition"));
}

#[test]
fn disruptive_update_with_evacuation_and_shutdowns() {
    let snapshots = hmc_estate();
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Evacuate {
            target: "p9-spare".into(),
            shutdown: vec!["norm01".into()],
        }),
        ..Default::default()
    };
    let plan = wizard::firmware(
        EstateView::new(&snapshots),
        "p9-fw",
        &choices,
        &firmware_facts(),
    )
    .unwrap();
    let lines = lines(&plan);
    // Both client partitions with RMC move, in partition order; norm01 is stopped.
    let moved: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("migrlpar -o m"))
        .collect();
    assert_eq!(
        moved,
        [
            "LANG=C migrlpar -o m -m p9-fw -t p9-spare -p app01",
            "LANG=C migrlpar -o m -m p9-fw -t p9-spare -p 'prd'\\''; rm -rf /'",
        ]
    );
    // Without RMC, norm01 gets a delayed shutdown, never an immediate one by default.
    assert!(lines.contains(&"LANG=C chsysstate -r lpar -m p9-fw -o shutdown -n norm01".to_string()));
    assert!(!lines.iter().any(|l| l.contains("--immed")));
    let at = |text: &str| lines.iter().position(|l| l.contains(text)).unwrap();
    let updlic = at("updlic -o a -m p9-fw -t sys -r ibmwebsite -l latest --allowpoweroff");
    assert!(at("osshutdown -n p9-fw-vios1") < updlic);
    assert!(at("-o on -n p9-fw-vios1") > updlic);
    assert_eq!(
        lines[updlic + 1..updlic + 3],
        [
            "LANG=C lssyscfg -r sys -m p9-fw -F name,state",
            "LANG=C lslic -m p9-fw -t sys -F activated_level",
        ]
    );
    let wait = &plan.steps[updlic + 1];
    assert_eq!(wait.kind, StepKind::Wait);
    assert_eq!(wait.timeout, Some(wizard::firmware::RESTART_TIMEOUT));
    assert_eq!(
        plan.steps[3].until,
        Some(Condition::FirmwareRetrievable {
            concurrent: false,
            min: 106
        })
    );
    // Every move comes with its recovery, as the relocate wizard builds it: offered
    // after lslparmigr is read again, for a move that stopped or failed.
    let recoveries = plan
        .steps
        .iter()
        .filter(|s| s.line().contains("migrlpar -o m"))
        .filter(|s| {
            matches!(&s.on_failure, OnFailure::Decide { probe, branches }
                if probe.line().contains("lslparmigr")
                    && branches.iter().any(|b| b.steps.iter().any(|s| s.line().contains("migrlpar -o r"))))
        })
        .count();
    assert_eq!(recoveries, 2);
    assert!(plan.title.starts_with("Disruptive"));
    assert!(plan.notes.iter().any(|n| n.contains("p9-fw-vios1")));
}

#[test]
fn disruptive_update_with_shutdown_and_on_an_idle_system() {
    let snapshots = hmc_estate();
    let view = EstateView::new(&snapshots);
    let choices = FirmwareChoices {
        disruptive: Some(Disruptive::Shutdown),
        level: Some(145),
        ..Default::default()
    };
    let plan = wizard::firmware(view, "p9-fw", &choices, &firmware_facts()).unwrap();
    let lines = lines(&plan);
    assert_eq!(
        lines[4..12],
        [
            "LANG=C chsysstate -r lpar -m p9-fw -o osshutdown -n app01",
            "LANG=C lssyscfg -r lpar -m p9-fw --filter lpar_names=app01 -F name,state",
            "LANG=C chsysstate -r lpar -m p9-fw -o shutdown -n norm01",
            "LANG=C lssyscfg -r lpar -m p9-fw --filter lpar_names=norm01 -F name,state",
            "LANG=C chsysstate -r lpar -m p9-fw -o osshutdown -n 'prd'\\''; rm -rf /'",
            "LANG=C lssyscfg -r lpar -m p9-fw --filter 'lpar_names=prd'\\''; rm -rf /' -F name,state",
            "LANG=C chsysstate -r lpar -m p9-fw -o osshutdown -n p9-fw-vios1",
            "LANG=C lssyscfg -r lpar -m p9-fw --filter lpar_names=p9-fw-vios1 -F name,state",
        ]
    );
    assert!(lines.contains(
        &"LANG=C updlic -o a -m p9-fw -t sys -r ibmwebsite -l 145 --allowpoweroff".to_string()
    ));
    assert_eq!(plan.steps[5].kind, StepKind::Wait);
    // Standby, nothing running: a plain disruptive update, waiting for Standby again.
    let idle = FirmwareChoices {
        disruptive: Some(Disruptive::PowerOff),
        ..Default::default()
    };
    let plan = wizard::firmware(view, "p9-idle", &idle, &firmware_facts()).unwrap();
    assert!(plan
        .to_script()
        .contains("repeat until p9-idle is Standby (at most 7200 s)"));
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("level 84 is installed but not activated")));
}

#[test]
fn firmware_accept() {
    let snapshots = hmc_estate();
    let view = EstateView::new(&snapshots);
    let plan = wizard::firmware_accept(view, "p10-acc").unwrap();
    assert_eq!(plan.wizard, "firmware-accept");
    assert_eq!(
        lines(&plan),
        [
            "LANG=C lssyscfg -r sys -m p10-acc -F name,state",
            "LANG=C lslic -m p10-acc -t sys -F activated_level,accepted_level",
            "LANG=C updlic -o c -m p10-acc",
            "LANG=C lslic -m p10-acc -t sys -F accepted_level",
        ]
    );
    assert_eq!(
        plan.steps[3].until,
        Some(Condition::FirmwareLevel {
            system: "p10-acc".into(),
            which: wizard::LicLevelKind::Accepted,
            min: 70,
            max: Some(70)
        })
    );
    let refused = |system: &str| wizard::firmware_accept(view, system).unwrap_err().reason;
    assert!(refused("p9-fw").contains("nothing to accept"));
    assert!(refused("p9-off").contains("Power Off"));
    assert!(refused("p9-blind").contains("could not be read"));
    assert!(refused("nosuch").contains("no managed system"));
}

// ---------------------------------------------------------------------------------------
// WPARs

fn wpars(text: &str) -> Vec<Wpar> {
    let parsed =
        aix_parse::parse_lswpar_delimited(text, ':', aix_parse::DEFAULT_LSWPAR_FIELDS).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    parsed.items
}

const HOSTILE_WPAR: &str = "w$(reboot) x";

fn aix_estate() -> Vec<SourceSnapshot> {
    vec![
        snapshot(
            "aix61",
            SourceKind::Aix,
            SourceData::Aix(wpars(&format!(
                "w61:A:S:w61:/wpars/w61:no\n\
                 wdet:D:S:wdet:/wpars/wdet:no\n\
                 wapp:A:A:wapp:/:no\n\
                 wroot:A:S:wroot:/wpars/wroot:yes\n\
                 wstuck:T:S:wstuck:/wpars/wstuck:no\n\
                 wbroken:B:S:wbroken:/wpars/wbroken:no\n\
                 wbrokenroot:B:S:wbrokenroot:/wpars/wbrokenroot:yes\n\
                 wclash:D:S:wclash:/wpars/wclash:no\n\
                 {HOSTILE_WPAR}:D:S:x:/wpars/x:no\n"
            ))),
        ),
        snapshot(
            "aix71",
            SourceKind::Aix,
            SourceData::Aix(wpars("wclash:A:S:wclash:/wpars/wclash:no\n")),
        ),
        snapshot("aix72", SourceKind::Aix, SourceData::Aix(Vec::new())),
        SourceSnapshot::failed("aixdown", SourceKind::Aix, "connection refused"),
    ]
}

fn details(name: &str, detached: bool, ostype: u32) -> Wpar {
    let text = format!(
        "=================================================================\n{name} - Active\n=================================================================\nType:                                S\nPrivate /usr:                        {}\nOStype:                              {ostype}\n",
        if detached { "yes" } else { "no" }
    );
    match aix_parse::parse_lswpar_general(&text) {
        Ok(mut parsed) if !parsed.items.is_empty() => parsed.items.remove(0),
        // Names lswpar -G cannot print (blanks): the same facts by hand.
        _ => {
            let mut wpar = Wpar::new(
                name,
                powerdeck::estate::WparState::Active,
                powerdeck::estate::WparType::System,
            );
            wpar.private_usr = Some(detached);
            wpar.ostype = Some(ostype);
            wpar
        }
    }
}

/// `dir` mounted from `export` (`node:/dir`) with these options, as `mount` lists it.
fn nfs(dir: &str, export: &str, options: &str) -> Vec<MountEntry> {
    let (node, mounted) = export.split_once(':').unwrap();
    vec![
        MountEntry {
            node: None,
            mounted: "/dev/hd4".into(),
            over: "/".into(),
            vfs: "jfs2".into(),
            options: "rw,log=/dev/hd8".into(),
        },
        MountEntry {
            node: Some(node.into()),
            mounted: mounted.into(),
            over: dir.into(),
            vfs: "nfs3".into(),
            options: options.into(),
        },
    ]
}

fn facts(name: &str, detached: bool, source: &str, target: &str) -> WparMoveFacts {
    WparMoveFacts {
        source_level: Some(source.into()),
        target_level: Some(target.into()),
        details: Some(details(name, detached, 0)),
        size_mb: Some(768),
        target_free_mb: Some(2048),
        mount_group: vec![format!("/wpars/{name}"), format!("/wpars/{name}/home")],
        source_mounts: Some(nfs(
            "/export/wpars",
            "nfs01:/export/wpars",
            "rw,bg,hard,intr",
        )),
        target_mounts: Some(nfs(
            "/export/wpars",
            "nfs01:/export/wpars",
            "rw,bg,hard,intr",
        )),
        shared_free_mb: Some(301_000),
        apar_found: Some(true),
        problems: Vec::new(),
    }
}

const L61: &str = "6100-06-03-1048";
const L71: &str = "7100-00-02-1041";
const L71SP3: &str = "7100-00-03-1115";

#[test]
fn wpar_move_to_a_newer_aix() {
    let snapshots = aix_estate();
    let plan = wizard::wpar_move(
        EstateView::new(&snapshots),
        "w61",
        "aix61",
        "aix71",
        &WparMoveChoices::default(),
        &facts("w61", false, L61, L71),
    )
    .unwrap();
    assert_eq!(plan.wizard, "wpar-move");
    assert_eq!(plan.confirm_name, "w61");
    let hosts_lines: Vec<(String, String)> = plan
        .steps
        .iter()
        .map(|s| (s.host.clone(), s.line()))
        .collect();
    let expect = |host: &str, line: &str| (host.to_string(), line.to_string());
    let probe =
        "'touch /export/wpars/.powerdeck-probe-w61 && rm /export/wpars/.powerdeck-probe-w61'";
    assert_eq!(
        hosts_lines,
        [
            expect("aix61", "LC_ALL=C lswpar -cq w61"),
            expect("aix71", "LC_ALL=C lswpar -cq w61"),
            expect("aix61", "LC_ALL=C oslevel -s"),
            expect("aix71", "LC_ALL=C oslevel -s"),
            expect("aix71", "LC_ALL=C instfix -ik IZ99829"),
            expect("aix71", "LC_ALL=C lsvg rootvg"),
            expect("aix61", "LC_ALL=C mount"),
            expect("aix71", "LC_ALL=C mount"),
            expect("aix61", "LC_ALL=C df -k /export/wpars"),
            expect("aix61", &format!("LC_ALL=C sh -c {probe}")),
            expect("aix71", &format!("LC_ALL=C sh -c {probe}")),
            expect("aix61", "LC_ALL=C chwpar -K -A w61"),
            expect("aix61", "LC_ALL=C lswpar -G w61"),
            expect("aix61", "LC_ALL=C stopwpar w61"),
            expect("aix61", "LC_ALL=C lswpar -cq w61"),
            expect(
                "aix61",
                "LC_ALL=C sh -c 'ulimit -f unlimited && savewpar -i -f /export/wpars/w61.savewpar w61'"
            ),
            expect(
                "aix71",
                "LC_ALL=C restwpar -f /export/wpars/w61.savewpar -C"
            ),
            expect("aix71", "LC_ALL=C lswpar -cq w61"),
            expect("aix71", "LC_ALL=C lswpar -G w61"),
            expect("aix71", "LC_ALL=C migwpar w61"),
            expect("aix71", "LC_ALL=C syncwpar w61"),
            expect("aix71", "LC_ALL=C startwpar w61"),
            expect("aix71", "LC_ALL=C lswpar -cq w61"),
            expect("aix71", "LC_ALL=C clogin w61 oslevel -s"),
            expect("aix71", "LC_ALL=C clogin w61 lppchk -v"),
            expect("aix71", "LC_ALL=C clogin w61 syncroot"),
        ]
    );
    let until = |index: usize| plan.steps[index].until.clone().unwrap();
    assert_eq!(until(1), Condition::WparAbsent { wpar: "w61".into() });
    assert_eq!(until(3), Condition::OsLevel { level: L71.into() });
    assert_eq!(
        until(4),
        Condition::Prints {
            text: "All filesets for IZ99829 were found.".into()
        }
    );
    assert_eq!(until(5), Condition::VgFree { min_mb: 768 });
    for index in [6, 7] {
        assert_eq!(
            until(index),
            Condition::SharedDir {
                path: "/export/wpars".into(),
                export: "nfs01:/export/wpars".into()
            }
        );
    }
    assert_eq!(until(8), Condition::DfFree { min_mb: 768 });
    assert_eq!(plan.steps[9].kind, StepKind::Validate);
    assert_eq!(
        until(12),
        Condition::WparAutoStart {
            wpar: "w61".into(),
            on: false
        }
    );
    assert_eq!(
        until(15),
        Condition::Prints {
            text: "0512-038 savewpar: Backup Completed Successfully.".into()
        }
    );
    assert_eq!(
        until(16),
        Condition::Prints {
            text: "Workload partition w61 created successfully".into()
        }
    );
    assert_eq!(
        until(22),
        Condition::WparState {
            wpar: "w61".into(),
            states: vec![powerdeck::estate::WparState::Active]
        }
    );
    assert_eq!(until(23), Condition::OsLevel { level: L71.into() });
    assert_eq!(until(24), Condition::PrintsNothing);
    assert_eq!(
        until(25),
        Condition::Prints {
            text: "syncroot: Returns Status = SUCCESS".into()
        }
    );
    // Nothing changes before every check and both write probes passed.
    let first_change = plan.steps.iter().position(|s| s.changes()).unwrap();
    assert_eq!(plan.steps[first_change].kind, StepKind::Validate);
    assert!(plan.steps[..9].iter().all(|s| s.kind == StepKind::Check));
    // The save offers to start the source again; from the restore until the copy
    // runs on the target, the recovery also removes what the restore left there.
    let recovery = |index: usize| match &plan.steps[index].on_failure {
        OnFailure::Recover(steps) => steps
            .iter()
            .map(|s| (s.host.clone(), s.line()))
            .collect::<Vec<_>>(),
        OnFailure::Stop | OnFailure::Decide { .. } => Vec::new(),
    };
    assert_eq!(recovery(15), [expect("aix61", "LC_ALL=C startwpar w61")]);
    for index in 16..=22 {
        assert_eq!(
            recovery(index),
            [
                expect("aix71", "LC_ALL=C rmwpar -F w61"),
                expect("aix61", "LC_ALL=C startwpar w61"),
            ],
            "{}",
            plan.steps[index].line()
        );
    }
    let OnFailure::Recover(give_up) = &plan.steps[16].on_failure else {
        unreachable!()
    };
    assert_eq!(
        give_up[0].until,
        Some(Condition::Any(vec![
            Condition::Succeeds,
            Condition::WparAbsent { wpar: "w61".into() }
        ]))
    );
    // Once it runs on the target, nothing brings the source back.
    for index in 23..=25 {
        assert_eq!(recovery(index), Vec::new());
    }
    let script = plan.to_script();
    assert!(script.contains("0960-507 level warning is expected"));
    assert!(script.contains("# 20. Change on aix71: migrate w61 from AIX 6.1 to 7.1"));
    assert!(script.contains("-A alone would switch it on"));
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("auto start is switched off on aix61 first")));
    assert!(plan.notes.iter().any(|n| n.contains("has APAR IZ99829")));
}

#[test]
fn wpar_move_variants() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    // Same level: no -C, no migwpar, no APAR; a Defined WPAR is not stopped, and with
    // its auto start unknown there is nothing to give back.
    let mut same = facts("wdet", true, L71, L71);
    same.source_mounts = Some(nfs("/nfs/save w", "nas:/vol/save w", "rw"));
    same.target_mounts = Some(nfs("/nfs/save w", "nas:/vol/save w", "rw"));
    same.mount_group = vec!["/wpars/wdet".into()];
    let plan = wizard::wpar_move(
        view,
        "wdet",
        "aix61",
        "aix72",
        &WparMoveChoices {
            source_after: SourceAfterMove::Remove,
            shared_dir: "/nfs/save w/".into(),
            images: None,
        },
        &same,
    )
    .unwrap();
    let lines = lines(&plan);
    assert!(!lines
        .iter()
        .any(|l| l.contains("stopwpar") || l.contains("migwpar") || l.contains("instfix")));
    assert!(lines.contains(
        &"LC_ALL=C sh -c 'ulimit -f unlimited && savewpar -i -f '\\''/nfs/save w/wdet.savewpar'\\'' wdet'"
            .to_string()
    ));
    assert!(lines.contains(&"LC_ALL=C restwpar -f '/nfs/save w/wdet.savewpar'".to_string()));
    assert!(lines.contains(&"LC_ALL=C syncwpar -D wdet".to_string()));
    assert!(lines.contains(&"LC_ALL=C df -k '/nfs/save w'".to_string()));
    assert_eq!(
        lines[lines.len() - 2..],
        ["LC_ALL=C rmwpar wdet", "LC_ALL=C lswpar -cq wdet"]
    );
    assert_eq!(plan.steps.last().unwrap().host, "aix61");
    let save = plan
        .steps
        .iter()
        .position(|s| s.line().contains("savewpar"))
        .unwrap();
    assert_eq!(plan.steps[save].on_failure, OnFailure::Stop);
    let OnFailure::Recover(give_up) = &plan.steps[save + 1].on_failure else {
        panic!("the restore offers to remove what it left");
    };
    assert_eq!(
        give_up.len(),
        1,
        "the source was not running: nothing to start"
    );
    // Same version, newer service pack: -C, then syncwpar, no migwpar, no APAR.
    let plan = wizard::wpar_move(
        view,
        "w61",
        "aix61",
        "aix71",
        &WparMoveChoices::default(),
        &facts("w61", false, L71, L71SP3),
    )
    .unwrap();
    let lines = wizard_lines(&plan);
    assert!(lines.contains(&"LC_ALL=C restwpar -f /export/wpars/w61.savewpar -C".to_string()));
    assert!(!lines
        .iter()
        .any(|l| l.contains("migwpar") || l.contains("instfix")));
    // A detached WPAR from 6.1 with the images.
    let plan = wizard::wpar_move(
        view,
        "wdet",
        "aix61",
        "aix71",
        &WparMoveChoices {
            images: Some("/mnt/aix71 images".into()),
            ..Default::default()
        },
        &facts("wdet", true, L61, L71),
    )
    .unwrap();
    assert!(
        wizard_lines(&plan).contains(&"LC_ALL=C migwpar -d '/mnt/aix71 images' wdet".to_string())
    );
    // Unknown size: the free-space checks only show lsvg and df.
    let mut unknown = facts("w61", false, L61, L71);
    unknown.size_mb = None;
    let plan = wizard::wpar_move(
        view,
        "w61",
        "aix61",
        "aix71",
        &WparMoveChoices::default(),
        &unknown,
    )
    .unwrap();
    assert_eq!(plan.steps[5].until, Some(Condition::Succeeds));
    assert_eq!(plan.steps[8].until, Some(Condition::Succeeds));
}

#[test]
fn wpar_move_with_auto_start_gives_it_back_or_hands_it_over() {
    let snapshots = aix_estate();
    let mut auto = facts("w61", false, L61, L71);
    if let Some(details) = auto.details.as_mut() {
        details.auto_start = Some(true);
    }
    let plan = wizard::wpar_move(
        EstateView::new(&snapshots),
        "w61",
        "aix61",
        "aix71",
        &WparMoveChoices::default(),
        &auto,
    )
    .unwrap();
    let save = plan
        .steps
        .iter()
        .position(|s| s.line().contains("savewpar"))
        .unwrap();
    let OnFailure::Recover(back) = &plan.steps[save].on_failure else {
        panic!("no recovery for the save");
    };
    assert_eq!(
        back.iter().map(|s| s.line()).collect::<Vec<_>>(),
        ["LC_ALL=C startwpar w61", "LC_ALL=C chwpar -A w61"]
    );
    let last = plan.steps.last().unwrap();
    assert_eq!(
        (last.host.as_str(), last.line().as_str()),
        ("aix71", "LC_ALL=C chwpar -A w61"),
        "the target takes the auto start over once verified"
    );
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("does so on aix71 once verified")));
}

fn wizard_lines(plan: &Plan) -> Vec<String> {
    lines(plan)
}

#[test]
fn wpar_move_refusals() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    let refusal = |wpar: &str, from: &str, to: &str, facts: &WparMoveFacts| {
        wizard::wpar_move(view, wpar, from, to, &WparMoveChoices::default(), facts).unwrap_err()
    };
    let refused = |wpar: &str, from: &str, to: &str, facts: &WparMoveFacts| {
        refusal(wpar, from, to, facts).reason
    };
    let ok = facts("w61", false, L61, L71);
    assert!(refused("w61", "aix61", "aix61", &ok).contains("already lives on aix61"));
    assert!(refused("w61", "nosuch", "aix71", &ok).contains("no AIX host called nosuch"));
    assert!(refused("w61", "aix61", "aixdown", &ok).contains("aixdown could not be read"));
    assert!(refused("nosuch", "aix61", "aix71", &ok).contains("aix61 has no WPAR called nosuch"));
    assert!(refused(
        "wclash",
        "aix61",
        "aix71",
        &facts("wclash", false, L61, L71)
    )
    .contains("aix71 already has a WPAR called wclash"));
    let why = refused(
        "wstuck",
        "aix61",
        "aix71",
        &facts("wstuck", false, L61, L71),
    );
    assert!(
        why.contains("Transitional") && why.contains("plan wpar-recover"),
        "{why}"
    );
    assert!(
        refused("wapp", "aix61", "aix71", &facts("wapp", false, L61, L71))
            .contains("application WPAR")
    );
    assert!(
        refused("wroot", "aix61", "aix71", &facts("wroot", false, L61, L71))
            .contains("rootvg WPAR")
    );
    let mut versioned = facts("w61", false, L61, L71);
    versioned.details = Some(details("w61", false, 1));
    assert!(refused("w61", "aix61", "aix71", &versioned).contains("versioned"));
    let mut blind = facts("w61", false, L61, L71);
    blind.details = None;
    blind.problems = vec!["aix61: connection refused".into()];
    assert!(refused("w61", "aix61", "aix71", &blind).contains("aix61: connection refused"));
    let mut no_level = facts("w61", false, L61, L71);
    no_level.target_level = None;
    assert!(refused("w61", "aix61", "aix71", &no_level).contains("oslevel -s on aix71"));
    let mut garbage = facts("w61", false, L61, L71);
    garbage.source_level = Some("AIX".into());
    assert!(refused("w61", "aix61", "aix71", &garbage).contains("is not a level"));
    assert!(
        refused("w61", "aix61", "aix71", &facts("w61", false, L71, L61))
            .contains("older than aix61")
    );
    assert!(
        refused("wdet", "aix61", "aix71", &facts("wdet", true, L61, L71)).contains("--images DIR")
    );
    let mut full = facts("w61", false, L61, L71);
    full.size_mb = Some(3584);
    assert!(refused("w61", "aix61", "aix71", &full)
        .contains("needs about 3584 MB in aix71's rootvg, which has 2048 MB free"));
}

#[test]
fn wpar_move_refuses_what_aix_would_not_survive() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    let refusal = |facts: &WparMoveFacts, choices: &WparMoveChoices| {
        wizard::wpar_move(view, "w61", "aix61", "aix71", choices, facts).unwrap_err()
    };
    let plain = WparMoveChoices::default();
    let is = |kind: PlanErrorKind, error: &PlanError, words: &str| {
        assert_eq!(error.kind, kind, "{}", error.reason);
        assert!(error.reason.contains(words), "{}", error.reason);
    };

    // The APAR a 6.1 image needs on 7.1.
    let mut no_apar = facts("w61", false, L61, L71);
    no_apar.apar_found = Some(false);
    is(
        PlanErrorKind::Refused,
        &refusal(&no_apar, &plain),
        "aix71 lacks APAR IZ99829",
    );
    no_apar.apar_found = None;
    is(
        PlanErrorKind::CannotTell,
        &refusal(&no_apar, &plain),
        "instfix -ik IZ99829 on aix71",
    );
    // 7.1 to 7.1 does not ask for it.
    let mut same = facts("w61", false, L71, L71SP3);
    same.apar_found = None;
    assert!(wizard::wpar_move(view, "w61", "aix61", "aix71", &plain, &same).is_ok());

    // The shared directory: NFS, read-write, the same export on both globals.
    let mut local = facts("w61", false, L61, L71);
    local.target_mounts = Some(nfs("/other", "nfs01:/other", "rw"));
    is(
        PlanErrorKind::Refused,
        &refusal(&local, &plain),
        "/export/wpars is not an NFS mount on aix71 (it lies on the local jfs2 /)",
    );
    let mut read_only = facts("w61", false, L61, L71);
    read_only.source_mounts = Some(nfs("/export/wpars", "nfs01:/export/wpars", "ro,bg"));
    is(
        PlanErrorKind::Refused,
        &refusal(&read_only, &plain),
        "/export/wpars is mounted read-only on aix61",
    );
    let mut elsewhere = facts("w61", false, L61, L71);
    elsewhere.target_mounts = Some(nfs("/export/wpars", "nfs02:/export/wpars", "rw"));
    is(
        PlanErrorKind::Refused,
        &refusal(&elsewhere, &plain),
        "/export/wpars is nfs01:/export/wpars on aix61 but nfs02:/export/wpars on aix71",
    );
    let mut unread = facts("w61", false, L61, L71);
    unread.source_mounts = None;
    is(
        PlanErrorKind::CannotTell,
        &refusal(&unread, &plain),
        "could not read mount on aix61",
    );

    // Room for the image, not only for the WPAR.
    let mut small = facts("w61", false, L61, L71);
    small.shared_free_mb = Some(500);
    is(
        PlanErrorKind::Refused,
        &refusal(&small, &plain),
        "/export/wpars has 500 MB free, and the image of w61 can take up to 768 MB",
    );
    small.shared_free_mb = None;
    is(
        PlanErrorKind::CannotTell,
        &refusal(&small, &plain),
        "df -k /export/wpars on aix61",
    );

    // Removing the source would take a file system of another mount group member.
    let mut shared_group = facts("w61", false, L61, L71);
    shared_group.mount_group.push("/data/reports".into());
    let remove = WparMoveChoices {
        source_after: SourceAfterMove::Remove,
        ..Default::default()
    };
    is(
        PlanErrorKind::Refused,
        &refusal(&shared_group, &remove),
        "would delete /data/reports too",
    );
    assert!(wizard::wpar_move(view, "w61", "aix61", "aix71", &plain, &shared_group).is_ok());
}

#[test]
fn facts_are_read_from_host_output() {
    let lsfs = "Name            Nodename   Mount Pt               VFS   Size    Options    Auto Accounting\n\
                /dev/fslv00     --         /wpars/w61             jfs2  393216  rw         no   no\n\
                /dev/fslv01     --         /wpars/w61/home        jfs2  393216  rw         no   no\n\
                /dev/fslv02     --         /wpars/w61/tmp         jfs2  393216  rw         no   no\n\
                /dev/fslv03     --         /wpars/w61/var         jfs2  393216  rw         no   no\n";
    assert_eq!(wpar_move::mount_group_size_mb(lsfs), Some(768));
    assert_eq!(
        wpar_move::mount_group_points(lsfs),
        [
            "/wpars/w61",
            "/wpars/w61/home",
            "/wpars/w61/tmp",
            "/wpars/w61/var"
        ]
    );
    assert_eq!(wpar_move::mount_group_size_mb("Name Nodename\n"), None);
    assert_eq!(wpar_move::aix_level(L61), Some((6, 1, 6, 3)));
    assert_eq!(
        wpar_move::aix_level("7200-05-07-2346\n"),
        Some((7, 2, 5, 7))
    );
    assert_eq!(wpar_move::aix_level("7.1"), None);
    assert!(wpar_move::needs_apar((6, 1, 6, 3), (7, 1, 0, 2)));
    assert!(!wpar_move::needs_apar((7, 1, 0, 2), (7, 1, 0, 3)));
    let mount = "  node       mounted        mounted over    vfs       date        options\n\
                 -------- ---------------  ---------------  ------ ------------ ---------------\n\
                          /dev/hd4         /                jfs2   Apr 18 05:12 rw,log=/dev/hd8\n\
                 nfs01    /export/wpars    /export/wpars    nfs3   Apr 18 05:12 rw,bg,hard,intr\n\
                          /dev/fslv05      /wpars/wstuck    jfs2   Apr 18 05:12 rw,log=INLINE\n\
                          /dev/fslv06      /wpars/wstuck/home jfs2 Apr 18 05:12 rw,log=INLINE\n\
                          /opt             /wpars/wstuck/opt namefs Apr 18 05:12 ro\n\
                          /proc            /wpars/wstuck/proc namefs Apr 18 05:12 rw\n\
                          /dev/swlv        /wpars/wstuck/SW jfs2   Apr 18 05:12 rw,log=/dev/hd8\n\
                 nfs02    /depot           /wpars/wstuck/depot nfs3 Apr 18 05:12 rw\n\
                          /dev/fslv09      /wpars/wstuckother jfs2 Apr 18 05:12 rw,log=INLINE\n";
    let lsfs = "Name            Nodename   Mount Pt               VFS   Size    Options    Auto Accounting\n\
                /dev/fslv05     --         /wpars/wstuck          jfs2  131072  rw         no   no\n\
                /dev/fslv06     --         /wpars/wstuck/home     jfs2  131072  rw         no   no\n";
    assert_eq!(
        wpar_recovery::leftover_mounts(mount, lsfs, "/wpars/wstuck/"),
        ["/wpars/wstuck/SW", "/wpars/wstuck/depot"]
    );
}

/// Recovery facts for a WPAR at `dir`: its own file systems mounted, nothing holding
/// or filling them.
fn recovery_facts(dir: &str) -> WparRecoveryFacts {
    let own = [dir.to_string(), format!("{dir}/home")];
    WparRecoveryFacts {
        mounted: own
            .iter()
            .enumerate()
            .map(|(index, over)| MountEntry {
                node: None,
                mounted: format!("/dev/fslv1{index}"),
                over: over.clone(),
                vfs: "jfs2".into(),
                options: "rw,log=INLINE".into(),
            })
            .chain(std::iter::once(MountEntry {
                node: None,
                mounted: "/usr".into(),
                over: format!("{dir}/usr"),
                vfs: "namefs".into(),
                options: "ro".into(),
            }))
            .collect(),
        own: own.to_vec(),
        size_mb: Some(1536),
        backup_free_mb: Some(301_000),
        ..Default::default()
    }
}

fn with_leftover(mut facts: WparRecoveryFacts, over: &str) -> WparRecoveryFacts {
    facts.mounted.push(MountEntry {
        node: None,
        mounted: "/dev/swlv".into(),
        over: over.into(),
        vfs: "jfs2".into(),
        options: "rw,log=/dev/hd8".into(),
    });
    facts
}

#[test]
fn stuck_wpar_recovery_climbs_the_ladder() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    let facts = with_leftover(recovery_facts("/wpars/wstuck"), "/wpars/wstuck/SW");
    let plan = wizard::wpar_recover(
        view,
        "aix61",
        "wstuck",
        &WparRecoveryChoices::default(),
        &facts,
    )
    .unwrap();
    assert_eq!(plan.wizard, "wpar-recover");
    assert_eq!(plan.confirm_name, "wstuck");
    assert!(plan.attestation.is_none());
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lswpar -cq wstuck",
            "LC_ALL=C fuser -cx /wpars/wstuck/SW",
            "LC_ALL=C fuser -cx /wpars/wstuck",
            "LC_ALL=C fuser -cx /wpars/wstuck/home",
            "LC_ALL=C umount /wpars/wstuck/SW",
            "LC_ALL=C stopwpar -F wstuck",
            "LC_ALL=C lswpar -cq wstuck",
        ]
    );
    assert!(plan.steps[1..4]
        .iter()
        .all(|s| s.kind == StepKind::Check && s.until == Some(Condition::NoHolders)));
    assert!(plan.steps.iter().all(|s| s.host == "aix61"));
    assert!(
        !lines(&plan).iter().any(|l| l.contains("umount -f")),
        "never a forced unmount"
    );
    assert!(plan.to_script().contains("(/SW inside)"));
    assert!(plan.notes.iter().any(|n| n.contains("left Defined")));
    // The operator may name the mounts; the start follows the forced stop.
    let started = wizard::wpar_recover(
        view,
        "aix61",
        "wstuck",
        &WparRecoveryChoices {
            unmount: vec!["/wpars/wstuck/my depot".into()],
            start: true,
            ..Default::default()
        },
        &recovery_facts("/wpars/wstuck"),
    )
    .unwrap();
    assert_eq!(
        lines(&started)[4..],
        [
            "LC_ALL=C umount '/wpars/wstuck/my depot'",
            "LC_ALL=C stopwpar -F wstuck",
            "LC_ALL=C lswpar -cq wstuck",
            "LC_ALL=C startwpar wstuck",
            "LC_ALL=C lswpar -cq wstuck",
        ]
    );
    // A start that breaks it again: the df rung.
    let start = &started.steps[7];
    let OnFailure::Recover(rung) = &start.on_failure else {
        panic!("{:?}", start.on_failure);
    };
    assert_eq!(rung.len(), 1);
    assert_eq!(rung[0].line(), "LC_ALL=C df -k");
    assert_eq!(
        rung[0].until,
        Some(Condition::NoneFull {
            under: "/wpars/wstuck".into()
        })
    );
    // No mount left by the global: said so.
    let bare = wizard::wpar_recover(
        view,
        "aix61",
        "wstuck",
        &WparRecoveryChoices::default(),
        &recovery_facts("/wpars/wstuck"),
    )
    .unwrap();
    assert!(bare.notes.iter().any(|n| n.contains("no mount left")));
}

#[test]
fn nfs_based_wpar_recovery_checks_its_server() {
    let snapshots = aix_estate();
    let mut facts = recovery_facts("/wpars/wbroken");
    facts.mounted.push(MountEntry {
        node: Some("nfs02".into()),
        mounted: "/exports/wbroken/home2".into(),
        over: "/wpars/wbroken/home2".into(),
        vfs: "nfs3".into(),
        options: "rw,bg,intr".into(),
    });
    facts.own.push("/wpars/wbroken/home2".into());
    let plan = wizard::wpar_recover(
        EstateView::new(&snapshots),
        "aix61",
        "wbroken",
        &WparRecoveryChoices::default(),
        &facts,
    )
    .unwrap();
    let at = plan
        .steps
        .iter()
        .position(|s| s.line() == "LC_ALL=C showmount -e nfs02")
        .unwrap();
    assert_eq!(
        plan.steps[at].until,
        Some(Condition::Exported {
            path: "/exports/wbroken/home2".into()
        })
    );
    assert_eq!(plan.steps[at + 1].line(), "LC_ALL=C stopwpar -F wbroken");
}

#[test]
fn broken_wpar_recreation_is_the_last_rung() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    let recreate = WparRecoveryChoices {
        recreate: true,
        start: true,
        ..Default::default()
    };
    let plan = wizard::wpar_recover(
        view,
        "aix61",
        "wbroken",
        &recreate,
        &recovery_facts("/wpars/wbroken"),
    )
    .unwrap();
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lswpar -cq wbroken",
            "LC_ALL=C fuser -cx /wpars/wbroken",
            "LC_ALL=C fuser -cx /wpars/wbroken/home",
            "LC_ALL=C stopwpar -F wbroken",
            "LC_ALL=C lswpar -cq wbroken",
            "LC_ALL=C df -k /export/wpars",
            "LC_ALL=C sh -c 'ulimit -f unlimited && savewpar -i -f /export/wpars/wbroken.before-recreate.savewpar wbroken'",
            "LC_ALL=C mkwpar -w -e wbroken -o /var/tmp/wbroken.spec",
            "LC_ALL=C rmwpar -F -p wbroken",
            "LC_ALL=C lswpar -cq wbroken",
            "LC_ALL=C mkwpar -f /var/tmp/wbroken.spec -p",
            "LC_ALL=C lswpar -cq wbroken",
            "LC_ALL=C startwpar wbroken",
            "LC_ALL=C lswpar -cq wbroken",
        ]
    );
    assert_eq!(
        plan.steps[5].until,
        Some(Condition::DfFree { min_mb: 1536 })
    );
    // Its own typed confirmation, naming the backup.
    let attestation = plan.attestation.as_ref().expect("recreation is attested");
    assert_eq!(attestation.phrase, "recreate wbroken");
    assert!(attestation
        .statement
        .contains("/export/wpars/wbroken.before-recreate.savewpar"));
    assert!(attestation.statement.contains("last rung"));
    // A rootvg WPAR: rmwpar cannot preserve (-p), and need not: its disk is untouched.
    let plan = wizard::wpar_recover(
        view,
        "aix61",
        "wbrokenroot",
        &recreate,
        &recovery_facts("/wpars/wbrokenroot"),
    )
    .unwrap();
    assert!(lines(&plan).contains(&"LC_ALL=C rmwpar -F wbrokenroot".to_string()));
    assert!(!lines(&plan).iter().any(|l| l.starts_with("LC_ALL=C df")));
    // Without --recreate nothing is removed, and the last rung is only named.
    let plan = wizard::wpar_recover(
        view,
        "aix61",
        "wbroken",
        &WparRecoveryChoices {
            start: true,
            ..Default::default()
        },
        &recovery_facts("/wpars/wbroken"),
    )
    .unwrap();
    assert!(plan.attestation.is_none());
    assert!(!lines(&plan)
        .iter()
        .any(|l| l.contains("rmwpar") || l.contains("mkwpar")));
    assert!(plan.notes.iter().any(|n| n.contains("--recreate")));
    // Without --start the recreated WPAR is left Defined.
    let plan = wizard::wpar_recover(
        view,
        "aix61",
        "wbroken",
        &WparRecoveryChoices {
            recreate: true,
            ..Default::default()
        },
        &recovery_facts("/wpars/wbroken"),
    )
    .unwrap();
    assert_eq!(lines(&plan).last().unwrap(), "LC_ALL=C lswpar -cq wbroken");
    assert!(!lines(&plan).iter().any(|l| l.contains("startwpar")));
}

#[test]
fn wpar_recovery_refusals() {
    let snapshots = aix_estate();
    let view = EstateView::new(&snapshots);
    let refusal =
        |host: &str, wpar: &str, choices: &WparRecoveryChoices, facts: &WparRecoveryFacts| {
            wizard::wpar_recover(view, host, wpar, choices, facts).unwrap_err()
        };
    let refused = |host: &str, wpar: &str, choices: &WparRecoveryChoices| {
        refusal(host, wpar, choices, &recovery_facts("/wpars/wbroken")).reason
    };
    let plain = WparRecoveryChoices::default();
    assert!(refused("aix61", "w61", &plain).contains("nothing to recover: w61 is Active"));
    assert!(refused("aix61", "nosuch", &plain).contains("no WPAR called nosuch"));
    assert!(refused("nosuch", "w61", &plain).contains("no AIX host called nosuch"));
    let recreate = WparRecoveryChoices {
        recreate: true,
        ..Default::default()
    };
    assert!(refused("aix61", "wstuck", &recreate).contains("not Broken"));
    assert_eq!(
        wpar_recovery::wpar_directory(view, "aix61", "wstuck").unwrap(),
        "/wpars/wstuck"
    );

    // Rung 1: a process of the global holds a file system: refused, naming it.
    let mut held = with_leftover(recovery_facts("/wpars/wstuck"), "/wpars/wstuck/SW");
    held.holders = vec![("/wpars/wstuck/SW".into(), vec!["4128872c".into()])];
    let error = refusal("aix61", "wstuck", &plain, &held);
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error
            .reason
            .contains("/wpars/wstuck/SW by process 4128872 (current directory)"),
        "{}",
        error.reason
    );
    // Rung 5: a full file system refuses a start, and a recreation (it would not help).
    let mut full = recovery_facts("/wpars/wbroken");
    full.full = vec!["/wpars/wbroken/var".into()];
    let start = WparRecoveryChoices {
        start: true,
        ..Default::default()
    };
    for choices in [&start, &recreate] {
        let error = refusal("aix61", "wbroken", choices, &full);
        assert!(
            error
                .reason
                .contains("/wpars/wbroken/var of wbroken is 100% full")
                && error
                    .reason
                    .contains("chfs -a size=+256M /wpars/wbroken/var"),
            "{}",
            error.reason
        );
    }
    assert!(wizard::wpar_recover(view, "aix61", "wbroken", &plain, &full).is_ok());
    // Rung 6: no room for the backup, no recreation.
    let mut cramped = recovery_facts("/wpars/wbroken");
    cramped.backup_free_mb = Some(1000);
    assert!(refusal("aix61", "wbroken", &recreate, &cramped)
        .reason
        .contains("/export/wpars has 1000 MB free, and the backup of wbroken"));
    // What could not be read is said, not guessed.
    let mut blind = recovery_facts("/wpars/wbroken");
    blind.problems = vec!["aix61: fuser: connection reset".into()];
    let error = refusal("aix61", "wbroken", &plain, &blind);
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    assert!(error.reason.contains("fuser: connection reset"));
}

#[test]
fn hostile_wpar_names_are_quoted() {
    let snapshots = aix_estate();
    let plan = wizard::wpar_move(
        EstateView::new(&snapshots),
        HOSTILE_WPAR,
        "aix61",
        "aix72",
        &WparMoveChoices::default(),
        &facts(HOSTILE_WPAR, false, L71, L71),
    )
    .unwrap();
    let lines = lines(&plan);
    assert!(lines.contains(
        &"LC_ALL=C sh -c 'ulimit -f unlimited && savewpar -i -f '\\''/export/wpars/w$(reboot) x.savewpar'\\'' '\\''w$(reboot) x'\\'''".to_string()
    ), "{lines:#?}");
    assert!(lines.contains(&"LC_ALL=C startwpar 'w$(reboot) x'".to_string()));
    let commands: Vec<RemoteCommand> = plan
        .steps
        .iter()
        .map(|s| s.command.clone())
        .filter(|c| !c.args().is_empty())
        .collect();
    assert_round_trip(&commands);
    // The lines run by `sh -c` hand their programs the names unchanged too.
    let probe = "/export/wpars/.powerdeck-probe-w$(reboot) x";
    let image = "/export/wpars/w$(reboot) x.savewpar";
    let inner: Vec<Vec<Vec<String>>> = commands
        .iter()
        .filter(|c| c.program() == "sh")
        .map(inner_calls)
        .collect();
    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        inner,
        [
            vec![words(&["touch", probe]), words(&["rm", probe])],
            vec![words(&["touch", probe]), words(&["rm", probe])],
            vec![
                words(&["ulimit", "-f", "unlimited"]),
                words(&["savewpar", "-i", "-f", image, HOSTILE_WPAR])
            ],
        ]
    );
    // A name that would be read as an option is refused, not sent.
    let mut dashed = aix_estate();
    if let SourceData::Aix(list) = &mut dashed[0].data {
        list[0].name = "-F".into();
    }
    let why = wizard::wpar_move(
        EstateView::new(&dashed),
        "-F",
        "aix61",
        "aix72",
        &WparMoveChoices::default(),
        &facts("-F", false, L71, L71),
    )
    .unwrap_err()
    .reason;
    assert!(why.contains("starts with '-'"), "{why}");
}

// ---------------------------------------------------------------------------------------
// NIM

fn objects(text: &str) -> Vec<powerdeck::estate::NimObject> {
    let parsed = nim_parse::parse_lsnim_long(text).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    parsed.items
}

fn nim_snapshot(name: &str, text: &str) -> SourceSnapshot {
    snapshot(name, SourceKind::Nim, SourceData::Nim(objects(text)))
}

const HOSTILE_CLIENT: &str = "c1; halt";
const BOS_INSTALL: &str = "Base Operating System installation is being performed";

fn nim_estate() -> Vec<SourceSnapshot> {
    let primary = format!(
        "master:\n   class = machines\n   type = master\n   if1 = net1 nimA 0 ent0\n   Cstate = ready for a NIM operation\n\
         nimB:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimB 0 ent0\n   Cstate = ready for a NIM operation\n\
         stuck1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   mgmt_profile1 = hmc1 4 cec1\n   Cstate = {BOS_INSTALL}\n   Mstate = in the process of booting\n   info = BOS install 39% complete\n   boot = boot\n   spot = spot1\n   lpp_source = lpp1\n   control = master\n\
         ready1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   connect = nimsh\n   if1 = net1 ready1 0\n   Cstate = ready for a NIM operation\n   Mstate = currently running\n\
         alloc1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = ready for a NIM operation\n   spot = spot1\n\
         enabled1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = BOS installation has been enabled\n\
         other1:\n   class = machines\n   type = standalone\n   current_master = nimB\n   Cstate = customization is being performed\n\
         theirs1:\n   class = machines\n   type = standalone\n   current_master = nimB\n   Cstate = ready for a NIM operation\n\
         wp1:\n   class = machines\n   type = wpar\n   Cstate = ready for a NIM operation\n\
         {HOSTILE_CLIENT}:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = customization is being performed\n\
         boot:\n   class = resources\n   type = boot\n\
         spot1:\n   class = resources\n   type = spot\n\
         lpp1:\n   class = resources\n   type = lpp_source\n"
    );
    vec![nim_snapshot("nimA", &primary)]
}

/// Two identical samples of a client: it did not move.
fn unchanged(cstate: &str, info: Option<&str>) -> NimResetFacts {
    let sample = Sample {
        cstate: Some(cstate.to_string()),
        info: info.map(str::to_string),
        mstate: Some("in the process of booting".to_string()),
        log: vec![
            "BOS install 1% complete : Making logical volumes.".to_string(),
            "BOS install 39% complete : Installing additional software.".to_string(),
        ],
    };
    NimResetFacts {
        interval: Duration::from_secs(60),
        first: sample.clone(),
        second: sample,
        log_error: None,
        refcodes: Ok(vec![
            ("0611".to_string(), "06/11/2025 03:00:10".to_string()),
            ("0608".to_string(), "06/11/2025 02:58:00".to_string()),
        ]),
    }
}

#[test]
fn nim_reset_of_a_client_proven_stuck() {
    let snapshots = nim_estate();
    let view = EstateView::new(&snapshots);
    let facts = unchanged(BOS_INSTALL, Some("BOS install 39% complete"));
    let plan = wizard::nim_reset(view, "nimA", "stuck1", Some(&facts)).unwrap();
    assert_eq!(plan.wizard, "nim-reset");
    assert_eq!(plan.confirm_name, "stuck1");
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lsnim -l stuck1",
            "LC_ALL=C nim -F -o reset stuck1",
            "LC_ALL=C lsnim -l stuck1",
            "LC_ALL=C nim -o deallocate -a subclass=all stuck1",
            "LC_ALL=C lsnim -l stuck1",
        ]
    );
    let attr = |name: &str, attribute: &str, value: Option<&str>| Condition::NimAttribute {
        object: name.into(),
        attribute: attribute.into(),
        value: value.map(str::to_string),
    };
    let ready = attr("stuck1", "Cstate", Some("ready for a NIM operation"));
    assert_eq!(
        plan.steps[0].until,
        Some(Condition::All(vec![
            attr("stuck1", "Cstate", Some(BOS_INSTALL)),
            attr("stuck1", "info", Some("BOS install 39% complete")),
        ])),
        "the run halts if the client moved after it was sampled"
    );
    assert_eq!(plan.steps[2].until, Some(ready.clone()));
    assert_eq!(
        plan.steps[4].until,
        Some(Condition::All(vec![
            ready,
            attr("stuck1", "boot", None),
            attr("stuck1", "spot", None),
            attr("stuck1", "lpp_source", None),
        ]))
    );
    let notes = plan.notes.join("\n");
    for evidence in [
        "did not change in 60 s (two samples)",
        "its NIM log did not grow (2 lines)",
        "reference codes, newest first: 0611 at 06/11/2025 03:00:10, 0608",
        "in the process of booting",
    ] {
        assert!(notes.contains(evidence), "{evidence}: {notes}");
    }
    // Ready but still holding a resource: only the deallocation, nothing sampled.
    let plan = wizard::nim_reset(view, "nimA", "alloc1", None).unwrap();
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lsnim -l alloc1",
            "LC_ALL=C nim -o deallocate -a subclass=all alloc1",
            "LC_ALL=C lsnim -l alloc1",
        ]
    );
    // Only enabled, never started: reset without -F.
    let facts = unchanged("BOS installation has been enabled", None);
    let plan = wizard::nim_reset(view, "nimA", "enabled1", Some(&facts)).unwrap();
    assert_eq!(lines(&plan).len(), 3);
    assert_eq!(plan.steps[1].line(), "LC_ALL=C nim -o reset enabled1");
    // Hostile names are quoted.
    let facts = unchanged("customization is being performed", None);
    let plan = wizard::nim_reset(view, "nimA", HOSTILE_CLIENT, Some(&facts)).unwrap();
    assert_eq!(plan.steps[1].line(), "LC_ALL=C nim -F -o reset 'c1; halt'");
}

#[test]
fn nim_reset_refuses_a_client_that_is_still_working() {
    let snapshots = nim_estate();
    let view = EstateView::new(&snapshots);
    let stuck = unchanged(BOS_INSTALL, Some("BOS install 39% complete"));
    let refused = |change: &dyn Fn(&mut NimResetFacts)| {
        let mut facts = stuck.clone();
        change(&mut facts);
        wizard::nim_reset(view, "nimA", "stuck1", Some(&facts)).unwrap_err()
    };
    let error = refused(&|f| f.second.info = Some("BOS install 41% complete".into()));
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.starts_with("stuck1 is not stuck, it is still working: in 60 s its info went from 'BOS install 39% complete' to 'BOS install 41% complete'"),
        "{}",
        error.reason
    );
    let error = refused(&|f| f.second.log.push("BOS install 40% complete".into()));
    assert!(
        error
            .reason
            .contains("its NIM log grew from 2 to 3 lines (last: 'BOS install 40% complete')"),
        "{}",
        error.reason
    );
    let error = refused(&|f| f.second.cstate = Some("ready for a NIM operation".into()));
    assert!(
        error.reason.contains("its Cstate went from"),
        "{}",
        error.reason
    );
    let error = refused(&|f| f.second.mstate = Some("currently running".into()));
    assert!(
        error.reason.contains("its Mstate went from"),
        "{}",
        error.reason
    );
    // Finished before it was sampled: no reset, only what it still holds is released.
    let mut done = unchanged("ready for a NIM operation", None);
    done.second = done.first.clone();
    let plan = wizard::nim_reset(view, "nimA", "stuck1", Some(&done)).unwrap();
    assert!(!lines(&plan).iter().any(|l| l.contains("reset")));
    assert!(lines(&plan).iter().any(|l| l.contains("deallocate")));

    let error = wizard::nim_reset(view, "nimA", "stuck1", None).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    let why = |master: &str, client: &str| {
        wizard::nim_reset(view, master, client, Some(&stuck))
            .unwrap_err()
            .reason
    };
    assert!(why("nimA", "ready1").contains("nothing to reset"));
    assert!(why("nimA", "spot1").contains("not a machine"));
    assert!(why("nimA", "nosuch").contains("no NIM object called nosuch"));
    assert!(why("nosuch", "ready1").contains("no NIM master called nosuch"));
    assert!(
        why("nimA", "other1").contains("other1 is controlled by nimB, not by nimA"),
        "{}",
        why("nimA", "other1")
    );
}

#[test]
fn nim_reset_finds_the_client_partition_for_its_reference_codes() {
    let mut snapshots = nim_estate();
    let view = EstateView::new(&snapshots);
    let why = reset::partition_of(view, "nimA", "stuck1")
        .unwrap()
        .unwrap_err();
    assert!(why.contains("mgmt_profile1 is 'hmc1 4 cec1'"), "{why}");
    assert!(reset::partition_of(view, "nimA", "ready1")
        .unwrap()
        .unwrap_err()
        .contains("not known as a partition"));
    snapshots.push(snapshot(
        "hmc1",
        SourceKind::Hmc,
        SourceData::Hmc(vec![system(
            "name=cec1,type_model=9009-42A,serial_num=7800CEC,state=Operating",
            None,
            &format!("name=stuck1,lpar_id=4,{RUN}\n"),
        )]),
    ));
    assert_eq!(
        reset::partition_of(EstateView::new(&snapshots), "nimA", "stuck1").unwrap(),
        Ok(reset::PartitionOf {
            hmc: "hmc1".into(),
            system: "cec1".into(),
            lpar: "stuck1".into(),
        })
    );
}

/// A primary and its alternate, each database given as `lsnim -l` text after the
/// master object.
fn hanim(primary: &str, alternate: &str) -> Vec<SourceSnapshot> {
    vec![
        nim_snapshot(
            "nimA",
            &format!("master:\n   class = machines\n   type = master\n   if1 = net1 nimA 0 ent0\n{primary}"),
        ),
        nim_snapshot(
            "nimB",
            &format!("master:\n   class = machines\n   type = master\n   if1 = net1 nimB 0 ent0\n{alternate}"),
        ),
    ]
}

const ALT_B: &str =
    "nimB:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimB 0 ent0\n";
const ALT_A: &str =
    "nimA:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimA 0\n";
const RESOURCES: &str = "boot:\n   class = resources\n   type = boot\n   location = /tftpboot\n   server = master\n\
     lpp1:\n   class = resources\n   type = lpp_source\n   location = /export/nim/lpp/lpp1\n   server = master\n\
     spot1:\n   class = resources\n   type = spot\n   location = /export/nim/spot/spot1/usr\n   server = master\n";

fn client(name: &str, master: &str, more: &str) -> String {
    format!("{name}:\n   class = machines\n   type = standalone\n   current_master = {master}\n   Cstate = ready for a NIM operation\n   Mstate = currently running\n{more}")
}

/// The alternate nimB with /export/nim mounted and room, lacking both resources.
fn sync_facts() -> NimSyncFacts {
    NimSyncFacts {
        master_level: "7100-03-05-1524".into(),
        other_level: "7100-03-05-1524".into(),
        other_file_systems: vec![
            FileSystem {
                mount: "/".into(),
                free_kb: 1_048_576,
            },
            FileSystem {
                mount: "/export/nim".into(),
                free_kb: 20 * 1_048_576,
            },
        ],
        other_paths: Vec::new(),
        sizes_kb: vec![
            ("/export/nim/lpp/lpp1".into(), 6 * 1_048_576),
            ("/export/nim/spot/spot1/usr".into(), 2 * 1_048_576),
        ],
    }
}

#[test]
fn nim_sync_from_the_master_that_controls_the_clients() {
    let primary = format!(
        "{ALT_B}{}{}{RESOURCES}",
        client("c1", "nimA", ""),
        client("unsync1", "nimA", "   sync_required = yes\n")
    );
    let snapshots = hanim(&primary, ALT_A);
    let view = EstateView::new(&snapshots);
    let facts = sync_facts();
    let plan = wizard::nim_sync(view, "nimA", &NimSyncChoices::default(), Some(&facts)).unwrap();
    assert_eq!(plan.confirm_name, "nimA");
    let hosts_lines: Vec<(String, String)> = plan
        .steps
        .iter()
        .map(|s| (s.host.clone(), s.line()))
        .collect();
    assert_eq!(
        hosts_lines,
        [
            ("nimA".to_string(), "LC_ALL=C lsnim -l".to_string()),
            (
                "nimA".to_string(),
                "LC_ALL=C nim -o sync -a force=yes -a replicate=yes nimB".to_string()
            ),
            ("nimB".to_string(), "LC_ALL=C lsnim -l nimA".to_string()),
        ]
    );
    let attr = |object: &str, attribute: &str, value: &str| Condition::NimAttribute {
        object: object.into(),
        attribute: attribute.into(),
        value: Some(value.into()),
    };
    assert_eq!(
        plan.steps[0].until,
        Some(Condition::All(vec![
            attr("nimB", "type", "alternate_master"),
            attr("c1", "current_master", "nimA"),
            attr("unsync1", "current_master", "nimA"),
        ]))
    );
    let line = |words: &[&str]| Condition::OutputLine {
        words: words.iter().map(|w| w.to_string()).collect(),
    };
    assert_eq!(
        plan.steps[1].until,
        Some(Condition::All(vec![
            line(&["nim_master_recover", "Complete"]),
            Condition::NoOutputLine {
                header: "nim_master_recover Complete".into(),
                containing: "Removing ".into()
            },
            line(&["Keeping", "lpp1"]),
            line(&["Keeping", "spot1"]),
        ]))
    );
    assert_eq!(
        plan.steps[2].until,
        Some(attr("nimA", "type", "alternate_master"))
    );
    let notes = plan.notes.join("\n");
    assert!(
        notes.contains("lpp1, spot1 replicated to nimB:/export/nim (8192 MB of 20480 MB free)"),
        "{notes}"
    );
    assert!(notes.contains("sync_required = yes on unsync1"), "{notes}");
    let reset = wizard::nim_sync(
        view,
        "nimA",
        &NimSyncChoices {
            alternate: Some("nimB".into()),
            reset_clients: true,
        },
        Some(&facts),
    )
    .unwrap();
    assert_eq!(
        reset.steps[1].line(),
        "LC_ALL=C nim -o sync -a force=yes -a replicate=yes -a reset_clients=yes nimB"
    );
    // A resource the alternate already has is kept without room for it.
    let mut present = sync_facts();
    present.other_paths = vec![
        "/export/nim/lpp/lpp1".into(),
        "/export/nim/spot/spot1/usr".into(),
    ];
    present.other_file_systems.truncate(1);
    assert!(wizard::nim_sync(view, "nimA", &NimSyncChoices::default(), Some(&present)).is_ok());
}

#[test]
fn nim_sync_refuses_the_wrong_master_and_a_missing_file_system() {
    let mine = format!(
        "{ALT_B}{}{}{RESOURCES}",
        client("c1", "nimA", ""),
        client("c2", "nimA", "")
    );
    let refused = |snapshots: &[SourceSnapshot], master: &str, facts: &NimSyncFacts| {
        wizard::nim_sync(
            EstateView::new(snapshots),
            master,
            &NimSyncChoices::default(),
            Some(facts),
        )
        .unwrap_err()
    };
    // After a takeover nimB controls the clients: syncing from nimA would overwrite the
    // live database with a stale one.
    let swapped = hanim(
        &format!(
            "{ALT_B}{}{}{RESOURCES}",
            client("c1", "nimB", ""),
            client("c2", "nimB", "")
        ),
        &format!(
            "{ALT_A}{}{}",
            client("c1", "nimB", ""),
            client("c2", "nimB", "")
        ),
    );
    let error = refused(&swapped, "nimA", &sync_facts());
    assert_eq!(error.kind, PlanErrorKind::Refused);
    assert!(
        error.reason.starts_with("nimA does not control its clients: their current master is nimB (after a takeover the roles are swapped). Synchronise from nimB"),
        "{}",
        error.reason
    );
    let split = hanim(
        &format!(
            "{ALT_B}{}{}",
            client("c1", "nimA", ""),
            client("c2", "nimB", "")
        ),
        ALT_A,
    );
    assert!(refused(&split, "nimA", &sync_facts())
        .reason
        .starts_with("control is split: c1 follow nimA, c2 do not (nimB)"));
    // nimA was down during the takeover and still believes it controls c1.
    let unaware = hanim(&mine, &format!("{ALT_A}{}", client("c1", "nimB", "")));
    assert!(refused(&unaware, "nimA", &sync_facts())
        .reason
        .starts_with("nimB's database says it took over c1; nimA still believes it controls them"));

    let snapshots = hanim(&mine, ALT_A);
    let mut facts = sync_facts();
    facts.other_level = "7100-05-06-2028".into();
    assert!(refused(&snapshots, "nimA", &facts)
        .reason
        .contains("nimA runs 7100-03-05-1524 and nimB runs 7100-05-06-2028"));
    let mut facts = sync_facts();
    facts.other_file_systems.truncate(1);
    let error = refused(&snapshots, "nimA", &facts);
    assert_eq!(
        error.reason,
        "on nimB no file system is mounted for lpp1 (/export/nim/lpp/lpp1), spot1 (/export/nim/spot/spot1/usr): NIM would create them under / and fill it. Create and mount the same file systems as on nimA first"
    );
    let mut facts = sync_facts();
    facts.other_file_systems[1].free_kb = 4 * 1_048_576;
    assert_eq!(
        refused(&snapshots, "nimA", &facts).reason,
        "nimB:/export/nim has 4096 MB free; replicating lpp1, spot1 there needs 8192 MB"
    );
    let mut facts = sync_facts();
    facts.sizes_kb.clear();
    assert_eq!(
        refused(&snapshots, "nimA", &facts).kind,
        PlanErrorKind::CannotTell
    );
    let error = wizard::nim_sync(
        EstateView::new(&snapshots),
        "nimA",
        &NimSyncChoices::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    // An alternate that is not configured cannot be checked.
    let lonely = vec![nim_snapshot(
        "nimD",
        &format!("master:\n   class = machines\n   type = master\n   if1 = net1 nimD 0 ent0\nnimZ:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimZ 0\n{}", client("c8", "nimD", "")),
    )];
    let error = refused(&lonely, "nimD", &sync_facts());
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
    assert!(error
        .reason
        .contains("nimZ is not a NIM master in the configuration"));
    let without = vec![nim_snapshot(
        "nimD",
        "master:\n   class = machines\n   type = master\n",
    )];
    assert!(refused(&without, "nimD", &sync_facts())
        .reason
        .contains("no alternate_master object"));
    assert!(wizard::nim_sync(
        EstateView::new(&snapshots),
        "nimA",
        &NimSyncChoices {
            alternate: Some("nimX".into()),
            reset_clients: false
        },
        Some(&sync_facts())
    )
    .unwrap_err()
    .reason
    .contains("no alternate_master object called nimX"));
}

/// nimB after a sync from nimA: it knows the clients, nimA controls them.
fn takeover_estate(old_partition: Option<(&str, &str)>) -> Vec<SourceSnapshot> {
    let clients = format!(
        "{}{}{}",
        client("c1", "nimA", ""),
        client("off1", "nimA", ""),
        client("unsync1", "nimA", "   sync_required = yes\n"),
    );
    let primary = format!(
        "{ALT_B}{}{}{}",
        client("c1", "nimA", ""),
        client("off1", "nimA", "").replace("currently running", "not running"),
        client("unsync1", "nimA", "   sync_required = yes\n"),
    );
    let mut snapshots = hanim(&primary, &format!("{ALT_A}{clients}"));
    if let Some((system_state, lpar_state)) = old_partition {
        snapshots.push(snapshot(
            "hmc1",
            SourceKind::Hmc,
            SourceData::Hmc(vec![system(
                &format!("name=cec1,type_model=9009-42A,serial_num=7800CEC,state={system_state}"),
                None,
                &format!("name=nimA,lpar_id=2,lpar_env=aixlinux,state={lpar_state}\n"),
            )]),
        ));
    }
    snapshots
}

fn answer(old_master: OldMasterAnswer) -> TakeoverFacts {
    TakeoverFacts { old_master }
}

#[test]
fn nim_takeover_planned_while_the_old_master_answers() {
    let snapshots = takeover_estate(None);
    let view = EstateView::new(&snapshots);
    let plan =
        wizard::nim_takeover(view, "nimB", None, Some(&answer(OldMasterAnswer::Answered))).unwrap();
    assert_eq!(plan.confirm_name, "nimB");
    assert!(plan.attestation.is_none());
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lsnim -l nimA",
            "LC_ALL=C nim -o takeover -a show_progress=yes nimA",
            "LC_ALL=C lsnim -l",
        ]
    );
    assert!(plan.steps.iter().all(|s| s.host == "nimB"));
    assert_eq!(
        plan.steps[1].until,
        Some(Condition::NimSummary {
            operation: "takeover".into(),
            succeeded: vec!["c1".into()],
        }),
        "the powered-off and the unsynchronised clients do not fail the step"
    );
    assert_eq!(
        plan.steps[2].until,
        Some(Condition::All(vec![Condition::NimAttribute {
            object: "c1".into(),
            attribute: "current_master".into(),
            value: Some("nimB".into())
        }]))
    );
    let notes = plan.notes.join("\n");
    assert!(
        notes.contains("nimA answers: this is a planned takeover"),
        "{notes}"
    );
    assert!(
        notes.contains("pending, not failures: off1 not running"),
        "{notes}"
    );
    assert!(
        notes.contains("sync_required = yes on unsync1: they refuse the takeover (0042-372)"),
        "{notes}"
    );
    // A client the primary controls and the alternate does not know: sync first.
    let mut snapshots = takeover_estate(None);
    snapshots[0] = nim_snapshot(
        "nimA",
        &format!(
            "master:\n   class = machines\n   type = master\n   if1 = net1 nimA 0 ent0\n{ALT_B}{}{}",
            client("c1", "nimA", ""),
            client("new1", "nimA", "")
        ),
    );
    let error = wizard::nim_takeover(
        EstateView::new(&snapshots),
        "nimB",
        None,
        Some(&answer(OldMasterAnswer::Answered)),
    )
    .unwrap_err();
    assert_eq!(
        error.reason,
        "nimB does not know new1 yet: synchronise first (powerdeck plan nim-sync --master nimA)"
    );
}

#[test]
fn nim_takeover_from_a_silent_master_needs_proof_or_attestation() {
    let silent = answer(OldMasterAnswer::NoAnswer("connection refused".into()));
    // The old master's partition is Not Activated: proven down, re-checked first.
    let snapshots = takeover_estate(Some(("Operating", "Not Activated")));
    let plan =
        wizard::nim_takeover(EstateView::new(&snapshots), "nimB", None, Some(&silent)).unwrap();
    assert!(plan.attestation.is_none());
    assert_eq!(plan.steps[0].host, "hmc1");
    assert_eq!(
        plan.steps[0].line(),
        "LANG=C lssyscfg -r lpar -m cec1 --filter lpar_names=nimA -F name,state"
    );
    assert_eq!(
        plan.steps[0].until,
        Some(Condition::LparState {
            lpar: "nimA".into(),
            states: vec![powerdeck::estate::LparState::NotActivated],
        })
    );
    assert!(plan.notes.join("\n").contains("nimA does not answer (connection refused); its partition nimA on cec1 is Not Activated: it is down"));
    // Its whole system is off.
    let snapshots = takeover_estate(Some(("Power Off", "Not Activated")));
    let plan =
        wizard::nim_takeover(EstateView::new(&snapshots), "nimB", None, Some(&silent)).unwrap();
    assert_eq!(plan.steps[0].host, "hmc1");
    // Running, or unseen: only the operator can vouch for it.
    let snapshots = takeover_estate(Some(("Operating", "Running")));
    let plan =
        wizard::nim_takeover(EstateView::new(&snapshots), "nimB", None, Some(&silent)).unwrap();
    let attestation = plan.attestation.clone().unwrap();
    assert_eq!(attestation.phrase, "nimA is down");
    assert!(attestation
        .statement
        .contains("its partition nimA on cec1 is Running, so it may still serve its clients"));
    assert_eq!(plan.steps[0].host, "nimB");
    let snapshots = takeover_estate(None);
    let plan = wizard::nim_takeover(
        EstateView::new(&snapshots),
        "nimB",
        None,
        Some(&answer(OldMasterAnswer::NotConfigured)),
    )
    .unwrap();
    assert!(plan
        .attestation
        .unwrap()
        .statement
        .contains("nimA is not in the configuration, so powerdeck cannot ask it, and powerdeck cannot see nimA's partition on any HMC"));
    let error = wizard::nim_takeover(EstateView::new(&snapshots), "nimB", None, None).unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
}

#[test]
fn nim_takeover_refusals() {
    let refused = |snapshots: &[SourceSnapshot], alternate: &str, old: Option<&str>| {
        wizard::nim_takeover(
            EstateView::new(snapshots),
            alternate,
            old,
            Some(&answer(OldMasterAnswer::Answered)),
        )
        .unwrap_err()
    };
    let never_synced = hanim("", "");
    assert!(refused(&never_synced, "nimB", None)
        .reason
        .contains("synchronise from the primary first"));
    let snapshots = takeover_estate(None);
    assert!(refused(&snapshots, "nimB", Some("nimX"))
        .reason
        .contains("no alternate_master object called nimX"));
    let settled = hanim("", &format!("{ALT_A}{}", client("c9", "nimB", "")));
    assert_eq!(
        refused(&settled, "nimB", None).kind,
        PlanErrorKind::NothingToDo
    );
    let none_can = hanim(
        "",
        &format!(
            "{ALT_A}{}{}",
            client("off1", "nimA", "").replace("currently running", "not running"),
            client("unsync1", "nimA", "   sync_required = yes\n")
        ),
    );
    assert_eq!(
        refused(&none_can, "nimB", None).reason,
        "no client of nimA can follow now: off1 not running; unsync1 with sync_required = yes"
    );
}

/// Everything a pre-flight of ready1 reads, all of it fine, with a leftover /bos_inst.
fn nimadm_facts() -> NimadmFacts {
    let fileset = |level: &str| {
        vec![
            ("bos.mp64".to_string(), level.to_string()),
            ("bos.alt_disk_install.rte".to_string(), level.to_string()),
        ]
    };
    let lv = |name: &str, state: &str, mount: &str| LogicalVolume {
        name: name.into(),
        state: state.into(),
        mount: mount.into(),
    };
    NimadmFacts {
        lpp_source: "lpp1".into(),
        spot: "spot1".into(),
        hostname: "ready1".into(),
        remote_errors: String::new(),
        nimsh: "Subsystem         Group            PID          Status \n nimsh            nimclient        4915330      active\n".into(),
        niminfo_master: Some("nimA".into()),
        client_level: "6100-06-03-1048".into(),
        bos_inst: true,
        mounts: vec![("/dev/hd4".into(), "/".into()), ("/dev/hd2".into(), "/usr".into())],
        volumes: vec![
            lv("hd5", "closed/syncd", "N/A"),
            lv("hd4", "open/syncd", "/"),
            lv("hd2", "open/syncd", "/usr"),
        ],
        rootvg_used_mb: Some(20_480),
        disks: vec![
            ("hdisk0".into(), Some("rootvg".into()), None),
            ("hdisk1".into(), None, Some(71_680)),
        ],
        master_level: "7100-03-05-1524".into(),
        master_filesets: fileset("7.1.3.5"),
        spot_filesets: fileset("7.1.3.5"),
        lpp_filesets: fileset("7.1.3.5"),
        volume_groups: vec![("nimadmvg".into(), Some(81_920))],
    }
}

fn preflight(
    facts: &NimadmFacts,
    choices: &NimadmChoices,
) -> Result<Plan, powerdeck::wizard::PlanError> {
    let snapshots = nim_estate();
    wizard::nimadm_preflight(
        EstateView::new(&snapshots),
        "nimA",
        "ready1",
        choices,
        Some(facts),
    )
}

#[test]
fn nimadm_preflight_removes_a_proven_leftover() {
    let plan = preflight(&nimadm_facts(), &NimadmChoices::default()).unwrap();
    const C_RSH: &str = "LC_ALL=C /usr/lpp/bos.sysmgt/nim/methods/c_rsh";
    assert_eq!(
        lines(&plan),
        [
            "LC_ALL=C lsnim -l ready1".to_string(),
            format!("{C_RSH} ready1 hostname"),
            format!("{C_RSH} ready1 cat /etc/niminfo"),
            format!("{C_RSH} ready1 lssrc -s nimsh"),
            format!("{C_RSH} ready1 oslevel -s"),
            format!("{C_RSH} ready1 lspv"),
            format!("{C_RSH} ready1 mount"),
            format!("{C_RSH} ready1 lsvg -l rootvg"),
            format!("{C_RSH} ready1 rm -r /bos_inst"),
            format!("{C_RSH} ready1 ls -d /bos_inst"),
        ]
    );
    let words = |w: &[&str]| Condition::OutputLine {
        words: w.iter().map(|w| w.to_string()).collect(),
    };
    assert_eq!(
        plan.steps[1].until,
        Some(words(&["ready1"])),
        "output, not exit status"
    );
    assert_eq!(
        plan.steps[2].until,
        Some(words(&["export", "NIM_MASTER_HOSTNAME=nimA"]))
    );
    assert_eq!(plan.steps[3].until, Some(words(&["nimsh", "active"])));
    assert_eq!(plan.steps[5].until, Some(words(&["hdisk1", "None"])));
    assert_eq!(
        plan.steps[6].until,
        Some(Condition::NoOutputLine {
            header: "mounted over".into(),
            containing: "/bos_inst".into()
        })
    );
    assert_eq!(
        plan.steps[7].until,
        Some(Condition::NoOutputLine {
            header: "LV NAME".into(),
            containing: "bos_".into()
        })
    );
    assert_eq!(plan.steps[8].kind, StepKind::Change);
    assert_eq!(
        plan.steps[9].until,
        Some(Condition::PathAbsent {
            path: "/bos_inst".into()
        })
    );
    let notes = plan.notes.join("\n");
    assert!(
        notes.contains(
            "levels: ready1 6.1 TL6, nimA 7.1 TL3, SPOT spot1 7.1 TL3, lpp_source lpp1 7.1 TL3"
        ),
        "{notes}"
    );
    assert!(
        notes.contains(
            "then run on nimA: nimadm -j nimadmvg -c ready1 -s spot1 -l lpp1 -d hdisk1 -Y"
        ),
        "{notes}"
    );
    let mut clean = nimadm_facts();
    clean.bos_inst = false;
    let plan = preflight(&clean, &NimadmChoices::default()).unwrap();
    assert!(!plan.changes_anything());
    assert_eq!(plan.steps.len(), 7);
    clean.volume_groups[0].1 = Some(1_024);
    let plan = preflight(&clean, &NimadmChoices::default()).unwrap();
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("nimadm will run without -j")));
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("nimadm -c ready1 -s spot1 -l lpp1 -d hdisk1 -Y")));
}

#[test]
fn nimadm_preflight_refuses_what_would_fail_or_destroy() {
    let refused = |change: &dyn Fn(&mut NimadmFacts), choices: NimadmChoices| {
        let mut facts = nimadm_facts();
        change(&mut facts);
        preflight(&facts, &choices).unwrap_err().reason
    };
    let no_choice = NimadmChoices::default;
    // /bos_inst that is not a leftover.
    let why = refused(
        &|f| f.mounts.push(("/dev/bos_hd4".into(), "/bos_inst".into())),
        no_choice(),
    );
    assert_eq!(why, "/bos_inst on ready1 is not a leftover: /dev/bos_hd4 on /bos_inst is mounted there (a multibos standby in use)");
    let standby = |f: &mut NimadmFacts| {
        f.volumes.push(LogicalVolume {
            name: "bos_hd4".into(),
            state: "closed/syncd".into(),
            mount: "/bos_inst".into(),
        })
    };
    let why = refused(&standby, no_choice());
    assert!(why.starts_with("ready1 has a multibos standby instance (bos_hd4), and /bos_inst is its mount point, not a leftover"), "{why}");
    let why = refused(
        &|f| {
            standby(f);
            f.bos_inst = false;
        },
        no_choice(),
    );
    assert!(why.contains("nimadm fails in phase 11 with it"), "{why}");
    let why = refused(&|f| f.volumes[1].state = "closed/syncd".into(), no_choice());
    assert!(
        why.contains("did not boot from its legacy logical volumes (hd4 is not open)"),
        "{why}"
    );
    // Remote execution judged by its output.
    let why = refused(
        &|f| {
            f.hostname = String::new();
            f.remote_errors = "ready1: timedout\n".into();
        },
        no_choice(),
    );
    assert_eq!(why, "nimA cannot run commands on ready1: c_rsh ready1 hostname printed '' instead of 'ready1' (and said: ready1: timedout). c_rsh exits 0 whatever happened, so only its output counts");
    let why = refused(
        &|f| f.nimsh = "0513-085 The nimsh Subsystem is not on file.\n".into(),
        no_choice(),
    );
    assert!(why.starts_with("nimsh is not active on ready1"), "{why}");
    let why = refused(&|f| f.niminfo_master = Some("nimB".into()), no_choice());
    assert!(
        why.starts_with("ready1's /etc/niminfo names nimB as its master, not nimA"),
        "{why}"
    );
    // Filesets and levels.
    let why = refused(
        &|f| {
            f.master_filesets
                .retain(|(n, _)| n != "bos.alt_disk_install.rte")
        },
        no_choice(),
    );
    assert!(
        why.starts_with("bos.alt_disk_install.rte is not installed on nimA"),
        "{why}"
    );
    let why = refused(
        &|f| {
            f.spot_filesets
                .retain(|(n, _)| n != "bos.alt_disk_install.rte")
        },
        no_choice(),
    );
    assert_eq!(why, "SPOT spot1 has no bos.alt_disk_install.rte: install it there first (nimadm -M -s spot1 -l lpp1)");
    let why = refused(&|f| f.lpp_filesets[1].1 = "7.1.3.4".into(), no_choice());
    assert!(
        why.starts_with(
            "bos.alt_disk_install.rte is at 7.1.3.4 in lpp_source lpp1 but at 7.1.3.5 on nimA"
        ),
        "{why}"
    );
    let why = refused(&|f| f.master_level = "7100-02-07-1614".into(), no_choice());
    assert!(
        why.starts_with("nimA runs 7.1 TL2, below lpp_source lpp1 (7.1 TL3)"),
        "{why}"
    );
    let why = refused(&|f| f.spot_filesets[0].1 = "7.1.0.2".into(), no_choice());
    assert!(
        why.starts_with("SPOT spot1 is at 7.1 TL0 and lpp_source lpp1 at 7.1 TL3"),
        "{why}"
    );
    let why = refused(&|f| f.client_level = "7100-04-01-1543".into(), no_choice());
    assert!(why.contains("nimadm migrates to a higher release"), "{why}");
    // Disks.
    let why = refused(
        &|f| f.disks[1].1 = Some("altinst_rootvg".into()),
        no_choice(),
    );
    assert_eq!(
        why,
        "hdisk1 of ready1 holds altinst_rootvg: remove it first (alt_rootvg_op -X altinst_rootvg)"
    );
    let why = refused(
        &|_| {},
        NimadmChoices {
            disk: Some("hdisk0".into()),
            ..no_choice()
        },
    );
    assert!(why.contains("hdisk0 of ready1 belongs to rootvg: the target disk must be free (nimadm would answer 0505-126)"), "{why}");
    let why = refused(
        &|f| f.disks[1].2 = Some(20_000),
        NimadmChoices {
            disk: Some("hdisk1".into()),
            ..no_choice()
        },
    );
    assert!(
        why.contains("hdisk1 of ready1 has 20000 MB; a clone of its rootvg needs 20980 MB"),
        "{why}"
    );
    let why = refused(&|f| f.disks[1].2 = Some(20_000), no_choice());
    assert!(
        why.starts_with("ready1 has no free disk of at least 20980 MB"),
        "{why}"
    );
    let why = refused(
        &|_| {},
        NimadmChoices {
            disk: Some("hdisk7".into()),
            ..no_choice()
        },
    );
    assert!(why.contains("ready1 has no disk called hdisk7"), "{why}");
    // The cache volume group.
    let why = refused(
        &|_| {},
        NimadmChoices {
            cache_vg: Some("bigvg".into()),
            ..no_choice()
        },
    );
    assert!(
        why.contains("nimA has no volume group called bigvg"),
        "{why}"
    );
    let why = refused(
        &|f| f.volume_groups[0].1 = Some(1_024),
        NimadmChoices {
            cache_vg: Some("nimadmvg".into()),
            ..no_choice()
        },
    );
    assert!(
        why.contains("volume group nimadmvg on nimA has 1024 MB free"),
        "{why}"
    );
    // What the master's database says.
    let why = |client: &str| {
        let snapshots = nim_estate();
        wizard::nimadm_preflight(
            EstateView::new(&snapshots),
            "nimA",
            client,
            &NimadmChoices::default(),
            Some(&nimadm_facts()),
        )
        .unwrap_err()
        .reason
    };
    assert!(why("stuck1").contains("reset it first"));
    assert!(
        why("theirs1").starts_with("theirs1 is controlled by nimB, not by nimA"),
        "{}",
        why("theirs1")
    );
    assert!(why("wp1").contains("wpar machine"));
    assert!(why("spot1").contains("not a machine"));
    let snapshots = nim_estate();
    let error = wizard::nimadm_preflight(
        EstateView::new(&snapshots),
        "nimA",
        "ready1",
        &NimadmChoices::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::CannotTell);
}

#[test]
fn nimadm_preflight_picks_its_spot_and_lpp_source() {
    let snapshots = vec![nim_snapshot(
        "nimA",
        "master:\n   class = machines\n   type = master\n\
         spot_71:\n   class = resources\n   type = spot\n   oslevel_r = 7100-03\n\
         spot_70:\n   class = resources\n   type = spot\n   oslevel_r = 7100-00\n\
         lpp_7100-00-02:\n   class = resources\n   type = lpp_source\n\
         lpp_7100-03-05:\n   class = resources\n   type = lpp_source\n\
         lpp_extra:\n   class = resources\n   type = lpp_source\n",
    )];
    let view = EstateView::new(&snapshots);
    assert_eq!(
        nimadm::resources(view, "nimA", &NimadmChoices::default()).unwrap(),
        ("spot_71".to_string(), "lpp_7100-03-05".to_string())
    );
    let chosen = NimadmChoices {
        spot: Some("spot_70".into()),
        ..Default::default()
    };
    assert_eq!(
        nimadm::resources(view, "nimA", &chosen).unwrap(),
        ("spot_70".to_string(), "lpp_7100-00-02".to_string())
    );
    let ambiguous = vec![nim_snapshot(
        "nimA",
        "master:\n   class = machines\n   type = master\n\
         spot_x:\n   class = resources\n   type = spot\n\
         lpp_a:\n   class = resources\n   type = lpp_source\n\
         lpp_b:\n   class = resources\n   type = lpp_source\n",
    )];
    let error = nimadm::resources(
        EstateView::new(&ambiguous),
        "nimA",
        &NimadmChoices::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.reason,
        "name the lpp_source to migrate to (--lpp-source): lpp_a, lpp_b"
    );
    let error = nimadm::resources(
        view,
        "nimA",
        &NimadmChoices {
            lpp_source: Some("nope".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(error.kind, PlanErrorKind::NotFound);
}

// ---------------------------------------------------------------------------------------
// The new command builders

/// Runs the command lines through `sh -c` with `printf` in place of each program and
/// checks that the arguments arrive exactly as built.
fn assert_round_trip(commands: &[RemoteCommand]) {
    for command in commands {
        let line = command.line();
        let prefix = format!(
            "{} {}",
            command.locale_prefix().unwrap().assignment(),
            powerdeck::sources::quote::shell(command.program())
        );
        let rest = line.strip_prefix(&prefix).unwrap();
        let script = format!("printf '%s\\0' {rest}");
        let output = Command::new("/bin/sh")
            .arg("-c")
            .arg(&script)
            .env_clear()
            .env("PATH", "/nonexistent")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(output.status.success(), "{script}");
        let got: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .split_terminator('\0')
            .map(str::to_string)
            .collect();
        assert_eq!(got, command.args(), "{line}");
    }
}

/// The programs a `sh -c SCRIPT` command runs and their arguments, from a real shell
/// with a `printf` function in place of each.
fn inner_calls(command: &RemoteCommand) -> Vec<Vec<String>> {
    let [flag, script] = command.args() else {
        panic!("not sh -c SCRIPT: {}", command.line());
    };
    assert_eq!(flag, "-c");
    let stubs: String = ["ulimit", "savewpar", "touch", "rm"]
        .iter()
        .map(|p| format!("{p}() {{ printf '%s\\0' \"$#\" {p} \"$@\"; }}\n"))
        .collect();
    let output = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("{stubs}{script}"))
        .env_clear()
        .env("PATH", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{script}");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut words = text.split('\0');
    let mut calls = Vec::new();
    while let Some(count) = words.next().filter(|c| !c.is_empty()) {
        let count: usize = count.parse().unwrap();
        calls.push(words.by_ref().take(count + 1).map(str::to_string).collect());
    }
    calls
}

#[test]
fn wpar_safety_builders_quote_and_declare_their_effect() {
    let hostile = ["'; reboot; '", "$(halt)", "`id`", "a b", "x\ny", "*"];
    for name in hostile {
        let commands = vec![
            aix::instfix(name).unwrap(),
            aix::chwpar_auto_start(name, false).unwrap(),
            aix::clogin(name, aix::Inside::Lppchk).unwrap(),
            aix::df_kb(&[name, "/tmp"]).unwrap(),
            aix::fuser(name).unwrap(),
            aix::umount(name).unwrap(),
            aix::showmount(name).unwrap(),
            aix::savewpar_unlimited(name, name).unwrap(),
            aix::write_probe(name).unwrap(),
        ];
        assert_round_trip(&commands);
        assert_eq!(commands[1].args(), ["-K", "-A", name]);
        assert_eq!(
            inner_calls(&commands[7]),
            [
                vec!["ulimit", "-f", "unlimited"],
                vec!["savewpar", "-i", "-f", name, name]
            ]
        );
        assert_eq!(
            inner_calls(&commands[8]),
            [vec!["touch", name], vec!["rm", name]]
        );
    }
    assert_eq!(
        aix::chwpar_auto_start("w1", true).unwrap().line(),
        "LC_ALL=C chwpar -A w1"
    );
    assert_eq!(
        aix::clogin("w1", aix::Inside::Oslevel).unwrap().line(),
        "LC_ALL=C clogin w1 oslevel -s"
    );
    assert_eq!(aix::df_kb(&[]).unwrap().line(), "LC_ALL=C df -k");
    for command in [
        aix::instfix("IZ99829").unwrap(),
        aix::clogin("w1", aix::Inside::Oslevel).unwrap(),
        aix::clogin("w1", aix::Inside::Lppchk).unwrap(),
        aix::df_kb(&["/"]).unwrap(),
        aix::fuser("/wpars/w1").unwrap(),
        aix::showmount("nfs01").unwrap(),
    ] {
        assert_eq!(command.effect(), Effect::Read, "{}", command.line());
    }
    for command in [
        aix::chwpar_auto_start("w1", false).unwrap(),
        aix::clogin("w1", aix::Inside::Syncroot).unwrap(),
        aix::umount("/wpars/w1/SW").unwrap(),
        aix::savewpar_unlimited("w1", "/export/wpars/w1.savewpar").unwrap(),
        aix::write_probe("/export/wpars/.probe").unwrap(),
    ] {
        assert_eq!(command.effect(), Effect::Change, "{}", command.line());
    }
    assert!(aix::fuser("-k").is_err());
    assert!(aix::savewpar_unlimited("-w", "/x").is_err());
    assert!(aix::write_probe("").is_err());
}

#[test]
fn new_builders_quote_and_declare_their_effect() {
    let hostile = ["'; reboot; '", "$(halt)", "`id`", "a b", "x\ny", "*"];
    for name in hostile {
        let commands = vec![
            aix::lsfs_mount_group(name).unwrap(),
            aix::lsvg(name).unwrap(),
            nim::c_rsh(name, ClientCommand::ListBosInst).unwrap(),
            nim::c_rsh(name, ClientCommand::RemoveBosInst).unwrap(),
        ];
        assert_round_trip(&commands);
        assert_eq!(commands[0].args(), ["-u", name]);
        assert_eq!(commands[2].args(), [name, "ls", "-d", "/bos_inst"]);
    }
    assert_eq!(aix::mount_table().line(), "LC_ALL=C mount");
    assert_eq!(aix::lsvg("rootvg").unwrap().line(), "LC_ALL=C lsvg rootvg");
    assert_eq!(
        aix::lsfs_mount_group("w1").unwrap().line(),
        "LC_ALL=C lsfs -u w1"
    );
    for command in [
        ClientCommand::Hostname,
        ClientCommand::OsLevel,
        ClientCommand::NimshStatus,
        ClientCommand::ListBosInst,
    ] {
        assert_eq!(nim::c_rsh("c", command).unwrap().effect(), Effect::Read);
    }
    assert_eq!(
        nim::c_rsh("c", ClientCommand::RemoveBosInst)
            .unwrap()
            .effect(),
        Effect::Change
    );
    for command in [aix::mount_table(), aix::lsvg("rootvg").unwrap()] {
        assert_eq!(command.effect(), Effect::Read);
    }
    assert!(aix::lsvg("-x").is_err());
    assert!(aix::lsfs_mount_group("").is_err());
    assert!(nim::c_rsh("-o", ClientCommand::Hostname).is_err());
    assert!(nim::c_rsh("a\0b", ClientCommand::Hostname).is_err());
}
