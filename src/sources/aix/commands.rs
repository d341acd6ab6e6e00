//! Builders for the AIX commands powerdeck runs in a global environment: `lswpar` and the
//! WPAR lifecycle (docs/formats.md, the "AIX: ..." sections; docs/procedures.md,
//! "WPAR recovery").
//!
//! Every builder returns a [`RemoteCommand`] with `LC_ALL=C` in front, so that messages and
//! `Return Status = ...` lines come out in English whatever the host's profile sets. WPAR
//! names, files and directories are separate words, checked with
//! [`check_name`](crate::sources::command::check_name): empty, NUL-holding and `-`-leading
//! values are refused with an [`ArgumentError`](crate::sources::command::ArgumentError)
//! (WPAR names cannot start with `-`, docs/formats.md, "AIX: WPAR names"; a relative path
//! can be written `./-x`).

use crate::sources::command::{Built, Locale, RemoteCommand};

const WPAR: &str = "WPAR name";
const NEW_WPAR: &str = "new WPAR name";
const BACKUP: &str = "savewpar backup file or device";
const SPEC: &str = "WPAR specification file";
const IMAGES: &str = "install image directory";
const MOUNT: &str = "mount point";
const VOLUME_GROUP: &str = "volume group name";

/// `lswpar -cq [W ...]`: the WPARs (all, or the named ones) as colon-delimited rows
/// without a header, in the default field order `name:state:type:hostname:directory:
/// rootvgwpar` (docs/formats.md, "AIX: lswpar -c").
pub fn lswpar(wpars: &[&str]) -> Built {
    read("lswpar").flag("-cq").names(WPAR, wpars)
}

