//! Simulated HMCs, their managed systems, partitions and reserved storage.
//!
//! The fields read from the estate file describe the estate when the simulator starts;
//! the `runtime` fields (never read from nor written to the file) hold what only exists
//! while it runs: migrations and remote restarts in flight, tokens that let a scheduled
//! event see whether it is still current.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::estate::{LparEnv, LparState, RemoteRestartStatus, RmcState, SystemState};

/// One simulated HMC.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HmcHost {
    /// Host name the simulator serves it under (`ssh hscroot@hmc01`).
    pub name: String,
    /// `lshmc -V` base version, e.g. `V10R3M1060`.
    #[serde(default = "default_hmc_version")]
    pub version: String,
    /// When set, password authentication is accepted with this password (key
    /// authentication always works).
    #[serde(default)]
    pub password: Option<String>,
    /// Added to every command, in milliseconds of real time.
    #[serde(default)]
    pub latency_ms: u64,
    /// `HMC Build level` line of `lshmc -V`; derived from the version when unset.
    #[serde(default)]
    pub build_level: Option<String>,
    #[serde(default)]
    /// The managed systems this HMC manages.
    pub systems: Vec<SimSystem>,
    /// Live state of the simulated HMC (not part of the estate file).
    #[serde(skip)]
    pub runtime: HmcRuntime,
}

/// What a simulated HMC keeps while it runs.
#[derive(Debug, Clone, Default)]
pub struct HmcRuntime {
    /// Source of the tokens that tie scheduled events to the operation that made them.
    pub next_token: u64,
}

impl HmcRuntime {
    /// A token never handed out before on this HMC.
    pub fn token(&mut self) -> u64 {
        self.next_token = self.next_token.wrapping_add(1);
        self.next_token
    }
}

fn default_hmc_version() -> String {
    "V10R3M1060".to_string()
}

impl HmcHost {
    /// Unique system names per HMC, unique partition names and ids per system.
    pub fn validate(&self) -> Result<(), String> {
        let mut systems = std::collections::HashSet::new();
        for system in &self.systems {
            if !systems.insert(system.name.as_str()) {
                return Err(format!(
                    "{}: managed system {:?} is defined twice",
                    self.name, system.name
                ));
            }
            let mut names = std::collections::HashSet::new();
            let mut ids = std::collections::HashSet::new();
            for lpar in &system.lpars {
                if !names.insert(lpar.name.as_str()) || !ids.insert(lpar.id) {
                    return Err(format!(
                        "{}/{}: partition {:?} (id {}) clashes with another one",
                        self.name, system.name, lpar.name, lpar.id
                    ));
                }
                if lpar.id == 0 {
                    return Err(format!(
                        "{}/{}: partition {:?} has id 0; partition ids start at 1",
                        self.name, system.name, lpar.name
                    ));
                }
            }
            if let Some(pool) = &system.rspool {
                pool.validate(system)
                    .map_err(|message| format!("{}/{}: {message}", self.name, system.name))?;
            }
        }
        Ok(())
    }
}

