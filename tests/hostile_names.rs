//! Hostile object names through every output powerdeck prints.
//!
//! Every wizard's plan is built over an estate whose LPAR, system, WPAR, NIM object,
//! mount and source names hold newlines, `;`, `$(…)`, backticks, quotes, ESC sequences
//! (OSC 52, OSC 8, clear screen), CR, C1 and bidi controls. Each printed script must
//! parse (`sh -n`) and, run by `sh` with a `PATH` of stub commands that log their argv,
//! run exactly the plan's steps with exactly their arguments and nothing else. An
//! injected command would log a call of its own (`pwned` is one of the stubs) or create
//! the `pwned` marker file (the payloads `: >pwned` need neither `PATH` nor a stub).
//!
//! The inventory's CSV and JSON, and the console's tables and plan screen, must show the
//! same names visibly, with no control character reaching the terminal.

mod common;
mod ui_support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use common::home::Home;
use common::sim::SimLab;
use powerdeck::config::SourceKind;
use powerdeck::estate::{
    Cstate, FirmwareLevels, Lpar, ManagedSystem, MigrationState, NimObject, Profile,
    RetrievableLevels, Wpar, WparState, WparType,
};
use powerdeck::inventory::Inventory;
use powerdeck::refresh::{Event, SourceData, SourceSnapshot, SourceStatus, SystemData};
use powerdeck::sim::Estate;
use powerdeck::sources::command::RemoteCommand;
use powerdeck::sources::nim::output::{FileSystem, LogicalVolume};
use powerdeck::sources::{aix as aix_parse, hmc, nim as nim_parse};
use powerdeck::text::{is_control, visible};
use powerdeck::ui::{self, Action, App, ConsoleOptions, Stage};
use powerdeck::wizard::capacity::{CapacityFacts, PartitionSize};
use powerdeck::wizard::firmware::EvacuationFacts;
use powerdeck::wizard::nim::reset::Sample;
use powerdeck::wizard::nim::OldMasterAnswer;
use powerdeck::wizard::{
    self, CleanupChoices, Disruptive, EstateView, FirmwareChoices, FirmwareFacts, NimResetFacts,
    NimSyncChoices, NimSyncFacts, NimadmChoices, NimadmFacts, Plan, RemoteRestartChoices,
    SourceAfterMove, Step, StepKind, TakeoverFacts, WparMoveChoices, WparMoveFacts,
    WparRecoveryChoices, WparRecoveryFacts,
};
use proptest::prelude::*;
use ui_support::{draw, press, select};

// ---------------------------------------------------------------------------------------
// Names

const HMC: &str = "hmc\n: >pwned";
const SYS_SRC: &str = "src\n: >pwned #";
const SYS_DST: &str = "dst$(: >pwned)`: >pwned`";
const SYS_FAILED: &str = "failed'; : >pwned; '\x1b[2J";
const SYS_BACK: &str = "back\"; : >pwned; \"\r";
const SYS_ACC: &str = "acc\x1b]52;c;cHduZWQ=\x07\n: >pwned";
const LPAR_NEWLINE: &str = "app\npwned; : >pwned";
const LPAR_SUBST: &str = "db$(pwned)`pwned`";
const LPAR_QUOTES: &str = "q'\"; pwned; '\"";
const LPAR_LINK: &str = "esc\x1b]8;;http://x\x07link\x1b]8;;\x07\rpwned";
const LPAR_BIDI: &str = "bidi\u{202e}x\u{2028}y\u{85}z\x7f\n";
const LPAR_GONE: &str = "gone\\\n: >pwned";
const LPAR_STUCK: &str = "stuck\t|pwned&";

const AIX_FROM: &str = "aix\n: >pwned";
const AIX_TO: &str = "aix72";
const WPAR_MOVE: &str = "w\n: >pwned $(pwned)";
const WPAR_STUCK: &str = "ws`pwned`\x1b[31m";
const WPAR_BROKEN: &str = "wb'; pwned '\n";
const MOUNT: &str = "/wpars/ws/m\n: >pwned";

const NIM_A: &str = "nimA";
const NIM_B: &str = "nimB";
const ALTERNATE: &str = "nimB\n: >pwned";
const OLD_MASTER: &str = "nimA`pwned`";
const CLIENT_STUCK: &str = "c1\n: >pwned";
const CLIENT_READY: &str = "c2$(: >pwned)";
const CLIENT_UNSYNC: &str = "c3\x1b]52;c;eA==\x07";
const HOSTILE_TEXT: &str = "39%\n: >pwned \x1b[2J";

// ---------------------------------------------------------------------------------------
// Estates: records parsed as the hosts print them, then renamed (a listing cannot carry
// a newline inside a name, so the hostile names are set on the parsed objects).

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

