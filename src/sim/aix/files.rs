//! Files on simulated AIX hosts — savewpar images, specification files — and the
//! commands that move them: `ls`, `cp`, `rm`, `cat`.
//!
//! Each host keeps its own files; those under [`SHARED_DIR`] (`/export/wpars`) are on an
//! NFS export and seen by every AIX host of the estate that mounts it (`shared_mount`);
//! a host that does not mount it has an empty local directory there instead, and one
//! that mounts it read-only cannot write. Local files use the host's `free_mb`, files on
//! the export its `shared_free_mb`; a write that does not fit fails with AIX's ENOSPC
//! text, one above the shell's file-size limit with its EFBIG text. The working
//! directory is `/` (root's home on AIX).

use std::time::Duration;

use super::{getopt::getopt, host, host_mut, msg, usage, Script};
use crate::sim::estate::aix::{FileKind, SharedMount, SimFile, SHARED_DIR};
use crate::sim::estate::SimWpar;
use crate::sim::reply::Reply;
use crate::sim::shell::ShellState;
use crate::sim::world::World;

/// Free space of the NFS export when no host of the estate sets `shared_free_mb`, MB
/// (what `df` showed before it could be set).
pub const DEFAULT_SHARED_FREE_MB: u64 = 301_000;

/// Directories every simulated global has, even when they hold no file.
const STANDARD_DIRS: &[&str] = &[
    "/",
    "/tmp",
    "/home",
    "/var",
    "/var/tmp",
    "/usr",
    "/opt",
    "/etc",
    "/etc/wpars",
    "/mnt",
    "/wpars",
    "/export",
    SHARED_DIR,
    "/backup",
];

/// Makes `path` absolute (relative to `/`), without `//`, `.` parts or a trailing `/`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when `path` on host `name` is on the NFS export behind [`SHARED_DIR`].
pub fn on_shared(world: &World, name: &str, path: &str) -> bool {
    host(world, name).is_some_and(|h| h.on_shared(&normalize(path)))
}

/// Every file on the NFS export, from every host that mounts it.
fn shared_files(world: &World) -> impl Iterator<Item = &SimFile> {
    world
        .estate
        .aix
        .iter()
        .filter(|h| h.shared_mount != SharedMount::Unmounted)
        .flat_map(|h| h.files.iter().filter(|f| f.is_shared()))
}

/// A copy of the file at `path` as host `name` sees it.
pub fn find(world: &World, name: &str, path: &str) -> Option<SimFile> {
    let path = normalize(path);
    if on_shared(world, name, &path) {
        return shared_files(world).find(|f| f.path == path).cloned();
    }
    host(world, name)?
        .files
        .iter()
        .find(|f| f.path == path)
        .cloned()
}

/// Every file host `name` sees (its own, then the others' on the NFS export).
pub fn visible(world: &World, name: &str) -> Vec<SimFile> {
    let Some(this) = host(world, name) else {
        return Vec::new();
    };
    let mut files = this.files.clone();
    if this.shared_mount != SharedMount::Unmounted {
        for file in shared_files(world) {
            if !files.iter().any(|f| f.path == file.path) {
                files.push(file.clone());
            }
        }
    }
    files
}

/// True when `path` is a directory on host `name`: a standard one, or one holding files.
pub fn is_dir(world: &World, name: &str, path: &str) -> bool {
    let path = normalize(path);
    if STANDARD_DIRS.contains(&path.as_str()) {
        return true;
    }
    let prefix = format!("{path}/");
    visible(world, name)
        .iter()
        .any(|f| f.path.starts_with(&prefix))
}

/// Free space of the NFS export, MB.
pub fn shared_free_mb(world: &World) -> u64 {
    world
        .estate
        .aix
        .iter()
        .find_map(|h| h.shared_free_mb)
        .unwrap_or(DEFAULT_SHARED_FREE_MB)
}

/// Sets the free space of the NFS export, on the host that holds the figure.
fn set_shared_free_mb(world: &mut World, free: u64) {
    let holder = world
        .estate
        .aix
        .iter()
        .position(|h| h.shared_free_mb.is_some())
        .unwrap_or(0);
    if let Some(host) = world.estate.aix.get_mut(holder) {
        host.shared_free_mb = Some(free);
    }
}

