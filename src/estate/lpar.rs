//! Logical partitions (LPARs), VIOS included, and their partition profiles.

use serde::Serialize;

use super::vocabulary::vocabulary;
use super::Attributes;

vocabulary! {
    /// `lpar_env`: what kind of operating environment the partition runs.
    LparEnv {
        AixLinux => "aixlinux",
        VioServer => "vioserver",
        Os400 => "os400",
    }
}

impl LparEnv {
    /// Virtual I/O Servers are infrastructure: they are never relocated or restarted by the
    /// partition wizards.
    pub fn is_vios(&self) -> bool {
        matches!(self, Self::VioServer)
    }
}

vocabulary! {
    /// Partition `state` as `lssyscfg -r lpar` prints it (docs/formats.md,
    /// "HMC: partition states").
    LparState {
        Running => "Running",
        Starting => "Starting",
        OpenFirmware => "Open Firmware",
        NotActivated => "Not Activated",
        NotAvailable => "Not Available",
        ShuttingDown => "Shutting Down",
        Error => "Error",
        HardwareDiscovery => "Hardware Discovery",
        MigratingRunning => "Migrating - Running",
        MigratingNotActivated => "Migrating - Not Activated",
        Suspended => "Suspended",
        Suspending => "Suspending",
        Resuming => "Resuming",
        Unknown => "Unknown",
    }
}

impl LparState {
    /// Powered on in any form (MAAS and fence_lpar agree on this set).
    pub fn is_on(&self) -> bool {
        matches!(
            self,
            Self::Running
                | Self::Starting
                | Self::OpenFirmware
                | Self::ShuttingDown
                | Self::Error
                | Self::MigratingRunning
        )
    }

    /// Partition mobility or remote restart is moving this partition now.
    pub fn is_migrating(&self) -> bool {
        matches!(self, Self::MigratingRunning | Self::MigratingNotActivated)
    }

    /// Passing states: poll again rather than act.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            Self::Starting
                | Self::ShuttingDown
                | Self::HardwareDiscovery
                | Self::MigratingRunning
                | Self::MigratingNotActivated
                | Self::Suspending
                | Self::Resuming
        )
    }

    /// A relocation moves an active partition only from `Running` and an inactive one
    /// only from `Not Activated`.
    pub fn allows_relocation(&self) -> bool {
        matches!(self, Self::Running | Self::NotActivated)
    }
}

vocabulary! {
    /// RMC connection between the HMC and the partition's OS; active LPM needs `active`.
    RmcState {
        Active => "active",
        Inactive => "inactive",
        None => "none",
    }
}

vocabulary! {
    /// `remote_restart_status` (IBM "Remote restart states"; docs/formats.md,
    /// "HMC: remote_restart_status").
    RemoteRestartStatus {
        /// Never activated: cannot be remotely restarted yet.
        Invalid => "Invalid",
        RemoteRestartable => "Remote Restartable",
        SourceRemoteRestarting => "Source Remote Restarting",
        DestinationRemoteRestarting => "Destination Remote Restarting",
        /// Point of no return on the destination.
        DestinationRemoteRestarted => "Destination Remote Restarted",
        /// Source side after completion: the stale copy waits for `rrstartlpar -o cleanup`.
        RemoteRestarted => "Remote Restarted",
        LocalStorageUpdateFailed => "Local Storage Update Failed",
        ForcedSourceSideRestart => "Forced Source Side Restart",
        SourceSideCleanupFailed => "Source Side Cleanup Failed",
        ReservedStorageDeviceUpdateFailed => "Reserved Storage Device Update Failed",
        PartialUpdate => "Partial Update",
        StaleData => "Stale Data",
        /// Printed for partitions that are not remote restart capable.
        NotCapable => "null" | "none",
    }
}

impl RemoteRestartStatus {
    /// Ready to be restarted on another system.
    pub fn is_restartable(&self) -> bool {
        matches!(self, Self::RemoteRestartable)
    }

    /// A remote restart is running now.
    pub fn in_progress(&self) -> bool {
        matches!(
            self,
            Self::SourceRemoteRestarting | Self::DestinationRemoteRestarting
        )
    }

    /// The source copy of a partition restarted elsewhere, or one whose cleanup failed:
    /// `rrstartlpar -o cleanup` is due once the source system is back.
    pub fn needs_cleanup(&self) -> bool {
        matches!(self, Self::RemoteRestarted | Self::SourceSideCleanupFailed)
    }
}

vocabulary! {
    /// `migration_state` from `lslparmigr -r lpar` (REST spells it with underscores).
    MigrationState {
        NotMigrating => "Not Migrating" | "Not_Migrating",
        Starting => "Migration Starting" | "Migration_Starting",
        InProgress => "Migration In Progress" | "Migration_In_Progress",
        Stopped => "Migration Stopped" | "Migration_Stopped",
        Failed => "Migration Failed" | "Migration_Failed",
    }
}

