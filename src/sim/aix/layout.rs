//! What a WPAR looks like from the global environment: its file systems (`lswpar -M`,
//! `mount`, `lsfs -u`, `rmwpar`), levels and derived numbers.
//!
//! File-system layouts follow docs/formats.md, "AIX: WPAR kinds": a shared system WPAR
//! has `/`, `/home`, `/tmp`, `/var` as jfs2 LVs in the global rootvg and `/opt`, `/usr` as
//! read-only namefs; a detached one has its own `/opt` and `/usr` LVs; a rootvg WPAR
//! keeps only `/` and `/etc/objrepos/wboot` in the global.

use crate::sim::estate::SimWpar;

/// One file system of a WPAR as the global environment mounts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WparMount {
    /// Where it is mounted in the global environment (`/wpars/w1/home`).
    pub mount_point: String,
    /// Inside the WPAR (`/home`; `/` for the base directory).
    pub inside: String,
    /// `/dev/fslv05`, or the global directory of a namefs mount.
    pub device: String,
    /// `jfs2`, `namefs`.
    pub vfs: &'static str,
    /// `ro`/`rw` for namefs mounts, empty otherwise.
    pub options: &'static str,
    /// The `fslvNN` name when the file system is a logical volume of the global rootvg.
    pub logical_volume: Option<String>,
}

/// The WPAR's file systems in `lswpar -M` order (none for an application WPAR).
pub fn mounts(wpar: &SimWpar) -> Vec<WparMount> {
    if wpar.is_application() {
        return Vec::new();
    }
    let base = wpar.directory();
    let first = wpar.first_lv.unwrap_or(0);
    let mut next_lv = first;
    let mut lv = || {
        let name = format!("fslv{next_lv:02}");
        next_lv = next_lv.saturating_add(1);
        name
    };
    let mut list = Vec::new();
    let mut push = |inside: &str, kind: Kind, lv: Option<String>| {
        let mount_point = if inside == "/" {
            base.clone()
        } else if base == "/" {
            inside.to_string()
        } else {
            format!("{base}{inside}")
        };
        let (device, vfs, options) = match (&kind, &lv) {
            (Kind::Lv, Some(name)) => (format!("/dev/{name}"), "jfs2", ""),
            (Kind::NameFs(options), _) => (inside.to_string(), "namefs", *options),
            (Kind::Lv, None) => (String::new(), "jfs2", ""),
        };
        list.push(WparMount {
            mount_point,
            inside: inside.to_string(),
            device,
            vfs,
            options,
            logical_volume: lv,
        });
    };
    if wpar.rootvg {
        push("/", Kind::Lv, Some(lv()));
        push("/etc/objrepos/wboot", Kind::Lv, Some(lv()));
        if !wpar.private_usr {
            push("/opt", Kind::NameFs("ro"), None);
            push("/usr", Kind::NameFs("ro"), None);
        }
        return list;
    }
    push("/", Kind::Lv, Some(lv()));
    push("/home", Kind::Lv, Some(lv()));
    if wpar.private_usr {
        push("/opt", Kind::Lv, Some(lv()));
    } else {
        push("/opt", Kind::NameFs("ro"), None);
    }
    push("/proc", Kind::NameFs("rw"), None);
    push("/tmp", Kind::Lv, Some(lv()));
    if wpar.private_usr {
        push("/usr", Kind::Lv, Some(lv()));
    } else {
        push("/usr", Kind::NameFs("ro"), None);
    }
    push("/var", Kind::Lv, Some(lv()));
    list
}

enum Kind {
    Lv,
    NameFs(&'static str),
}

/// The level a WPAR runs at: its own, or the global's.
pub fn wpar_level<'a>(wpar: &'a SimWpar, global: &'a str) -> &'a str {
    wpar.oslevel.as_deref().unwrap_or(global)
}

/// `7100-00-02-1041` → (7, 1): the AIX version and release.
pub fn version_of(oslevel: &str) -> Option<(u32, u32)> {
    let head = oslevel.get(..2)?;
    let mut digits = head.chars().filter_map(|c| c.to_digit(10));
    Some((digits.next()?, digits.next()?))
}

/// The `bos.rte.libc` level of an `oslevel -s` string, as restwpar's compatibility
/// check prints it: `6100-06-03-1048` → `6.1.6.3` (and `7100-00-02-1041` → `7.1.0.2`;
/// docs/formats.md, "AIX: WPAR kinds").
pub fn libc_level(oslevel: &str) -> String {
    let mut parts = oslevel.split('-');
    let vr = parts.next().unwrap_or("");
    let tl = parts
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(0);
    let sp = parts
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(0);
    match version_of(vr) {
        Some((v, r)) => format!("{v}.{r}.{tl}.{sp}"),
        None => oslevel.to_string(),
    }
}

/// True when a WPAR at `wpar_level` cannot start on a global at `global`: it comes
/// from an older AIX version and needs `migwpar` (0960-667).
pub fn needs_migration(wpar_level: &str, global: &str) -> bool {
    match (version_of(wpar_level), version_of(global)) {
        (Some(wpar), Some(global)) => wpar < global,
        _ => false,
    }
}

/// A stable made-up process id for `name` at simulated second `now`.
pub fn pid(name: &str, now: u64) -> u64 {
    let hash = crate::sim::estate::aix::fnv(format!("{name}@{now}").as_bytes());
    3_000_000 + hash % 14_000_000
}

/// How many files a savewpar image of the WPAR holds (a detached WPAR carries /usr).
pub fn file_count(wpar: &SimWpar) -> u64 {
    if wpar.private_usr {
        wpar.size_mb.saturating_mul(9).saturating_add(60_000)
    } else {
        wpar.size_mb.saturating_mul(3).saturating_add(2_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(libc_level("7100-00-02-1041"), "7.1.0.2");
        assert_eq!(libc_level("6100-06-03-1048"), "6.1.6.3");
        assert!(needs_migration("6100-06-03-1048", "7100-00-02-1041"));
        assert!(!needs_migration("7100-00-01-1037", "7100-00-02-1041"));
        assert!(!needs_migration("garbage", "7100-00-02-1041"));
    }

    #[test]
    fn shared_layout() {
        let mut wpar = SimWpar::new("w1");
        wpar.first_lv = Some(4);
        let list = mounts(&wpar);
        assert_eq!(list.len(), 7);
        assert_eq!(list[0].mount_point, "/wpars/w1");
        assert_eq!(list[0].device, "/dev/fslv04");
        assert_eq!(list[2].vfs, "namefs");
        assert_eq!(list[6].device, "/dev/fslv07");
    }
}
