//! Console state without hosts: snapshots made straight from a simulator estate file,
//! and a small estate that tells the on-call story (a CEC down with restartable LPARs,
//! a cleanup due, firmware to accept, a broken WPAR, a stuck NIM client, a failed
//! host). Tests, benchmarks and the screenshot generator draw the console from it.
//!
//! The snapshots hold what a refresh of the simulated hosts reads — the same types, the
//! same HMC attribute order — without running any command.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::estate::SourceKind;
use crate::estate::{
    Attributes, Cstate, FirmwareLevels, Lpar, LparState, ManagedSystem, MigrationState, Mstate,
    NimObject, RemoteRestartStatus, RmcState, RsAssignment, RsDevice, RsState, Rstate,
    SystemCapabilities, SystemState, Wpar,
};
use crate::refresh::hmc::Readable;
use crate::refresh::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use crate::sim::estate::{AixHost, HmcHost, NimHost, SimLpar, SimSystem};
use crate::sim::Estate;

use super::app::App;
use super::options::ConsoleOptions;
use super::update::{update, Action};

/// The moment fixture data is shown at: 2025-06-15 15:06:40 UTC.
pub const NOW: Duration = Duration::from_secs(1_750_000_000);

/// The story estate, in the simulator's estate file format.
pub const STORY_ESTATE: &str = r#"
[[hmc]]
name = "hmc01"

[[hmc.systems]]
name = "p10-prod-a"
type_model = "9080-HEX"
serial_num = "78A1234"
generation = "POWER10"
srr_capable = true
memory_mb = 2097152
proc_units = 120.0
firmware = { ecnumber = "01MH1050", release = "FW1050", activated_level = 20, installed_level = 20, accepted_level = 10 }
lpars = [
  { name = "vios1a", id = 1, env = "vioserver", os_version = "VIOS 4.1.0.10", memory_mb = 8192, proc_units = 1.0, msp = true },
  { name = "vios2a", id = 2, env = "vioserver", os_version = "VIOS 4.1.0.10", memory_mb = 8192, proc_units = 1.0, msp = true },
  { name = "aixglb01", id = 3, os_version = "AIX 7.3 7300-02-01-2346", memory_mb = 65536, proc_units = 4.0, srr = true },
  { name = "prdapp01", id = 4, os_version = "AIX 7.3 7300-02-01-2346", memory_mb = 32768, proc_units = 2.0, srr = true, compat_mode = "POWER9" },
  { name = "prddb01", id = 5, os_version = "AIX 7.2 7200-05-06-2320", memory_mb = 262144, proc_units = 16.0, srr = true },
  { name = "prdweb01", id = 6, os_version = "Linux/Red Hat 9.4", memory_mb = 16384, proc_units = 1.0, srr = true },
]

[[hmc.systems]]
name = "p9-dr-b"
type_model = "9009-42A"
serial_num = "7822B9C"
generation = "POWER9"
rr_capable = true
srr_capable = true
memory_mb = 1048576
proc_units = 40.0
firmware = { ecnumber = "01VL950", release = "FW950", activated_level = 160, installed_level = 160, accepted_level = 160 }
lpars = [
  { name = "vios1b", id = 1, env = "vioserver", os_version = "VIOS 3.1.4.30", memory_mb = 8192, proc_units = 1.0, msp = true },
  { name = "oldapp01", id = 7, state = "Not Activated", os_version = "AIX 7.1 7100-05-09-2148", memory_mb = 16384, proc_units = 1.0, rr = true, rr_status = "Remote Restarted", rs_device = "hdisk10" },
  { name = "drtest01", id = 8, state = "Not Activated", os_version = "AIX 7.2 7200-05-06-2320", memory_mb = 8192, proc_units = 0.5 },
]
rspool = { vios = ["vios1b"], devices = [
  { name = "hdisk10", vios = "vios1b", size_mb = 20480, lpar = "oldapp01" },
  { name = "hdisk11", vios = "vios1b", size_mb = 20480 },
  { name = "hdisk12", vios = "vios1b", size_mb = 40960 },
  { name = "hdisk13", vios = "vios1b", size_mb = 8192, selection = "auto" },
] }

[[hmc]]
name = "hmc02"

