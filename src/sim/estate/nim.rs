//! Simulated NIM masters and their object databases.

use serde::{Deserialize, Serialize};

use crate::estate::NimClass;

/// One simulated NIM master.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NimHost {
    /// Host name (and the name powerdeck's config gives it).
    pub name: String,
    /// The name of this master's own `master` object's host (for `/etc/niminfo`).
    #[serde(default)]
    pub hostname: Option<String>,
    /// The host name (in this estate) of this master's alternate master, if any.
    #[serde(default)]
    pub alternate: Option<String>,
    /// When set, password authentication is accepted with this password.
    #[serde(default)]
    pub password: Option<String>,
    /// Added to every command, in milliseconds of real time.
    #[serde(default)]
    pub latency_ms: u64,
    /// The NIM database, in `lsnim` order.
    #[serde(default)]
    pub objects: Vec<SimNimObject>,
}

impl NimHost {
    /// The host name clients know this master by (`current_master` values).
    pub fn master_hostname(&self) -> &str {
        self.hostname.as_deref().unwrap_or(&self.name)
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Option<&SimNimObject> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The object called `name`, to change it.
    pub fn object_mut(&mut self, name: &str) -> Option<&mut SimNimObject> {
        self.objects.iter_mut().find(|o| o.name == name)
    }

    /// True when the file at `location` exists on this master: the location of one of
    /// its database's resources.
    pub fn has_file(&self, location: &str) -> bool {
        self.objects
            .iter()
            .any(|o| o.class == NimClass::Resources && o.attr("location") == Some(location))
    }

    /// The master's mounted file systems: those of its `master` object, or the defaults.
    pub fn file_systems(&self) -> Vec<SimFileSystem> {
        self.object("master")
            .map(SimNimObject::filesystem_list)
            .unwrap_or_default()
    }

    /// The file system `path` is on (or would be created on): the mounted one whose
    /// mount point is the longest leading part of the path.
    pub fn file_system_of(&self, path: &str) -> Option<SimFileSystem> {
        self.file_systems()
            .into_iter()
            .filter(|fs| under(path, &fs.mount))
            .max_by_key(|fs| fs.mount.len())
    }

    /// Writes `mb` of files at `path`: the file system it lands on loses that much free
    /// space; false when it did not fit (the file system is then full).
    pub fn take_space(&mut self, path: &str, mb: u64) -> bool {
        let Some(target) = self.file_system_of(path) else {
            return false;
        };
        let Some(master) = self.object_mut("master") else {
            return false;
        };
        if master.filesystems.is_empty() {
            master.filesystems = master.filesystem_list();
        }
        let Some(fs) = master
            .filesystems
            .iter_mut()
            .find(|fs| fs.mount == target.mount)
        else {
            return false;
        };
        let fits = fs.free_mb >= mb;
        fs.free_mb = fs.free_mb.saturating_sub(mb);
        fits
    }

    /// True when `path` exists on this master: a mount point, a resource's location, or
    /// a directory above one of them.
    pub fn path_exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        if path.is_empty() {
            return true;
        }
        let mounts = self.file_systems().into_iter().map(|fs| fs.mount);
        let locations = self
            .objects
            .iter()
            .filter(|o| o.class == NimClass::Resources)
            .filter_map(|o| o.attr("location").map(str::to_string));
        mounts.chain(locations).any(|known| under(&known, path))
    }

    /// `oslevel -s` of the master itself: the simulator-only `oslevel` of its `master`
    /// object, `7100-03-05-1524` when unset. Both masters must be at the same level for a
    /// database sync (docs/formats.md, "NIM: alternate master").
    pub fn oslevel(&self) -> &str {
        self.object("master")
            .and_then(|m| m.oslevel.as_deref())
            .unwrap_or("7100-03-05-1524")
    }
}