/// Removes the file at `path` as host `name` sees it, giving back its space; the
/// removed file.
pub fn remove(world: &mut World, name: &str, path: &str) -> Option<SimFile> {
    let path = normalize(path);
    if on_shared(world, name, &path) {
        for index in 0..world.estate.aix.len() {
            let host = &mut world.estate.aix[index];
            if host.shared_mount == SharedMount::Unmounted {
                continue;
            }
            if let Some(at) = host.files.iter().position(|f| f.path == path) {
                let file = host.files.remove(at);
                let free = shared_free_mb(world).saturating_add(file.size_mb);
                set_shared_free_mb(world, free);
                return Some(file);
            }
        }
        return None;
    }
    let host = host_mut(world, name)?;
    let at = host.files.iter().position(|f| f.path == path)?;
    let file = host.files.remove(at);
    host.free_mb = host.free_mb.saturating_add(file.size_mb);
    Some(file)
}

/// Why a file could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteError {
    /// It does not fit in the free space (or the host is gone): ENOSPC.
    NoSpace,
    /// The NFS export is mounted read-only here: EROFS.
    ReadOnly,
}

impl WriteError {
    /// AIX's text for the error.
    pub fn text(self) -> &'static str {
        match self {
            WriteError::NoSpace => msg::NO_SPACE,
            WriteError::ReadOnly => msg::READ_ONLY,
        }
    }
}

/// Writes `file` on host `name`, replacing what was at its path. `Err` when it does not
/// fit in the free space where it goes, or that place is read-only.
pub fn store(world: &mut World, name: &str, mut file: SimFile) -> Result<(), WriteError> {
    file.path = normalize(&file.path);
    let Some(this) = host(world, name) else {
        return Err(WriteError::NoSpace);
    };
    let shared = this.on_shared(&file.path);
    if shared && this.shared_mount == SharedMount::Ro {
        return Err(WriteError::ReadOnly);
    }
    let old = find(world, name, &file.path).map_or(0, |f| f.size_mb);
    let free = if shared {
        shared_free_mb(world)
    } else {
        this.free_mb
    };
    if file.size_mb > free.saturating_add(old) {
        return Err(WriteError::NoSpace);
    }
    remove(world, name, &file.path);
    if shared {
        let free = shared_free_mb(world).saturating_sub(file.size_mb);
        set_shared_free_mb(world, free);
    }
    let Some(host) = host_mut(world, name) else {
        return Err(WriteError::NoSpace);
    };
    if !shared {
        host.free_mb = host.free_mb.saturating_sub(file.size_mb);
    }
    host.files.push(file);
    Ok(())
}

/// Simulated seconds to copy `size_mb` (NFS when either side is the shared directory).
pub fn copy_secs(size_mb: u64, over_nfs: bool) -> f64 {
    let per_gb = if over_nfs { 12.0 } else { 5.0 };
    (size_mb as f64 / 1024.0 * per_gb).max(0.5)
}

/// `ls -l` line of a file.
fn long_line(file: &SimFile, shown: &str) -> String {
    let bytes = if file.size_mb == 0 {
        match file.kind {
            FileKind::Spec => 812,
            _ => 0,
        }
    } else {
        file.size_mb.saturating_mul(1024 * 1024)
    };
    format!("-rw-r--r--    1 root     system   {bytes:>11} Apr 18 05:12 {shown}")
}

