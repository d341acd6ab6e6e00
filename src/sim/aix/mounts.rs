//! The global environment's mounted file systems: `mount` (list, and mounting the shared
//! NFS directory), `umount`, `df`, `chfs` (growing a WPAR file system) and `showmount -e`
//! (docs/procedures.md, "WPAR move" and "WPAR recovery").
//!
//! * The table: the global's own file systems, the shared directory [`SHARED_DIR`] from
//!   `nfs01` (unless the host's `shared_mount` is `unmounted`; `ro` when read-only), the
//!   file systems of WPARs that are (or are stuck) mounted, and leftover mounts.
//! * `umount [-f] DIR`: a leftover mount goes unless a process holds it (0506-349); the
//!   shared directory can be unmounted; `-f` is refused on local jfs2 file systems.
//! * `df [-k|-m|-g] [PATH...]`: one row per file system (or the one holding each PATH);
//!   a WPAR's full file system shows 100%.
//! * `chfs -a size=+N[M|G] DIR` grows a WPAR file system from the host's free space.

use super::layout::mounts;
use super::{fail, files, getopt::getopt, host, host_mut, msg, usage, wpar_mut};
use crate::estate::WparState;
use crate::sim::estate::aix::{SharedMount, SHARED_DIR};
use crate::sim::estate::{AixHost, SimWpar};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The date every simulated mount shows.
const MOUNT_DATE: &str = "Apr 18 05:12";

/// The NFS server behind the shared directory.
pub const NFS_SERVER: &str = "nfs01";

const UMOUNT_USAGE: &str =
    "Usage: umount [-f] [-a | all | allr | Device | Directory | File | Node | -n Node | -t Type]";

/// One row of the mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountRow {
    /// The NFS server of a remote mount; empty for local ones.
    pub node: String,
    /// Device, or the remote directory.
    pub mounted: String,
    /// Where it is mounted.
    pub over: String,
    /// `jfs2`, `nfs3`, `namefs`, `procfs`.
    pub vfs: &'static str,
    /// The options column.
    pub options: String,
    /// The WPAR the file system belongs to, and its path inside it.
    pub wpar: Option<(String, String)>,
}

/// True when the WPAR's file systems are mounted in the global.
pub fn is_mounted(wpar: &SimWpar) -> bool {
    matches!(
        wpar.state,
        WparState::Active | WparState::Broken | WparState::Moving
    ) || (wpar.state == WparState::Transitional && !wpar.busy)
}

/// Every mounted file system of the host, in `mount` order.
pub fn mount_rows(host: &AixHost) -> Vec<MountRow> {
    let local = |mounted: &str, over: &str, vfs: &'static str, options: &str| MountRow {
        node: String::new(),
        mounted: mounted.to_string(),
        over: over.to_string(),
        vfs,
        options: options.to_string(),
        wpar: None,
    };
    let mut rows = Vec::new();
    for (device, over) in [
        ("/dev/hd4", "/"),
        ("/dev/hd2", "/usr"),
        ("/dev/hd9var", "/var"),
        ("/dev/hd3", "/tmp"),
        ("/dev/hd1", "/home"),
        ("/dev/hd11admin", "/admin"),
    ] {
        rows.push(local(device, over, "jfs2", "rw,log=/dev/hd8"));
    }
    rows.push(local("/proc", "/proc", "procfs", "rw"));
    rows.push(local("/dev/hd10opt", "/opt", "jfs2", "rw,log=/dev/hd8"));
    if host.shared_mount != SharedMount::Unmounted {
        let access = if host.shared_mount == SharedMount::Ro {
            "ro"
        } else {
            "rw"
        };
        rows.push(MountRow {
            node: NFS_SERVER.to_string(),
            mounted: SHARED_DIR.to_string(),
            over: SHARED_DIR.to_string(),
            vfs: "nfs3",
            options: format!("{access},bg,hard,intr"),
            wpar: None,
        });
    }
    for wpar in &host.wpars {
        if is_mounted(wpar) {
            for mount in mounts(wpar) {
                let options = match mount.vfs {
                    "namefs" => mount.options,
                    _ => "rw,log=INLINE",
                };
                let mut row = local(&mount.device, &mount.mount_point, mount.vfs, options);
                row.wpar = Some((wpar.name.clone(), mount.inside.clone()));
                rows.push(row);
            }
        }
        if let Some(leftover) = &wpar.leftover_mount {
            rows.push(local("/dev/swlv", leftover, "jfs2", "rw,log=/dev/hd8"));
        }
    }
    rows
}