/// True when `path` is `dir` or lies below it.
pub fn under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// One object of the NIM database.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimNimObject {
    /// Object name.
    pub name: String,
    /// `machines`, `resources`, `networks`, `management`, `groups`.
    pub class: NimClass,
    /// `master`, `standalone`, `lpp_source`, `ent`, `hmc`...
    #[serde(rename = "type")]
    pub object_type: String,
    /// Attributes after `class` and `type`, in `lsnim -l` order: `[["Cstate", "..."], ...]`.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    /// Simulator only (never listed): the machine's `oslevel -s`, for `c_rsh` and
    /// `nim -o lslpp` (on the `master` object: the master's own level).
    #[serde(default)]
    pub oslevel: Option<String>,
    /// Simulator only (never listed): the client has a leftover `/bos_inst` directory
    /// from multibos, which breaks nimadm phase 11 (docs/formats.md, "NIM: nimadm"). The
    /// nimadm pre-flight finds it with `c_rsh <client> ls -d /bos_inst` and removes it with
    /// `c_rsh <client> rm -r /bos_inst`.
    #[serde(default)]
    pub bos_inst_dir: bool,
    /// Simulator only: the machine's operation advances over simulated time (its `info`
    /// and `Cstate` change, its log grows) until it completes, unlike a stuck one
    /// (docs/procedures.md, "NIM reset").
    #[serde(default)]
    pub progressing: bool,
    /// Simulator only: the client's multibos standby instance, which decides what
    /// `/bos_inst` is (docs/procedures.md, "nimadm pre-flight").
    #[serde(default)]
    pub multibos: Multibos,
    /// Simulator only: the client's disks (`lspv`, `bootinfo -s`); a 70 GB rootvg disk
    /// `hdisk0` and a free 70 GB `hdisk1` when empty.
    #[serde(default)]
    pub disks: Vec<SimClientDisk>,
    /// Simulator only: what the client's rootvg uses, in MB (`lsvg rootvg`); 20 GB when
    /// unset.
    #[serde(default)]
    pub rootvg_used_mb: Option<u64>,
    /// Simulator only, on the `master` object: the master's mounted file systems (`df`);
    /// the AIX defaults (`/` with 1 GB free, `/usr`, `/var`, `/tmp`, `/home`) when empty.
    #[serde(default)]
    pub filesystems: Vec<SimFileSystem>,
    /// Simulator only, on the `master` object: the master's volume groups (`lsvg`), for
    /// nimadm's cache (`-j`); a rootvg with 20 GB free when empty.
    #[serde(default)]
    pub volume_groups: Vec<SimVolumeGroup>,
    /// Simulator only: filesets this machine (or this SPOT or lpp_source) lacks
    /// (`lslpp -L`, `nim -o showres`), such as `bos.alt_disk_install.rte`.
    #[serde(default)]
    pub missing_filesets: Vec<String>,
    /// Simulator only, on a resource: the size of its files in MB (`du`, replication); a
    /// size typical of its type when unset.
    #[serde(default)]
    pub size_mb: Option<u64>,
    /// Runtime only: where a progressing operation started (percent, simulated time).
    #[serde(skip)]
    pub progress_origin: Option<(u32, std::time::Duration)>,
}

/// Simulator only: a client's multibos standby instance (docs/procedures.md, "nimadm
/// pre-flight").
///
/// Exists so that the simulator can hold a `/bos_inst` that is *not* a leftover: the
/// pre-flight must refuse to remove it in every state but `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Multibos {
    /// No standby instance (the default).
    #[default]
    None,
    /// A standby instance exists (`bos_*` logical volumes in rootvg), not mounted.
    Standby,
    /// The standby's file systems are mounted under `/bos_inst` (the standby shell).
    Mounted,
    /// The client booted from the standby: the `bos_*` volumes are the open ones.
    Booted,
}

/// Simulator only: one disk of a NIM client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimClientDisk {
    /// `hdisk1`.
    pub name: String,
    /// Its size in MB (`bootinfo -s`).
    pub size_mb: u64,
    /// The volume group on it, `None` when free.
    #[serde(default)]
    pub vg: Option<String>,
}

/// Simulator only: one mounted file system of a NIM master.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimFileSystem {
    /// Where it is mounted (`/export/nim`).
    pub mount: String,
    /// Its size in MB.
    pub size_mb: u64,
    /// What is free in MB.
    pub free_mb: u64,
}

/// Simulator only: one volume group of a NIM master.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimVolumeGroup {
    /// `nimadmvg`.
    pub name: String,
    /// Its size in MB.
    pub size_mb: u64,
    /// What is free in MB.
    pub free_mb: u64,
}

impl SimFileSystem {
    fn new(mount: &str, size_mb: u64, free_mb: u64) -> Self {
        SimFileSystem {
            mount: mount.to_string(),
            size_mb,
            free_mb,
        }
    }
}

