//! `nimadm -c CLIENT -l LPP_SOURCE -s SPOT -d DISK [-j VG] -Y` (docs/formats.md, "NIM:
//! nimadm"): an alternate disk migration driven from the master, twelve phases of ten
//! simulated minutes each.
//!
//! Before phase 1 it refuses what the pre-flight of docs/procedures.md, "nimadm
//! pre-flight", checks: a client that is not defined, not controlled by this master, not
//! ready or not answering; a missing SPOT or lpp_source; `bos.alt_disk_install.rte`
//! missing on the master or in the SPOT, or at another level; a target disk that holds a
//! volume group (`0505-126`) or is too small; a cache volume group (`-j`) that does not
//! exist or has no room. A client with `/bos_inst` (a leftover or a standby instance)
//! fails in phase 11 as docs/formats.md, "NIM: nimadm", shows (`0505-218`, then
//! `0505-187`, the cleanup and the boot list reset); otherwise the target disk ends as
//! `altinst_rootvg`. `nimadm -C -c CLIENT -s SPOT` cleans up and succeeds. Texts other
//! than `0505-126`, `0505-158`, `0505-187`, `0505-218` and the phase banners are the
//! simulator's own.

use super::filesets::resource_level;
use super::ops::{controlled, machine_hostname, READY};
use super::{failure, msg, nim_host, nim_host_mut, NimError};
use crate::sim::aix::getopt::getopt;
use crate::sim::aix::layout::libc_level;
use crate::sim::aix::Script;
use crate::sim::estate::nim::Multibos;
use crate::sim::estate::SimNimObject;
use crate::sim::reply::Reply;
use crate::sim::world::World;

const USAGE: &str =
    "Usage: nimadm -l lpp_source -c NIMClient -s SPOT -d TargetDisks [-j VGname] [-Y] ...
       nimadm -C -c NIMClient -s SPOT";

/// Simulated seconds each phase takes.
const PHASE_SECS: f64 = 600.0;

const ALT_DISK: &str = "bos.alt_disk_install.rte";

/// What a run needs, once checked.
struct Run {
    client: SimNimObject,
    disk: String,
    release: String,
}

/// Runs `nimadm`.
pub fn run(world: &mut World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("nimadm", args, "YFDEVBrCWSM", "lcsdajbzeimoPTON") {
        Ok(opts) => opts,
        Err(message) => return Reply::fail_stderr(format!("{message}\n{USAGE}\n"), 2),
    };
    let (Some(client), Some(spot)) = (opts.value('c'), opts.value('s')) else {
        return Reply::fail_stderr(format!("{USAGE}\n"), 2);
    };
    if opts.has('C') {
        let mut script = Script::new();
        script.wait(30.0);
        script.out("Cleaning up alt_disk_migration on the NIM master.");
        script.out(format!(
            "Cleaning up alt_disk_migration on client {client}."
        ));
        return script.finish(0);
    }
    let (Some(lpp), Some(disk)) = (opts.value('l'), opts.value('d')) else {
        return Reply::fail_stderr(format!("{USAGE}\n"), 2);
    };
    if !opts.has('Y') {
        return Reply::fail_stderr(
            "0505-204 nimadm: The software license agreements must be accepted (-Y).\n",
            1,
        );
    }
    match check(world, host, client, spot, lpp, disk, opts.value('j')) {
        Ok(run) => migrate(world, host, run),
        Err(error) => failure(error),
    }
}

fn error(code: u32, line: String) -> NimError {
    NimError::new(code, vec![line])
}