/// The mounted file system that holds `path` (the longest mount point above it).
pub fn holding_mount(host: &AixHost, path: &str) -> Option<MountRow> {
    let path = files::normalize(path);
    mount_rows(host)
        .into_iter()
        .filter(|row| {
            row.over == "/"
                || path == row.over
                || path
                    .strip_prefix(&row.over)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|row| row.over.len())
}

/// The lines of `mount`.
pub fn mount_table(host: &AixHost) -> String {
    let mut out = String::from(
        "  node       mounted        mounted over    vfs       date        options\n-------- ---------------  ---------------  ------ ------------ ---------------\n",
    );
    for row in mount_rows(host) {
        out.push_str(
            format!(
                "{:<8} {:<16} {:<16} {:<6} {MOUNT_DATE} {}",
                row.node, row.mounted, row.over, row.vfs, row.options
            )
            .trim_end(),
        );
        out.push('\n');
    }
    out
}

/// Runs `mount`: with no operand, the table; `mount [-o ro] nfs01:/export/wpars
/// /export/wpars` mounts the shared directory again.
pub fn mount(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("mount", args, "a", "ovtn") {
        Ok(opts) => opts,
        Err(message) => {
            return usage(
                Some(&message),
                "Usage: mount [-o Options] [Device | Node:Directory] Directory",
            )
        }
    };
    let Some(host) = host(world, name) else {
        return fail(["mount: no such host".to_string()]);
    };
    if args.is_empty() {
        return Reply::ok(mount_table(host));
    }
    let export = format!("{NFS_SERVER}:{SHARED_DIR}");
    match opts.operands.as_slice() {
        [device, over] if *device == export && files::normalize(over) == SHARED_DIR => {
            if host.shared_mount != SharedMount::Unmounted {
                return fail([format!(
                    "mount: 0506-324 Cannot mount {export} on {SHARED_DIR}: The requested resource is busy."
                )]);
            }
            let read_only = opts
                .value('o')
                .is_some_and(|o| o.split(',').any(|word| word == "ro"));
            if let Some(host) = host_mut(world, name) {
                host.shared_mount = if read_only {
                    SharedMount::Ro
                } else {
                    SharedMount::Rw
                };
            }
            Reply::silent()
        }
        _ => {
            let what = args.last().map(String::as_str).unwrap_or("");
            fail([format!(
                "mount: 0506-324 Cannot mount {what}: A file or directory in the path name does not exist."
            )])
        }
    }
}

/// Runs `umount [-f] DIR`.
pub fn umount(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("umount", args, "fa", "t") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), UMOUNT_USAGE),
    };
    let [target] = opts.operands.as_slice() else {
        return usage(None, UMOUNT_USAGE);
    };
    let target = files::normalize(target);
    let Some(host) = host(world, name) else {
        return fail(["umount: no such host".to_string()]);
    };
    let Some(row) = mount_rows(host)
        .into_iter()
        .find(|row| row.over == target || row.mounted == target)
    else {
        return fail(["umount: Could not find anything to unmount".to_string()]);
    };
    if opts.has('f') && !row.vfs.starts_with("nfs") {
        return fail([msg::force_local(&target)]);
    }
    let held =
        host.wpars.iter().flat_map(|w| &w.holders).any(|holder| {
            holding_mount(host, &holder.path).is_some_and(|held| held.over == row.over)
        });
    if row.over == SHARED_DIR && row.node == NFS_SERVER {
        if held {
            return fail([msg::unmount_busy(&target)]);
        }
        if let Some(host) = host_mut(world, name) {
            host.shared_mount = SharedMount::Unmounted;
        }
        return Reply::silent();
    }
    if let Some(owner) = host
        .wpars
        .iter()
        .find(|w| w.leftover_mount.as_deref() == Some(row.over.as_str()))
    {
        if held {
            return fail([msg::unmount_busy(&row.mounted)]);
        }
        let owner = owner.name.clone();
        if let Some(wpar) = wpar_mut(world, name, &owner) {
            wpar.leftover_mount = None;
        }
        return Reply::silent();
    }
    match &row.wpar {
        Some((wpar, _)) => {
            let active = host
                .wpar(wpar)
                .is_some_and(|w| w.state == WparState::Active);
            if active || held {
                fail([msg::unmount_busy(&target)])
            } else {
                fail([format!(
                    "umount: the powerdeck simulator does not unmount one file system of workload partition {wpar} by hand: stopwpar unmounts them all"
                )])
            }
        }
        None => fail([msg::unmount_busy(&target)]),
    }
}

