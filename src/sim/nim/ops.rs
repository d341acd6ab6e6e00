//! `nim [-F] -o OPERATION [-a attr=value ...] OBJECT...` (docs/formats.md, "NIM: nim -o").
//!
//! * `reset`: Cstate back to `ready for a NIM operation` (1 s), `info` dropped, the old
//!   Cstate kept in `prev_state`. A machine whose operation is *being performed* (a BOS
//!   install that died, a customisation, an alt_disk_install...) needs `-F` (or
//!   `-a force=yes`), as docs/formats.md, "NIM: reset and deallocate", says; one where an
//!   operation was only *enabled* does not.
//!   Resources stay allocated. On a resource it makes `Rstate` ready.
//! * `deallocate -a subclass=all | -a TYPE=NAME`: drops the allocation attributes
//!   (`spot`, `lpp_source`, `boot`...) and `control`, and lowers each resource's
//!   `alloc_count` (2 s). The machine must be ready (reset it first) unless `-F`.
//! * `allocate -a TYPE=NAME ...`: the reverse.
//! * `check`: 5 s (a SPOT 20 s), no output; a machine must be ready.
//! * `lslpp`: the client's filesets; 0042-006 when it is not running.
//! * `showlog`: the client's install log (see [`super::progress`]).
//! * `showres`: the filesets of a SPOT or lpp_source, colon-separated, at the
//!   resource's level (its simulator-only `oslevel`), without its `missing_filesets`.
//! * `remove`: a machine that still has resources allocated is refused (0042-052).
//! * Every operation on a client (reset, deallocate, allocate, check, lslpp, showlog,
//!   remove) fails with 0042-378 on a master that is not the client's `current_master`:
//!   such a master controls nothing until it takes over (docs/formats.md, "NIM:
//!   alternate master").
//! * `sync`, `takeover`: see [`super::hanim`].

use super::{failure, hanim, msg, nim_host, nim_host_mut, NimError, RESOURCE_TYPES};
use crate::sim::aix::getopt::getopt;
use crate::sim::aix::layout::libc_level;
use crate::sim::estate::{NimHost, SimNimObject};
use crate::sim::reply::{Reply, Stream};
use crate::sim::world::World;
use std::time::Duration;

const USAGE: &str =
    "usage: nim -o Operation [-F] [-t Type] [-a Attribute=Value ...] {ObjectName ...}";

/// The Cstate of a ready machine.
pub const READY: &str = "ready for a NIM operation";

/// The `-a attr=value` pairs of a nim command (`-a force` alone means `force=yes`).
pub fn attributes(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|value| match value.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (value.trim().to_string(), "yes".to_string()),
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn yes(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("yes") || v == "1")
}

/// Runs `nim`.
pub fn run(world: &mut World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("nim", args, "Fv", "ota") {
        Ok(opts) => opts,
        Err(message) => return Reply::fail_stderr(format!("{message}\n{USAGE}\n"), 1),
    };
    let Some(operation) = opts.value('o').map(str::to_string) else {
        return Reply::fail_stderr(format!("{USAGE}\n"), 1);
    };
    if opts.operands.is_empty() {
        return Reply::fail_stderr(format!("{USAGE}\n"), 1);
    }
    let attrs = attributes(&opts.values('a'));
    let force = opts.has('F') || yes(attr(&attrs, "force"));
    let targets = opts.operands.clone();
    match operation.as_str() {
        "reset" => per_object(world, host, "reset", &targets, |world, name| {
            reset(world, host, name, force)
        }),
        "deallocate" => per_object(world, host, "deallocate", &targets, |world, name| {
            deallocate(world, host, name, &attrs, force)
        }),
        "allocate" => per_object(world, host, "allocate", &targets, |world, name| {
            allocate(world, host, name, &attrs)
        }),
        "check" => per_object(world, host, "check", &targets, |world, name| {
            check(world, host, name, force)
        }),
        "lslpp" => match lslpp(world, host, &targets[0]) {
            Ok(reply) => reply,
            Err(error) => failure(error),
        },
        "showlog" => match showlog(world, host, &targets[0]) {
            Ok(reply) => reply,
            Err(error) => failure(error),
        },
        "showres" => match showres(world, host, &targets[0]) {
            Ok(reply) => reply,
            Err(error) => failure(error),
        },
        "remove" => per_object(world, host, "remove", &targets, |world, name| {
            remove(world, host, name)
        }),
        "sync" => hanim::sync(
            world,
            host,
            &targets[0],
            force,
            yes(attr(&attrs, "replicate")),
        ),
        "takeover" => hanim::takeover(world, host, &targets[0], yes(attr(&attrs, "show_progress"))),
        _ => failure(msg::bad_operation(&operation, &targets[0])),
    }
}