impl MigrationState {
    /// A migration is under way: `migrlpar -o s` can stop it.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Starting | Self::InProgress)
    }

    /// A stopped or failed migration leaves the partition half moved: `migrlpar -o r`.
    pub fn needs_recovery(&self) -> bool {
        matches!(self, Self::Stopped | Self::Failed)
    }
}

/// Reserved storage (original remote restart) assignment of a partition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RsAssignment {
    pub primary_vios: Option<String>,
    pub secondary_vios: Option<String>,
    pub current_vios: Option<String>,
    pub device_name: Option<String>,
}

/// A logical partition as `lssyscfg -r lpar` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lpar {
    pub name: String,
    pub lpar_id: u32,
    pub lpar_env: LparEnv,
    pub state: LparState,
    /// `os_version` verbatim (`AIX 7.1 7100-03-05-1524`, `Unknown`).
    pub os_version: Option<String>,
    pub rmc_state: Option<RmcState>,
    pub rmc_ipaddr: Option<String>,
    pub curr_profile: Option<String>,
    pub default_profile: Option<String>,
    pub remote_restart_capable: bool,
    pub simplified_remote_restart_capable: bool,
    pub remote_restart_status: Option<RemoteRestartStatus>,
    /// `migration_disabled=1` forbids partition mobility.
    pub migration_disabled: bool,
    /// Mover service partition (VIOS that carries LPM traffic).
    pub msp: bool,
    pub rs: RsAssignment,
    /// From `lslparmigr`; `None` until that has been read.
    pub migration_state: Option<MigrationState>,
    /// Every attribute the HMC printed, in its order, for the detail view.
    pub attributes: Attributes,
}

impl Lpar {
    /// Capable of original or simplified remote restart.
    pub fn is_remote_restart_capable(&self) -> bool {
        self.remote_restart_capable || self.simplified_remote_restart_capable
    }

    /// Original (non-simplified) remote restart keeps its data on a reserved storage
    /// device, which must be assigned before a restart can work.
    pub fn needs_reserved_storage(&self) -> bool {
        self.remote_restart_capable && !self.simplified_remote_restart_capable
    }

    /// Any attribute by its HMC name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name)
    }

    /// `lpar_avail_priority` (0–255, higher restarts first); `None` when the HMC did
    /// not list it or listed something else than a number.
    pub fn avail_priority(&self) -> Option<u8> {
        self.attribute("lpar_avail_priority")?.trim().parse().ok()
    }

    /// The processor compatibility mode it runs in now (`curr_lpar_proc_compat_mode`),
    /// else the one it asks for (`desired_lpar_proc_compat_mode`).
    pub fn proc_compat_mode(&self) -> Option<&str> {
        [
            "curr_lpar_proc_compat_mode",
            "desired_lpar_proc_compat_mode",
        ]
        .iter()
        .filter_map(|name| self.attribute(name))
        .map(str::trim)
        .find(|mode| !mode.is_empty() && *mode != "unavailable" && *mode != "null")
    }
}

/// A partition profile (`lssyscfg -r prof`): what the partition gets at activation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub name: String,
    pub lpar_name: String,
    pub lpar_id: Option<u32>,
    pub min_mem: Option<u64>,
    pub desired_mem: Option<u64>,
    pub max_mem: Option<u64>,
    /// `shared` or `ded`.
    pub proc_mode: Option<String>,
    pub desired_procs: Option<u32>,
    pub desired_proc_units: Option<String>,
    pub virtual_scsi_adapters: Vec<String>,
    pub virtual_eth_adapters: Vec<String>,
    pub virtual_fc_adapters: Vec<String>,
    /// Physical I/O slots; a partition that owns any cannot be relocated.
    pub io_slots: Vec<String>,
    pub attributes: Attributes,
}

/// Progress of a partition migration (`lslparmigr -r lpar`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MigrationProgress {
    pub name: String,
    pub lpar_id: Option<u32>,
    pub migration_state: MigrationState,
    /// `active` or `inactive`.
    pub migration_type: Option<String>,
    pub dest_sys_name: Option<String>,
    pub dest_lpar_id: Option<u32>,
    pub bytes_transmitted: Option<u64>,
    pub bytes_remaining: Option<u64>,
}

impl MigrationProgress {
    /// Share of memory already sent, 0–100, when the HMC reports the byte counts.
    pub fn percent_done(&self) -> Option<u8> {
        let sent = self.bytes_transmitted?;
        let total = sent.checked_add(self.bytes_remaining?)?;
        if total == 0 {
            return None;
        }
        Some(((sent as u128 * 100) / total as u128) as u8)
    }
}

/// A reference code (SRC or progress text) of a partition or system (`lsrefcode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceCode {
    /// Set for partition codes (`-r lpar`).
    pub lpar_name: Option<String>,
    pub lpar_id: Option<u32>,
    /// `MM/DD/YYYY HH:MM:SS` as the HMC prints it.
    pub time_stamp: Option<String>,
    /// A hex SRC (`CA00E891`) or text (`Linux ppc64le`); empty when none is posted.
    pub refcode: String,
    /// `word2` .. `word9`, as printed.
    pub words: Vec<String>,
}