/// One row of `df`: device, total and free MB, where it is mounted.
struct DfRow {
    filesystem: String,
    total_mb: f64,
    free_mb: f64,
    over: String,
}

fn df_rows(world: &World, host: &AixHost) -> Vec<DfRow> {
    let mut rows: Vec<DfRow> = Vec::new();
    let mut row = |filesystem: &str, total_mb: f64, free_mb: f64, over: &str| {
        rows.push(DfRow {
            filesystem: filesystem.to_string(),
            total_mb,
            free_mb,
            over: over.to_string(),
        });
    };
    row("/dev/hd4", 512.0, 301.17, "/");
    row("/dev/hd2", 4096.0, 1024.55, "/usr");
    row("/dev/hd9var", 512.0, 380.25, "/var");
    row("/dev/hd3", 1024.0, 900.80, "/tmp");
    row("/dev/hd1", 256.0, 200.10, "/home");
    row("/dev/hd11admin", 128.0, 127.60, "/admin");
    row("/proc", 0.0, 0.0, "/proc");
    row("/dev/hd10opt", 512.0, 215.40, "/opt");
    if host.shared_mount != SharedMount::Unmounted {
        let free = files::shared_free_mb(world) as f64;
        row(
            &format!("{NFS_SERVER}:{SHARED_DIR}"),
            free.max(512_000.0),
            free,
            SHARED_DIR,
        );
    }
    for wpar in host.wpars.iter().filter(|w| is_mounted(w)) {
        let list = mounts(wpar);
        let lvs = list
            .iter()
            .filter(|m| m.logical_volume.is_some())
            .count()
            .max(1) as f64;
        for mount in list.iter().filter(|m| m.logical_volume.is_some()) {
            let size = wpar.size_mb.max(64) as f64 / lvs;
            let full = wpar.full_fs.as_deref() == Some(mount.inside.as_str());
            let free = if full { 0.0 } else { size * 0.4 };
            row(&mount.device, size, free, &mount.mount_point);
        }
    }
    rows
}

/// Runs `df [-k | -m | -g] [PATH...]`.
pub fn df(world: &mut World, name: &str, args: &[String]) -> Reply {
    let opts = match getopt("df", args, "kmgPIiMstv", "") {
        Ok(opts) => opts,
        Err(message) => {
            return usage(
                Some(&message),
                "Usage: df [-P] [-IMitv] [-k|-m|-g] [FileSystem ...|File ...]",
            )
        }
    };
    let Some(host) = host(world, name) else {
        return fail(["df: no such host".to_string()]);
    };
    let (unit, per_mb, whole) = if opts.has('g') {
        ("GB blocks", 1.0 / 1024.0, false)
    } else if opts.has('k') {
        ("1024-blocks", 1024.0, true)
    } else {
        ("MB blocks", 1.0, false)
    };
    let all = df_rows(world, host);
    let mut chosen: Vec<&DfRow> = Vec::new();
    let mut err = String::new();
    if opts.operands.is_empty() {
        chosen.extend(all.iter());
    } else {
        for operand in &opts.operands {
            let path = files::normalize(operand);
            let holding = holding_mount(host, &path).map(|row| row.over);
            match all.iter().find(|row| Some(&row.over) == holding.as_ref()) {
                Some(row) => chosen.push(row),
                None => err.push_str(&format!("df: {operand}: {}\n", msg::NO_SUCH_FILE)),
            }
        }
    }
    let mut out = format!("Filesystem    {unit:>11}      Free %Used    Iused %Iused Mounted on\n");
    for row in chosen {
        let used = if row.total_mb > 0.0 {
            ((row.total_mb - row.free_mb) / row.total_mb * 100.0).round()
        } else {
            0.0
        };
        let (total, free) = if whole {
            (
                format!("{}", (row.total_mb * per_mb).round() as u64),
                format!("{}", (row.free_mb * per_mb).round() as u64),
            )
        } else {
            (
                format!("{:.2}", row.total_mb * per_mb),
                format!("{:.2}", row.free_mb * per_mb),
            )
        };
        let (used, iused, iused_pct) = if row.over == "/proc" {
            ("-".to_string(), "-".to_string(), "-".to_string())
        } else {
            (
                format!("{used}%"),
                ((row.total_mb * 7.0) as u64).to_string(),
                format!("{}%", (used / 4.0).round()),
            )
        };
        out.push_str(&format!(
            "{:<13} {total:>11} {free:>9} {used:>5} {iused:>8} {iused_pct:>6} {}\n",
            row.filesystem, row.over
        ));
    }
    let status = if err.is_empty() { 0 } else { 1 };
    Reply::ok(out).stderr(err).with_status(status)
}

