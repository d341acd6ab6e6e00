//! The global environment's system commands the WPAR procedures use: `oslevel`,
//! `uname`, `lsfs` and `lsvg rootvg` (free space: `FREE PPs` is the host's `free_mb`).
//! Mounts, `df` and `chfs` are in [`super::mounts`].

use super::layout::{mounts, version_of};
use super::maint::base_level;
use super::{fail, getopt::getopt, host, usage};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// Runs `oslevel [-s | -r]`.
pub fn oslevel(world: &mut World, name: &str, args: &[String]) -> Reply {
    let Some(host) = host(world, name) else {
        return fail(["oslevel: no such host".to_string()]);
    };
    let level = &host.oslevel;
    match args.first().map(String::as_str) {
        None => Reply::ok(format!("{}\n", base_level(level))),
        Some("-s") => Reply::ok(format!("{level}\n")),
        Some("-r") => Reply::ok(format!("{}\n", level.get(..7).unwrap_or(level))),
        Some(_) => usage(
            None,
            "Usage: oslevel [-l Level | -g Level | -q] [-r | -s | -s -l Level]",
        ),
    }
}

/// Runs `uname [-W | -a | -n | -v | -r | -s]`.
pub fn uname(world: &mut World, name: &str, args: &[String]) -> Reply {
    let Some(host) = host(world, name) else {
        return fail(["uname: no such host".to_string()]);
    };
    let (v, r) = version_of(&host.oslevel).unwrap_or((7, 1));
    let id = format!(
        "00F6{:08X}",
        crate::sim::estate::aix::fnv(name.as_bytes()) & 0xffff_ffff
    );
    let text = match args.first().map(String::as_str) {
        None | Some("-s") => "AIX".to_string(),
        Some("-W") => "0".to_string(),
        Some("-n") => name.to_string(),
        Some("-v") => v.to_string(),
        Some("-r") => r.to_string(),
        Some("-a") => format!("AIX {name} {r} {v} {id}00"),
        Some(_) => return usage(None, "Usage: uname [-snlrvmapfFMWxSu]"),
    };
    Reply::ok(format!("{text}\n"))
}

/// Runs `lsfs [-u mountgroup]`: the WPARs' file systems in the global rootvg.
pub fn lsfs(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("lsfs", args, "cql", "uv") {
        Ok(opts) => opts,
        Err(message) => {
            return usage(
                Some(&message),
                "Usage: lsfs [-q] [-c | -l] [-a | -v VfsType | -u MountGroup | FileSystem...]",
            )
        }
    };
    let Some(host) = host(world, name) else {
        return fail(["lsfs: no such host".to_string()]);
    };
    let group = opts.value('u');
    let mut out = String::from(
        "Name            Nodename   Mount Pt               VFS   Size    Options    Auto Accounting\n",
    );
    let mut rows = 0;
    if group.is_none() {
        for (device, mount_point, size) in [
            ("/dev/hd4", "/", 1_048_576),
            ("/dev/hd1", "/home", 524_288),
            ("/dev/hd2", "/usr", 8_388_608),
            ("/dev/hd9var", "/var", 1_048_576),
            ("/dev/hd3", "/tmp", 2_097_152),
            ("/dev/hd11admin", "/admin", 262_144),
            ("/dev/hd10opt", "/opt", 1_048_576),
        ] {
            out.push_str(&format!(
                "{device:<15} --         {mount_point:<22} jfs2  {size:<7} rw         yes  no\n"
            ));
            rows += 1;
        }
    }
    for wpar in &host.wpars {
        if group.is_some_and(|g| g != wpar.name) {
            continue;
        }
        let list = mounts(wpar);
        let lvs = list
            .iter()
            .filter(|m| m.logical_volume.is_some())
            .count()
            .max(1) as u64;
        let blocks = (wpar.size_mb.max(64) / lvs) * 2048;
        for mount in list.iter().filter(|m| m.logical_volume.is_some()) {
            out.push_str(&format!(
                "{:<15} --         {:<22} jfs2  {:<7} rw         no   no\n",
                mount.device, mount.mount_point, blocks
            ));
            rows += 1;
        }
    }
    if rows == 0 {
        if let Some(group) = group {
            return fail([format!(
                "lsfs: No record matching '{group}' was found in /etc/filesystems."
            )]);
        }
    }
    Reply::ok(out)
}

/// Runs `lsvg rootvg`: `FREE PPs` is the host's free space (`free_mb`).
pub fn lsvg(world: &mut World, name: &str, args: &[String]) -> Reply {
    let Some(host) = host(world, name) else {
        return fail(["lsvg: no such host".to_string()]);
    };
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => Reply::ok("rootvg\n"),
        ["rootvg"] => {
            let pp = 64u64;
            let free = host.free_mb / pp;
            let local = host
                .files
                .iter()
                .filter(|f| !host.on_shared(&f.path))
                .fold(0u64, |sum, f| sum.saturating_add(f.size_mb));
            let wpars = host
                .wpars
                .iter()
                .fold(0u64, |sum, w| sum.saturating_add(w.global_mb()));
            let used = 20_480u64.saturating_add(local).saturating_add(wpars) / pp;
            let total = free.saturating_add(used);
            let lvs = host
                .wpars
                .iter()
                .fold(12u32, |sum, w| sum.saturating_add(w.logical_volume_count()));
            Reply::ok(format!(
                "VOLUME GROUP:       rootvg                   VG IDENTIFIER:  00f6607600004c000000012f5e2b6b1a
VG STATE:           active                   PP SIZE:        {pp} megabyte(s)
VG PERMISSION:      read/write               TOTAL PPs:      {total} ({} megabytes)
MAX LVs:            256                      FREE PPs:       {free} ({} megabytes)
LVs:                {lvs:<24} USED PPs:       {used} ({} megabytes)
OPEN LVs:           {lvs:<24} QUORUM:         2 (Enabled)
TOTAL PVs:          2                        VG DESCRIPTORS: 3
STALE PVs:          0                        STALE PPs:      0
ACTIVE PVs:         2                        AUTO ON:        yes
MAX PPs per VG:     32512
MAX PPs per PV:     1016                     MAX PVs:        32
LTG size (Dynamic): 256 kilobyte(s)          AUTO SYNC:      no
HOT SPARE:          no                       BB POLICY:      relocatable
",
                total.saturating_mul(pp),
                free.saturating_mul(pp),
                used.saturating_mul(pp)
            ))
        }
        [vg, ..] => fail([format!(
            "0516-306 lsvg: Unable to find volume group {vg} in the Device\n\tConfiguration Database."
        )]),
    }
}