[[hmc.systems]]
name = "p8-legacy-c"
type_model = "8286-42A"
serial_num = "21C4D5E"
state = "Error - Dump in progress"
generation = "POWER8"
srr_capable = true
memory_mb = 524288
proc_units = 20.0
lpars = [
  { name = "vios1c", id = 1, env = "vioserver", state = "Not Available", os_version = "VIOS 3.1.4.30", memory_mb = 8192, proc_units = 1.0 },
  { name = "legacy01", id = 2, state = "Not Available", os_version = "AIX 7.2 7200-05-06-2320", memory_mb = 32768, proc_units = 2.0, srr = true },
  { name = "legacy02", id = 3, state = "Not Available", os_version = "AIX 7.2 7200-05-06-2320", memory_mb = 32768, proc_units = 2.0, srr = true },
  { name = "ibmi01", id = 4, env = "os400", state = "Not Available", os_version = "IBM i 7.4", memory_mb = 16384, proc_units = 1.0 },
]

[[hmc.systems]]
name = "p10-test-d"
type_model = "9105-42A"
serial_num = "78D9F01"
generation = "POWER10"
srr_capable = true
memory_mb = 1048576
proc_units = 48.0
firmware = { ecnumber = "01ML1050", release = "FW1050", activated_level = 20, installed_level = 30, accepted_level = 20 }
lpars = [
  { name = "vios1d", id = 1, env = "vioserver", os_version = "VIOS 4.1.0.10", memory_mb = 8192, proc_units = 1.0 },
  { name = "tstapp01", id = 2, state = "Open Firmware", memory_mb = 8192, proc_units = 0.5, srr = true },
  { name = "tstapp02", id = 3, state = "Starting", os_version = "AIX 7.3 7300-02-01-2346", memory_mb = 8192, proc_units = 0.5, srr = true },
  { name = "tstdb01", id = 4, os_version = "AIX 7.3 7300-02-01-2346", memory_mb = 16384, proc_units = 1.0, srr = true, rmc_state = "inactive" },
]

[[aix]]
name = "aixglb01"
oslevel = "7300-02-01-2346"
lpar = "p10-prod-a/aixglb01"
wpars = [
  { name = "wpweb01", state = "A", hostname = "wpweb01.prod", directory = "/wpars/wpweb01" },
  { name = "wpapp02", state = "A", hostname = "wpapp02.prod", directory = "/wpars/wpapp02", rootvg = true },
  { name = "wpold03", state = "B", hostname = "wpold03.prod", directory = "/wpars/wpold03" },
  { name = "wpnew04", state = "D", hostname = "wpnew04.prod", directory = "/wpars/wpnew04" },
  { name = "wpmove05", state = "T", hostname = "wpmove05.prod", directory = "/wpars/wpmove05", rootvg = true },
]

[[aix]]
name = "aixglb02"
oslevel = "7200-05-06-2320"
wpars = [
  { name = "wpbatch01", state = "A", hostname = "wpbatch01.dev", directory = "/wpars/wpbatch01" },
  { name = "wpbatch02", state = "D", hostname = "wpbatch02.dev", directory = "/wpars/wpbatch02", type = "A" },
]

[[nim]]
name = "nim01"
objects = [
  { name = "master", class = "machines", type = "master", attributes = [["Cstate", "ready for a NIM operation"], ["Mstate", "currently running"], ["platform", "chrp"]] },
  { name = "prdapp01", class = "machines", type = "standalone", attributes = [["connect", "nimsh"], ["platform", "chrp"], ["if1", "net_10_1 prdapp01 0"], ["Cstate", "ready for a NIM operation"], ["prev_state", "ready for a NIM operation"], ["Mstate", "currently running"], ["current_master", "nim01"], ["sync_required", "no"]] },
  { name = "prddb01", class = "machines", type = "standalone", attributes = [["connect", "nimsh"], ["platform", "chrp"], ["if1", "net_10_1 prddb01 0"], ["Cstate", "ready for a NIM operation"], ["Mstate", "currently running"], ["current_master", "nim01"], ["sync_required", "yes"]] },
  { name = "legacy01", class = "machines", type = "standalone", attributes = [["connect", "nimsh"], ["platform", "chrp"], ["if1", "net_10_1 legacy01 0"], ["Cstate", "BOS installation has been enabled"], ["prev_state", "ready for a NIM operation"], ["Mstate", "not running"], ["current_master", "nim01"], ["spot", "spot_7200_05"], ["lpp_source", "lpp_7200_05"]] },
  { name = "lpp_7200_05", class = "resources", type = "lpp_source", attributes = [["Rstate", "ready for use"], ["location", "/export/lpp/7200_05"], ["alloc_count", "1"], ["server", "master"]] },
  { name = "spot_7200_05", class = "resources", type = "spot", attributes = [["Rstate", "ready for use"], ["location", "/export/spot/spot_7200_05/usr"], ["alloc_count", "1"], ["server", "master"]] },
  { name = "lpp_7300_02", class = "resources", type = "lpp_source", attributes = [["Rstate", "unavailable for use"], ["location", "/export/lpp/7300_02"], ["alloc_count", "0"], ["server", "master"]] },
  { name = "net_10_1", class = "networks", type = "ent", attributes = [["net_addr", "10.1.0.0"], ["snm", "255.255.0.0"], ["routing1", "default 10.1.0.1"]] },
]
"#;

