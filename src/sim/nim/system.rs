//! The AIX commands a NIM wizard runs on the master itself: `df` (where resource
//! locations land, docs/procedures.md, "NIM alternate master"), `ls -d` and `du -sk`
//! (which resource files exist, how big), `lsvg` (nimadm's cache volume group),
//! `lslpp -L` (the master's filesets) and `sleep` (the pause between two samples of a
//! stuck client, docs/procedures.md, "NIM reset").
//!
//! File systems, volume groups and sizes are the simulator-only fields of the `master`
//! object and of resources (`src/sim/estate/nim.rs`). Formats follow the AIX host's
//! (`src/sim/aix/system.rs`). A path that does not exist gets AIX's `0653-341` from
//! `ls`; `df` and `du` name it on stderr (their wording is the simulator's own).

use std::time::Duration;

use super::filesets::{lslpp_lines, MASTER_FILESETS};
use super::nim_host;
use crate::sim::aix::getopt::getopt;
use crate::sim::estate::nim::under;
use crate::sim::estate::NimHost;
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The device name AIX gives a file system mounted at `mount`.
fn device(mount: &str, index: usize) -> String {
    match mount {
        "/" => "/dev/hd4".to_string(),
        "/usr" => "/dev/hd2".to_string(),
        "/var" => "/dev/hd9var".to_string(),
        "/tmp" => "/dev/hd3".to_string(),
        "/home" => "/dev/hd1".to_string(),
        "/opt" => "/dev/hd10opt".to_string(),
        _ => format!("/dev/fslv{index:02}"),
    }
}

