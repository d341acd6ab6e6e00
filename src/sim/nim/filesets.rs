//! The filesets a NIM master, a SPOT and an lpp_source hold, for `lslpp -L` on the
//! master and `nim -o showres` (docs/procedures.md, "nimadm pre-flight": the alt_disk
//! filesets must be at one level on the master, in the SPOT and in the lpp_source).
//!
//! Every fileset is at the owner's level (`7100-03-05-1524` gives `7.1.3.5`) unless the
//! owner lists it in its simulator-only `missing_filesets`. Both listings are
//! colon-separated with the fileset second and its level third (docs/formats.md, "NIM:
//! nim -o", showres).

use crate::sim::aix::layout::libc_level;
use crate::sim::estate::SimNimObject;

/// The filesets listed, with their descriptions.
pub const FILESETS: &[(&str, &str)] = &[
    ("bos.rte", "Base Operating System Runtime"),
    (
        "bos.mp64",
        "Base Operating System 64 bit Multiprocessor Runtime",
    ),
    (
        "bos.alt_disk_install.rte",
        "Alternate Disk Installation Runtime",
    ),
    (
        "bos.alt_disk_install.boot_images",
        "Alternate Disk Installation Disk Boot Images",
    ),
    (
        "bos.sysmgt.nim.client",
        "Network Install Manager - Client Tools",
    ),
];

/// The master's own filesets: those of [`FILESETS`] and the NIM master and SPOT tools.
pub const MASTER_FILESETS: &[(&str, &str)] = &[
    ("bos.rte", "Base Operating System Runtime"),
    (
        "bos.mp64",
        "Base Operating System 64 bit Multiprocessor Runtime",
    ),
    (
        "bos.alt_disk_install.rte",
        "Alternate Disk Installation Runtime",
    ),
    (
        "bos.alt_disk_install.boot_images",
        "Alternate Disk Installation Disk Boot Images",
    ),
    (
        "bos.sysmgt.nim.client",
        "Network Install Manager - Client Tools",
    ),
    (
        "bos.sysmgt.nim.master",
        "Network Install Manager - Master Tools",
    ),
    ("bos.sysmgt.nim.spot", "Network Install Manager - SPOT"),
];

/// The header line of `lslpp -Lc`.
pub const LSLPP_HEADER: &str = "#Package Name:Fileset:Level:State:PTF Id:Fix State:Type:Description:Destination Dir.:Uninstaller:Message Catalog:Message Set:Message Number:Parent:Automatic:EFIX Locked:Install Path:Build Date";

/// The AIX level of a SPOT or lpp_source: its simulator-only `oslevel`, else its
/// `oslevel_r` attribute at service pack 0.
pub fn resource_level(resource: &SimNimObject) -> String {
    if let Some(level) = &resource.oslevel {
        return level.clone();
    }
    match resource.attr("oslevel_r") {
        Some(release) => format!("{release}-00-0000"),
        None => "7100-00-00-0000".to_string(),
    }
}

/// `lslpp -Lc` lines of `owner` at `level` for `filesets`, header first.
pub fn lslpp_lines(level: &str, owner: &SimNimObject, filesets: &[(&str, &str)]) -> String {
    let fileset_level = libc_level(level);
    let build = level.rsplit('-').next().unwrap_or("0000");
    let mut out = format!("{LSLPP_HEADER}\n");
    for (fileset, description) in filesets {
        if owner.has_fileset(fileset) {
            out.push_str(&format!(
                "{fileset}:{fileset}:{fileset_level}: : :C:F:{description}: : : : : : :0:0:/:{build}\n"
            ));
        }
    }
    out
}

/// `installp -L` lines of an lpp_source at `level`.
pub fn installp_lines(level: &str, owner: &SimNimObject) -> String {
    let fileset_level = libc_level(level);
    let mut out = String::new();
    for (fileset, description) in FILESETS {
        if owner.has_fileset(fileset) {
            out.push_str(&format!(
                "{fileset}:{fileset}:{fileset_level}::I:T:::::N:{description} ::::0::\n"
            ));
        }
    }
    out
}