/// The fixture's clock.
pub fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + NOW
}

/// Snapshots of every host of an estate, as a successful refresh at `fetched_at`
/// would read them.
pub fn snapshots(estate: &Estate, fetched_at: SystemTime) -> Vec<SourceSnapshot> {
    let mut out = Vec::new();
    for hmc in &estate.hmc {
        out.push(snapshot(
            &hmc.name,
            SourceKind::Hmc,
            fetched_at,
            SourceData::Hmc(hmc_systems(hmc)),
        ));
    }
    for aix in &estate.aix {
        out.push(snapshot(
            &aix.name,
            SourceKind::Aix,
            fetched_at,
            SourceData::Aix(wpars(aix)),
        ));
    }
    for nim in &estate.nim {
        out.push(snapshot(
            &nim.name,
            SourceKind::Nim,
            fetched_at,
            SourceData::Nim(nim_objects(nim)),
        ));
    }
    out
}

/// The AIX globals of an estate that name their LPAR, as the console options want them.
pub fn globals(estate: &Estate) -> BTreeMap<String, String> {
    estate
        .aix
        .iter()
        .filter_map(|a| Some((a.name.clone(), a.lpar.clone()?)))
        .collect()
}

/// The story estate.
pub fn story_estate() -> Estate {
    Estate::from_toml(STORY_ESTATE, "the story estate")
        .expect("the story estate is valid (checked by the tests)")
}

/// The console over the story estate, as it looks 12 s after a refresh: one LPAR
/// migrating, `hmc02` partly read, and `aixglb02` failing its latest refresh — its
/// WPARs still shown, stale, from a refresh 3 minutes earlier.
pub fn story_app(mut options: ConsoleOptions) -> App {
    let estate = story_estate();
    options.globals = globals(&estate);
    if options.label.is_empty() {
        options.label = "story estate".to_string();
    }
    let mut app = App::new(options, now());
    let fresh = now() - Duration::from_secs(12);
    let earlier = now() - Duration::from_secs(200);
    for mut snapshot in snapshots(&estate, fresh) {
        match snapshot.name.as_str() {
            "hmc01" => {
                if let SourceData::Hmc(systems) = &mut snapshot.data {
                    if let Some(lpar) = systems
                        .iter_mut()
                        .flat_map(|s| s.lpars.iter_mut())
                        .find(|l| l.name == "prdweb01")
                    {
                        lpar.state = LparState::MigratingRunning;
                        lpar.migration_state = Some(MigrationState::InProgress);
                    }
                }
            }
            "hmc02" => {
                snapshot.status = SourceStatus::Partial;
                snapshot.problems = vec![
                    "lslic -m p8-legacy-c: HSCL0237 The managed system is in the Error state"
                        .to_string(),
                ];
                snapshot.error = snapshot.problems.first().cloned();
            }
            "aixglb02" => {
                snapshot.fetched_at = Some(earlier);
                update(
                    &mut app,
                    Action::Engine(crate::refresh::Event::Snapshot(snapshot)),
                );
                let failed = SourceSnapshot::failed(
                    "aixglb02",
                    SourceKind::Aix,
                    "aixglb02: connection refused (port 22)",
                );
                update(
                    &mut app,
                    Action::Engine(crate::refresh::Event::Snapshot(failed)),
                );
                continue;
            }
            _ => {}
        }
        update(
            &mut app,
            Action::Engine(crate::refresh::Event::Snapshot(snapshot)),
        );
    }
    app.message = None;
    app
}

fn snapshot(name: &str, kind: SourceKind, at: SystemTime, data: SourceData) -> SourceSnapshot {
    SourceSnapshot {
        name: name.to_string(),
        kind,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: Some(at),
        stale: false,
        data,
    }
}

fn hmc_systems(hmc: &HmcHost) -> Vec<SystemData> {
    hmc.systems.iter().map(system_data).collect()
}