/// A system from `lssyscfg` records, renamed to `name` and its partitions to `lpars`
/// (in order; `None` keeps the parsed name).
fn system(
    name: &str,
    record: &str,
    firmware: Option<FirmwareLevels>,
    lpars: &[(Option<&str>, &str)],
) -> SystemData {
    let mut system = hmc::parse::<ManagedSystem>(record).unwrap().items.remove(0);
    system.name = name.to_string();
    system.firmware = firmware;
    let text: String = lpars
        .iter()
        .map(|(_, record)| format!("{record}\n"))
        .collect();
    let parsed = hmc::parse::<Lpar>(if text.is_empty() {
        "No results were found.\n"
    } else {
        &text
    })
    .unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let mut partitions = parsed.items;
    for (lpar, (rename, _)) in partitions.iter_mut().zip(lpars) {
        if let Some(rename) = rename {
            lpar.name = rename.to_string();
        }
    }
    SystemData {
        system,
        lpars: partitions,
        rs_pool: None,
        rs_devices: Vec::new(),
    }
}

const RUN: &str = "lpar_env=aixlinux,state=Running,rmc_state=active,auto_start=0,curr_lpar_proc_compat_mode=POWER9";
const SRR: &str = "lpar_env=aixlinux,state=Not Available,remote_restart_capable=0,simplified_remote_restart_capable=1";

fn hmc_estate() -> SourceSnapshot {
    let mut back = system(
        SYS_BACK,
        "name=back,type_model=8286-42A,serial_num=2100AAA,state=Operating",
        None,
        &[
            (
                Some(LPAR_GONE),
                format!("name=l,lpar_id=4,{SRR},remote_restart_status=Remote Restarted").as_str(),
            ),
            (Some(LPAR_STUCK), format!("name=l,lpar_id=5,{RUN}").as_str()),
        ],
    );
    back.lpars[1].migration_state = Some(MigrationState::Failed);
    snapshot(
        HMC,
        SourceKind::Hmc,
        SourceData::Hmc(vec![
            system(
                SYS_SRC,
                "name=src,type_model=9009-42A,serial_num=7800AAA,state=Operating,active_lpar_mobility_capable=1",
                levels(105, 105, 105),
                &[
                    (None, "name=src-vios1,lpar_id=1,lpar_env=vioserver,state=Running,rmc_state=active,auto_start=1"),
                    (Some(LPAR_NEWLINE), format!("name=l,lpar_id=2,{RUN}").as_str()),
                    (Some(LPAR_SUBST), format!("name=l,lpar_id=3,{RUN}").as_str()),
                    (
                        Some(LPAR_QUOTES),
                        "name=l,lpar_id=4,lpar_env=aixlinux,state=Running,rmc_state=inactive,auto_start=0,curr_lpar_proc_compat_mode=POWER9",
                    ),
                ],
            ),
            system(
                SYS_DST,
                "name=dst,type_model=9009-42A,serial_num=7800BBB,state=Operating,active_lpar_mobility_capable=1,powervm_lpar_simplified_remote_restart_capable=1,\"lpar_proc_compat_modes=default,POWER8,POWER9\"",
                levels(131, 131, 131),
                &[],
            ),
            system(
                SYS_FAILED,
                "name=failed,type_model=9117-MMD,serial_num=1000AAA,state=Error - Dump in progress",
                None,
                &[
                    (
                        Some(LPAR_LINK),
                        format!("name=l,lpar_id=11,{SRR},remote_restart_status=Remote Restartable,curr_lpar_proc_compat_mode=POWER8").as_str(),
                    ),
                    (
                        Some(LPAR_BIDI),
                        format!("name=l,lpar_id=12,{SRR},remote_restart_status=Remote Restartable,curr_lpar_proc_compat_mode=POWER8").as_str(),
                    ),
                ],
            ),
            back,
            system(
                SYS_ACC,
                "name=acc,type_model=9080-HEX,serial_num=78DC41X,state=Operating",
                levels(70, 70, 65),
                &[],
            ),
        ]),
    )
}

fn wpar(name: &str, state: WparState, directory: &str) -> Wpar {
    let mut wpar = Wpar::new(name, state, WparType::System);
    wpar.directory = Some(directory.to_string());
    wpar.hostname = Some(name.to_string());
    wpar.rootvg = false;
    wpar
}

fn aix_estate() -> Vec<SourceSnapshot> {
    let parsed = aix_parse::parse_lswpar_delimited(
        "w:A:S:w:/wpars/w:no\n",
        ':',
        aix_parse::DEFAULT_LSWPAR_FIELDS,
    )
    .unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let mut moving = parsed.items[0].clone();
    moving.name = WPAR_MOVE.to_string();
    vec![
        snapshot(
            AIX_FROM,
            SourceKind::Aix,
            SourceData::Aix(vec![
                moving,
                wpar(WPAR_STUCK, WparState::Transitional, "/wpars/ws"),
                wpar(WPAR_BROKEN, WparState::Broken, "/wpars/wb"),
            ]),
        ),
        snapshot(AIX_TO, SourceKind::Aix, SourceData::Aix(Vec::new())),
    ]
}

