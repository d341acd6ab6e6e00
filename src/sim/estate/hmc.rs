//! Simulated HMCs, their managed systems, partitions and reserved storage.

use serde::{Deserialize, Serialize};

use crate::estate::{LparEnv, LparState, RemoteRestartStatus, RmcState, SystemState};

/// One simulated HMC.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HmcHost {
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
    #[serde(default)]
    pub systems: Vec<SimSystem>,
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
            }
        }
        Ok(())
    }
}

/// A managed system (CEC).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimSystem {
    pub name: String,
    pub type_model: String,
    pub serial_num: String,
    #[serde(default = "operating")]
    pub state: SystemState,
    /// `POWER7+`, `POWER8`, `POWER9`, `POWER10`: decides compatibility modes.
    #[serde(default)]
    pub generation: String,
    #[serde(default = "yes")]
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
    pub firmware: Option<SimFirmware>,
    /// Firmware repositories `lslic -r` / `updlic -r` can read.
    #[serde(default)]
    pub repositories: Vec<SimRepository>,
    #[serde(default)]
    pub lpars: Vec<SimLpar>,
    #[serde(default)]
    pub rspool: Option<SimRsPool>,
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
    pub activated_level: u32,
    pub installed_level: u32,
    pub accepted_level: u32,
    /// Defaults to the activated level.
    #[serde(default)]
    pub platform_ipl_level: Option<u32>,
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
    pub concurrent_level: u32,
    pub disruptive_level: u32,
}

/// A logical partition (VIOS included).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimLpar {
    pub name: String,
    pub id: u32,
    #[serde(default = "aixlinux")]
    pub env: LparEnv,
    #[serde(default = "running")]
    pub state: LparState,
    #[serde(default)]
    pub os_version: String,
    #[serde(default)]
    pub rmc_ipaddr: String,
    /// Defaults to `active` for running partitions and `inactive` otherwise.
    #[serde(default)]
    pub rmc_state: Option<RmcState>,
    #[serde(default = "default_profile")]
    pub profile: String,
    /// Desired memory, MB.
    pub memory_mb: u64,
    /// Maximum memory, MB; defaults to the desired memory.
    #[serde(default)]
    pub max_memory_mb: Option<u64>,
    pub proc_units: f64,
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
    pub migration_disabled: bool,
    /// A VIOS that is a mover service partition.
    #[serde(default)]
    pub msp: bool,
    /// Owns physical I/O: cannot be relocated or remotely restarted.
    #[serde(default)]
    pub physical_io: bool,
    #[serde(default)]
    pub primary_rs_vios: Option<String>,
    #[serde(default)]
    pub secondary_rs_vios: Option<String>,
    #[serde(default)]
    pub rs_device: Option<String>,
    /// Last reference code (`lsrefcode`), e.g. `Linux ppc64le` or `CA00E1F1`.
    #[serde(default)]
    pub refcode: Option<String>,
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
    pub vios: Vec<String>,
    #[serde(default)]
    pub devices: Vec<SimRsDevice>,
    /// Disks on the VIOS not yet in the pool (`lsmemdev -r avail`).
    #[serde(default)]
    pub available: Vec<SimDisk>,
}

/// A device in the reserved storage pool.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimRsDevice {
    pub name: String,
    pub vios: String,
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
    pub name: String,
    pub vios: String,
    pub size_mb: u64,
}