/// A managed system (CEC).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimSystem {
    /// User-defined name (what `-m` takes, besides the MTMS).
    pub name: String,
    /// Machine type and model, e.g. `9009-42A`.
    pub type_model: String,
    /// Serial number, e.g. `78ABCDE`.
    pub serial_num: String,
    #[serde(default = "operating")]
    /// `state` of `lssyscfg -r sys` (docs/formats.md, "HMC: system states").
    pub state: SystemState,
    /// `POWER7+`, `POWER8`, `POWER9`, `POWER10`: decides compatibility modes.
    #[serde(default)]
    pub generation: String,
    #[serde(default = "yes")]
    /// Active and inactive partition mobility.
    pub lpm_capable: bool,
    /// PowerVM remote restart with reserved storage (POWER7+ era).
    #[serde(default)]
    pub rr_capable: bool,
    /// Simplified remote restart (POWER8 and later).
    #[serde(default)]
    pub srr_capable: bool,
    /// Configurable memory, MB.
    pub memory_mb: u64,
    /// Configurable processing units.
    pub proc_units: f64,
    #[serde(default)]
    /// LIC levels (`lslic`); `None` makes `lslic` refuse.
    pub firmware: Option<SimFirmware>,
    /// Firmware repositories `lslic -r` / `updlic -r` can read.
    #[serde(default)]
    pub repositories: Vec<SimRepository>,
    #[serde(default)]
    /// Partitions, VIOS included, in the order `lssyscfg -r lpar` lists them.
    pub lpars: Vec<SimLpar>,
    #[serde(default)]
    /// Reserved storage device pool (PowerVM remote restart).
    pub rspool: Option<SimRsPool>,
    /// Service processor address (`ipaddr`); derived from the serial number when unset.
    #[serde(default)]
    pub ipaddr: Option<String>,
    /// Partition moves it runs at once, of each kind, from or to it
    /// (`num_active_migrations_supported`, `num_inactive_migrations_supported` of
    /// `lslparmigr -r sys`); 16 when unset.
    #[serde(default)]
    pub max_migrations: Option<u32>,
    /// Live state of the system (not part of the estate file).
    #[serde(skip)]
    pub runtime: SystemRuntime,
}

/// What a simulated managed system keeps while it runs.
#[derive(Debug, Clone, Default)]
pub struct SystemRuntime {
    /// Changes with every power operation: a scheduled step whose token is stale was
    /// overtaken by a later operation and does nothing.
    pub power_token: u64,
    /// A LIC update (`updlic`) is running.
    pub lic_update: bool,
    /// Simulated time of the last state change made by the simulator.
    pub state_since: Option<Duration>,
}

fn operating() -> SystemState {
    SystemState::Operating
}

fn yes() -> bool {
    true
}

/// Firmware levels of a system.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimFirmware {
    /// EC number, e.g. `01VL940`.
    pub ecnumber: String,
    /// Service pack name stem, e.g. `FW940`: `activated_spname` is `FW940.<n>`.
    #[serde(default)]
    pub release: String,
    /// Level loaded and running (T-side).
    pub activated_level: u32,
    /// Level activated at the next IPL.
    pub installed_level: u32,
    /// Committed level (P-side).
    pub accepted_level: u32,
    /// Defaults to the activated level.
    #[serde(default)]
    pub platform_ipl_level: Option<u32>,
    /// `update_access_key_exp_date` (`MM/DD/YYYY`) of a POWER8 or later system; a
    /// default one a year after the simulator's start when unset.
    #[serde(default)]
    pub update_access_key_exp_date: Option<String>,
}

impl SimFirmware {
    /// The service pack stem (`FW940`): `release`, or derived from the EC number
    /// (`01VL940` gives `FW940`).
    pub fn stem(&self) -> String {
        if !self.release.is_empty() {
            return self.release.clone();
        }
        let digits: String = self
            .ecnumber
            .chars()
            .skip(4)
            .filter(char::is_ascii_digit)
            .collect();
        format!("FW{digits}")
    }

    /// Service pack name of a level, e.g. `FW940.55`.
    pub fn spname(&self, level: u32) -> String {
        format!("{}.{level}", self.stem())
    }

    /// The level the hypervisor was last restarted on.
    pub fn ipl_level(&self) -> u32 {
        self.platform_ipl_level.unwrap_or(self.activated_level)
    }
}

