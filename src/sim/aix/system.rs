//! The global environment's system commands the WPAR procedures use: `oslevel`,
//! `uname`, `mount` (list), `umount` (frees a leftover mount, docs/procedures.md,
//! "WPAR recovery", step 3), `lsfs`, `df -m` and `lsvg rootvg` (free space: `FREE PPs` is
//! the host's `free_mb`).

use super::layout::{mounts, version_of};
use super::maint::base_level;
use super::{fail, getopt::getopt, host, host_mut, usage};
use crate::estate::WparState;
use crate::sim::estate::aix::SHARED_DIR;
use crate::sim::estate::AixHost;
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The date every simulated mount shows.
const MOUNT_DATE: &str = "Apr 18 05:12";

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

/// The lines of `mount`: the global's file systems, the shared NFS directory, the file
/// systems of WPARs that are (or are stuck) mounted, and leftover mounts.
pub fn mount_table(host: &AixHost) -> String {
    let mut out = String::from(
        "  node       mounted        mounted over    vfs       date        options\n-------- ---------------  ---------------  ------ ------------ ---------------\n",
    );
    let mut row = |node: &str, mounted: &str, over: &str, vfs: &str, options: &str| {
        out.push_str(
            format!("{node:<8} {mounted:<16} {over:<16} {vfs:<6} {MOUNT_DATE} {options}")
                .trim_end(),
        );
        out.push('\n');
    };
    for (device, over) in [
        ("/dev/hd4", "/"),
        ("/dev/hd2", "/usr"),
        ("/dev/hd9var", "/var"),
        ("/dev/hd3", "/tmp"),
        ("/dev/hd1", "/home"),
        ("/dev/hd11admin", "/admin"),
    ] {
        row("", device, over, "jfs2", "rw,log=/dev/hd8");
    }
    row("", "/proc", "/proc", "procfs", "rw");
    row("", "/dev/hd10opt", "/opt", "jfs2", "rw,log=/dev/hd8");
    row("nfs01", SHARED_DIR, SHARED_DIR, "nfs3", "rw,bg,hard,intr");
    for wpar in &host.wpars {
        let mounted = matches!(
            wpar.state,
            WparState::Active | WparState::Broken | WparState::Moving
        ) || (wpar.state == WparState::Transitional && !wpar.busy);
        if mounted {
            for mount in mounts(wpar) {
                let options = match mount.vfs {
                    "namefs" => mount.options,
                    _ => "rw,log=INLINE",
                };
                row("", &mount.device, &mount.mount_point, mount.vfs, options);
            }
        }
        if let Some(leftover) = &wpar.leftover_mount {
            row("", "/dev/swlv", leftover, "jfs2", "rw,log=/dev/hd8");
        }
    }
    out
}

/// Runs `mount`: with no operand, the table of mounted file systems.
pub fn mount(world: &mut World, name: &str, args: &[String]) -> Reply {
    let Some(host) = host(world, name) else {
        return fail(["mount: no such host".to_string()]);
    };
    if args.is_empty() {
        return Reply::ok(mount_table(host));
    }
    let what = args.last().map(String::as_str).unwrap_or("");
    fail([format!(
        "mount: 0506-324 Cannot mount {what}: A file or directory in the path name does not exist."
    )])
}

/// Runs `umount [-f] DIR`: removes a leftover global mount under a WPAR; WPAR file
/// systems of a running WPAR are busy.
pub fn umount(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("umount", args, "fa", "t") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), "Usage: umount [-f] [-a | all | allr | Device | Directory | File | Node | -n Node | -t Type]"),
    };
    let [target] = opts.operands.as_slice() else {
        return usage(None, "Usage: umount [-f] [-a | all | allr | Device | Directory | File | Node | -n Node | -t Type]");
    };
    let target = super::files::normalize(target);
    let Some(host) = host_mut(world, name) else {
        return fail(["umount: no such host".to_string()]);
    };
    for wpar in host.wpars.iter_mut() {
        if wpar.leftover_mount.as_deref() == Some(target.as_str()) {
            wpar.leftover_mount = None;
            return Reply::silent();
        }
    }
    for wpar in &host.wpars {
        if wpar.state == WparState::Active
            && mounts(wpar)
                .iter()
                .any(|m| m.mount_point == target || m.device == target)
        {
            return fail([format!(
                "umount: 0506-349 Cannot unmount {target}: The requested resource is busy."
            )]);
        }
    }
    fail(["umount: Could not find anything to unmount".to_string()])
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

/// Runs `df -m` (or `df -g`, `df -k`): the global's file systems and the shared directory.
pub fn df(world: &mut World, name: &str, args: &[String]) -> Reply {
    let Some(host) = host(world, name) else {
        return fail(["df: no such host".to_string()]);
    };
    let unit = if args.iter().any(|a| a.contains('g')) {
        ("GB blocks", 1024.0)
    } else if args.iter().any(|a| a.contains('k')) {
        ("1024-blocks", 1.0 / 1024.0)
    } else {
        ("MB blocks", 1.0)
    };
    let mut out = format!(
        "Filesystem    {:>9}      Free %Used    Iused %Iused Mounted on\n",
        unit.0
    );
    let mut row = |fs: &str, total: f64, free: f64, mount_point: &str| {
        let used = if total > 0.0 {
            ((total - free) / total * 100.0).round()
        } else {
            0.0
        };
        out.push_str(&format!(
            "{fs:<13} {:>9.2} {:>9.2} {:>4}% {:>8} {:>5}% {mount_point}\n",
            total / unit.1,
            free / unit.1,
            used,
            (total * 7.0) as u64,
            (used / 4.0).round(),
        ));
    };
    row("/dev/hd4", 512.0, 301.17, "/");
    row("/dev/hd2", 4096.0, 1024.55, "/usr");
    row("/dev/hd9var", 512.0, 380.25, "/var");
    row("/dev/hd3", 1024.0, 900.80, "/tmp");
    row("/dev/hd1", 256.0, 200.10, "/home");
    row("/dev/hd11admin", 128.0, 127.60, "/admin");
    row("/proc", 0.0, 0.0, "/proc");
    row("/dev/hd10opt", 512.0, 215.40, "/opt");
    row("nfs01:/export/wpars", 512_000.0, 301_000.0, SHARED_DIR);
    for wpar in &host.wpars {
        if wpar.state != WparState::Active {
            continue;
        }
        let list = mounts(wpar);
        let lvs = list
            .iter()
            .filter(|m| m.logical_volume.is_some())
            .count()
            .max(1) as f64;
        for mount in list.iter().filter(|m| m.logical_volume.is_some()) {
            let size = wpar.size_mb.max(64) as f64 / lvs;
            row(&mount.device, size, size * 0.4, &mount.mount_point);
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
                .filter(|f| !f.is_shared())
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
