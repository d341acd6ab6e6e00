//! NIM high availability (docs/formats.md, "NIM: alternate master"): `nim -o sync` from
//! the primary to an alternate master, and `nim -o takeover` on the alternate.
//!
//! **sync** `nim [-F] -o sync -a force=yes [-a replicate=yes] [-a reset_clients=yes] ALT`
//! (run on the primary; `ALT` is an `alternate_master` object naming an estate NIM host
//! by name or host name). Without force it fails (the alternate always has the database
//! `niminit` made). Otherwise, after about 20 s plus the time to replicate resources,
//! the alternate's database becomes a copy of the primary's: its own `master` object is
//! kept, the primary appears as an `alternate_master` object, every machine is reset
//! (ready, no allocations) and every resource is unallocated. A resource whose file the
//! alternate lacks is dropped (`Removing ...`, the `0518-307` lines), unless
//! `replicate=yes` copies it (`Replicating resource ...`). The output is the published
//! one (IBM's alternate-master technote and a field report, both named in docs/formats.md,
//! "NIM: alternate master"). An unreachable alternate gives 0042-006.
//!
//! **takeover** `nim -o takeover [-a show_progress=yes] OLD` (run on the alternate; `OLD`
//! is the `alternate_master` object of the old master, present after a sync): every
//! client whose `current_master` is another master is reset and then taken over (about 2
//! s each): its `current_master` becomes this master, here and — when reachable — in the
//! old master's database too ("Updating the NIM database on the alternate_master ...").
//! A client with `sync_required = yes` does not know this master: it fails with
//! 0042-372 and stays with the old one; the exit status is then 372 mod 256. A client
//! that is `not running` (powered off) cannot have its `/etc/niminfo` rewritten: its row says `FAILURE`
//! after a `0042-006` line and it stays with the old master (exit status 6); what NIM
//! prints there is the simulator's choice.
//!
//! Replicated files land on the alternate's file system that holds their location
//! (the `master` object's simulator-only `filesystems`): without a file system mounted
//! there they land in `/` (docs/formats.md, "NIM: alternate master"), and when they do
//! not fit the copy fails, the file system is left full and the resource is dropped.

use super::ops::{allocations, READY};
use super::{failure, host_by_reference, msg, nim_host, nim_host_mut, reachable};
use crate::estate::NimClass;
use crate::sim::aix::layout::libc_level;
use crate::sim::aix::Script;
use crate::sim::estate::{NimHost, SimNimObject};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The summary table header of a NIM operation (docs/formats.md, "NIM: nim -o").
fn summary(script: &mut Script, title: &str, rows: &[(String, &str)]) {
    script.out(format!(
        "                        \"{title}\" Operation Summary"
    ));
    script.out("   Target                  Result");
    script.out("   ------                  ------");
    for (target, result) in rows {
        script.out(format!("   {target:<24}{result}"));
    }
}

/// The estate host behind an `alternate_master` object.
fn alternate_host(world: &World, object: &SimNimObject, fallback: Option<&str>) -> Option<String> {
    let by_if1 = object
        .attr("if1")
        .and_then(|if1| if1.split_whitespace().nth(1))
        .and_then(|hostname| host_by_reference(world, hostname));
    host_by_reference(world, &object.name)
        .or(by_if1)
        .or_else(|| fallback.and_then(|name| host_by_reference(world, name)))
        .map(|h| h.name.clone())
}

/// Seconds to replicate a resource of `object_type`.
fn replicate_secs(object_type: &str) -> f64 {
    match object_type {
        "lpp_source" => 30.0,
        "spot" => 25.0,
        "mksysb" | "savewpar" | "ios_mksysb" => 20.0,
        _ => 2.0,
    }
}

/// A machine as a database restore leaves it: ready, nothing allocated.
fn reset_machine(object: &mut SimNimObject, allocated: &[(String, String)]) {
    super::progress::stop(object);
    if object.attr("Cstate").is_some() {
        object.set_attr("Cstate", READY);
    }
    if object.attr("prev_state").is_some() {
        object.set_attr("prev_state", READY);
    }
    object.remove_attr("info");
    object.remove_attr("Cstate_result");
    object.remove_attr("control");
    object
        .attributes
        .retain(|pair| !allocated.iter().any(|a| a == pair));
}