/// Runs `op` on each object in turn; each takes its own time. The exit status is that
/// of the last failure.
fn per_object(
    world: &mut World,
    host: &str,
    operation: &str,
    targets: &[String],
    mut op: impl FnMut(&mut World, &str) -> Result<Duration, NimError>,
) -> Reply {
    let mut reply = Reply::default();
    let mut elapsed = Duration::ZERO;
    let mut status = 0;
    for name in targets {
        let exists = nim_host(world, host).is_some_and(|h| h.object(name).is_some());
        let result = if exists {
            controlled(world, host, name, operation).and_then(|()| op(world, name))
        } else {
            Err(msg::no_object("nim", name))
        };
        match result {
            Ok(took) => elapsed += took,
            Err(error) => {
                reply = reply.then(elapsed, Stream::Stderr, error.text());
                elapsed = Duration::ZERO;
                status = error.status;
            }
        }
    }
    reply.ending_after(elapsed).with_status(status)
}

/// `Err(0042-378)` when `name` is a client that another master controls.
pub fn controlled(world: &World, host: &str, name: &str, operation: &str) -> Result<(), NimError> {
    let Some(master) = nim_host(world, host) else {
        return Ok(());
    };
    let Some(client) = master.object(name).filter(|o| o.is_client()) else {
        return Ok(());
    };
    match client.attr("current_master") {
        Some(current) if current != master.master_hostname() => Err(msg::not_current_master(
            operation,
            &machine_hostname(client),
            current,
        )),
        _ => Ok(()),
    }
}

/// Changes object `name` of master `host` once `after` has passed.
fn later(
    world: &mut World,
    host: &str,
    name: &str,
    after: Duration,
    change: impl FnOnce(&mut NimHost, &str) + Send + 'static,
) {
    let host = host.to_string();
    let name = name.to_string();
    world.schedule(after, move |world| {
        if let Some(h) = nim_host_mut(world, &host) {
            change(h, &name);
        }
    });
}

/// True when the Cstate says an operation is running on the machine right now.
pub fn in_progress(cstate: &str) -> bool {
    cstate.contains("is being performed")
        || cstate.contains("are being initialized")
        || cstate == "creating workload partition"
}

fn reset(world: &mut World, host: &str, name: &str, force: bool) -> Result<Duration, NimError> {
    let object = object(world, host, name)?;
    if !object.is_machine() {
        let after = Duration::from_secs(1);
        later(world, host, name, after, |h, name| {
            if let Some(o) = h.object_mut(name) {
                if let Some(old) = o.attr("Rstate").map(str::to_string) {
                    if old != "ready for use" {
                        o.set_attr_after("prev_state", old, "Rstate");
                    }
                    o.set_attr("Rstate", "ready for use");
                }
            }
        });
        return Ok(after);
    }
    let cstate = object.attr("Cstate").unwrap_or(READY).to_string();
    if cstate == READY {
        return Ok(Duration::from_millis(500));
    }
    if in_progress(&cstate) && !force {
        return Err(msg::reset_needs_force(name, &cstate));
    }
    if let Some(o) = nim_host_mut(world, host).and_then(|h| h.object_mut(name)) {
        super::progress::stop(o);
    }
    let after = Duration::from_secs(1);
    later(world, host, name, after, move |h, name| {
        if let Some(o) = h.object_mut(name) {
            o.set_attr_after("prev_state", cstate, "Cstate");
            o.set_attr("Cstate", READY);
            o.remove_attr("info");
            o.remove_attr("Cstate_result");
        }
    });
    Ok(after)
}

fn object(world: &World, host: &str, name: &str) -> Result<SimNimObject, NimError> {
    nim_host(world, host)
        .and_then(|h| h.object(name))
        .cloned()
        .ok_or_else(|| msg::no_object("nim", name))
}

/// The attributes of `machine` that allocate a resource of `master`'s database.
pub fn allocations(master: &NimHost, machine: &SimNimObject) -> Vec<(String, String)> {
    machine
        .attributes
        .iter()
        .filter(|(key, value)| {
            RESOURCE_TYPES.contains(&key.as_str())
                && master
                    .object(value)
                    .is_some_and(|r| r.class == crate::estate::NimClass::Resources)
        })
        .cloned()
        .collect()
}

