//! Objects in a NIM master's database: machines, resources, networks, management.

use serde::Serialize;

use super::vocabulary::vocabulary;

vocabulary! {
    /// NIM object class.
    NimClass {
        Machines => "machines",
        Resources => "resources",
        Networks => "networks",
        Management => "management",
        Groups => "groups",
    }
}

/// Resource types a machine can have allocated: the attribute of that name on a
/// machine (`spot = spot_72`) means the resource is allocated to it, and
/// `nim -o deallocate -a subclass=all` frees them all.
pub const ALLOCATABLE_RESOURCE_TYPES: &[&str] = &[
    "boot",
    "nim_script",
    "lpp_source",
    "spot",
    "mksysb",
    "bosinst_data",
    "script",
    "fb_script",
    "image_data",
    "installp_bundle",
    "resolv_conf",
    "savewpar",
    "wpar_spec",
    "savevg",
    "exclude_files",
    "fix_bundle",
    "res_group",
    "adapter_def",
    "root",
    "dump",
    "paging",
    "home",
    "shared_home",
    "tmp",
];

vocabulary! {
    /// Control state of a NIM machine (`Cstate`, also used by `prev_state`).
    Cstate {
        Ready => "ready for a NIM operation",
        WparDefinedNotCreated => "managed system defined but not yet created",
        CreatingWpar => "creating workload partition",
        Customizing => "customization is being performed",
        AltDiskInstall => "alt_disk_install operation is being performed",
        BosInstEnabled => "BOS installation has been enabled",
        BosInstalling => "Base Operating System installation is being performed",
        MaintBootEnabled => "maintenance boot has been enabled",
        DiagBootEnabled => "diagnostic boot has been enabled",
        DisklessInit => "diskless resources are being initialized",
        DatalessInit => "dataless resources are being initialized",
    }
}

impl Cstate {
    /// Only a machine in `ready for a NIM operation` accepts a new operation.
    pub fn is_ready(&self) -> bool {
        matches!(self, Self::Ready)
    }

    /// An operation was enabled or started and has not finished: if it stays this way,
    /// the machine needs `nim -Fo reset` and a deallocation.
    pub fn is_operation_pending(&self) -> bool {
        !matches!(self, Self::Ready | Self::WparDefinedNotCreated)
    }
}

vocabulary! {
    /// Machine state (`Mstate`).
    Mstate {
        Running => "currently running",
        NotRunning => "not running",
        Booting => "in the process of booting" | "booting",
    }
}

vocabulary! {
    /// Resource state (`Rstate`).
    Rstate {
        Ready => "ready for use",
        Unavailable => "unavailable for use",
    }
}

/// One object of a NIM database, every attribute kept in `lsnim -l` order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NimObject {
    pub name: String,
    pub class: NimClass,
    /// `standalone`, `master`, `alternate_master`, `wpar`, `lpp_source`, `spot`, `ent`, ...
    #[serde(rename = "type")]
    pub object_type: String,
    #[serde(rename = "Cstate")]
    pub cstate: Option<Cstate>,
    #[serde(rename = "Mstate")]
    pub mstate: Option<Mstate>,
    #[serde(rename = "Rstate")]
    pub rstate: Option<Rstate>,
    /// The master that controls this client (HANIM).
    pub current_master: Option<String>,
    pub attributes: Vec<(String, String)>,
}

impl NimObject {
    /// Any attribute by name (the first one where a name repeats).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A machine whose Cstate shows an operation that never finished (e.g. a BOS
    /// install that died): it blocks every new operation until reset.
    pub fn is_stuck_machine(&self) -> bool {
        self.class == NimClass::Machines
            && self
                .cstate
                .as_ref()
                .is_some_and(Cstate::is_operation_pending)
    }

    /// The client does not yet know the alternate master: `niminit` must run again.
    pub fn sync_required(&self) -> bool {
        self.attribute("sync_required") == Some("yes")
    }
}
