//! Simulated AIX global environments and their WPARs.
//!
//! The TOML schema is the live state: the simulator changes these records as commands
//! run. Fields marked "runtime" are never read from or written to an estate file.

use serde::{Deserialize, Serialize};

use crate::estate::{WparState, WparType};

/// The directory every simulated AIX global environment of an estate sees with the same
/// content, like an NFS export mounted everywhere (the shared directory of
/// docs/procedures.md, "WPAR move"). A savewpar image written there on one host can be
/// restored on another.
pub const SHARED_DIR: &str = "/export/wpars";

/// One simulated AIX global environment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AixHost {
    /// Host name (and the name powerdeck's config gives it).
    pub name: String,
    /// `oslevel -s`, e.g. `7100-00-02-1041`.
    pub oslevel: String,
    /// The LPAR this global runs in, `<system>/<lpar>` or just the LPAR name.
    #[serde(default)]
    pub lpar: Option<String>,
    /// When set, password authentication is accepted with this password.
    #[serde(default)]
    pub password: Option<String>,
    /// Added to every command, in milliseconds of real time.
    #[serde(default)]
    pub latency_ms: u64,
    /// Free space for WPAR file systems, local backups and restores, MB (rootvg free
    /// space as `df -m` shows it on `/wpars`). Files listed in `files` outside
    /// [`SHARED_DIR`] are already counted as used.
    #[serde(default = "default_free_mb")]
    pub free_mb: u64,
    /// The WPARs of this global environment, in `lswpar` order.
    #[serde(default)]
    pub wpars: Vec<SimWpar>,
    /// Files on this host: savewpar images, specification files, other data. Files
    /// under [`SHARED_DIR`] are visible from every AIX host of the estate.
    #[serde(default)]
    pub files: Vec<SimFile>,
    /// Runtime: the next `fslvNN` number to hand out.
    #[serde(skip)]
    pub next_lv: u32,
}

fn default_free_mb() -> u64 {
    20_480
}

impl AixHost {
    /// The WPAR called `name`.
    pub fn wpar(&self, name: &str) -> Option<&SimWpar> {
        self.wpars.iter().find(|w| w.name == name)
    }

    /// The WPAR called `name`, to change it.
    pub fn wpar_mut(&mut self, name: &str) -> Option<&mut SimWpar> {
        self.wpars.iter_mut().find(|w| w.name == name)
    }

    /// Gives every WPAR that has none its block of `fslvNN` logical volume numbers, in
    /// `lswpar` order, so that `lswpar -M`, `mount` and `rmwpar` name the same LVs.
    pub fn assign_logical_volumes(&mut self) {
        let mut next = self.next_lv;
        for wpar in &self.wpars {
            if let Some(first) = wpar.first_lv {
                next = next.max(first.saturating_add(wpar.logical_volume_count()));
            }
        }
        for wpar in &mut self.wpars {
            if wpar.first_lv.is_none() {
                wpar.first_lv = Some(next);
                next = next.saturating_add(wpar.logical_volume_count());
            }
        }
        self.next_lv = next;
    }
}

/// What a simulated file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Anything else (`cat` prints nothing, `restwpar` refuses it).
    #[default]
    Data,
    /// A `savewpar` backup image.
    Savewpar,
    /// A WPAR specification file (`mkwpar -w -o`).
    Spec,
}

/// One file on a simulated AIX host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimFile {
    /// Absolute path.
    pub path: String,
    /// Size, MB (a savewpar image is as big as its WPAR's data).
    #[serde(default)]
    pub size_mb: u64,
    /// What the file holds.
    #[serde(default)]
    pub kind: FileKind,
    /// For savewpar images and specification files: the WPAR they describe.
    #[serde(default)]
    pub wpar: Option<SimWpar>,
    /// For savewpar images: the AIX level the WPAR ran at when it was saved (its
    /// `bos.rte.libc` level decides `restwpar`'s compatibility check).
    #[serde(default)]
    pub oslevel: Option<String>,
}

impl SimFile {
    /// True when the file lies in the estate-wide [`SHARED_DIR`].
    pub fn is_shared(&self) -> bool {
        is_shared_path(&self.path)
    }
}