fn move_facts() -> WparMoveFacts {
    let mut details = Wpar::new(WPAR_MOVE, WparState::Active, WparType::System);
    details.private_usr = Some(false);
    details.ostype = Some(0);
    let shared = || {
        Some(vec![powerdeck::wizard::aix_checks::MountEntry {
            node: Some("nfs01".into()),
            mounted: "/export/wpars".into(),
            over: "/export/wpars".into(),
            vfs: "nfs3".into(),
            options: "rw".into(),
        }])
    };
    WparMoveFacts {
        source_level: Some("7100-00-02-1041".into()),
        target_level: Some("7100-00-02-1041".into()),
        details: Some(details),
        size_mb: Some(768),
        target_free_mb: Some(2048),
        source_mounts: shared(),
        target_mounts: shared(),
        shared_free_mb: Some(301_000),
        ..Default::default()
    }
}

fn objects(text: &str) -> Vec<NimObject> {
    let parsed = nim_parse::parse_lsnim_long(text).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    parsed.items
}

fn rename(objects: &mut [NimObject], from: &str, to: &str) {
    for object in objects {
        if object.name == from {
            object.name = to.to_string();
        }
    }
}

fn nim_estate() -> Vec<SourceSnapshot> {
    let mut primary = objects(
        "master:\n   class = machines\n   type = master\n   if1 = net1 nimA 0 ent0\n   Cstate = ready for a NIM operation\n\
         nimB:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimB 0 ent0\n   Cstate = ready for a NIM operation\n\
         stuck1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = ready for a NIM operation\n   Mstate = currently running\n   info = BOS install\n   spot = spot1\n\
         ready1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = ready for a NIM operation\n   Mstate = currently running\n\
         unsync1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   sync_required = yes\n   Cstate = ready for a NIM operation\n\
         spot1:\n   class = resources\n   type = spot\n",
    );
    rename(&mut primary, "nimB", ALTERNATE);
    rename(&mut primary, "stuck1", CLIENT_STUCK);
    rename(&mut primary, "ready1", CLIENT_READY);
    rename(&mut primary, "unsync1", CLIENT_UNSYNC);
    for object in primary.iter_mut().filter(|o| o.name == CLIENT_STUCK) {
        object.cstate = Some(Cstate::parse(HOSTILE_TEXT));
        object.mstate = Some(powerdeck::estate::Mstate::parse(HOSTILE_TEXT));
        for (key, value) in &mut object.attributes {
            if key == "info" {
                *value = HOSTILE_TEXT.to_string();
            }
        }
    }
    let mut alternate = objects(
        "master:\n   class = machines\n   type = master\n   if1 = net1 nimB 0 ent0\n\
         nimA:\n   class = machines\n   type = alternate_master\n   if1 = net1 nimA 0\n\
         ready1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   Cstate = ready for a NIM operation\n\
         unsync1:\n   class = machines\n   type = standalone\n   current_master = nimA\n   sync_required = yes\n",
    );
    rename(&mut alternate, "nimA", OLD_MASTER);
    rename(&mut alternate, "ready1", CLIENT_READY);
    rename(&mut alternate, "unsync1", CLIENT_UNSYNC);
    vec![
        snapshot(NIM_A, SourceKind::Nim, SourceData::Nim(primary)),
        snapshot(NIM_B, SourceKind::Nim, SourceData::Nim(alternate)),
    ]
}

/// Two identical samples of the stuck client: it did not move.
fn stuck_samples() -> NimResetFacts {
    let sample = Sample {
        cstate: Some(HOSTILE_TEXT.to_string()),
        info: Some(HOSTILE_TEXT.to_string()),
        mstate: Some(HOSTILE_TEXT.to_string()),
        log: vec![HOSTILE_TEXT.to_string()],
    };
    NimResetFacts {
        interval: std::time::Duration::from_secs(60),
        first: sample.clone(),
        second: sample,
        log_error: None,
        refcodes: Err(format!("{CLIENT_STUCK} is not a partition")),
    }
}

/// What a nimadm pre-flight of the ready client reads: all fine, a leftover /bos_inst.
fn preflight_facts() -> NimadmFacts {
    let levels = vec![
        ("bos.mp64".to_string(), "7.1.3.5".to_string()),
        (
            "bos.alt_disk_install.rte".to_string(),
            "7.1.3.5".to_string(),
        ),
    ];
    NimadmFacts {
        lpp_source: "lpp1".into(),
        spot: "spot1".into(),
        hostname: CLIENT_READY.into(),
        niminfo_master: Some(NIM_A.into()),
        client_level: "6100-06-03-1048".into(),
        bos_inst: true,
        volumes: vec![LogicalVolume {
            name: "hd4".into(),
            state: "open/syncd".into(),
            mount: "/".into(),
        }],
        rootvg_used_mb: Some(1024),
        disks: vec![("hdisk1".into(), None, Some(8192))],
        master_level: "7100-03-05-1524".into(),
        master_filesets: levels.clone(),
        spot_filesets: levels.clone(),
        lpp_filesets: levels,
        ..Default::default()
    }
}