fn deallocate(
    world: &mut World,
    host: &str,
    name: &str,
    attrs: &[(String, String)],
    force: bool,
) -> Result<Duration, NimError> {
    let master = nim_host(world, host).ok_or_else(|| msg::no_object("nim", name))?;
    let machine = master
        .object(name)
        .cloned()
        .ok_or_else(|| msg::no_object("nim", name))?;
    if !machine.is_machine() {
        return Err(msg::bad_operation("deallocate", name));
    }
    let cstate = machine.attr("Cstate").unwrap_or(READY).to_string();
    if cstate != READY && !force {
        return Err(msg::busy("m_dealloc", name, &cstate));
    }
    let all = attr(attrs, "subclass") == Some("all");
    let mut drop: Vec<(String, String)> = allocations(master, &machine)
        .into_iter()
        .filter(|(key, value)| all || attrs.iter().any(|(k, v)| k == key && v == value))
        .collect();
    if !all {
        for (key, value) in attrs {
            if key != "subclass" && !drop.iter().any(|(k, v)| k == key && v == value) {
                return Err(msg::not_allocatable(value));
            }
        }
    }
    drop.dedup();
    let after = Duration::from_secs(2);
    later(world, host, name, after, move |h, name| {
        for (key, value) in &drop {
            if let Some(resource) = h.object_mut(value) {
                let count: u64 = resource
                    .attr("alloc_count")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                resource.set_attr("alloc_count", count.saturating_sub(1).to_string());
            }
            if let Some(o) = h.object_mut(name) {
                o.attributes.retain(|(k, v)| !(k == key && v == value));
            }
        }
        let remaining = h.object(name).map(|o| allocations(h, o).len()).unwrap_or(0);
        if remaining == 0 {
            if let Some(o) = h.object_mut(name) {
                o.remove_attr("control");
            }
        }
    });
    Ok(after)
}

fn allocate(
    world: &mut World,
    host: &str,
    name: &str,
    attrs: &[(String, String)],
) -> Result<Duration, NimError> {
    let master = nim_host(world, host).ok_or_else(|| msg::no_object("nim", name))?;
    let machine = master
        .object(name)
        .cloned()
        .ok_or_else(|| msg::no_object("nim", name))?;
    if !machine.is_machine() {
        return Err(msg::bad_operation("allocate", name));
    }
    let cstate = machine.attr("Cstate").unwrap_or(READY).to_string();
    if cstate != READY {
        return Err(msg::busy("m_alloc", name, &cstate));
    }
    let mut add = Vec::new();
    for (key, value) in attrs {
        let ok = master.object(value).is_some_and(|r| {
            r.class == crate::estate::NimClass::Resources
                && r.object_type == *key
                && r.attr("Rstate").is_none_or(|s| s == "ready for use")
        });
        if !ok {
            return Err(msg::not_allocatable(value));
        }
        if machine.attr(key) != Some(value.as_str()) {
            add.push((key.clone(), value.clone()));
        }
    }
    let after = Duration::from_secs(2);
    later(world, host, name, after, move |h, name| {
        for (key, value) in &add {
            if let Some(resource) = h.object_mut(value) {
                let count: u64 = resource
                    .attr("alloc_count")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                resource.set_attr("alloc_count", (count + 1).to_string());
            }
            if let Some(o) = h.object_mut(name) {
                let at = o
                    .attributes
                    .iter()
                    .position(|(k, _)| k == "control" || k == "cpuid")
                    .unwrap_or(o.attributes.len());
                o.attributes.insert(at, (key.clone(), value.clone()));
            }
        }
        if let Some(o) = h.object_mut(name) {
            if o.attr("control").is_none() {
                let at = o
                    .attributes
                    .iter()
                    .position(|(k, _)| k == "cpuid")
                    .unwrap_or(o.attributes.len());
                o.attributes
                    .insert(at, ("control".to_string(), "master".to_string()));
            }
        }
    });
    Ok(after)
}

fn check(world: &mut World, host: &str, name: &str, force: bool) -> Result<Duration, NimError> {
    let object = object(world, host, name)?;
    if object.is_machine() {
        let cstate = object.attr("Cstate").unwrap_or(READY);
        if cstate != READY && !force {
            return Err(msg::busy("m_ck", name, cstate));
        }
        return Ok(Duration::from_secs(5));
    }
    if object.object_type == "spot" {
        let after = Duration::from_secs(20);
        later(world, host, name, after, |h, name| {
            if let Some(o) = h.object_mut(name) {
                o.set_attr("Rstate", "ready for use");
            }
        });
        return Ok(after);
    }
    Ok(Duration::from_secs(5))
}

