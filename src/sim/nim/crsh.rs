//! `/usr/lpp/bos.sysmgt/nim/methods/c_rsh CLIENT COMMAND...`: the remote execution the
//! nimadm pre-flight uses (docs/procedures.md, "nimadm pre-flight"). The simulated client
//! answers the commands the pre-flight needs:
//!
//! * `hostname`, `oslevel [-s|-r]`, `lssrc -s nimsh`, `cat /etc/niminfo` (its master as
//!   the client's `current_master` says);
//! * `ls [-d] /bos_inst`, `rm -r /bos_inst`, `mount`, `lsvg -l rootvg`, `lsvg rootvg`,
//!   `lspv`, `bootinfo -s hdiskN`, `multibos -R`.
//!
//! `/bos_inst` is the client's simulator-only `bos_inst_dir` (the leftover of
//! docs/formats.md, "NIM: nimadm"); its `multibos` field says whether a standby instance
//! stands behind it: its `bos_*` logical volumes in rootvg, mounted under `/bos_inst`
//! (the standby shell), or booted (the `bos_*` volumes are the open ones, `hd*`
//! closed). `rm -r` of a mounted standby fails busy; `multibos -R` removes a standby
//! that is neither mounted nor booted and, as docs/formats.md, "NIM: nimadm", warns,
//! leaves `/bos_inst` behind. The wording of the `multibos`, `rm`
//! (busy) and `bootinfo` errors is the simulator's own.
//!
//! As with the real c_rsh the remote exit status is not passed back: c_rsh exits 0 once
//! it reached the client. A client that is not running gives `timedout` on stderr and
//! exit 1.

use super::ops::{client_level, machine_hostname};
use super::system::volume_group_text;
use super::{failure, msg, nim_host, nim_host_mut};
use crate::sim::aix::maint::base_level;
use crate::sim::estate::nim::Multibos;
use crate::sim::estate::{NimHost, SimNimObject};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The date every simulated mount shows.
const MOUNT_DATE: &str = "Apr 18 05:12";