/// Runs `nim -o sync` on the primary `host`.
pub fn sync(world: &mut World, host: &str, target: &str, force: bool, replicate: bool) -> Reply {
    let Some(primary) = nim_host(world, host).cloned() else {
        return failure(msg::no_object("nim", target));
    };
    let Some(object) = primary.object(target).cloned() else {
        return failure(msg::no_object("nim", target));
    };
    if object.object_type != "alternate_master" {
        return failure(msg::not_alternate(target, "sync_db"));
    }
    let Some(alternate_name) = alternate_host(world, &object, primary.alternate.as_deref()) else {
        return failure(msg::refused("m_sync_db", target));
    };
    if alternate_name == primary.name || !reachable(world, &alternate_name) {
        return failure(msg::refused("m_sync_db", target));
    }
    let Some(alternate) = nim_host(world, &alternate_name).cloned() else {
        return failure(msg::refused("m_sync_db", target));
    };
    if !force {
        return failure(msg::sync_needs_force(target));
    }
    let here = libc_level(alternate.oslevel());
    let backup = libc_level(primary.oslevel());
    if here != backup {
        return failure(msg::level_check_failed(&here, &backup));
    }

    let alt_hostname = alternate.master_hostname().to_string();
    let now = world.now().as_secs();
    let mut script = Script::new();
    script.wait(3.0);
    script.out_lines([
        "a ./etc/objrepos/nim_attr 8 blocks",
        "a ./etc/objrepos/nim_attr.vc 8 blocks",
        "a ./etc/objrepos/nim_object 8 blocks",
        "a ./etc/objrepos/nim_object.vc 8 blocks",
        "a ./etc/NIM.level 1 blocks",
        "a ./etc/niminfo 2 blocks",
    ]);
    script.out("The original NIM database was backed up to the");
    script.out("        following location prior to this operation:");
    script.out(format!(
        "        \"/export/nim/backups/{alt_hostname}.{:014}.backup\"",
        10_073_807_242_010u64.wrapping_add(now)
    ));
    script.out("");
    script.wait(2.0);
    script.out_lines([
        "0513-044 The nimesis Subsystem was requested to stop.",
        "0513-004 The Subsystem or Group, nimd, is currently inoperative.",
        "0513-083 Subsystem has been Deleted.",
        "0513-083 Subsystem has been Deleted.",
    ]);
    let old_attrs: usize = alternate
        .objects
        .iter()
        .map(|o| o.attributes.len() + 2)
        .sum();
    script.out(format!("{} objects deleted", alternate.objects.len()));
    script.out(format!("{old_attrs} objects deleted"));
    script.wait(2.0);
    script.out(format!(
        "Restoring the NIM database from /tmp/_nim_dir_{}/mnt0",
        17_626 + now % 40_000
    ));
    script.out("x ./etc/NIM.level, 8 bytes, 1 tape blocks");
    script.out("");
    script.out(format!(
        "The level of the NIM master fileset on this machine is: {here}"
    ));
    script.out(format!("The level of the NIM database backup is: {backup}"));
    script.out("");
    script.out("Level check is successful.");
    script.out("");
    script.wait(2.0);
    script.out_lines([
        "x ./etc/objrepos/nim_attr, 4096 bytes, 8 tape blocks",
        "x ./etc/objrepos/nim_attr.vc, 4096 bytes, 8 tape blocks",
        "x ./etc/objrepos/nim_object, 4096 bytes, 8 tape blocks",
        "x ./etc/objrepos/nim_object.vc, 4096 bytes, 8 tape blocks",
        "x ./etc/NIM.level, 8 bytes, 1 tape blocks",
        "x ./etc/niminfo, 233 bytes, 1 tape blocks",
        "0513-071 The nimesis Subsystem has been added.",
        "0513-071 The nimd Subsystem has been added.",
    ]);
    script.out(format!(
        "0513-059 The nimesis Subsystem has been started. Subsystem PID is {}.",
        crate::sim::aix::layout::pid("nimesis", now)
    ));
    script.out("Finished restoring the NIM database");

    // The alternate's own master definition survives the restore.
    let own_master = alternate
        .object("master")
        .cloned()
        .unwrap_or_else(|| SimNimObject::new("master", NimClass::Machines, "master"));
    script.out(format!(
        "Updating master definition in database from {} definition",
        alternate.name
    ));
    for key in ["platform", "netboot_kernel", "if1", "cable_type1"] {
        if let Some(value) = own_master.attr(key) {
            script.out(format!("  Updated master attribute {key} to {value}"));
        }
    }
    script.out("Finished updating master definition");

    // The new database: the primary's, seen from the alternate.
    let mut objects: Vec<SimNimObject> = Vec::new();
    let mut primary_as_alternate =
        SimNimObject::new(primary.name.clone(), NimClass::Machines, "alternate_master");
    let net = own_master
        .attr("if1")
        .and_then(|if1| if1.split_whitespace().next())
        .unwrap_or("master_net")
        .to_string();
    for (key, value) in [
        ("connect", "nimsh".to_string()),
        ("platform", "chrp".to_string()),
        ("netboot_kernel", "64".to_string()),
        ("if1", format!("{net} {} 0", primary.master_hostname())),
        ("cable_type1", "N/A".to_string()),
        ("Cstate", READY.to_string()),
        ("prev_state", READY.to_string()),
        ("Mstate", "currently running".to_string()),
    ] {
        primary_as_alternate
            .attributes
            .push((key.to_string(), value));
    }
    let mut placed_alternate = false;
    for source in &primary.objects {
        if source.name == "master" {
            objects.push(own_master.clone());
            continue;
        }
        if source.object_type == "alternate_master" {
            let is_target = source.name == object.name;
            if is_target && !placed_alternate {
                objects.push(primary_as_alternate.clone());
                placed_alternate = true;
            }
            if is_target {
                continue;
            }
        }
        objects.push(source.clone());
    }
    if !placed_alternate {
        objects.push(primary_as_alternate);
    }

    script.out("Resetting machines");
    script.out("  Reset master");
    let snapshot = NimHost {
        objects: objects.clone(),
        ..primary.clone()
    };
    for machine in objects
        .iter_mut()
        .filter(|o| o.is_machine() && o.name != "master")
    {
        let allocated = allocations(&snapshot, machine);
        reset_machine(machine, &allocated);
        script.out(format!("  Reset {}", machine.name));
    }
    script.out("Finished resetting machines");
    script.out("Resetting NIM resources");
    for resource in objects
        .iter_mut()
        .filter(|o| o.class == NimClass::Resources)
    {
        if resource.attr("alloc_count").is_some() {
            resource.set_attr("alloc_count", "0");
        }
        if resource.attr("Rstate").is_some() {
            resource.set_attr("Rstate", "ready for use");
        }
    }
    script.out("Finished resetting NIM resources");
    script.wait(5.0);

    // Resources with files: kept when the alternate has the file, else replicated or
    // dropped.
    let with_files: Vec<(String, String, String)> = objects
        .iter()
        .filter(|o| o.class == NimClass::Resources)
        .filter_map(|o| {
            o.attr("location")
                .map(|l| (o.name.clone(), o.object_type.clone(), l.to_string()))
        })
        .collect();
    let mut dropped: Vec<String> = Vec::new();
    let mut receiving = alternate.clone();
    let mut copied: Vec<String> = Vec::new();
    if replicate {
        script.out("Replicating NIM resources. Please wait, takes time....");
        for (name, object_type, location) in &with_files {
            if alternate.has_file(location) {
                continue;
            }
            script.out(format!("Replicating resource {name}"));
            script.wait(replicate_secs(object_type));
            let size = objects
                .iter()
                .find(|o| &o.name == name)
                .map_or(1, SimNimObject::resource_size_mb);
            let mount = receiving
                .file_system_of(location)
                .map_or_else(|| "/".to_string(), |fs| fs.mount);
            if !receiving.take_space(location, size) {
                script.err_lines(msg::replicate_no_space(name, location, &mount));
                continue;
            }
            if object_type == "spot" {
                script.out_lines(["version=7", "release=1", "mod=0"]);
            }
            script.out(format!("Replicated resource {name}"));
            copied.push(name.clone());
        }
        script.out("Finished Replicating NIM resources");
    }
    if let (Some(updated), Some(slot)) = (
        receiving.object("master").cloned(),
        objects.iter_mut().find(|o| o.name == "master"),
    ) {
        *slot = updated;
    }
    script.out("Checking NIM resources");
    for (name, _, location) in &with_files {
        if copied.contains(name) || alternate.has_file(location) {
            script.out(format!("  Keeping {name}"));
        } else {
            let attrs = objects
                .iter()
                .find(|o| &o.name == name)
                .map_or(0, |o| o.attributes.len());
            script.out(format!("  Removing {name}"));
            script.out_lines([
                "    0518-307 odmdelete: 1 objects deleted. from nim_attr (serves attr)".to_string(),
                "    0518-307 odmdelete: 0 objects deleted. from nim_attr (group memberships)"
                    .to_string(),
                format!(
                    "    0518-307 odmdelete: {attrs} objects deleted. from nim_attr (resource attributes)"
                ),
                "    0518-307 odmdelete: 1 objects deleted. from nim_object (resource object)"
                    .to_string(),
            ]);
            script.out(format!("  Finished removing {name}"));
            dropped.push(name.clone());
        }
    }
    script.out("Finished checking NIM resources");
    objects.retain(|o| !dropped.contains(&o.name));
    script.out("Checking NIM SPOTs");
    for spot in objects.iter().filter(|o| o.object_type == "spot") {
        script.wait(4.0);
        script.out(format!("  checking {}", spot.name));
    }
    script.out("Finished checking SPOTs");
    script.wait(1.0);
    script.out("nim_master_recover Complete");

    let elapsed = script.elapsed();
    world.schedule(elapsed, move |world| {
        if let Some(h) = nim_host_mut(world, &alternate_name) {
            h.objects = objects;
        }
    });
    script.finish(0)
}