fn system_data(sim: &SimSystem) -> SystemData {
    let running = matches!(sim.state, SystemState::Operating | SystemState::Standby);
    let system = ManagedSystem {
        name: sim.name.clone(),
        type_model: sim.type_model.clone(),
        serial_num: sim.serial_num.clone(),
        state: sim.state.clone(),
        detailed_state: None,
        capabilities: SystemCapabilities {
            active_lpar_mobility: Some(sim.lpm_capable),
            inactive_lpar_mobility: Some(sim.lpm_capable),
            remote_restart: Some(sim.rr_capable),
            simplified_remote_restart: Some(sim.srr_capable),
            proc_compat_modes: crate::sim::hmc::compat_modes(sim)
                .iter()
                .map(|mode| mode.to_string())
                .collect(),
        },
        firmware: sim
            .firmware
            .as_ref()
            .filter(|_| Readable::of(&sim.state).firmware)
            .map(|f| FirmwareLevels {
                ecnumber: Some(f.ecnumber.clone()),
                activated_level: Some(f.activated_level),
                installed_level: Some(f.installed_level),
                accepted_level: Some(f.accepted_level),
                activated_spname: (!f.release.is_empty())
                    .then(|| format!("{}.{}", f.release, f.activated_level)),
                platform_ipl_level: Some(f.platform_ipl_level.unwrap_or(f.activated_level)),
                deferred_level: None,
            }),
        reference_code: None,
    };
    let lpars: Vec<Lpar> = sim
        .lpars
        .iter()
        .map(|l| lpar(sim, l, running, sim.rspool.as_ref()))
        .collect();
    let rs_devices = sim
        .rspool
        .iter()
        .flat_map(|pool| &pool.devices)
        .filter(|_| running)
        .map(|d| RsDevice {
            device_name: d.name.clone(),
            vios_name: Some(d.vios.clone()),
            vios_id: sim.lpars.iter().find(|l| l.name == d.vios).map(|l| l.id),
            size: Some(d.size_mb),
            device_type: Some("phys".to_string()),
            state: Some(if d.lpar.is_some() {
                RsState::Active
            } else {
                RsState::Inactive
            }),
            phys_loc: None,
            lpar_name: d.lpar.clone(),
            lpar_id: d
                .lpar
                .as_ref()
                .and_then(|name| sim.lpars.iter().find(|l| &l.name == name))
                .map(|l| l.id),
            device_selection_type: Some(d.selection.clone()),
        })
        .collect();
    SystemData {
        system,
        lpars,
        rs_pool: None,
        rs_devices,
    }
}