/// `lswpar -c -a f1,f2 [W ...]`: chosen fields, colon-delimited, with the `#f1:f2` header
/// line that says which column is which (docs/formats.md, "AIX: lswpar -c").
pub fn lswpar_fields(fields: &[&'static str], wpars: &[&str]) -> Built {
    debug_assert!(
        !fields.is_empty()
            && fields.iter().all(|field| !field.is_empty()
                && field
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')),
        "bad lswpar field list {fields:?}"
    );
    read("lswpar")
        .flags(&["-c", "-a"])
        .arg("lswpar field list", fields.join(","))?
        .names(WPAR, wpars)
}

/// `lswpar -G W`: the general paragraph of one WPAR (docs/formats.md, "AIX: lswpar -G").
pub fn lswpar_general(wpar: &str) -> Built {
    read("lswpar").flag("-G").name(WPAR, wpar)
}

/// `startwpar [-v] W` (docs/formats.md, "AIX: startwpar and stopwpar").
pub fn startwpar(wpar: &str, verbose: bool) -> Built {
    let command = change("startwpar");
    let command = if verbose { command.flag("-v") } else { command };
    command.name(WPAR, wpar)
}

/// `stopwpar [-F] [-v] W`; `-F` forces processes down and unmounts remote file systems
/// (docs/formats.md, "AIX: startwpar and stopwpar"; the stuck-WPAR recovery of
/// docs/procedures.md, "WPAR recovery").
pub fn stopwpar(wpar: &str, force: bool, verbose: bool) -> Built {
    let mut command = change("stopwpar");
    if force {
        command = command.flag("-F");
    }
    if verbose {
        command = command.flag("-v");
    }
    command.name(WPAR, wpar)
}

/// `rmwpar [-F] [-p] W`; `-F` removes a broken WPAR (and stops it first), `-p` keeps its
/// local file systems for `mkwpar -p` (docs/formats.md, "AIX: rmwpar").
pub fn rmwpar(wpar: &str, force: bool, preserve: bool) -> Built {
    let mut command = change("rmwpar");
    if force {
        command = command.flag("-F");
    }
    if preserve {
        command = command.flag("-p");
    }
    command.name(WPAR, wpar)
}

/// `savewpar [-i] -f FILE W`: back a WPAR up to a file or device; `-i` writes image.data
/// first (docs/formats.md, "AIX: savewpar").
pub fn savewpar(wpar: &str, backup: &str, image_data: bool) -> Built {
    let command = change("savewpar");
    let command = if image_data {
        command.flag("-i")
    } else {
        command
    };
    command.option("-f", BACKUP, backup)?.name(WPAR, wpar)
}

/// How `restwpar` recreates a WPAR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restore<'a> {
    /// `-n NAME`: restore under another name.
    pub new_name: Option<&'a str>,
    /// `-s`: start the WPAR once restored.
    pub start: bool,
    /// `-C`: accept an image saved on an older AIX level (the WPAR then needs
    /// `migwpar`, docs/procedures.md, "WPAR move").
    pub compatible: bool,
}

/// `restwpar -f FILE [-n NAME] [-C] [-s]`: recreate a WPAR from a savewpar image
/// (docs/formats.md, "AIX: restwpar").
pub fn restwpar(backup: &str, restore: Restore<'_>) -> Built {
    let mut command = change("restwpar").option("-f", BACKUP, backup)?;
    if let Some(new_name) = restore.new_name {
        command = command.option("-n", NEW_WPAR, new_name)?;
    }
    if restore.compatible {
        command = command.flag("-C");
    }
    if restore.start {
        command = command.flag("-s");
    }
    Ok(command)
}

/// `mkwpar -f SPEC [-p]`: create a WPAR from a specification file; `-p` (last, since it
/// takes an optional name) reattaches preserved file systems (docs/formats.md,
/// "AIX: mkwpar"; docs/procedures.md, "WPAR recovery").
pub fn mkwpar_from_spec(spec: &str, preserve: bool) -> Built {
    let command = change("mkwpar").option("-f", SPEC, spec)?;
    Ok(if preserve {
        command.flag("-p")
    } else {
        command
    })
}

/// `mkwpar -w -e W -o FILE`: write the specification of an existing WPAR to a file without
/// creating anything; it still writes a file, so it is a change (docs/formats.md,
/// "AIX: mkwpar").
pub fn mkwpar_write_spec(wpar: &str, spec: &str) -> Built {
    change("mkwpar")
        .flag("-w")
        .option("-e", WPAR, wpar)?
        .option("-o", SPEC, spec)
}

/// `syncwpar W` (shared WPAR) or `syncwpar -D W` (detached WPAR): bring a WPAR's software
/// in line with the global environment (docs/formats.md, "AIX: syncwpar").
pub fn syncwpar(wpar: &str, detached: bool) -> Built {
    let command = change("syncwpar");
    let command = if detached {
        command.flag("-D")
    } else {
        command
    };
    command.name(WPAR, wpar)
}

/// `migwpar [-d DIR] W`: migrate a WPAR after its global moved from AIX 6 to 7; a detached
/// WPAR needs the install images in `-d` (docs/formats.md, "AIX: migwpar").
pub fn migwpar(wpar: &str, images: Option<&str>) -> Built {
    let mut command = change("migwpar");
    if let Some(images) = images {
        command = command.option("-d", IMAGES, images)?;
    }
    command.name(WPAR, wpar)
}

/// `umount -f DIR`: force off a mount left by the global environment under a WPAR stuck in
/// `T` (docs/procedures.md, "WPAR recovery", step 3).
pub fn umount_force(mount_point: &str) -> Built {
    change("umount").flag("-f").name(MOUNT, mount_point)
}

/// `oslevel -s`: the AIX level with service pack (`7200-05-03-2148`), needed before
/// migrating or restoring WPARs between globals.
pub fn oslevel() -> RemoteCommand {
    read("oslevel").flag("-s")
}

/// `mount`: the table of mounted file systems, to find mounts the global environment left
/// under a WPAR's directory (docs/procedures.md, "WPAR recovery", step 1).
pub fn mount_table() -> RemoteCommand {
    read("mount")
}

/// `lsfs -u W`: the file systems of a WPAR's mount group, with their sizes in 512-byte
/// blocks (docs/procedures.md, "WPAR move", step 2).
pub fn lsfs_mount_group(wpar: &str) -> Built {
    read("lsfs").option("-u", WPAR, wpar)
}

/// `lsvg VG`: a volume group's characteristics; `FREE PPs` says how much room is left for
/// WPAR file systems in `rootvg`.
pub fn lsvg(volume_group: &str) -> Built {
    read("lsvg").name(VOLUME_GROUP, volume_group)
}

fn read(program: &'static str) -> RemoteCommand {
    RemoteCommand::read(program).locale(Locale::LcAllC)
}

fn change(program: &'static str) -> RemoteCommand {
    RemoteCommand::change(program).locale(Locale::LcAllC)
}