/// A firmware repository and what it offers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimRepository {
    /// `mountpoint`, `ibmwebsite`, `ftp`, `sftp`, `disk`.
    pub kind: String,
    /// For `mountpoint` (and the directory on ftp/sftp servers).
    #[serde(default)]
    pub directory: Option<String>,
    /// For ftp/sftp.
    #[serde(default)]
    pub host: Option<String>,
    /// A new release (EC) available; `None` prints `None`.
    #[serde(default)]
    pub release: Option<String>,
    /// Newest level that activates concurrently.
    pub concurrent_level: u32,
    /// Newest level (activating it above the concurrent level needs a restart).
    pub disruptive_level: u32,
    /// Level of the new release that `updlic -o u -l latest` installs; defaults to the
    /// disruptive level.
    #[serde(default)]
    pub release_level: Option<u32>,
    /// The date (`MM/DD/YYYY`) its levels were released; the simulator's day when unset.
    /// A level released after the update access key's date is not installed.
    #[serde(default)]
    pub released: Option<String>,
    /// The minimum HMC level (`V10R2M1050`) its levels need, as a readme names it.
    #[serde(default)]
    pub min_hmc: Option<String>,
}

/// A logical partition (VIOS included).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimLpar {
    /// Partition name.
    pub name: String,
    /// Partition id (1 and up).
    pub id: u32,
    #[serde(default = "aixlinux")]
    /// `lpar_env`: `aixlinux`, `vioserver`, `os400`.
    pub env: LparEnv,
    #[serde(default = "running")]
    /// `state` when the simulator starts (docs/formats.md, "HMC: partition states").
    pub state: LparState,
    #[serde(default)]
    /// `os_version`; empty prints `Unknown`.
    pub os_version: String,
    #[serde(default)]
    /// Address RMC reaches the partition at; RMC is never active without one.
    pub rmc_ipaddr: String,
    /// Defaults to `active` for running partitions and `inactive` otherwise.
    #[serde(default)]
    pub rmc_state: Option<RmcState>,
    #[serde(default = "default_profile")]
    /// Name of its (only) partition profile.
    pub profile: String,
    /// Desired memory, MB.
    pub memory_mb: u64,
    /// Maximum memory, MB; defaults to the desired memory.
    #[serde(default)]
    pub max_memory_mb: Option<u64>,
    /// Desired processing units.
    pub proc_units: f64,
    /// `lpar_avail_priority` (0–255); defaults to 191 for a VIOS and 127 otherwise.
    #[serde(default)]
    pub lpar_avail_priority: Option<u8>,
    /// Original remote restart (needs a reserved storage device).
    #[serde(default)]
    pub rr: bool,
    /// Simplified remote restart.
    #[serde(default)]
    pub srr: bool,
    /// Defaults to `Remote Restartable` when capable, and is absent otherwise.
    #[serde(default)]
    pub rr_status: Option<RemoteRestartStatus>,
    #[serde(default)]
    /// `migration_disabled=1`: partition mobility refused.
    pub migration_disabled: bool,
    /// A VIOS that is a mover service partition.
    #[serde(default)]
    pub msp: bool,
    /// Owns physical I/O: cannot be relocated or remotely restarted.
    #[serde(default)]
    pub physical_io: bool,
    #[serde(default)]
    /// `primary_rs_vios_name`.
    pub primary_rs_vios: Option<String>,
    #[serde(default)]
    /// `secondary_rs_vios_name`.
    pub secondary_rs_vios: Option<String>,
    #[serde(default)]
    /// `rs_device_name`: its device in the reserved storage pool.
    pub rs_device: Option<String>,
    /// Last reference code (`lsrefcode`), e.g. `Linux ppc64le` or `CA00E1F1`.
    #[serde(default)]
    pub refcode: Option<String>,
    /// Never activated: `curr_profile` is empty and `remote_restart_status` is `Invalid`
    /// until the first activation.
    #[serde(default)]
    pub never_activated: bool,
    /// Started when its system powers on; defaults to true for a VIOS, false otherwise.
    #[serde(default)]
    pub auto_start: Option<bool>,
    /// `allow_perf_collection` and `shared_proc_pool_util_auth`.
    #[serde(default)]
    pub allow_perf_collection: bool,
    /// `desired_lpar_proc_compat_mode`; `default` when unset.
    #[serde(default)]
    pub compat_mode: Option<String>,
    /// Client: the port VLAN id of its virtual Ethernet adapter, then tagged VLANs
    /// (defaults to `[1]`). VIOS: the VLANs its trunk adapter bridges (defaults to every
    /// VLAN its system's clients use).
    #[serde(default)]
    pub vlans: Vec<u32>,
    /// Fault injection: the next migration of this partition fails part-way
    /// (`HSCLA610`), leaving it to `migrlpar -o r`.
    #[serde(default)]
    pub fail_migration: bool,
    /// Fault injection: the next remote restart of this partition fails part-way
    /// (`HSCLA9E4`), leaving it to `rrstartlpar -o recover`.
    #[serde(default)]
    pub fail_remote_restart: bool,
    /// Fault injection: its operating system hangs in every OS shutdown
    /// (`chsysstate -o osshutdown`) and keeps running; a delayed shutdown stops it.
    #[serde(default)]
    pub hang_os_shutdown: bool,
    /// Fault injection: the next cleanup of its stale copy fails (`HSCLA9EB`), leaving
    /// `Source Side Cleanup Failed` for a cleanup with `--force`.
    #[serde(default)]
    pub fail_cleanup: bool,
    /// Live state of the partition (not part of the estate file).
    #[serde(skip)]
    pub runtime: LparRuntime,
}