/// Runs `df [-k | -m | -g] [PATH ...]`.
pub fn df(world: &World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("df", args, "kmgP", "") {
        Ok(opts) => opts,
        Err(message) => return Reply::fail_stderr(format!("{message}\n"), 2),
    };
    let Some(master) = nim_host(world, host) else {
        return Reply::fail_stderr("df: no such host\n", 2);
    };
    let (heading, per_mb) = if opts.has('g') {
        ("GB blocks", 1.0 / 1024.0)
    } else if opts.has('m') {
        ("MB blocks", 1.0)
    } else {
        ("1024-blocks", 1024.0)
    };
    let all = master.file_systems();
    let mut out =
        format!("Filesystem    {heading:>11}      Free %Used    Iused %Iused Mounted on\n");
    let mut err = String::new();
    let mut row = |index: usize, mount: &str, size: u64, free: u64| {
        let used = if size > 0 {
            ((size - free.min(size)) * 100).div_ceil(size)
        } else {
            0
        };
        let show = |mb: u64| {
            if per_mb >= 1.0 {
                format!("{:.0}", mb as f64 * per_mb)
            } else {
                format!("{:.2}", mb as f64 * per_mb)
            }
        };
        out.push_str(&format!(
            "{:<13} {:>11} {:>9} {:>4}% {:>8} {:>5}% {mount}\n",
            device(mount, index),
            show(size),
            show(free),
            used,
            size * 7,
            used / 4,
        ));
    };
    if opts.operands.is_empty() {
        for (index, fs) in all.iter().enumerate() {
            row(index, &fs.mount, fs.size_mb, fs.free_mb);
        }
    } else {
        for path in &opts.operands {
            match master
                .file_system_of(path)
                .filter(|_| master.path_exists(path))
            {
                Some(fs) => {
                    let index = all.iter().position(|f| f.mount == fs.mount).unwrap_or(0);
                    row(index, &fs.mount, fs.size_mb, fs.free_mb);
                }
                None => err.push_str(&format!(
                    "df: {path}: A file or directory in the path name does not exist.\n"
                )),
            }
        }
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Runs `ls -d PATH ...`: the paths that exist, one a line.
pub fn ls(world: &World, host: &str, args: &[String]) -> Reply {
    let Some(master) = nim_host(world, host) else {
        return Reply::fail_stderr("ls: no such host\n", 2);
    };
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut out = String::new();
    let mut err = String::new();
    for path in paths {
        if master.path_exists(path) {
            out.push_str(path);
            out.push('\n');
        } else {
            err.push_str(&format!("ls: 0653-341 The file {path} does not exist.\n"));
        }
    }
    let status = if err.is_empty() { 0 } else { 2 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Runs `du -sk PATH ...`: the kilobytes of the resources stored at or under each path.
pub fn du(world: &World, host: &str, args: &[String]) -> Reply {
    let Some(master) = nim_host(world, host) else {
        return Reply::fail_stderr("du: no such host\n", 2);
    };
    let mut out = String::new();
    let mut err = String::new();
    for path in args.iter().filter(|a| !a.starts_with('-')) {
        if !master.path_exists(path) {
            err.push_str(&format!(
                "du: {path}: A file or directory in the path name does not exist.\n"
            ));
            continue;
        }
        out.push_str(&format!("{}\t{path}\n", stored_mb(master, path) * 1024));
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Megabytes of resource files at or under `path`.
fn stored_mb(master: &NimHost, path: &str) -> u64 {
    master
        .objects
        .iter()
        .filter(|o| o.attr("location").is_some_and(|l| under(l, path)))
        .map(|o| o.resource_size_mb())
        .sum()
}

/// Runs `lsvg` (the volume groups) or `lsvg VG` (one, with its free space).
pub fn lsvg(world: &World, host: &str, args: &[String]) -> Reply {
    let Some(master) = nim_host(world, host) else {
        return Reply::fail_stderr("lsvg: no such host\n", 2);
    };
    let groups = master
        .object("master")
        .map(|m| m.volume_group_list())
        .unwrap_or_default();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => Reply::ok(
            groups
                .iter()
                .map(|g| format!("{}\n", g.name))
                .collect::<String>(),
        ),
        [name] => match groups.iter().find(|g| g.name == *name) {
            Some(group) => Reply::ok(volume_group_text(
                &group.name,
                group.size_mb,
                group.free_mb,
            )),
            None => Reply::fail_stderr(
                format!(
                    "0516-306 lsvg: Unable to find volume group {name} in the Device\n\tConfiguration Database.\n"
                ),
                1,
            ),
        },
        _ => Reply::fail_stderr("Usage: lsvg [-l] [VolumeGroup]\n", 2),
    }
}

/// `lsvg VG` text with 64 MB physical partitions.
pub fn volume_group_text(name: &str, size_mb: u64, free_mb: u64) -> String {
    let pp = 64u64;
    let total = size_mb / pp;
    let free = free_mb.min(size_mb) / pp;
    let used = total - free;
    format!(
        "VOLUME GROUP:       {name:<24} VG IDENTIFIER:  00f6607600004c000000012f5e2b6b1a
VG STATE:           active                   PP SIZE:        {pp} megabyte(s)
VG PERMISSION:      read/write               TOTAL PPs:      {total} ({} megabytes)
MAX LVs:            256                      FREE PPs:       {free} ({} megabytes)
LVs:                12                       USED PPs:       {used} ({} megabytes)
OPEN LVs:           11                       QUORUM:         2 (Enabled)
TOTAL PVs:          1                        VG DESCRIPTORS: 2
STALE PVs:          0                        STALE PPs:      0
ACTIVE PVs:         1                        AUTO ON:        yes
",
        total * pp,
        free * pp,
        used * pp
    )
}

/// Runs `lslpp -L[c] [FILESET ...]` on the master.
pub fn lslpp(world: &World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("lslpp", args, "Lcl", "") {
        Ok(opts) => opts,
        Err(message) => return Reply::fail_stderr(format!("{message}\n"), 2),
    };
    let Some(master) = nim_host(world, host) else {
        return Reply::fail_stderr("lslpp: no such host\n", 2);
    };
    let Some(me) = master.object("master") else {
        return Reply::fail_stderr("lslpp: no such host\n", 2);
    };
    let wanted: Vec<(&str, &str)> = if opts.operands.is_empty() {
        MASTER_FILESETS.to_vec()
    } else {
        MASTER_FILESETS
            .iter()
            .filter(|(name, _)| opts.operands.iter().any(|o| o == name))
            .copied()
            .collect()
    };
    let mut out = lslpp_lines(master.oslevel(), me, &wanted);
    let mut err = String::new();
    for name in &opts.operands {
        let known = MASTER_FILESETS.iter().any(|(f, _)| f == name);
        if !known || !me.has_fileset(name) {
            err.push_str(&format!("lslpp: 0504-132  Fileset {name} not installed.\n"));
        }
    }
    if out.lines().count() == 1 {
        out.clear();
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Runs `sleep SECONDS`: simulated time passes.
pub fn sleep(args: &[String]) -> Reply {
    match args.first().map(|a| a.parse::<u64>()) {
        Some(Ok(secs)) if args.len() == 1 => {
            Reply::silent().ending_after(Duration::from_secs(secs))
        }
        _ => Reply::fail_stderr("Usage: sleep Seconds\n", 2),
    }
}