fn check(
    world: &World,
    host: &str,
    client: &str,
    spot: &str,
    lpp: &str,
    disk: &str,
    cache: Option<&str>,
) -> Result<Run, NimError> {
    let master = nim_host(world, host).ok_or_else(|| msg::no_object("nimadm", client))?;
    let machine = master
        .object(client)
        .filter(|o| o.is_client())
        .cloned()
        .ok_or_else(|| msg::no_object("nimadm", client))?;
    controlled(world, host, client, "alt_disk_mig")?;
    if let Some(cstate) = machine.attr("Cstate").filter(|c| *c != READY) {
        return Err(msg::busy("m_alt_disk_mig", client, cstate));
    }
    let resource = |name: &str, kind: &str| {
        master
            .object(name)
            .filter(|o| o.object_type == kind)
            .cloned()
            .ok_or_else(|| msg::no_object("nimadm", name))
    };
    let spot = resource(spot, "spot")?;
    let lpp = resource(lpp, "lpp_source")?;
    let me = master
        .object("master")
        .cloned()
        .ok_or_else(|| msg::no_object("nimadm", "master"))?;
    let master_level = libc_level(master.oslevel());
    if !me.has_fileset(ALT_DISK) {
        return Err(error(
            205,
            format!("0505-205 nimadm: {ALT_DISK} is not installed on the NIM master."),
        ));
    }
    let spot_level = libc_level(&resource_level(&spot));
    if !spot.has_fileset(ALT_DISK) || spot_level != master_level {
        return Err(error(
            206,
            format!(
                "0505-206 nimadm: The level of {ALT_DISK} in SPOT {} ({}) does not match the level on the NIM master ({master_level}); run nimadm -M.",
                spot.name,
                if spot.has_fileset(ALT_DISK) { spot_level.as_str() } else { "not installed" }
            ),
        ));
    }
    if machine
        .attr("Mstate")
        .is_some_and(|m| m != "currently running")
    {
        return Err(NimError::new(
            158,
            vec![
                format!(
                    "0505-158 nimadm: WARNING, unexpected result from remote command on {}.",
                    machine_hostname(&machine)
                ),
                format!("0505-207 nimadm: Unable to run commands on client {client}."),
            ],
        ));
    }
    let disks = machine.disk_list();
    let target = disks.iter().find(|d| d.name == disk).ok_or_else(|| {
        error(
            209,
            format!("0505-209 nimadm: Unable to find target disk {disk} on client {client}."),
        )
    })?;
    if target.vg.is_some() {
        return Err(error(
            126,
            format!(
                "0505-126 alt_disk_install- target disk {disk} has a volume group assigned to it."
            ),
        ));
    }
    if target.size_mb < machine.rootvg_used() {
        return Err(error(
            210,
            format!(
                "0505-210 nimadm: Target disk {disk} ({} MB) is too small for rootvg ({} MB used).",
                target.size_mb,
                machine.rootvg_used()
            ),
        ));
    }
    if let Some(cache) = cache {
        let group = me
            .volume_group_list()
            .into_iter()
            .find(|g| g.name == cache)
            .ok_or_else(|| {
                error(
                    211,
                    format!(
                        "0505-211 nimadm: Unable to find volume group {cache} on the NIM master."
                    ),
                )
            })?;
        if group.free_mb < machine.rootvg_used() {
            return Err(error(
                212,
                format!(
                    "0505-212 nimadm: Volume group {cache} has {} MB free; caching the client needs {} MB.",
                    group.free_mb,
                    machine.rootvg_used()
                ),
            ));
        }
    }
    let level = resource_level(&lpp);
    let release = format!(
        "{}.{}",
        level.get(..1).unwrap_or("7"),
        level.get(1..2).unwrap_or("1")
    );
    Ok(Run {
        client: machine,
        disk: disk.to_string(),
        release,
    })
}

fn banner(script: &mut Script, phase: u32) {
    script.out("+-----------------------------------------------------------------------------+");
    script.out(format!("Executing nimadm phase {phase}."));
    script.out("+-----------------------------------------------------------------------------+");
}

fn migrate(world: &mut World, host: &str, run: Run) -> Reply {
    let Run {
        client,
        disk,
        release,
    } = run;
    let name = client.name.clone();
    let mut script = Script::new();
    script.out("Initializing the NIM master.");
    script.out(format!("Initializing NIM client {name}."));
    let texts: [&str; 10] = [
        "Cloning altinst_rootvg on client, Phase 1.",
        "Creating nimadm cache file systems on volume group.",
        "Syncing client data to cache ...",
        "Executing user premigration script.",
        "Saving system configuration files.",
        "Installing system filesets.",
        "Executing user postmigration script.",
        "Creating client boot image.",
        "Unmounting client mounts on the NIM master.",
        "Disabling NFS exports on client.",
    ];
    for (index, text) in texts.iter().enumerate() {
        banner(&mut script, index as u32 + 1);
        script.out(*text);
        script.wait(PHASE_SECS);
    }
    banner(&mut script, 11);
    script.out("Cloning altinst_rootvg on client, Phase 3.");
    script.out(format!(
        "Client alt_disk_install command: alt_disk_copy -j -M {release} -P3 -d \"{disk}\""
    ));
    script.out("## Phase 3 ###################");
    script.out("Verifying altinst_rootvg...");
    if client.bos_inst_dir || client.multibos != Multibos::None {
        script.out(
            "alt_disk_copy: 0505-218 ATTENTION: init_multibos() returned an unexpected result.",
        );
        script.out("Cleaning up.");
        for mount in [
            "/alt_inst/var/log",
            "/alt_inst/var",
            "/alt_inst/usr/local",
            "/alt_inst/usr",
            "/alt_inst/tmp",
            "/alt_inst/opt",
            "/alt_inst/home",
            "/alt_inst/admin",
            "/alt_inst",
        ] {
            script.out(format!("forced unmount of {mount}"));
            script.out(format!("forced unmount of {mount}"));
        }
        script.err("0505-187 nimadm: Error cloning altinst_rootvg on client.");
        script.out("Cleaning up alt_disk_migration on the NIM master.");
        script.out(format!("Cleaning up alt_disk_migration on client {name}."));
        script.out(format!(
            "Client alt_disk_install command: alt_disk_install -M {release} -X"
        ));
        script.out("Bootlist is set to the boot disk: hdisk0 blv=hd5");
        return script.finish(187);
    }
    script.out("Adjusting client file system sizes ...");
    script.out(format!("Bootlist is set to the boot disk: {disk} blv=hd5"));
    script.wait(PHASE_SECS);
    banner(&mut script, 12);
    script.out("Cleaning up alt_disk_migration on the NIM master.");
    script.out(format!("Cleaning up alt_disk_migration on client {name}."));
    script.wait(60.0);
    let elapsed = script.elapsed();
    let host = host.to_string();
    world.schedule(elapsed, move |world| {
        if let Some(o) = nim_host_mut(world, &host).and_then(|h| h.object_mut(&name)) {
            let mut disks = o.disk_list();
            if let Some(target) = disks.iter_mut().find(|d| d.name == disk) {
                target.vg = Some("altinst_rootvg".to_string());
            }
            o.disks = disks;
        }
    });
    script.finish(0)
}