/// Runs `chfs -a size=+N[M|G] DIR` (or `size=N` 512-byte blocks) on a WPAR file system.
pub fn chfs(world: &mut World, name: &str, args: &[String]) -> Reply {
    const USAGE: &str = "Usage: chfs [-n NodeName] [-m NewMountPoint] [-u MountGroup] [-A {yes|no}] [-t {yes|no}] [-p {ro|rw}] [-a Attribute=Value] FileSystem";
    let opts = match getopt("chfs", args, "", "anmuAtpdR") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), USAGE),
    };
    let ([target], Some(size)) = (
        opts.operands.as_slice(),
        opts.values('a')
            .into_iter()
            .find_map(|a| a.strip_prefix("size=")),
    ) else {
        return usage(None, USAGE);
    };
    let target = files::normalize(target);
    let Some(host) = host(world, name) else {
        return fail(["chfs: no such host".to_string()]);
    };
    let found = host.wpars.iter().find_map(|wpar| {
        mounts(wpar)
            .into_iter()
            .find(|m| m.logical_volume.is_some() && (m.mount_point == target || m.device == target))
            .map(|m| {
                (
                    wpar.name.clone(),
                    m.inside,
                    mounts(wpar)
                        .iter()
                        .filter(|m| m.logical_volume.is_some())
                        .count()
                        .max(1) as u64,
                )
            })
    });
    let Some((wpar_name, inside, lvs)) = found else {
        return fail([format!(
            "chfs: the powerdeck simulator grows only the file systems of WPARs; {target} is not one"
        )]);
    };
    let Some(wpar) = host.wpar(&wpar_name) else {
        return fail(["chfs: no such WPAR".to_string()]);
    };
    let current_mb = wpar.size_mb.max(64) / lvs;
    let (relative, number) = match size.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, size),
    };
    let parsed = if let Some(mb) = number.strip_suffix('M') {
        mb.parse::<u64>().ok()
    } else if let Some(gb) = number.strip_suffix('G') {
        gb.parse::<u64>().ok().map(|gb| gb.saturating_mul(1024))
    } else {
        number.parse::<u64>().ok().map(|blocks| blocks / 2048)
    };
    let Some(amount) = parsed else {
        return fail([format!("chfs: {size} is not a valid size.")]);
    };
    let grow = if relative {
        amount
    } else {
        amount.saturating_sub(current_mb)
    };
    if grow == 0 {
        return fail([format!(
            "chfs: The new size of {target} must be larger than the current size."
        )]);
    }
    if grow > host.free_mb {
        let mut lines = msg::no_space_lines();
        lines.pop();
        lines.push("0516-788 extendlv: Unable to extend logical volume.".to_string());
        return fail(lines);
    }
    let new_blocks = current_mb.saturating_add(grow).saturating_mul(2048);
    if let Some(host) = host_mut(world, name) {
        host.free_mb -= grow;
        if let Some(wpar) = host.wpar_mut(&wpar_name) {
            wpar.size_mb = wpar.size_mb.saturating_add(grow);
            if wpar.full_fs.as_deref() == Some(inside.as_str()) {
                wpar.full_fs = None;
            }
        }
    }
    Reply::ok(format!("Filesystem size changed to {new_blocks}\n"))
}

/// Runs `showmount -e HOST`: the exports of the estate's NFS server.
pub fn showmount(_world: &mut World, _name: &str, args: &[String]) -> Reply {
    let opts = match getopt("showmount", args, "ade", "") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), "Usage: showmount [-a | -d | -e] [Host]"),
    };
    match opts.operands.as_slice() {
        [server] if opts.has('e') && server == NFS_SERVER => Reply::ok(format!(
            "export list for {NFS_SERVER}:\n{SHARED_DIR} (everyone)\n"
        )),
        [server] if opts.has('e') => fail([format!(
            "showmount: {server}: RPC: 1832-019 Program not registered"
        )]),
        _ => usage(None, "Usage: showmount [-a | -d | -e] [Host]"),
    }
}