/// Runs `c_rsh`.
pub fn run(world: &mut World, host: &str, args: &[String]) -> Reply {
    let Some((client, command)) = args.split_first() else {
        return Reply::fail_stderr("usage: c_rsh host command\n", 1);
    };
    // A quoted command line arrives as one word.
    let words: Vec<String> = command
        .iter()
        .flat_map(|word| {
            word.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let Some(master) = nim_host(world, host) else {
        return failure(msg::no_object("c_rsh", client));
    };
    let Some(object) = master
        .objects
        .iter()
        .find(|o| o.is_machine() && (&o.name == client || machine_hostname(o) == *client))
        .cloned()
    else {
        return Reply::fail_stderr(format!("c_rsh: {client}: unknown host\n"), 1);
    };
    if object
        .attr("Mstate")
        .is_some_and(|m| m != "currently running")
    {
        return Reply::fail_stderr(format!("{client}: timedout\n"), 1);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let level = client_level(world, &object);
    let (out, err) = match words.as_slice() {
        [] => (String::new(), "usage: c_rsh host command\n".to_string()),
        ["hostname"] => (format!("{}\n", machine_hostname(&object)), String::new()),
        ["oslevel", "-s"] => (format!("{level}\n"), String::new()),
        ["oslevel", "-r"] => (format!("{}\n", level.get(..7).unwrap_or(&level)), String::new()),
        ["oslevel"] => (format!("{}\n", base_level(&level)), String::new()),
        ["lssrc", "-s", "nimsh"] => (
            format!(
                "Subsystem         Group            PID          Status \n nimsh            nimclient        {:<12} active\n",
                crate::sim::aix::layout::pid(&object.name, 0)
            ),
            String::new(),
        ),
        ["cat", "/etc/niminfo"] => (niminfo(master, &object), String::new()),
        ["mount"] => (mount_table(&object), String::new()),
        ["lsvg", "-l", "rootvg"] => (logical_volumes(&object), String::new()),
        ["lsvg", "rootvg"] => {
            let size: u64 = object
                .disk_list()
                .iter()
                .filter(|d| d.vg.as_deref() == Some("rootvg"))
                .map(|d| d.size_mb)
                .sum();
            (
                volume_group_text("rootvg", size, size.saturating_sub(object.rootvg_used())),
                String::new(),
            )
        }
        ["lspv"] => (physical_volumes(&object), String::new()),
        ["bootinfo", "-s", disk] => match object.disk_list().iter().find(|d| d.name == *disk) {
            Some(found) => (format!("{}\n", found.size_mb), String::new()),
            None => (String::new(), format!("bootinfo: {disk}: no such disk\n")),
        },
        ["ls", rest @ ..] if rest.last() == Some(&"/bos_inst") => {
            if bos_inst_exists(&object) {
                if rest.iter().any(|w| w.starts_with('-') && w.contains('d')) {
                    ("/bos_inst\n".to_string(), String::new())
                } else {
                    ("opt\nusr\nvar\n".to_string(), String::new())
                }
            } else {
                (
                    String::new(),
                    "ls: 0653-341 The file /bos_inst does not exist.\n".to_string(),
                )
            }
        }
        ["rm", rest @ ..] if rest.last() == Some(&"/bos_inst") => remove_bos_inst(world, host, &object, rest),
        ["multibos", "-R"] => remove_standby(world, host, &object),
        [program, ..] => (String::new(), format!("ksh: {program}:  not found.\n")),
    };
    Reply::ok(out).stderr(err)
}

/// True when the client has a `/bos_inst` directory.
fn bos_inst_exists(object: &SimNimObject) -> bool {
    object.bos_inst_dir || object.multibos == Multibos::Mounted
}

/// Changes the client `name` of master `host`.
fn change_client(
    world: &mut World,
    host: &str,
    name: &str,
    change: impl FnOnce(&mut SimNimObject),
) {
    if let Some(o) = nim_host_mut(world, host).and_then(|h| h.object_mut(name)) {
        change(o);
    }
}

fn remove_bos_inst(
    world: &mut World,
    host: &str,
    object: &SimNimObject,
    rest: &[&str],
) -> (String, String) {
    let recursive = rest
        .iter()
        .any(|w| w.starts_with('-') && (w.contains('r') || w.contains('R')));
    let force = rest.iter().any(|w| w.starts_with('-') && w.contains('f'));
    if !bos_inst_exists(object) {
        return if force {
            (String::new(), String::new())
        } else {
            (
                String::new(),
                "rm: /bos_inst: A file or directory in the path name does not exist.\n".to_string(),
            )
        };
    }
    if !recursive {
        return (
            String::new(),
            "rm: 0653-603 Cannot remove directory /bos_inst.\n".to_string(),
        );
    }
    if object.multibos == Multibos::Mounted {
        return (
            String::new(),
            "rm: /bos_inst/usr: The requested resource is busy.\nrm: /bos_inst/var: The requested resource is busy.\nrm: /bos_inst: The requested resource is busy.\n"
                .to_string(),
        );
    }
    change_client(world, host, &object.name, |o| o.bos_inst_dir = false);
    (String::new(), String::new())
}

fn remove_standby(world: &mut World, host: &str, object: &SimNimObject) -> (String, String) {
    let head = "Initializing multibos methods ...\n";
    match object.multibos {
        Multibos::None => (
            format!("{head}Removing standby BOS...\nmultibos: No standby BOS was found.\nReturn Status = SUCCESS\n"),
            String::new(),
        ),
        Multibos::Standby => {
            change_client(world, host, &object.name, |o| {
                o.multibos = Multibos::None;
                o.bos_inst_dir = true;
            });
            (
                format!("{head}Removing standby BOS...\nRemoving logical volumes bos_hd5 bos_hd4 bos_hd2 bos_hd9var bos_hd10opt\nReturn Status = SUCCESS\n"),
                String::new(),
            )
        }
        Multibos::Mounted => (
            format!("{head}Return Status = FAILURE\n"),
            "multibos: the standby BOS file systems are mounted under /bos_inst: unmount them first (multibos -u).\n".to_string(),
        ),
        Multibos::Booted => (
            format!("{head}Return Status = FAILURE\n"),
            "multibos: the standby BOS is the running instance: boot the other instance before removing it.\n".to_string(),
        ),
    }
}

/// `/etc/niminfo` of a client (docs/formats.md, "NIM: /etc/niminfo").
fn niminfo(master: &NimHost, object: &SimNimObject) -> String {
    let me = master.master_hostname().to_string();
    let current = object.attr("current_master").unwrap_or(&me).to_string();
    let mut list = vec![current.clone()];
    let others = std::iter::once(me).chain(
        master
            .objects
            .iter()
            .filter(|o| o.object_type == "alternate_master")
            .map(machine_hostname),
    );
    if object.attr("sync_required") != Some("yes") {
        for other in others {
            if !list.contains(&other) {
                list.push(other);
            }
        }
    }
    let shell = match object.attr("connect") {
        Some("shell") => "shell",
        _ => "nimsh",
    };
    format!(
        "#------------------ Network Install Manager ---------------\n# warning - this file contains NIM configuration information\n#       and should only be updated by NIM\nexport NIM_NAME={}\nexport NIM_HOSTNAME={}\nexport NIM_CONFIGURATION=standalone\nexport NIM_MASTER_HOSTNAME={current}\nexport NIM_MASTER_PORT=1058\nexport NIM_REGISTRATION_PORT=1059\nexport NIM_SHELL=\"{shell}\"\nexport NIM_MASTER_HOSTNAME_LIST=\"{}\"\n",
        object.name,
        machine_hostname(object),
        list.join(" ")
    )
}

/// The client's `mount` table: rootvg, and the standby instance's file systems when
/// they are mounted or booted.
fn mount_table(object: &SimNimObject) -> String {
    let mut out = String::from(
        "  node       mounted        mounted over    vfs       date        options\n-------- ---------------  ---------------  ------ ------------ ---------------\n",
    );
    let mut row = |mounted: &str, over: &str, vfs: &str, options: &str| {
        out.push_str(
            format!(
                "{:<8} {mounted:<16} {over:<16} {vfs:<6} {MOUNT_DATE} {options}",
                ""
            )
            .trim_end(),
        );
        out.push('\n');
    };
    let booted = object.multibos == Multibos::Booted;
    let bos = |lv: &str| {
        if booted {
            format!("/dev/bos_{lv}")
        } else {
            format!("/dev/{lv}")
        }
    };
    row(&bos("hd4"), "/", "jfs2", "rw,log=/dev/hd8");
    row(&bos("hd2"), "/usr", "jfs2", "rw,log=/dev/hd8");
    row(&bos("hd9var"), "/var", "jfs2", "rw,log=/dev/hd8");
    row("/dev/hd3", "/tmp", "jfs2", "rw,log=/dev/hd8");
    row("/dev/hd1", "/home", "jfs2", "rw,log=/dev/hd8");
    row("/dev/hd11admin", "/admin", "jfs2", "rw,log=/dev/hd8");
    row("/proc", "/proc", "procfs", "rw");
    row(&bos("hd10opt"), "/opt", "jfs2", "rw,log=/dev/hd8");
    if object.multibos == Multibos::Mounted {
        for (lv, over) in [
            ("bos_hd4", "/bos_inst"),
            ("bos_hd2", "/bos_inst/usr"),
            ("bos_hd9var", "/bos_inst/var"),
            ("bos_hd10opt", "/bos_inst/opt"),
        ] {
            row(&format!("/dev/{lv}"), over, "jfs2", "rw,log=/dev/hd8");
        }
    }
    out
}

/// `lsvg -l rootvg` of the client: the legacy `hd*` volumes and a standby's `bos_*`.
fn logical_volumes(object: &SimNimObject) -> String {
    let mut out = String::from(
        "rootvg:\nLV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT\n",
    );
    let mut row = |name: &str, kind: &str, lps: u32, open: bool, mount: &str| {
        let state = if open { "open/syncd" } else { "closed/syncd" };
        out.push_str(&format!(
            "{name:<19} {kind:<10} {lps:<7} {lps:<7} 1    {state:<13} {mount}\n"
        ));
    };
    let standby = object.multibos;
    let booted = standby == Multibos::Booted;
    let instance = [
        ("hd4", 4, "/"),
        ("hd2", 40, "/usr"),
        ("hd9var", 8, "/var"),
        ("hd10opt", 4, "/opt"),
    ];
    row("hd5", "boot", 1, false, "N/A");
    row("hd6", "paging", 8, true, "N/A");
    row("hd8", "jfs2log", 1, true, "N/A");
    for (lv, lps, mount) in instance {
        let at = if booted {
            format!("/bos_inst{}", mount.trim_end_matches('/'))
        } else {
            mount.to_string()
        };
        row(lv, "jfs2", lps, !booted, &at);
    }
    row("hd3", "jfs2", 4, true, "/tmp");
    row("hd1", "jfs2", 1, true, "/home");
    row("hd11admin", "jfs2", 1, true, "/admin");
    row("lg_dumplv", "sysdump", 8, true, "N/A");
    if standby != Multibos::None {
        row("bos_hd5", "boot", 1, false, "N/A");
        for (lv, lps, mount) in instance {
            let at = if booted {
                mount.to_string()
            } else {
                format!("/bos_inst{}", mount.trim_end_matches('/'))
            };
            let open = standby != Multibos::Standby;
            row(&format!("bos_{lv}"), "jfs2", lps, open, &at);
        }
    }
    out
}

/// `lspv` of the client: name, PVID, volume group (`None` when free), state.
fn physical_volumes(object: &SimNimObject) -> String {
    let mut out = String::new();
    for (index, disk) in object.disk_list().iter().enumerate() {
        let pvid = format!(
            "00f66076{:08x}",
            crate::sim::estate::aix::fnv(format!("{}/{}", object.name, disk.name).as_bytes())
                & 0xffff_ffff
        );
        let (vg, state) = match &disk.vg {
            Some(vg) => (vg.as_str(), "active"),
            None => ("None", ""),
        };
        let pvid = if disk.vg.is_some() || index == 0 {
            pvid
        } else {
            "none".to_string()
        };
        out.push_str(format!("{:<15} {pvid:<35} {vg:<15} {state}", disk.name).trim_end());
        out.push('\n');
    }
    out
}