/// Runs `nim -o takeover` on the alternate `host`.
pub fn takeover(world: &mut World, host: &str, old: &str, show_progress: bool) -> Reply {
    let Some(me) = nim_host(world, host).cloned() else {
        return failure(msg::no_object("nim", old));
    };
    let Some(object) = me.object(old).cloned() else {
        return failure(msg::no_object("nim", old));
    };
    if object.object_type != "alternate_master" {
        return failure(msg::not_alternate(old, "takeover"));
    }
    let my_hostname = me.master_hostname().to_string();
    let old_host =
        alternate_host(world, &object, None).filter(|name| name != host && reachable(world, name));
    let clients: Vec<SimNimObject> = me
        .objects
        .iter()
        .filter(|o| o.is_client())
        .filter(|o| o.attr("current_master").is_some_and(|m| m != my_hostname))
        .cloned()
        .collect();
    let total = clients.len();
    let mut script = Script::new();
    if show_progress {
        script.out("                        Performing \"reset\" Operation");
    }
    script.wait(1.0);
    let reset_rows: Vec<(String, &str)> =
        clients.iter().map(|c| (c.name.clone(), "RESET")).collect();
    summary(&mut script, "reset", &reset_rows);
    if show_progress {
        script.out("                        Initiating \"takeover\" Operation");
    }
    let mut results: Vec<(String, &str)> = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let mut status = 0;
    for (index, client) in clients.iter().enumerate() {
        if show_progress {
            script.out(format!(
                "   Initiating the takeover operation on machine {} of {total}: {} ...",
                index + 1,
                client.name
            ));
        }
        script.wait(2.0);
        if client.attr("sync_required") == Some("yes") {
            script.err(msg::NOT_SWITCHABLE);
            results.push((client.name.clone(), "FAILURE"));
            status = 372 % 256;
        } else if client.attr("Mstate") == Some("not running") {
            script.err_lines(msg::takeover_unreachable(&client.name));
            results.push((client.name.clone(), "FAILURE"));
            status = 6;
        } else {
            results.push((client.name.clone(), "SUCCESS"));
            taken.push(client.name.clone());
        }
    }
    summary(&mut script, "takeover", &results);
    if old_host.is_some() {
        script.wait(2.0);
        script.out(format!(
            "Updating the NIM database on the \"alternate_master\" \"{old}\"..."
        ));
        script
            .out("+-----------------------------------------------------------------------------+");
        script.out("                      \"update\" Operation Summary");
        script
            .out("+-----------------------------------------------------------------------------+");
        script.out(" Target                                    Result");
        script.out(" ------                                    ------");
        for name in &taken {
            script.out(format!(" {name:<42}SUCCESS"));
        }
    }
    let elapsed = script.elapsed();
    let me_name = host.to_string();
    let reset_all: Vec<String> = clients.iter().map(|c| c.name.clone()).collect();
    world.schedule(elapsed, move |world| {
        if let Some(h) = nim_host_mut(world, &me_name) {
            for name in &reset_all {
                if let Some(o) = h.object_mut(name) {
                    super::progress::stop(o);
                    if o.attr("Cstate").is_some_and(|c| c != READY) {
                        let old = o.attr("Cstate").unwrap_or(READY).to_string();
                        o.set_attr_after("prev_state", old, "Cstate");
                        o.set_attr("Cstate", READY);
                        o.remove_attr("info");
                    }
                }
            }
            for name in &taken {
                if let Some(o) = h.object_mut(name) {
                    o.set_attr("current_master", my_hostname.clone());
                }
            }
        }
        if let Some(old_host) = old_host {
            if let Some(h) = nim_host_mut(world, &old_host) {
                for name in &taken {
                    if let Some(o) = h.object_mut(name) {
                        o.set_attr("current_master", my_hostname.clone());
                    }
                }
            }
        }
    });
    script.finish(status)
}
