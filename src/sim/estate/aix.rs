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
    /// The fixes (APARs) `instfix -ik` reports as installed, e.g. `IZ99829`, which a
    /// 7.1 global needs to restore a WPAR saved on AIX 6.1 (docs/procedures.md,
    /// "WPAR move").
    #[serde(default)]
    pub apars: Vec<String>,
    /// root's file-size limit as `/etc/security/limits` sets it (`fsize`), in 512-byte
    /// blocks; `-1` is unlimited. Every command line starts with it until `ulimit -f`
    /// raises it; the default, 2097151, is AIX's (the Redbook's checkDS output shows it).
    #[serde(default = "default_fsize")]
    pub fsize: i64,
    /// How this global mounts the shared directory [`SHARED_DIR`]: `rw` (the default),
    /// `ro`, or `unmounted` (then `/export/wpars` is an empty local directory whose files
    /// no other host sees).
    #[serde(default)]
    pub shared_mount: SharedMount,
    /// Free space of the NFS export behind [`SHARED_DIR`], MB. The export is one for the
    /// whole estate: the first host that sets it holds the figure (and the simulator
    /// keeps the running count there); 301000 when no host sets it. Files already listed
    /// there count as used.
    #[serde(default)]
    pub shared_free_mb: Option<u64>,
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

fn default_fsize() -> i64 {
    2_097_151
}

/// How a global mounts the estate's shared directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SharedMount {
    /// NFS-mounted read-write: every host sees the same files.
    #[default]
    Rw,
    /// NFS-mounted read-only: files can be read, nothing written.
    Ro,
    /// Not mounted: an empty local directory of the same name.
    Unmounted,
}

impl AixHost {
    /// root's file-size limit in 512-byte blocks (`None`: unlimited).
    pub fn file_blocks(&self) -> Option<u64> {
        u64::try_from(self.fsize).ok()
    }

    /// True when `instfix -ik` reports `apar` as installed.
    pub fn has_apar(&self, apar: &str) -> bool {
        self.apars.iter().any(|a| a == apar)
    }

    /// True when `path` lies in [`SHARED_DIR`] and this host has it mounted: a file
    /// there is on the NFS export, seen by every host that mounts it.
    pub fn on_shared(&self, path: &str) -> bool {
        self.shared_mount != SharedMount::Unmounted && is_shared_path(path)
    }

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
    /// A savewpar image cut short (the file-size limit or a full file system stopped the
    /// backup): its specification and image.data are whole, its data is not, so
    /// `restwpar` creates the WPAR, fails reading the data, and leaves it Broken.
    #[serde(default)]
    pub truncated: bool,
}

impl SimFile {
    /// True when the file's path lies in the estate-wide [`SHARED_DIR`] (whether it is
    /// on the NFS export depends on the host that holds it: [`AixHost::on_shared`]).
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
    /// Processes of the global environment holding its directory tree (a shell whose
    /// current directory is inside, a program run from it): `fuser -cx` lists them, and
    /// while they hold a file system it cannot be unmounted, so stopping the WPAR leaves
    /// it Broken (docs/procedures.md, "WPAR recovery", step 2). `kill PID` ends them.
    #[serde(default)]
    pub holders: Vec<SimHolder>,
    /// One of its file systems is full (`/var`, as the WPAR sees it): `df` shows it at
    /// 100%, and every start breaks the WPAR until `chfs -a size=+N` grows it
    /// (docs/procedures.md, "WPAR recovery", step 6).
    #[serde(default)]
    pub full_fs: Option<String>,
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
            holders: Vec::new(),
            full_fs: None,
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

/// A process of the global environment that holds a file of a WPAR's tree.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimHolder {
    /// Its process ID.
    pub pid: u32,
    /// The path it holds, as the global sees it (`/wpars/w1/SW`).
    pub path: String,
    /// How, as `fuser` marks it: `c` current directory (the default), `e` executable,
    /// `r` root directory, `s` shared library.
    #[serde(default = "current_directory", rename = "use")]
    pub usage: String,
}

fn current_directory() -> String {
    "c".to_string()
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