fn lpar(
    system: &SimSystem,
    sim: &SimLpar,
    system_running: bool,
    pool: Option<&crate::sim::estate::SimRsPool>,
) -> Lpar {
    let rmc_state = sim
        .rmc_state
        .clone()
        .unwrap_or(if sim.state == LparState::Running {
            RmcState::Active
        } else {
            RmcState::Inactive
        });
    let remote_restart_status = sim
        .rr_status
        .clone()
        .or_else(|| (sim.rr || sim.srr).then_some(RemoteRestartStatus::RemoteRestartable));
    let device = sim.rs_device.clone().or_else(|| {
        pool.and_then(|p| {
            p.devices
                .iter()
                .find(|d| d.lpar.as_deref() == Some(&sim.name))
        })
        .map(|d| d.name.clone())
    });
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut attributes = Attributes::new();
    let id = sim.id.to_string();
    let memory = sim.memory_mb.to_string();
    let max_memory = sim.max_memory_mb.unwrap_or(sim.memory_mb).to_string();
    let units = format!("{:.1}", sim.proc_units);
    let rr_status = remote_restart_status
        .as_ref()
        .map_or("null", RemoteRestartStatus::as_str)
        .to_string();
    let priority = sim
        .lpar_avail_priority
        .unwrap_or(if sim.env.is_vios() { 191 } else { 127 })
        .to_string();
    let mode = crate::sim::hmc::curr_mode(system, sim);
    let pairs: [(&str, &str); 32] = [
        ("name", &sim.name),
        ("lpar_id", &id),
        ("lpar_env", sim.env.as_str()),
        ("state", sim.state.as_str()),
        ("resource_config", "1"),
        (
            "os_version",
            if sim.os_version.is_empty() {
                "Unknown"
            } else {
                &sim.os_version
            },
        ),
        ("logical_serial_num", "none"),
        ("default_profile", &sim.profile),
        ("curr_profile", &sim.profile),
        ("work_group_id", "none"),
        ("shared_proc_pool_util_auth", "0"),
        ("allow_perf_collection", "0"),
        ("power_ctrl_lpar_ids", "none"),
        ("boot_mode", "norm"),
        ("lpar_keylock", "norm"),
        ("auto_start", "0"),
        ("redundant_err_path_reporting", "0"),
        ("rmc_state", rmc_state.as_str()),
        ("rmc_ipaddr", &sim.rmc_ipaddr),
        ("time_ref", "0"),
        ("lpar_avail_priority", &priority),
        ("curr_lpar_proc_compat_mode", &mode),
        ("desired_mem", &memory),
        ("max_mem", &max_memory),
        ("desired_proc_units", &units),
        ("suspend_capable", "0"),
        ("remote_restart_capable", flag(sim.rr)),
        ("simplified_remote_restart_capable", flag(sim.srr)),
        ("remote_restart_status", &rr_status),
        ("migration_disabled", flag(sim.migration_disabled)),
        ("msp", flag(sim.msp)),
        ("rs_device_name", device.as_deref().unwrap_or("none")),
    ];
    for (name, value) in pairs {
        attributes.push(name, value);
    }
    Lpar {
        name: sim.name.clone(),
        lpar_id: sim.id,
        lpar_env: sim.env.clone(),
        state: sim.state.clone(),
        os_version: (!sim.os_version.is_empty()).then(|| sim.os_version.clone()),
        rmc_state: Some(rmc_state),
        rmc_ipaddr: (!sim.rmc_ipaddr.is_empty()).then(|| sim.rmc_ipaddr.clone()),
        curr_profile: Some(sim.profile.clone()),
        default_profile: Some(sim.profile.clone()),
        remote_restart_capable: sim.rr,
        simplified_remote_restart_capable: sim.srr,
        remote_restart_status,
        migration_disabled: sim.migration_disabled,
        msp: sim.msp,
        rs: RsAssignment {
            primary_vios: sim.primary_rs_vios.clone(),
            secondary_vios: sim.secondary_rs_vios.clone(),
            current_vios: None,
            device_name: device,
        },
        migration_state: system_running.then_some(MigrationState::NotMigrating),
        attributes,
    }
}

fn wpars(aix: &AixHost) -> Vec<Wpar> {
    aix.wpars
        .iter()
        .map(|w| {
            let mut wpar = Wpar::new(&w.name, w.state.clone(), w.wpar_type.clone());
            wpar.hostname = Some(w.hostname.clone().unwrap_or_else(|| w.name.clone()));
            wpar.directory = Some(
                w.directory
                    .clone()
                    .unwrap_or_else(|| format!("/wpars/{}", w.name)),
            );
            wpar.rootvg = w.rootvg;
            wpar.checkpointable = Some(w.checkpointable);
            wpar.private_usr = Some(w.private_usr);
            wpar.auto_start = Some(w.auto_start);
            wpar.ostype = Some(0);
            wpar.owner = Some("root".to_string());
            wpar.uuid = w.uuid.clone();
            wpar
        })
        .collect()
}

fn nim_objects(nim: &NimHost) -> Vec<NimObject> {
    nim.objects
        .iter()
        .map(|o| {
            let attribute = |name: &str| {
                o.attributes
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str())
            };
            NimObject {
                name: o.name.clone(),
                class: o.class.clone(),
                object_type: o.object_type.clone(),
                cstate: attribute("Cstate").map(Cstate::parse),
                mstate: attribute("Mstate").map(Mstate::parse),
                rstate: attribute("Rstate").map(Rstate::parse),
                current_master: attribute("current_master").map(str::to_string),
                attributes: o.attributes.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_estate_reads_and_tells_its_story() {
        let app = story_app(ConsoleOptions::default());
        assert_eq!(app.snapshots.len(), 5);
        let stale = &app.snapshots["aixglb02"];
        assert!(stale.stale && stale.status == SourceStatus::Error);
        assert!(matches!(&stale.data, SourceData::Aix(w) if w.len() == 2));
        assert_eq!(app.snapshots["hmc02"].status, SourceStatus::Partial);
    }

    #[test]
    fn generated_estate_converts() {
        let estate = crate::sim::generate::estate(crate::sim::generate::Scale::times(0.05))
            .expect("generated estate");
        let snapshots = snapshots(&estate, now());
        assert_eq!(snapshots.len(), estate.host_names().len());
    }
}
