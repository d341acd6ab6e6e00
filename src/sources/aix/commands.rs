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
const APAR: &str = "APAR number";
const DIRECTORY: &str = "directory";
const SERVER: &str = "NFS server";
const FILE: &str = "file";

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
    Ok(savewpar_words(wpar, backup, image_data)?.locale(Locale::LcAllC))
}

fn savewpar_words(wpar: &str, backup: &str, image_data: bool) -> Built {
    let command = RemoteCommand::change("savewpar");
    let command = if image_data {
        command.flag("-i")
    } else {
        command
    };
    command.option("-f", BACKUP, backup)?.name(WPAR, wpar)
}

/// `sh -c 'ulimit -f unlimited && savewpar -i -f FILE W'`: the backup with the file-size
/// limit lifted for its own shell only, on one command line (a savewpar image can pass
/// the limit; docs/procedures.md, "WPAR move"). The inner line is quoted for the inner
/// shell, and the whole for the login shell.
pub fn savewpar_unlimited(wpar: &str, backup: &str) -> Built {
    let ulimit = RemoteCommand::change("ulimit").flags(&["-f", "unlimited"]);
    let save = savewpar_words(wpar, backup, true)?;
    change("sh").flag("-c").arg(
        "shell commands",
        format!("{} && {}", ulimit.line(), save.line()),
    )
}

/// `sh -c 'touch FILE && rm FILE'`: proves this host can write where FILE goes, leaving
/// nothing behind (docs/procedures.md, "WPAR move": the shared directory writable on
/// both globals).
pub fn write_probe(file: &str) -> Built {
    let touch = RemoteCommand::change("touch").name(FILE, file)?;
    let remove = RemoteCommand::change("rm").name(FILE, file)?;
    change("sh").flag("-c").arg(
        "shell commands",
        format!("{} && {}", touch.line(), remove.line()),
    )
}

/// `chwpar -A W` (auto start on) or `chwpar -K -A W` (off; `-K` negates the flag it comes
/// with, so `-A` alone turns it on; docs/procedures.md, "WPAR move").
pub fn chwpar_auto_start(wpar: &str, on: bool) -> Built {
    let command = change("chwpar");
    let command = if on {
        command.flag("-A")
    } else {
        command.flags(&["-K", "-A"])
    };
    command.name(WPAR, wpar)
}

/// `instfix -ik APAR`: whether every fileset of a fix is installed (`All filesets for
/// APAR were found.`; docs/procedures.md, "WPAR move").
pub fn instfix(apar: &str) -> Built {
    read("instfix").option("-ik", APAR, apar)
}

/// What the WPAR move verifies inside the moved WPAR with `clogin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inside {
    /// `oslevel -s`: the level the WPAR runs.
    Oslevel,
    /// `lppchk -v`: prints nothing when the software is consistent.
    Lppchk,
    /// `syncroot`: brings the root part in line; ends `Returns Status = SUCCESS`.
    Syncroot,
}

/// `clogin W COMMAND`: a command run inside an Active WPAR (docs/procedures.md,
/// "WPAR move": verify inside, as the Redbook does); `syncroot` may install, so it is a
/// change.
pub fn clogin(wpar: &str, inside: Inside) -> Built {
    let (command, words): (RemoteCommand, &[&'static str]) = match inside {
        Inside::Oslevel => (read("clogin"), &["oslevel", "-s"]),
        Inside::Lppchk => (read("clogin"), &["lppchk", "-v"]),
        Inside::Syncroot => (change("clogin"), &["syncroot"]),
    };
    Ok(command.name(WPAR, wpar)?.flags(words))
}

/// `df -k [PATH ...]`: free space of the file systems (holding the paths), in KB.
pub fn df_kb(paths: &[&str]) -> Built {
    read("df").flag("-k").names(DIRECTORY, paths)
}

/// `fuser -cx DIR`: the processes holding files of the file system that holds DIR
/// (docs/procedures.md, "WPAR recovery", step 2).
pub fn fuser(dir: &str) -> Built {
    read("fuser").flag("-cx").name(MOUNT, dir)
}

/// `umount DIR`: a plain unmount; a local journaled file system is never forced
/// (docs/procedures.md, "WPAR recovery", step 3).
pub fn umount(mount_point: &str) -> Built {
    change("umount").name(MOUNT, mount_point)
}

/// `showmount -e SERVER`: the directories an NFS server exports (docs/procedures.md,
/// "WPAR recovery", step 4).
pub fn showmount(server: &str) -> Built {
    read("showmount").flag("-e").name(SERVER, server)
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

/// `umount -f DIR`: force off a remote (NFS) mount whose server does not answer; never
/// for a local journaled file system (docs/procedures.md, "WPAR recovery", step 3).
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