impl SimNimObject {
    /// An object with no attributes besides class and type.
    pub fn new(name: impl Into<String>, class: NimClass, object_type: impl Into<String>) -> Self {
        SimNimObject {
            name: name.into(),
            class,
            object_type: object_type.into(),
            attributes: Vec::new(),
            oslevel: None,
            bos_inst_dir: false,
            progressing: false,
            multibos: Multibos::None,
            disks: Vec::new(),
            rootvg_used_mb: None,
            filesystems: Vec::new(),
            volume_groups: Vec::new(),
            missing_filesets: Vec::new(),
            size_mb: None,
            progress_origin: None,
        }
    }

    /// The client's disks, the defaults when the estate names none.
    pub fn disk_list(&self) -> Vec<SimClientDisk> {
        if !self.disks.is_empty() {
            return self.disks.clone();
        }
        vec![
            SimClientDisk {
                name: "hdisk0".to_string(),
                size_mb: 71_680,
                vg: Some("rootvg".to_string()),
            },
            SimClientDisk {
                name: "hdisk1".to_string(),
                size_mb: 71_680,
                vg: None,
            },
        ]
    }

    /// What the client's rootvg uses, in MB.
    pub fn rootvg_used(&self) -> u64 {
        self.rootvg_used_mb.unwrap_or(20_480)
    }

    /// The file systems of a master object, the defaults when the estate names none.
    pub fn filesystem_list(&self) -> Vec<SimFileSystem> {
        if !self.filesystems.is_empty() {
            return self.filesystems.clone();
        }
        vec![
            SimFileSystem::new("/", 2_048, 1_024),
            SimFileSystem::new("/usr", 6_144, 1_024),
            SimFileSystem::new("/var", 2_048, 1_536),
            SimFileSystem::new("/tmp", 2_048, 1_800),
            SimFileSystem::new("/home", 512, 480),
        ]
    }

    /// The volume groups of a master object, the default when the estate names none.
    pub fn volume_group_list(&self) -> Vec<SimVolumeGroup> {
        if !self.volume_groups.is_empty() {
            return self.volume_groups.clone();
        }
        vec![SimVolumeGroup {
            name: "rootvg".to_string(),
            size_mb: 71_680,
            free_mb: 20_480,
        }]
    }

    /// The size of a resource's files in MB.
    pub fn resource_size_mb(&self) -> u64 {
        self.size_mb.unwrap_or(match self.object_type.as_str() {
            "lpp_source" => 6_144,
            "mksysb" => 4_096,
            "spot" => 2_048,
            "savewpar" | "ios_mksysb" => 1_024,
            _ => 1,
        })
    }

    /// True when this machine, SPOT or lpp_source has `fileset`.
    pub fn has_fileset(&self, fileset: &str) -> bool {
        !self.missing_filesets.iter().any(|f| f == fileset)
    }

    /// The value of attribute `name` (the first one where a name repeats).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sets attribute `name`, in place when it exists, else at the end.
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attributes.iter_mut().find(|(key, _)| key == name) {
            Some((_, old)) => *old = value,
            None => self.attributes.push((name.to_string(), value)),
        }
    }

    /// Sets attribute `name` in place, or inserts it right after attribute `after`
    /// (at the end when `after` is absent too).
    pub fn set_attr_after(&mut self, name: &str, value: impl Into<String>, after: &str) {
        let value = value.into();
        if let Some((_, old)) = self.attributes.iter_mut().find(|(key, _)| key == name) {
            *old = value;
            return;
        }
        let at = self
            .attributes
            .iter()
            .position(|(key, _)| key == after)
            .map_or(self.attributes.len(), |i| i + 1);
        self.attributes.insert(at, (name.to_string(), value));
    }

    /// Removes every attribute called `name`; true when there was one.
    pub fn remove_attr(&mut self, name: &str) -> bool {
        let before = self.attributes.len();
        self.attributes.retain(|(key, _)| key != name);
        self.attributes.len() != before
    }

    /// A machine (standalone, master, alternate_master, wpar...).
    pub fn is_machine(&self) -> bool {
        self.class == NimClass::Machines
    }

    /// A NIM client: a standalone or WPAR machine, controlled by its current master.
    pub fn is_client(&self) -> bool {
        self.is_machine() && matches!(self.object_type.as_str(), "standalone" | "wpar")
    }
}