/// Runs `ls`.
pub fn ls(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("ls", args, "lda1tr", "") {
        Ok(opts) => opts,
        Err(message) => {
            return usage(
                Some(&message),
                "Usage: ls [-1ACFHLNRabcdefgilmnopqrstux] [File...]",
            )
        }
    };
    let long = opts.has('l');
    let operands: Vec<String> = if opts.operands.is_empty() {
        vec!["/".to_string()]
    } else {
        opts.operands.clone()
    };
    let files = visible(world, name);
    let mut out = String::new();
    let mut err = String::new();
    for operand in &operands {
        let path = normalize(operand);
        if let Some(file) = files.iter().find(|f| f.path == path) {
            if long {
                out.push_str(&long_line(file, operand));
            } else {
                out.push_str(operand);
            }
            out.push('\n');
            continue;
        }
        if is_dir(world, name, &path) {
            if opts.has('d') {
                if long {
                    out.push_str(&format!(
                        "drwxr-xr-x    2 root     system          256 Apr 18 05:12 {operand}\n"
                    ));
                } else {
                    out.push_str(&format!("{operand}\n"));
                }
                continue;
            }
            let prefix = if path == "/" {
                "/".to_string()
            } else {
                format!("{path}/")
            };
            let mut entries: Vec<(String, Option<&SimFile>)> = Vec::new();
            for file in &files {
                if let Some(rest) = file.path.strip_prefix(&prefix) {
                    match rest.split_once('/') {
                        Some((dir, _)) => {
                            if !entries.iter().any(|(n, _)| n == dir) {
                                entries.push((dir.to_string(), None));
                            }
                        }
                        None => entries.push((rest.to_string(), Some(file))),
                    }
                }
            }
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            if operands.len() > 1 {
                out.push_str(&format!("{operand}:\n"));
            }
            if long {
                out.push_str(&format!("total {}\n", entries.len() * 8));
            }
            for (entry, file) in entries {
                match (long, file) {
                    (true, Some(file)) => out.push_str(&long_line(file, &entry)),
                    (true, None) => out.push_str(&format!(
                        "drwxr-xr-x    2 root     system          256 Apr 18 05:12 {entry}"
                    )),
                    (false, _) => out.push_str(&entry),
                }
                out.push('\n');
            }
            continue;
        }
        err.push_str(&format!(
            "ls: 0653-341 The file {operand} does not exist.\n"
        ));
    }
    let status = if err.is_empty() { 0 } else { 2 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Runs `cp SRC DST` (a file; DST may be a directory) under the shell's file-size
/// limit.
pub fn cp(world: &mut World, name: &str, args: &[String], shell: &ShellState) -> Reply {
    const USAGE: &str = "Usage: cp [-fhipHILPU] [-r|-R] [-E{force|ignore|warn}] [--] src target";
    let opts = match getopt("cp", args, "fhipRr", "") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), USAGE),
    };
    let [source, target] = opts.operands.as_slice() else {
        return usage(None, USAGE);
    };
    let Some(file) = find(world, name, source) else {
        if is_dir(world, name, source) {
            return Reply::fail_stderr(
                format!("cp: {source}: Specify -r or -R to copy a directory.\n"),
                1,
            );
        }
        return Reply::fail_stderr(format!("cp: {source}: {}\n", msg::NO_SUCH_FILE), 1);
    };
    let mut destination = normalize(target);
    if target.ends_with('/') || is_dir(world, name, &destination) {
        let base = file.path.rsplit('/').next().unwrap_or("file");
        destination = normalize(&format!("{destination}/{base}"));
    }
    if destination == file.path {
        return Reply::fail_stderr(
            format!("cp: {source} and {target} are identical (not copied).\n"),
            1,
        );
    }
    let nfs = on_shared(world, name, &file.path) || on_shared(world, name, &destination);
    let mut copy = file.clone();
    copy.path = destination.clone();
    let mut script = Script::new();
    script.wait(copy_secs(file.size_mb, nfs));
    if !shell.file_fits(file.size_mb) {
        script.err(format!("cp: {destination}: {}", msg::FILE_TOO_LARGE));
        return script.finish(1);
    }
    if let Err(error) = store(world, name, copy.clone()) {
        script.err(format!("cp: {destination}: {}", error.text()));
        return script.finish(1);
    }
    // The file appears when the copy ends: keep it out of sight until then.
    let reply = script.finish(0);
    let duration = reply.duration();
    if duration > Duration::ZERO {
        hide_until(world, name, &destination, duration, copy);
    }
    reply
}

/// Takes a just-stored file away again and puts it back after `after`, so it shows up
/// when the command that writes it ends (its space stays reserved meanwhile).
fn hide_until(world: &mut World, name: &str, path: &str, after: Duration, file: SimFile) {
    let Some(host) = host_mut(world, name) else {
        return;
    };
    host.files.retain(|f| f.path != path);
    let name = name.to_string();
    world.schedule(after, move |world| {
        if let Some(host) = host_mut(world, &name) {
            host.files.retain(|f| f.path != file.path);
            host.files.push(file);
        }
    });
}

