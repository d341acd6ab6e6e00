//! Files on simulated AIX hosts — savewpar images, specification files — and the
//! commands that move them: `ls`, `cp`, `rm`, `cat`.
//!
//! Each host keeps its own files; those under
//! [`SHARED_DIR`] (`/export/wpars`) are seen by
//! every AIX host of the estate, like an NFS directory mounted on all of them. Files
//! outside it use the host's `free_mb`; a copy that does not fit fails with AIX's
//! ENOSPC text. The working directory is `/` (root's home on AIX).

use std::time::Duration;

use super::{getopt::getopt, host, host_mut, msg, usage, Script};
use crate::sim::estate::aix::{is_shared_path, FileKind, SimFile, SHARED_DIR};
use crate::sim::estate::SimWpar;
use crate::sim::reply::Reply;
use crate::sim::world::World;

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

/// A copy of the file at `path` as host `name` sees it.
pub fn find(world: &World, name: &str, path: &str) -> Option<SimFile> {
    let path = normalize(path);
    let own = host(world, name)?.files.iter().find(|f| f.path == path);
    if let Some(file) = own {
        return Some(file.clone());
    }
    if is_shared_path(&path) {
        return world
            .estate
            .aix
            .iter()
            .flat_map(|h| h.files.iter())
            .find(|f| f.path == path)
            .cloned();
    }
    None
}

/// Every file host `name` sees (its own, then the shared ones of other hosts).
pub fn visible(world: &World, name: &str) -> Vec<SimFile> {
    let mut files: Vec<SimFile> = host(world, name)
        .map(|h| h.files.clone())
        .unwrap_or_default();
    for other in &world.estate.aix {
        if other.name == name {
            continue;
        }
        for file in &other.files {
            if file.is_shared() && !files.iter().any(|f| f.path == file.path) {
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

/// Removes the file at `path` as host `name` sees it, giving back its space when it was
/// local; the removed file.
pub fn remove(world: &mut World, name: &str, path: &str) -> Option<SimFile> {
    let path = normalize(path);
    let shared = is_shared_path(&path);
    for host in world.estate.aix.iter_mut() {
        if host.name != name && !shared {
            continue;
        }
        if let Some(index) = host.files.iter().position(|f| f.path == path) {
            let file = host.files.remove(index);
            if !file.is_shared() {
                host.free_mb = host.free_mb.saturating_add(file.size_mb);
            }
            return Some(file);
        }
    }
    None
}

/// A file did not fit in the host's free space (or the host is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSpace;

/// Writes `file` on host `name`, replacing what was at its path. `Err` when a local
/// file does not fit in the host's free space.
pub fn store(world: &mut World, name: &str, mut file: SimFile) -> Result<(), NoSpace> {
    file.path = normalize(&file.path);
    let old_local = find(world, name, &file.path)
        .filter(|f| !f.is_shared())
        .map_or(0, |f| f.size_mb);
    if !file.is_shared() {
        let free = host(world, name).map_or(0, |h| h.free_mb);
        if file.size_mb > free.saturating_add(old_local) {
            return Err(NoSpace);
        }
    }
    remove(world, name, &file.path);
    let Some(host) = host_mut(world, name) else {
        return Err(NoSpace);
    };
    if !file.is_shared() {
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

/// Runs `cp SRC DST` (a file; DST may be a directory).
pub fn cp(world: &mut World, name: &str, args: &[String]) -> Reply {
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
    let nfs = file.is_shared() || is_shared_path(&destination);
    let mut copy = file.clone();
    copy.path = destination.clone();
    let mut script = Script::new();
    script.wait(copy_secs(file.size_mb, nfs));
    if store(world, name, copy.clone()).is_err() {
        script.err(format!("cp: {destination}: {}", msg::NO_SPACE));
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

    #[test]
    fn paths() {
        assert_eq!(normalize("x.spec"), "/x.spec");
        assert_eq!(normalize("/export//wpars/"), "/export/wpars");
        assert_eq!(normalize("/tmp/../export/./wpars/a"), "/export/wpars/a");
        assert!(is_shared_path("/export/wpars/a"));
        assert!(!is_shared_path("/export/wparsX"));
    }
}