/// True when `path` lies in the estate-wide [`SHARED_DIR`].
pub fn is_shared_path(path: &str) -> bool {
    path.strip_prefix(SHARED_DIR)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// One WPAR.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimWpar {
    /// WPAR name (≤ 25 bytes, no blanks; docs/formats.md, "AIX: WPAR names").
    pub name: String,
    /// State; `T` with no operation running means stuck (locks held).
    #[serde(default = "defined")]
    pub state: WparState,
    /// System or application WPAR.
    #[serde(rename = "type", default = "system")]
    pub wpar_type: WparType,
    /// Host name; defaults to the WPAR name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Base directory; defaults to `/wpars/<name>` (`/` for application WPARs).
    #[serde(default)]
    pub directory: Option<String>,
    /// rootvg WPAR: its root file systems live on a disk of its own.
    #[serde(default)]
    pub rootvg: bool,
    /// Checkpointable (mobile) WPAR.
    #[serde(default)]
    pub checkpointable: bool,
    /// Detached WPAR (private /usr and /opt).
    #[serde(default)]
    pub private_usr: bool,
    /// Started at boot of the global environment.
    #[serde(default)]
    pub auto_start: bool,
    /// UUID; a stable one is made up from the name when absent.
    #[serde(default)]
    pub uuid: Option<String>,
    /// OS level inside the WPAR, when it differs from the global's (a WPAR restored
    /// from an older global, or one left behind by a global migration).
    #[serde(default)]
    pub oslevel: Option<String>,
    /// Size of the WPAR's file systems, MB (savewpar image size).
    #[serde(default = "default_wpar_mb")]
    pub size_mb: u64,
    /// A global mount left under the WPAR's directory (e.g. `/wpars/w1/SW`): stopping
    /// the WPAR fails with 0960-630 and leaves it in `T` until it is unmounted.
    #[serde(default)]
    pub leftover_mount: Option<String>,
    /// IPv4 address (`lswpar -N`); none for a WPAR sharing the global's address.
    #[serde(default)]
    pub address: Option<String>,
    /// Netmask of `address`; `255.255.255.0` when absent.
    #[serde(default)]
    pub netmask: Option<String>,
    /// Interface of `address`; `en0` when absent.
    #[serde(default)]
    pub interface: Option<String>,
    /// The tracked process of an application WPAR (`lswpar -G` "Application").
    #[serde(default)]
    pub application: Option<String>,
    /// 0 native, 1 AIX 5.2 versioned, 2 AIX 5.3 versioned.
    #[serde(default)]
    pub ostype: u32,
    /// The disk that holds a rootvg WPAR's root volume group (default `hdisk2`).
    #[serde(default)]
    pub rootvg_disk: Option<String>,
    /// Its WPAR infrastructure is damaged: every start leaves it Broken until it is
    /// recreated from its specification (`mkwpar -e W -w -o F`, `rmwpar -F W`,
    /// `mkwpar -f F [-p]`; docs/procedures.md, "WPAR recovery", step 7).
    #[serde(default)]
    pub damaged: bool,
    /// Runtime: an operation is running on it (its lock is held).
    #[serde(skip)]
    pub busy: bool,
    /// Runtime: its first `fslvNN` number.
    #[serde(skip)]
    pub first_lv: Option<u32>,
}

fn defined() -> WparState {
    WparState::Defined
}

fn system() -> WparType {
    WparType::System
}

fn default_wpar_mb() -> u64 {
    1_024
}

impl SimWpar {
    /// A Defined, shared system WPAR with every optional setting at its default.
    pub fn new(name: impl Into<String>) -> SimWpar {
        SimWpar {
            name: name.into(),
            state: WparState::Defined,
            wpar_type: WparType::System,
            hostname: None,
            directory: None,
            rootvg: false,
            checkpointable: false,
            private_usr: false,
            auto_start: false,
            uuid: None,
            oslevel: None,
            size_mb: default_wpar_mb(),
            leftover_mount: None,
            address: None,
            netmask: None,
            interface: None,
            application: None,
            ostype: 0,
            rootvg_disk: None,
            damaged: false,
            busy: false,
            first_lv: None,
        }
    }

    /// An application WPAR (`wparexec`).
    pub fn is_application(&self) -> bool {
        self.wpar_type == WparType::Application
    }

    /// The host name `lswpar` shows.
    pub fn hostname(&self) -> &str {
        self.hostname.as_deref().unwrap_or(&self.name)
    }

    /// The base directory `lswpar` shows.
    pub fn directory(&self) -> String {
        match &self.directory {
            Some(directory) => directory.clone(),
            None if self.is_application() => "/".to_string(),
            None => format!("/wpars/{}", self.name),
        }
    }

    /// The UUID `lswpar -G` shows: the configured one, or one made up from the name.
    pub fn uuid(&self) -> String {
        if let Some(uuid) = &self.uuid {
            return uuid.clone();
        }
        let a = fnv(self.name.as_bytes());
        let b = fnv(format!("{}/wpar", self.name).as_bytes());
        format!(
            "{:08x}-{:04x}-11e0-{:04x}-{:012x}",
            a >> 32,
            a & 0xffff,
            (b >> 48) & 0xffff,
            b & 0xffff_ffff_ffff
        )
    }

    /// The rootvg disk of a rootvg WPAR.
    pub fn rootvg_disk(&self) -> &str {
        self.rootvg_disk.as_deref().unwrap_or("hdisk2")
    }

    /// How many `fslvNN` logical volumes of the global's rootvg it uses.
    pub fn logical_volume_count(&self) -> u32 {
        if self.is_application() {
            0
        } else if self.rootvg {
            2
        } else if self.private_usr {
            6
        } else {
            4
        }
    }

    /// Space it takes in the global environment's rootvg, MB: a rootvg WPAR keeps
    /// only `/` and `wboot` there.
    pub fn global_mb(&self) -> u64 {
        if self.is_application() {
            0
        } else if self.rootvg {
            64
        } else {
            self.size_mb
        }
    }
}

/// 64-bit FNV-1a: stable made-up identifiers (UUIDs, PIDs) from names.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