/// Runs `touch FILE...`: an existing file stays as it is, a new one is empty.
pub fn touch(world: &mut World, name: &str, args: &[String]) -> Reply {
    const USAGE: &str = "Usage: touch [-amcf] [-r RefFile|Time] File...";
    let opts = match getopt("touch", args, "acfm", "rt") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), USAGE),
    };
    if opts.operands.is_empty() {
        return usage(None, USAGE);
    }
    let mut err = String::new();
    for operand in &opts.operands {
        let path = normalize(operand);
        if find(world, name, &path).is_some() || is_dir(world, name, &path) {
            continue;
        }
        let parent = match path.rsplit_once('/') {
            Some(("", _)) | None => "/".to_string(),
            Some((parent, _)) => parent.to_string(),
        };
        if !is_dir(world, name, &parent) {
            err.push_str(&format!("touch: {operand}: {}\n", msg::NO_SUCH_FILE));
            continue;
        }
        let file = SimFile {
            path,
            size_mb: 0,
            kind: FileKind::Data,
            wpar: None,
            oslevel: None,
            truncated: false,
        };
        if let Err(error) = store(world, name, file) {
            err.push_str(&format!("touch: {operand}: {}\n", error.text()));
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Reply::default().stderr(err).with_status(status)
}

/// Runs `rm [-f] [-r] PATH...`.
pub fn rm(world: &mut World, name: &str, args: &[String]) -> Reply {
    const USAGE: &str = "Usage: rm [-firRe] [--] File...";
    let opts = match getopt("rm", args, "firRe", "") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), USAGE),
    };
    if opts.operands.is_empty() {
        return usage(None, USAGE);
    }
    let force = opts.has('f');
    let recursive = opts.has('r') || opts.has('R');
    let mut err = String::new();
    for operand in &opts.operands {
        let path = normalize(operand);
        if remove(world, name, &path).is_some() {
            continue;
        }
        if is_dir(world, name, &path) {
            if !recursive {
                err.push_str(&format!(
                    "rm: 0653-603 Cannot remove directory {operand}.\n"
                ));
                continue;
            }
            let prefix = format!("{path}/");
            let inside: Vec<String> = visible(world, name)
                .into_iter()
                .filter(|f| f.path.starts_with(&prefix))
                .map(|f| f.path)
                .collect();
            for file in inside {
                remove(world, name, &file);
            }
            continue;
        }
        if !force {
            err.push_str(&format!("rm: {operand}: {}\n", msg::NO_SUCH_FILE));
        }
    }
    let status = if err.is_empty() { 0 } else { 2 };
    Reply::default().stderr(err).with_status(status)
}

/// Runs `cat FILE...`: a specification file prints as its stanzas.
pub fn cat(world: &mut World, name: &str, args: &[String]) -> Reply {
    let mut out = String::new();
    let mut err = String::new();
    for operand in args.iter().filter(|a| !a.starts_with('-')) {
        match find(world, name, operand) {
            Some(file) => {
                if let (FileKind::Spec, Some(wpar)) = (file.kind, &file.wpar) {
                    out.push_str(&spec_text(wpar));
                }
            }
            None => err.push_str(&format!("cat: 0652-050 Cannot open {operand}.\n")),
        }
    }
    let status = if err.is_empty() { 0 } else { 2 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// A WPAR specification file in the stanza format of docs/formats.md, "AIX: mkwpar".
pub fn spec_text(wpar: &SimWpar) -> String {
    let yn = |b: bool| if b { "yes" } else { "no" };
    let mut out = String::from("general:\n");
    let mut line = |key: &str, value: &str| out.push_str(&format!("\t{key} = \"{value}\"\n"));
    line("name", &wpar.name);
    line("hostname", wpar.hostname());
    line("checkpointable", yn(wpar.checkpointable));
    line("directory", &wpar.directory());
    line("privateusr", yn(wpar.private_usr));
    line("devices", "/etc/wpars/devexports");
    line("ostype", &wpar.ostype.to_string());
    line("auto", yn(wpar.auto_start));
    line("rootvgwpar", yn(wpar.rootvg));
    line("preserve", "no");
    line("routing", "no");
    if let Some(application) = &wpar.application {
        line("application", application);
    }
    if let Some(address) = &wpar.address {
        let mask = wpar
            .netmask
            .clone()
            .unwrap_or_else(|| "255.255.255.0".to_string());
        out.push_str("\nnetwork:\n");
        if let Some(broadcast) = super::lswpar::broadcast(address, &mask) {
            out.push_str(&format!("\tbroadcast = \"{broadcast}\"\n"));
        }
        out.push_str(&format!(
            "\tinterface = \"{}\"\n",
            wpar.interface.as_deref().unwrap_or("en0")
        ));
        out.push_str(&format!("\taddress = \"{address}\"\n"));
        out.push_str(&format!("\tnetmask = \"{mask}\"\n"));
    }
    out.push_str("\nresources:\n\tactive = \"yes\"\n");
    if wpar.rootvg {
        out.push_str(&format!(
            "\ndevice:\n\tdevname = \"{}\"\n\tdevtype = \"2\"\n\trootvg = \"yes\"\n",
            wpar.rootvg_disk()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::estate::aix::is_shared_path;

    #[test]
    fn paths() {
        assert_eq!(normalize("x.spec"), "/x.spec");
        assert_eq!(normalize("/export//wpars/"), "/export/wpars");
        assert_eq!(normalize("/tmp/../export/./wpars/a"), "/export/wpars/a");
        assert!(is_shared_path("/export/wpars/a"));
        assert!(!is_shared_path("/export/wparsX"));
    }
}