impl SimLpar {
    /// Started at system power-on.
    pub fn starts_with_system(&self) -> bool {
        self.auto_start.unwrap_or(self.env.is_vios())
    }

    /// Maximum memory in MB.
    pub fn max_memory(&self) -> u64 {
        self.max_memory_mb
            .unwrap_or(self.memory_mb)
            .max(self.memory_mb)
    }

    /// Processing units as a sane number (NaN and negatives count as none).
    pub fn units(&self) -> f64 {
        if self.proc_units.is_finite() && self.proc_units > 0.0 {
            self.proc_units.min(1.0e6)
        } else {
            0.0
        }
    }

    /// `remote_restart_status` as the HMC prints it; `None` for a partition that is
    /// capable of neither kind of remote restart.
    pub fn remote_restart_status(&self) -> Option<RemoteRestartStatus> {
        if let Some(status) = &self.rr_status {
            return Some(status.clone());
        }
        if !(self.rr || self.srr) {
            return None;
        }
        Some(if self.never_activated {
            RemoteRestartStatus::Invalid
        } else {
            RemoteRestartStatus::RemoteRestartable
        })
    }
}

/// What a simulated partition keeps while it runs.
#[derive(Debug, Clone, Default)]
pub struct LparRuntime {
    /// A migration that started from this partition (it stays on the source until it
    /// completes).
    pub migration: Option<MigrationRun>,
    /// A remote restart that started from this (source) partition.
    pub remote_restart: Option<RemoteRestartRun>,
    /// Changes with every power operation on the partition; see
    /// [`SystemRuntime::power_token`].
    pub power_token: u64,
    /// Simulated time of the last state change.
    pub state_since: Option<Duration>,
    /// Processor compatibility mode the partition runs in, kept across a migration
    /// (the mode only changes at the next activation).
    pub curr_compat_mode: Option<String>,
}

/// Active (the partition runs) or inactive (it is powered off) partition mobility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationKind {
    /// The partition runs (`Migrating - Running`).
    Active,
    /// The partition is off (`Migrating - Not Activated`).
    Inactive,
}

/// Where a migration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Running now.
    InProgress,
    /// `migrlpar -o s` stopped it; `migrlpar -o r` clears the record.
    Stopped,
    /// It failed part-way; `-o r` / `-o recover` is needed.
    Failed,
}