/// The host name of a machine: the second word of its `if1`, else its name.
pub fn machine_hostname(object: &SimNimObject) -> String {
    object
        .attr("if1")
        .and_then(|if1| if1.split_whitespace().nth(1))
        .unwrap_or(&object.name)
        .to_string()
}

/// The `oslevel -s` of a client: its simulator-only level, or the level of the AIX host
/// of the estate with its name.
pub fn client_level(world: &World, object: &SimNimObject) -> String {
    if let Some(level) = &object.oslevel {
        return level.clone();
    }
    world
        .estate
        .aix
        .iter()
        .find(|h| h.name == object.name || h.name == machine_hostname(object))
        .map_or_else(|| "7100-00-02-1041".to_string(), |h| h.oslevel.clone())
}

fn lslpp(world: &mut World, host: &str, name: &str) -> Result<Reply, NimError> {
    let master = nim_host(world, host).ok_or_else(|| msg::no_object("nim", name))?;
    let client = master
        .object(name)
        .cloned()
        .ok_or_else(|| msg::no_object("nim", name))?;
    if !client.is_client() {
        return Err(msg::bad_operation("lslpp", name));
    }
    controlled(world, host, name, "lslpp")?;
    if client.attr("Mstate") != Some("currently running") {
        return Err(msg::refused("m_lslpp", &machine_hostname(&client)));
    }
    let level = libc_level(&client_level(world, &client));
    let mut out = String::from(
        "  Fileset                      Level  State  Type  Description (Uninstaller)\n  ----------------------------------------------------------------------------\n",
    );
    for (fileset, fileset_level, description) in [
        ("bos.rte", level.as_str(), "Base Operating System Runtime"),
        ("bos.rte.libc", level.as_str(), "libc Library"),
        ("bos.rte.install", level.as_str(), "LPP Install Commands"),
        (
            "bos.sysmgt.nim.client",
            level.as_str(),
            "Network Install Manager - Client Tools",
        ),
        ("bos.wpars", level.as_str(), "AIX Workload Partitions"),
        (
            "bos.alt_disk_install.rte",
            level.as_str(),
            "Alternate Disk Installation Runtime",
        ),
        (
            "openssh.base.server",
            "5.8.0.6102",
            "Open Secure Shell Server",
        ),
    ] {
        out.push_str(&format!(
            "  {fileset:<26} {fileset_level:>10}    C     F    {description}\n"
        ));
    }
    Ok(Reply::default().then(Duration::from_secs(3), Stream::Stdout, out))
}

/// `nim -o showlog CLIENT`: the client's install log, as far as it got.
fn showlog(world: &mut World, host: &str, name: &str) -> Result<Reply, NimError> {
    let machine = object(world, host, name)?;
    if !machine.is_client() {
        return Err(msg::bad_operation("showlog", name));
    }
    controlled(world, host, name, "showlog")?;
    let mut out = String::new();
    for line in super::progress::log_lines(&machine) {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(Reply::default().then(Duration::from_secs(1), Stream::Stdout, out))
}

/// `nim -o showres [-a lslpp_flags=Lc | -a installp_flags=L] RESOURCE`: the filesets
/// of a SPOT (as `lslpp -Lc` prints them, header first) or of an lpp_source (as
/// `installp -L` does), whichever flags are given.
fn showres(world: &mut World, host: &str, name: &str) -> Result<Reply, NimError> {
    let resource = object(world, host, name)?;
    let listing = match resource.object_type.as_str() {
        "spot" => super::filesets::lslpp_lines(
            &super::filesets::resource_level(&resource),
            &resource,
            super::filesets::FILESETS,
        ),
        "lpp_source" => {
            super::filesets::installp_lines(&super::filesets::resource_level(&resource), &resource)
        }
        _ => return Err(msg::bad_operation("showres", name)),
    };
    Ok(Reply::default().then(Duration::from_secs(2), Stream::Stdout, listing))
}

/// `nim -o remove OBJECT`: drops the object; a machine with resources allocated stays.
fn remove(world: &mut World, host: &str, name: &str) -> Result<Duration, NimError> {
    let master = nim_host(world, host).ok_or_else(|| msg::no_object("nim", name))?;
    let found = master
        .object(name)
        .cloned()
        .ok_or_else(|| msg::no_object("nim", name))?;
    if found.name == "master" {
        return Err(msg::bad_operation("remove", name));
    }
    if found.is_machine() && !allocations(master, &found).is_empty() {
        return Err(msg::resources_allocated(name));
    }
    let after = Duration::from_secs(1);
    later(world, host, name, after, |h, name| {
        h.objects.retain(|o| o.name != name);
    });
    Ok(after)
}