fn estate() -> Vec<SourceSnapshot> {
    let mut snapshots = vec![hmc_estate()];
    snapshots.extend(aix_estate());
    snapshots.extend(nim_estate());
    snapshots
}

/// What a firmware plan of `src` reads: a valid key, a repository with newer levels, and
/// room for every partition on the evacuation target, none with physical I/O.
fn firmware_facts(view: EstateView<'_>) -> FirmwareFacts {
    let lpars: Vec<&Lpar> = view
        .find_system(SYS_SRC)
        .iter()
        .flat_map(|found| &found.data.lpars)
        .collect();
    let profile = |lpar: &Lpar| {
        let mut profile = hmc::parse::<Profile>("name=default_profile,lpar_name=l,io_slots=none\n")
            .unwrap()
            .items
            .remove(0);
        profile.lpar_name = lpar.name.clone();
        profile
    };
    FirmwareFacts {
        system_time: Some("06/14/2025 02:47:13".into()),
        access_key_expiry: Some("04/01/2040".into()),
        retrievable: RetrievableLevels {
            release: None,
            concurrent_level: Some(131),
            disruptive_level: Some(145),
        },
        evacuation: Some(EvacuationFacts {
            capacity: CapacityFacts {
                free_memory_mb: 1 << 20,
                free_proc_units: 256.0,
                sizes: lpars
                    .iter()
                    .map(|lpar| PartitionSize {
                        lpar: lpar.name.clone(),
                        profile: "default_profile".into(),
                        memory_mb: 4096,
                        proc_units: 0.5,
                    })
                    .collect(),
            },
            profiles: lpars.iter().map(|lpar| profile(lpar)).collect(),
        }),
        ..Default::default()
    }
}

/// Every wizard's plan over the hostile estate, in its variants.
fn every_plan() -> Vec<Plan> {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let firmware = |disruptive: Option<Disruptive>| {
        wizard::firmware(
            view,
            SYS_SRC,
            &FirmwareChoices {
                disruptive,
                ..Default::default()
            },
            &firmware_facts(view),
        )
    };
    let move_to = |source_after| {
        wizard::wpar_move(
            view,
            WPAR_MOVE,
            AIX_FROM,
            AIX_TO,
            &WparMoveChoices {
                source_after,
                ..Default::default()
            },
            &move_facts(),
        )
    };
    let recover = |wpar: &str, unmount: &[&str], start: bool, recreate: bool| {
        wizard::wpar_recover(
            view,
            AIX_FROM,
            wpar,
            &WparRecoveryChoices {
                unmount: unmount.iter().map(|m| m.to_string()).collect(),
                start,
                recreate,
            },
            &WparRecoveryFacts::default(),
        )
    };
    let roomy = |view: EstateView<'_>, system: &str| CapacityFacts {
        free_memory_mb: 1 << 20,
        free_proc_units: 256.0,
        sizes: view
            .find_system(system)
            .iter()
            .flat_map(|found| &found.data.lpars)
            .map(|lpar| PartitionSize {
                lpar: lpar.name.clone(),
                profile: lpar.curr_profile.clone().unwrap_or_default(),
                memory_mb: 4096,
                proc_units: 0.5,
            })
            .collect(),
    };
    let plans = [
        wizard::relocate(view, LPAR_NEWLINE, SYS_DST),
        wizard::relocate(view, LPAR_SUBST, SYS_DST),
        wizard::remote_restart::remote_restart(
            view,
            SYS_FAILED,
            SYS_DST,
            &RemoteRestartChoices {
                parallelism: 2,
                ..Default::default()
            },
            &roomy(view, SYS_FAILED),
        ),
        wizard::cleanup(view, SYS_BACK, CleanupChoices::default()),
        firmware(None),
        firmware(Some(Disruptive::Evacuate {
            target: SYS_DST.to_string(),
            shutdown: vec![LPAR_QUOTES.to_string()],
        })),
        firmware(Some(Disruptive::Shutdown)),
        wizard::firmware_accept(view, SYS_ACC),
        move_to(SourceAfterMove::Stop),
        move_to(SourceAfterMove::Remove),
        recover(WPAR_STUCK, &[MOUNT], true, false),
        recover(WPAR_STUCK, &[], false, false),
        recover(WPAR_BROKEN, &[], true, false),
        recover(WPAR_BROKEN, &[], true, true),
        wizard::nim_reset(view, NIM_A, CLIENT_STUCK, Some(&stuck_samples())),
        wizard::nim_sync(
            view,
            NIM_A,
            &NimSyncChoices::default(),
            Some(&NimSyncFacts {
                master_level: "7100-03-05-1524".into(),
                other_level: "7100-03-05-1524".into(),
                other_file_systems: vec![FileSystem {
                    mount: "/".into(),
                    free_kb: 1 << 20,
                }],
                ..Default::default()
            }),
        ),
        wizard::nim_takeover(
            view,
            NIM_B,
            None,
            Some(&TakeoverFacts {
                old_master: OldMasterAnswer::NoAnswer(HOSTILE_TEXT.to_string()),
            }),
        ),
        wizard::nimadm_preflight(
            view,
            NIM_A,
            CLIENT_READY,
            &NimadmChoices::default(),
            Some(&preflight_facts()),
        ),
    ];
    plans
        .into_iter()
        .enumerate()
        .map(|(index, plan)| plan.unwrap_or_else(|error| panic!("plan {index}: {error}")))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running a script with stub commands

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// What a script did under `sh`: the argv each stub received, in order, `sh`'s
/// stderr, and whether the `pwned` marker file appeared.
struct Ran {
    calls: Vec<Vec<String>>,
    stderr: String,
    pwned: bool,
}

fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn sh(args: &[&str], dir: &Path, bin: &Path) -> Output {
    Command::new("/bin/sh")
        .args(args)
        .env_clear()
        .env("PATH", bin)
        .env("STUB_LOG", dir.join("calls"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run /bin/sh")
}

/// Writes a stub for every program (logging `$#`, its name and its arguments,
/// NUL-terminated) and `pwned` (which also creates the marker), then checks the script
/// with `sh -n` and runs it with `sh`, `PATH` pointing at the stubs only. A program
/// given by absolute path (`c_rsh`) is pointed at its stub in the script's text.
fn run_script(script: &str, programs: &BTreeSet<&'static str>) -> Ran {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "hostile_names/{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = "printf '%s\\0' \"$#\" \"${0##*/}\" \"$@\" >> \"$STUB_LOG\"\n";
    let mut script = script.to_string();
    for program in programs {
        let name = program.rsplit('/').next().unwrap();
        write_executable(&bin.join(name), &format!("#!/bin/sh\n{log}"));
        if program.starts_with('/') {
            script = script.replace(
                &format!(" {program} "),
                &format!(" {}/{name} ", bin.display()),
            );
        }
    }
    write_executable(&bin.join("pwned"), &format!("#!/bin/sh\n{log}: >pwned\n"));
    std::fs::write(dir.join("plan.sh"), &script).unwrap();
    let parsed = sh(&["-n", "plan.sh"], &dir, &bin);
    assert!(
        parsed.status.success(),
        "sh -n refuses the script: {}\n{script}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let ran = sh(&["plan.sh"], &dir, &bin);
    let log = std::fs::read(dir.join("calls")).unwrap_or_default();
    let log = String::from_utf8(log).expect("the stubs logged UTF-8");
    let mut words = log.split('\0');
    let mut calls = Vec::new();
    while let Some(count) = words.next().filter(|count| !count.is_empty()) {
        let count: usize = count.parse().expect("argument count");
        calls.push(words.by_ref().take(count + 1).map(str::to_string).collect());
    }
    let pwned = dir.join("pwned").exists();
    let _ = std::fs::remove_dir_all(&dir);
    Ran {
        calls,
        stderr: String::from_utf8_lossy(&ran.stderr).into_owned(),
        pwned,
    }
}

fn steps_and_recoveries(plan: &Plan) -> impl Iterator<Item = &Step> {
    plan.steps.iter().flat_map(|step| {
        std::iter::once(step)
            .chain(step.follow.as_deref())
            .chain(step.on_failure.steps())
    })
}

/// The argv a stub receives for `command`: its program by base name.
fn expected_argv(command: &RemoteCommand) -> Vec<String> {
    let mut argv: Vec<String> = command.argv().into_iter().map(str::to_string).collect();
    argv[0] = argv[0].rsplit('/').next().unwrap().to_string();
    argv
}

/// The script of `plan` holds no control character but its line ends, one command
/// line per step, and run by `sh` it runs exactly the steps, nothing injected.
fn check_script(plan: &Plan) {
    let script = plan.to_script();
    assert!(
        script.chars().all(|c| c == '\n' || !is_control(c)),
        "{}: a control character is printed:\n{script:?}",
        plan.wizard
    );
    let commands = script
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter(|line| *line != powerdeck::sources::quote::SCRIPT_NEWLINE)
        .count();
    assert_eq!(commands, plan.steps.len(), "{}:\n{script}", plan.wizard);
    let programs: BTreeSet<&'static str> = steps_and_recoveries(plan)
        .map(|step| step.command.program())
        .collect();
    let ran = run_script(&script, &programs);
    assert!(
        !ran.pwned,
        "{}: an injected command ran:\n{script}",
        plan.wizard
    );
    assert_eq!(ran.stderr, "", "{}:\n{script}", plan.wizard);
    let expected: Vec<Vec<String>> = plan
        .steps
        .iter()
        .map(|step| expected_argv(&step.command))
        .collect();
    assert_eq!(ran.calls, expected, "{}:\n{script}", plan.wizard);
}

// ---------------------------------------------------------------------------------------
// Plan scripts

#[test]
fn every_plan_over_hostile_names_runs_only_its_steps() {
    let plans = every_plan();
    let wizards: BTreeSet<&str> = plans.iter().map(|plan| plan.wizard).collect();
    assert_eq!(
        wizards.len(),
        11,
        "every wizard has a plan here: {wizards:?}"
    );
    for plan in &plans {
        // The names reach the plan: its commands and its words carry the payloads.
        assert!(
            plan.steps
                .iter()
                .any(|s| s.command.args().iter().any(|a| a.contains("pwned"))),
            "{}: no hostile name in its commands",
            plan.wizard
        );
        check_script(plan);
    }
}

#[test]
fn suggested_commands_in_notes_are_quoted() {
    let snapshots = estate();
    let view = EstateView::new(&snapshots);
    let plan = wizard::wpar_recover(
        view,
        AIX_FROM,
        WPAR_STUCK,
        &WparRecoveryChoices::default(),
        &WparRecoveryFacts::default(),
    )
    .unwrap();
    let script = plan.to_script();
    assert!(
        script.contains("start it with startwpar 'ws`pwned`\\e[31m'"),
        "{script}"
    );
    let firmware = wizard::firmware(
        view,
        SYS_SRC,
        &FirmwareChoices::default(),
        &firmware_facts(view),
    )
    .unwrap();
    assert!(
        firmware
            .to_script()
            .contains("run `powerdeck plan firmware-accept --system 'src\\n: >pwned #'`"),
        "{}",
        firmware.to_script()
    );
    let unmount = wizard::wpar_recover(
        view,
        AIX_FROM,
        WPAR_STUCK,
        &WparRecoveryChoices {
            unmount: vec!["/wpars/ws/a b;c".into()],
            ..Default::default()
        },
        &WparRecoveryFacts::default(),
    )
    .unwrap();
    assert!(unmount.steps[1]
        .why
        .contains("`fuser -cx '/wpars/ws/a b;c'`"));
}

#[test]
fn recovery_commands_in_comments_are_quoted_like_steps() {
    let snapshots = estate();
    let plan = wizard::relocate(EstateView::new(&snapshots), LPAR_NEWLINE, SYS_DST).unwrap();
    let script = plan.to_script();
    assert!(script.starts_with("#!/bin/sh\n# powerdeck plan: relocate\n"));
    assert!(script.contains("\n# note: app\\npwned; : >pwned (Running) moves while running"));
    assert!(script.contains(
        "\n#    if it fails, first re-read on hmc\\n: >pwned: LANG=C lslparmigr -r lpar -m src\"$nl\"': >pwned #' --filter"
    ));
    assert!(script.contains(
        "\n#       on hmc\\n: >pwned: LANG=C migrlpar -o r -m src\"$nl\"': >pwned #' -p app\"$nl\"'pwned; : >pwned' (recover app\\npwned; : >pwned from the move that did not complete, on the source's HMC)\n"
    ));
    assert!(script.contains("\nnl=$(printf '\\n.'); nl=${nl%.}\n"));
}

fn word() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9 ;|&$()`'\"\\\\*?~#=%!{}<>.-]{1,4}",
        prop::sample::select(vec![
            "\n", "\r", "\t", "\x1b", "\x07", "\x7f", "\u{85}", "\u{9b}", "\u{2028}", "\u{202e}",
            "\u{2066}", "'\\''", "\n\n",
        ])
        .prop_map(str::to_string),
        any::<char>()
            .prop_filter("no NUL", |c| *c != '\0')
            .prop_map(String::from),
    ];
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any word (but NUL) in a plan step reaches the program unchanged, and the script
    /// shows no control character.
    #[test]
    fn script_words_reach_the_program_unchanged(words in prop::collection::vec(word(), 1..4)) {
        let command = words
            .iter()
            .try_fold(RemoteCommand::read("lssyscfg"), |command, word| command.arg("value", word.as_str()))
            .unwrap();
        let plan = Plan {
            wizard: "test",
            title: words.join(" "),
            confirm_name: String::new(),
            attestation: None,
            steps: vec![Step::new("h", StepKind::Check, command, words.join(" "))],
            parallelism: 1,
            notes: words.clone(),
        };
        check_script(&plan);
    }
}

// ---------------------------------------------------------------------------------------
// Inventory

/// Splits one CSV line of RFC 4180 cells.
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line:?}");
    cells
}

const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+SUM(1)",
    "-2+3",
    "@A1",
    "\t=1",
    "\r=1",
];

fn inventory_estate() -> Vec<SourceSnapshot> {
    let mut snapshots = estate();
    if let SourceData::Hmc(systems) = &mut snapshots[0].data {
        let text: String = FORMULAS
            .iter()
            .enumerate()
            .map(|(i, _)| {
                format!(
                    "name=f{i},lpar_id={},lpar_env=aixlinux,state=Not Activated\n",
                    30 + i
                )
            })
            .collect();
        let mut lpars = hmc::parse::<Lpar>(&text).unwrap().items;
        for (lpar, name) in lpars.iter_mut().zip(FORMULAS) {
            lpar.name = name.to_string();
        }
        systems[1].lpars.extend(lpars);
    }
    snapshots.push(SourceSnapshot::failed(
        "aixdown",
        SourceKind::Aix,
        "connection reset\x1b]52;c;cHduZWQ=\x07\r\n: >pwned",
    ));
    snapshots
}

#[test]
fn csv_cells_are_inert_in_terminals_and_spreadsheets() {
    let inventory = Inventory::from_snapshots(&inventory_estate());
    let csv = inventory.to_csv();
    assert!(csv.chars().all(|c| c == '\n' || !is_control(c)), "{csv:?}");
    let tables: Vec<&str> = csv.split("\n\n").collect();
    let lpars = tables
        .iter()
        .find(|t| t.starts_with("# lpars\n"))
        .expect("an lpars table");
    // One line per partition: no name breaks a row.
    assert_eq!(lpars.lines().count(), 2 + inventory.lpars.len());
    for line in csv
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("# "))
    {
        for cell in csv_cells(line) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {line:?}"
            );
        }
    }
    let names: Vec<String> = lpars
        .lines()
        .skip(2)
        .map(|l| csv_cells(l)[2].clone())
        .collect();
    for formula in FORMULAS {
        assert!(
            names.contains(&format!("'{}", visible(formula))),
            "{formula:?} not neutralised in {names:?}"
        );
    }
    assert!(names.contains(&"app\\npwned; : >pwned".to_string()));
    assert!(names.contains(&"esc\\e]8;;http://x\\x07link\\e]8;;\\x07\\rpwned".to_string()));
    assert!(names.contains(&"gone\\\\\\n: >pwned".to_string()));
}

#[test]
fn json_keeps_every_name_and_shows_no_control_character() {
    let inventory = Inventory::from_snapshots(&inventory_estate());
    let json = inventory.to_json();
    assert!(
        json.chars().all(|c| c == '\n' || !is_control(c)),
        "{json:?}"
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = value["lpars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    for name in [LPAR_NEWLINE, LPAR_LINK, LPAR_BIDI, LPAR_GONE, FORMULAS[0]] {
        assert!(names.contains(&name), "{name:?} not kept in {names:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The console

/// The console over the hostile estate, plus two partitions whose names differ only by
/// a newline against a backslash and an `n`.
fn console() -> App {
    let mut app = App::new(ConsoleOptions::default(), SystemTime::now());
    for mut snapshot in estate() {
        if let SourceData::Hmc(systems) = &mut snapshot.data {
            let mut twins = hmc::parse::<Lpar>(
                "name=t1,lpar_id=40,lpar_env=aixlinux,state=Not Activated\n\
                 name=t2,lpar_id=41,lpar_env=aixlinux,state=Not Activated\n",
            )
            .unwrap()
            .items;
            twins[0].name = "twin\nx".to_string();
            twins[1].name = "twin\\nx".to_string();
            systems[1].lpars.extend(twins);
        }
        ui::update(&mut app, Action::Engine(Event::Snapshot(snapshot)));
    }
    draw(&mut app, 200, 40);
    app
}

#[test]
fn console_tables_show_control_characters_visibly() {
    let mut app = console();
    press(&mut app, "2");
    let screen = draw(&mut app, 200, 40);
    assert!(!screen.contains(['\x1b', '\x07', '\r']), "{screen}");
    // The NAME column is 24 cells at most: longer names end in `…`.
    for shown in [
        "app\\npwned; : >pwned",
        "esc\\e]8;;http://x\\x07li…",
        "bidi\\u{202e}x\\u{2028}y\\…",
        "stuck\\t|pwned&",
        "twin\\nx ",
        "twin\\\\nx ",
        "hmc\\n: >pwned",
    ] {
        assert!(screen.contains(shown), "{shown} is not shown:\n{screen}");
    }
    select(&mut app, &visible(LPAR_LINK));
    press(&mut app, "d");
    let detail = draw(&mut app, 200, 40);
    assert!(!detail.contains(['\x1b', '\x07', '\r']), "{detail}");
    assert!(
        detail.contains("┌ LPAR esc\\e]8;;http://x\\x07link\\e]8;;\\x07\\rpwned on "),
        "{detail}"
    );
    assert!(
        detail.contains(" managed system                    failed'; : >pwned; '\\e[2J "),
        "{detail}"
    );
}

#[test]
fn console_plan_shows_control_characters_visibly() {
    let mut app = console();
    press(&mut app, "2");
    select(&mut app, &visible(LPAR_NEWLINE));
    press(&mut app, "M");
    assert_eq!(app.wizard.as_ref().map(|w| w.stage), Some(Stage::Target));
    press(&mut app, "<enter>");
    assert_eq!(app.wizard.as_ref().map(|w| w.stage), Some(Stage::Plan));
    let screen = draw(&mut app, 200, 60);
    assert!(!screen.contains(['\x1b', '\x07', '\r']), "{screen}");
    for shown in [
        "┌ Relocate app\\npwned; : >pwned from src\\n: >pwned # ",
        "$ LANG=C migrlpar -o m -m 'src\\n: >pwned #' -t 'acc\\e]52;c;cHduZWQ=\\x07\\n: >pwned' -p 'app\\npwned; : >pwned'",
        "app\\npwned; : >pwned shows Running on acc\\e]52;c;cHduZWQ=\\x07\\n: >pwned",
    ] {
        assert!(screen.contains(shown), "{shown} is not shown:\n{screen}");
    }
}

// ---------------------------------------------------------------------------------------
// The command line, end to end over the simulator

const CLI_ESTATE: &str = r#"
[[hmc]]
name = "hmc01"
[[hmc.systems]]
name = "p9-01\u001b]8;;http://x\u0007"
type_model = "9009-42A"
serial_num = "7800AAA"
memory_mb = 262144
proc_units = 20.0
[[hmc.systems.lpars]]
name = "=app\u001b]52;c;cHduZWQ=\u0007\u001b[2J"
id = 3
memory_mb = 8192
proc_units = 1.0
rmc_ipaddr = "10.0.0.3"
[[hmc.systems]]
name = "p9-02"
type_model = "9009-42A"
serial_num = "7800BBB"
memory_mb = 262144
proc_units = 20.0
"#;

const CLI_LPAR: &str = "=app\x1b]52;c;cHduZWQ=\x07\x1b[2J";

/// `inventory --csv`, `inventory --json`, `plan` and a plan error: every byte printed
/// to stdout or stderr is text or a line end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_line_output_carries_no_control_character() {
    let lab = SimLab::start(Estate::from_toml(CLI_ESTATE, "test").unwrap(), 1.0).await;
    let config = lab.files.config.clone();
    let home = Home::new("hostile-cli");
    let run = |args: &[&str]| {
        let mut command = home.powerdeck();
        command.arg("--config").arg(&config).args(args);
        let shown = args.join(" ");
        let out = command.output().expect("run powerdeck");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        for text in [&stdout, &stderr] {
            assert!(
                text.chars().all(|c| c == '\n' || !is_control(c)),
                "{shown}: {text:?}"
            );
        }
        (out.status.code(), stdout, stderr)
    };
    // p9-01 has no firmware levels in the simulator: `lslic` fails, naming the system.
    let partial = "powerdeck: hmc01 (partial): lslic -m p9-01\\e]8;;http://x\\x07: HSCL";
    let (code, csv, stderr) = tokio::task::block_in_place(|| run(&["inventory", "--csv"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(partial), "{stderr}");
    assert!(csv.contains(",'=app\\e]52;c;cHduZWQ=\\x07\\e[2J,"), "{csv}");
    let (code, json, stderr) = tokio::task::block_in_place(|| run(&["inventory", "--json"]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        json.contains("\"=app\\u001b]52;c;cHduZWQ=\\u0007\\u001b[2J\""),
        "{json}"
    );
    let (code, script, stderr) = tokio::task::block_in_place(|| {
        run(&["plan", "relocate", "--lpar", CLI_LPAR, "--to", "p9-02"])
    });
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("powerdeck: warning: hmc01: lslic -m p9-01\\e]8;;"),
        "{stderr}"
    );
    assert!(
        script.contains("\n# 5. Change on hmc01: active migration of =app\\e]52;c;cHduZWQ=\\x07\\e[2J from p9-01\\e]8;;http://x\\x07 to p9-02;"),
        "{script}"
    );
    let (code, _, stderr) = tokio::task::block_in_place(|| {
        run(&[
            "plan",
            "relocate",
            "--lpar",
            "nosuch\x1b[2J\n",
            "--to",
            "p9-02",
        ])
    });
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("no partition called nosuch\\e[2J\\n"),
        "{stderr}"
    );
}

/// An error that ends the command names what it could not use; a path from the command
/// line is printed inert too.
#[test]
fn a_fatal_error_is_printed_inert() {
    let home = Home::new("hostile-fatal");
    let out = home
        .powerdeck()
        .args([
            "--config",
            "/nonexistent/a\x1b]52;c;eA==\x07.toml",
            "inventory",
            "--json",
        ])
        .output()
        .expect("run powerdeck");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.chars().all(|c| c == '\n' || !is_control(c)),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("/nonexistent/a\\e]52;c;eA==\\x07.toml"),
        "{stderr}"
    );
}
