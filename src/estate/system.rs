//! Managed systems (CECs) and their firmware levels.

use serde::Serialize;

use super::vocabulary::vocabulary;

vocabulary! {
    /// `state` of a managed system as `lssyscfg -r sys` prints it (docs/formats.md,
    /// "HMC: system states").
    SystemState {
        Operating => "Operating",
        Standby => "Standby",
        PowerOff => "Power Off",
        PowerOffInProgress => "Power Off In Progress",
        Initializing => "Initializing",
        ServiceProcessorFailover => "Service Processor Failover",
        Error => "Error",
        ErrorTerminated => "Error - Terminated",
        /// The man page spells it `Error - Dump in progress`; SDMC prints `In Progress`.
        ErrorDumpInProgress => "Error - Dump in progress",
        Recovery => "Recovery",
        Incomplete => "Incomplete",
        NoConnection => "No Connection",
        FailedAuthentication => "Failed Authentication",
        PendingAuthentication => "Pending Authentication - Password Updates Required" | "Pending Authentication",
        VersionMismatch => "Version Mismatch",
        OnDemandRecovery => "On Demand Recovery",
    }
}

impl SystemState {
    /// States in which partitions of this system may be remotely restarted elsewhere
    /// (rrstartlpar man page: Power Off In Progress, Power Off, Error, Error - Dump in
    /// progress, Initializing, No Connection).
    pub fn allows_remote_restart_from(&self) -> bool {
        matches!(
            self,
            Self::PowerOffInProgress
                | Self::PowerOff
                | Self::Error
                | Self::ErrorDumpInProgress
                | Self::Initializing
                | Self::NoConnection
        )
    }

    /// Only an `Operating` system can receive a relocated or remotely restarted partition.
    pub fn accepts_partitions(&self) -> bool {
        matches!(self, Self::Operating)
    }

    /// A source that is back (`Operating` or `Standby`) can be cleaned up after a remote
    /// restart.
    pub fn allows_cleanup(&self) -> bool {
        matches!(self, Self::Operating | Self::Standby)
    }

    /// Something is wrong with the system or the HMC's view of it: the console flags it.
    pub fn needs_attention(&self) -> bool {
        matches!(
            self,
            Self::Error
                | Self::ErrorTerminated
                | Self::ErrorDumpInProgress
                | Self::Recovery
                | Self::Incomplete
                | Self::NoConnection
                | Self::FailedAuthentication
                | Self::PendingAuthentication
                | Self::VersionMismatch
                | Self::OnDemandRecovery
        )
    }

    /// Passing states: poll again rather than act.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            Self::PowerOffInProgress | Self::Initializing | Self::ServiceProcessorFailover
        )
    }
}

/// Licensed Internal Code levels of a managed system (`lslic -t sys`, docs/formats.md,
/// "HMC: lslic").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FirmwareLevels {
    /// EC number (`01VL940`): package, platform set and service pack stream.
    pub ecnumber: Option<String>,
    /// Level loaded and running (T-side).
    pub activated_level: Option<u32>,
    /// Level that becomes active at the next system restart.
    pub installed_level: Option<u32>,
    /// Committed backup level (P-side).
    pub accepted_level: Option<u32>,
    /// Service pack name of the activated level (`FW940.20`).
    pub activated_spname: Option<String>,
    /// Level the hypervisor was last restarted on; concurrent updates leave it behind.
    pub platform_ipl_level: Option<u32>,
    /// Installed updates that need a restart to take effect.
    pub deferred_level: Option<u32>,
}

impl FirmwareLevels {
    /// The activated level has not been accepted yet: `updlic -o c` is still to do.
    pub fn awaiting_accept(&self) -> bool {
        matches!((self.activated_level, self.accepted_level), (Some(a), Some(c)) if a != c)
    }

    /// A level is installed but waits for a restart to be activated.
    pub fn restart_pending(&self) -> bool {
        matches!((self.installed_level, self.activated_level), (Some(i), Some(a)) if i != a)
    }
}

/// What a firmware repository offers (`lslic -r ... -F retrievable_release,...`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RetrievableLevels {
    /// A new release (EC) in the repository; `None` when the HMC prints `None`.
    pub release: Option<String>,
    /// Newest level that can be activated without disrupting partitions.
    pub concurrent_level: Option<u32>,
    /// Newest level, which may need a system restart.
    pub disruptive_level: Option<u32>,
}

impl RetrievableLevels {
    /// The newest level needs a restart: the disruptive level is above the concurrent one.
    pub fn newest_is_disruptive(&self) -> bool {
        match (self.concurrent_level, self.disruptive_level) {
            (Some(c), Some(d)) => d > c,
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

/// What a system can do, from the `*_capable` flags of `lssyscfg -r sys`.
/// `None` is the HMC's `unavailable` (a powered-off system does not say).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SystemCapabilities {
    pub active_lpar_mobility: Option<bool>,
    pub inactive_lpar_mobility: Option<bool>,
    pub remote_restart: Option<bool>,
    pub simplified_remote_restart: Option<bool>,
    /// `lpar_proc_compat_modes`: the processor compatibility modes partitions may run
    /// in here; empty when the HMC did not say.
    pub proc_compat_modes: Vec<String>,
}

/// A managed system (CEC) as one HMC sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagedSystem {
    pub name: String,
    pub type_model: String,
    pub serial_num: String,
    pub state: SystemState,
    /// `detailed_state` when the HMC gives one other than `None`.
    pub detailed_state: Option<String>,
    pub capabilities: SystemCapabilities,
    /// Filled from `lslic`; `None` where the levels could not be read.
    pub firmware: Option<FirmwareLevels>,
    /// The system's current reference code (`lsrefcode -r sys`), read while it is not
    /// running: what a failed or passing system last posted. `None` when not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_code: Option<super::ReferenceCode>,
}

impl ManagedSystem {
    /// The `tttt-mmm*sssssss` form `-m` needs when two systems share a name.
    pub fn mtms(&self) -> String {
        format!("{}*{}", self.type_model, self.serial_num)
    }
}