/// A partition migration in flight.
#[derive(Debug, Clone)]
pub struct MigrationRun {
    /// Ties the scheduled steps to this migration.
    pub token: u64,
    /// Active or inactive.
    pub kind: MigrationKind,
    /// Destination managed system.
    pub target: String,
    /// Partition id on the destination.
    pub dest_id: u32,
    /// Simulated time it started and how long the transfer takes.
    pub started: Duration,
    /// How long the transfer takes.
    pub duration: Duration,
    /// Memory to copy, bytes.
    pub total_bytes: u64,
    /// Where it stands.
    pub status: RunStatus,
    /// Mover service partitions used on the source and the destination.
    pub source_msp: Option<(String, u32)>,
    /// Mover service partition (name, id) used on the destination.
    pub dest_msp: Option<(String, u32)>,
    /// Bytes sent when it stopped or failed.
    pub frozen_bytes: Option<u64>,
}

/// A remote restart in flight, kept on the source partition.
#[derive(Debug, Clone)]
pub struct RemoteRestartRun {
    /// Ties the scheduled steps to this restart.
    pub token: u64,
    /// Destination managed system.
    pub target: String,
    /// Partition id on the destination.
    pub dest_id: u32,
    /// Where it stands.
    pub status: RunStatus,
    /// Past the point of no return (`Destination Remote Restarted`): it can no longer
    /// be cancelled.
    pub committed: bool,
}

fn aixlinux() -> LparEnv {
    LparEnv::AixLinux
}

fn running() -> LparState {
    LparState::Running
}

fn default_profile() -> String {
    "default_profile".to_string()
}

/// The reserved storage device pool of a system.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimRsPool {
    /// VIOS that serve the pool (`vios_names`).
    pub vios: Vec<String>,
    #[serde(default)]
    /// Devices in the pool.
    pub devices: Vec<SimRsDevice>,
    /// Disks on the VIOS not yet in the pool (`lsmemdev -r avail`).
    #[serde(default)]
    pub available: Vec<SimDisk>,
    /// False when only the VIOS disks are described and `chhwres -r rspool -o a` has not
    /// created the pool yet.
    #[serde(default = "yes")]
    pub created: bool,
}

impl SimRsPool {
    /// Devices and disks name VIOS of the system; a device is held by at most one
    /// partition of the system.
    pub fn validate(&self, system: &SimSystem) -> Result<(), String> {
        let is_vios = |name: &str| {
            system
                .lpars
                .iter()
                .any(|lpar| lpar.name == name && lpar.env.is_vios())
        };
        for vios in &self.vios {
            if !is_vios(vios) {
                return Err(format!(
                    "reserved storage pool names {vios:?}, which is not a VIOS of the system"
                ));
            }
        }
        for device in &self.devices {
            if !is_vios(&device.vios) {
                return Err(format!(
                    "reserved storage device {:?} is on {:?}, which is not a VIOS of the system",
                    device.name, device.vios
                ));
            }
        }
        for disk in &self.available {
            if !is_vios(&disk.vios) {
                return Err(format!(
                    "disk {:?} is on {:?}, which is not a VIOS of the system",
                    disk.name, disk.vios
                ));
            }
        }
        Ok(())
    }
}

/// A device in the reserved storage pool.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimRsDevice {
    /// Device name on the VIOS, e.g. `hdisk988`.
    pub name: String,
    /// VIOS it was added from.
    pub vios: String,
    /// Size in MB.
    pub size_mb: u64,
    /// The partition the device is assigned to.
    #[serde(default)]
    pub lpar: Option<String>,
    /// `manual` (remote restart) or `auto` (suspend/resume).
    #[serde(default = "manual")]
    pub selection: String,
}

fn manual() -> String {
    "manual".to_string()
}

/// A VIOS disk that could join the reserved storage pool.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimDisk {
    /// Device name on the VIOS.
    pub name: String,
    /// The VIOS that sees it.
    pub vios: String,
    /// Size in MB.
    pub size_mb: u64,
}
