//! `startwpar`, `stopwpar`, `rebootwpar` and `rmwpar` (docs/formats.md, "AIX: startwpar and
//! stopwpar", "AIX: rmwpar") with the states of "AIX: WPAR states" and the stuck/broken
//! behaviour that docs/procedures.md, "WPAR recovery", repairs:
//!
//! * start: `D → T → A` in about 10 s; a WPAR from an older AIX version fails with
//!   0960-667 and stays `D` (needs `migwpar`); a damaged or Broken WPAR ends `B`.
//! * stop: `A → T → D` in about 8 s (5 s with `-F`); an application WPAR disappears.
//!   With a leftover global mount under it the stop fails with 0960-630 and leaves it
//!   `T`, locks held: start and plain stop then fail with 0960-231/0960-247 until the
//!   mount is removed (`umount`) and `stopwpar -F` brings it to `D`.
//! * Broken: `startwpar` fails again; `stopwpar -F` brings it to `D`. A damaged WPAR
//!   breaks on every start until recreated from its spec (`mkwpar -e W -w -o F`,
//!   `rmwpar -F W`, `mkwpar -f F [-p]`); one with a full file system until it is grown.
//! * A process of the global holding one of its file systems (`holders`) makes every
//!   stop, forced or not, fail to unmount it (`Device busy`, 0960-630) and leaves the
//!   WPAR Broken, until the process ends.
//! * rm: about 2 s plus 1 s per file system; `-s`/`-F` stop it first; `-p` keeps the
//!   file systems (not for rootvg WPARs).

use super::layout::{mounts, needs_migration, pid, wpar_level};
use super::{fail, getopt::getopt, host_mut, msg, usage, wpar_snapshot, Script};
use crate::estate::WparState;
use crate::sim::estate::{AixHost, SimWpar};
use crate::sim::reply::Reply;
use crate::sim::world::World;

const START_USAGE: &str = "Usage: startwpar [-a] [-m] [-v] [-1 [-R] | -2 | -I] WparName";
const STOP_USAGE: &str = "Usage: stopwpar [-h | -F] [-r] [-t seconds | -N] [-v] WparName";
const REBOOT_USAGE: &str = "Usage: rebootwpar [-F | -h] [-N | -t seconds] [-v] WparName";
const RM_USAGE: &str = "Usage: rmwpar [-F] [-p] [-s] [-v] WparName";

/// Marks the WPAR as being worked on: `T`, lock held.
pub fn begin(world: &mut World, host: &str, wpar: &str) {
    if let Some(w) = super::wpar_mut(world, host, wpar) {
        w.state = WparState::Transitional;
        w.busy = true;
    }
}

/// Runs `change` on the host once `after` has passed, with the WPAR's name.
pub fn at_end(
    world: &mut World,
    host: &str,
    wpar: &str,
    after: std::time::Duration,
    change: impl FnOnce(&mut AixHost, &str) + Send + 'static,
) {
    let host = host.to_string();
    let wpar = wpar.to_string();
    world.schedule(after, move |world| {
        if let Some(h) = host_mut(world, &host) {
            change(h, &wpar);
        }
    });
}

/// Ends the operation with the WPAR in `state`, lock released.
pub fn end_in(
    world: &mut World,
    host: &str,
    wpar: &str,
    after: std::time::Duration,
    state: WparState,
) {
    at_end(world, host, wpar, after, move |h, name| {
        if let Some(w) = h.wpar_mut(name) {
            w.state = state;
            w.busy = false;
        }
    });
}

/// True when another operation holds the WPAR's lock (it runs now, or it failed and
/// left the WPAR in `T`).
pub fn is_locked(wpar: &SimWpar) -> bool {
    wpar.busy || wpar.state == WparState::Transitional
}

/// `WPAR 'name'` or `WPAR name`: the non-verbose commands quote names, `-v` does not
/// (docs/formats.md, "AIX: messages").
fn q(name: &str, verbose: bool) -> String {
    if verbose {
        name.to_string()
    } else {
        format!("'{name}'")
    }
}

/// The leftover mount as the WPAR sees it (`/wpars/w1/SW` → `/SW`).
pub fn inside_path(wpar: &SimWpar, global_path: &str) -> String {
    let base = wpar.directory();
    match global_path.strip_prefix(&base) {
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => global_path.to_string(),
    }
}

/// Appends a successful start; `now` picks the subsystem PID.
pub fn start_lines(script: &mut Script, wpar: &SimWpar, verbose: bool, now: u64) {
    let name = &wpar.name;
    script.out(format!("Starting workload partition {}.", q(name, verbose)));
    script.wait(1.0);
    script.out("Mounting all workload partition file systems.");
    if verbose {
        for mount in mounts(wpar) {
            script.wait(0.2);
            script.out(format!("Mounting {}", mount.mount_point));
        }
    }
    script.wait(2.0);
    script.out("Loading workload partition.");
    script.wait(1.0);
    script.out("Exporting workload partition devices.");
    if wpar.rootvg {
        script.out(format!("{} Defined", wpar.rootvg_disk()));
    }
    if !verbose {
        script.wait(0.5);
        script.out("Exporting workload partition kernel extensions.");
    }
    script.wait(1.0);
    script.out(format!(
        "Starting workload partition subsystem {}.",
        q(&format!("cor_{name}"), verbose)
    ));
    script.wait(2.0);
    script.out(format!(
        "0513-059 The cor_{name} Subsystem has been started. Subsystem PID is {}.",
        pid(name, now)
    ));
    script.wait(1.0);
    script.out("Verifying workload partition startup.");
    script.wait(1.0);
    if verbose {
        script.out("");
        script.out("Return Status = SUCCESS.");
    }
}

/// Appends a start that breaks the WPAR (docs/formats.md, "AIX: 0960 messages": the
/// wpar_sweep and cleanup lines).
fn broken_start_lines(script: &mut Script, wpar: &SimWpar, verbose: bool) {
    let name = &wpar.name;
    script.out(format!("Starting workload partition {}.", q(name, verbose)));
    script.wait(1.0);
    script.out("Mounting all workload partition file systems.");
    script.wait(2.0);
    script.out("Loading workload partition.");
    script.wait(1.0);
    script.out("Exporting workload partition devices.");
    if wpar.rootvg {
        script.out(format!("{} Defined", wpar.rootvg_disk()));
    }
    script.out("Exporting workload partition kernel extensions.");
    script.wait(1.0);
    script.out(format!(
        "Stopping workload partition subsystem {}.",
        q(&format!("cor_{name}"), verbose)
    ));
    script.out(format!(
        "0513-004 The Subsystem or Group, cor_{name}, is currently inoperative."
    ));
    script.wait(1.0);
    script.err(
        "/usr/lib/wpars/wparinstcmd: 0960-231 ATTENTION: '/usr/bin/acctctl -nomsg' failed with return code 1.",
    );
    script.out("Shutting down all workload partition processes.");
    script.wait(1.0);
    script.err(msg::sweep("startwpar"));
    script.out("Unmounting all workload partition file systems.");
    script.wait(1.0);
    script.err(msg::cleanup("startwpar"));
    if verbose {
        script.out("");
        script.out("Return Status = FAILURE.");
    }
}

/// Runs `startwpar`.
pub fn startwpar(world: &mut World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("startwpar", args, "amvRI12", "e") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), START_USAGE),
    };
    let [name] = opts.operands.as_slice() else {
        return usage(None, START_USAGE);
    };
    let verbose = opts.has('v');
    let Some((wpar, global)) = wpar_snapshot(world, host, name) else {
        return fail([msg::not_found("startwpar", name)]);
    };
    if wpar.busy {
        return fail(msg::locked("startwpar"));
    }
    let now = world.now().as_secs();
    let mut script = Script::new();
    match wpar.state {
        WparState::Active => fail([msg::already_active(name)]),
        WparState::Broken => {
            broken_start_lines(&mut script, &wpar, verbose);
            begin(world, host, name);
            end_in(world, host, name, script.elapsed(), WparState::Broken);
            script.finish(1)
        }
        WparState::Defined => {
            if needs_migration(wpar_level(&wpar, &global), &global) {
                script.out(format!("Starting workload partition {}.", q(name, verbose)));
                script.wait(1.0);
                script.out("Mounting all workload partition file systems.");
                script.wait(2.0);
                script.err(msg::LEVEL_NOT_SUPPORTED);
                script.out("Unmounting all workload partition file systems.");
                script.wait(1.0);
                if verbose {
                    script.out("");
                    script.out("Return Status = FAILURE.");
                }
                begin(world, host, name);
                end_in(world, host, name, script.elapsed(), WparState::Defined);
                return script.finish(1);
            }
            if wpar.damaged || wpar.full_fs.is_some() {
                broken_start_lines(&mut script, &wpar, verbose);
                begin(world, host, name);
                end_in(world, host, name, script.elapsed(), WparState::Broken);
                return script.finish(1);
            }
            start_lines(&mut script, &wpar, verbose, now);
            begin(world, host, name);
            end_in(world, host, name, script.elapsed(), WparState::Active);
            script.finish(0)
        }
        _ => fail(msg::locked("startwpar")),
    }
}

/// How a stop went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// File systems unmounted: the WPAR is Defined (an application WPAR is gone).
    Stopped,
    /// A leftover mount stopped the unmount: the WPAR is left in `T`.
    Stuck,
    /// A process of the global holds one of its file systems: the WPAR is left Broken.
    Busy,
}

/// The WPAR's own file system (its `/dev/fslvNN` and path inside) that a holder of the
/// global keeps busy, if any; holders under a leftover mount hold that one instead.
fn held_file_system(wpar: &SimWpar) -> Option<(String, String)> {
    let list = mounts(wpar);
    wpar.holders.iter().find_map(|holder| {
        let path = super::files::normalize(&holder.path);
        let under = |over: &str| {
            path == over
                || path
                    .strip_prefix(over)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        if wpar.leftover_mount.as_deref().is_some_and(under) {
            return None;
        }
        list.iter()
            .filter(|m| m.logical_volume.is_some() && under(&m.mount_point))
            .max_by_key(|m| m.mount_point.len())
            .map(|m| (m.device.clone(), m.inside.clone()))
    })
}

/// Appends the lines of a stop of `wpar`; `cmd` prefixes the messages (`stopwpar`, or
/// `rmwpar`'s inner stop), `running` says whether its subsystem still runs.
pub fn stop_lines(
    script: &mut Script,
    wpar: &SimWpar,
    force: bool,
    verbose: bool,
    cmd: &str,
) -> StopOutcome {
    let name = &wpar.name;
    let running = wpar.state == WparState::Active;
    let subsystem = |script: &mut Script, running: bool| {
        script.out(format!(
            "Stopping workload partition subsystem {}.",
            q(&format!("cor_{name}"), verbose)
        ));
        script.wait(1.0);
        if running {
            script.out(format!(
                "0513-044 The cor_{name} Subsystem was requested to stop."
            ));
        } else {
            script.out(format!(
                "0513-004 The Subsystem or Group, cor_{name}, is currently inoperative."
            ));
        }
    };
    script.out(format!("Stopping workload partition {}.", q(name, verbose)));
    script.wait(0.5);
    subsystem(script, running);
    if let Some(leftover) = &wpar.leftover_mount {
        let inside = inside_path(wpar, leftover);
        if !force {
            script.out(format!(
                "{cmd}: 0960-242 Waiting for workload partition to halt."
            ));
            script.wait(6.0);
            script.out("Shutting down all workload partition processes.");
            script.wait(3.0);
            script.err(msg::failed_unmount(cmd, &inside));
            script.err(msg::sweep(cmd));
            script.wait(0.5);
            return StopOutcome::Stuck;
        }
        for round in 0..2 {
            if round == 1 {
                subsystem(script, false);
            }
            script.wait(1.0);
            script.out("Shutting down all workload partition processes.");
            script.wait(2.0);
            script.err(msg::failed_unmount(cmd, &inside));
            script.err(msg::sweep(cmd));
        }
        script.wait(1.0);
        script.err_lines([
            "Method error (/etc/methods/ucfgdevice):",
            "    0514-062 Cannot perform the requested function because the",
            "        specified device is busy.",
            "/usr/lib/wpars/wparinstcmd: 0960-231 ATTENTION: '/usr/lib/wpars/wpardevstop' failed with return code 1.",
        ]);
        script.err(format!("{}.", msg::cleanup(cmd)));
        script.wait(0.5);
        return StopOutcome::Stuck;
    }
    if running && !force {
        script.out(format!(
            "{cmd}: 0960-261 Waiting up to 600 seconds for workload partition to halt."
        ));
        script.wait(3.0);
    }
    script.out("Shutting down all workload partition processes.");
    script.wait(if force { 1.0 } else { 2.0 });
    if let Some((device, inside)) = held_file_system(wpar) {
        script.out("Unmounting all workload partition file systems.");
        script.wait(1.0);
        script.err(msg::device_busy(&device));
        script.err(msg::failed_unmount(cmd, &inside));
        script.err(msg::cleanup(cmd));
        script.wait(0.5);
        return StopOutcome::Busy;
    }
    if wpar.rootvg {
        script.out(format!("{} Defined", wpar.rootvg_disk()));
    }
    script.out("Unmounting all workload partition file systems.");
    if verbose {
        for mount in mounts(wpar).iter().rev() {
            script.wait(0.2);
            script.out(format!("Unmounting {}.", mount.mount_point));
        }
    }
    script.wait(1.0);
    StopOutcome::Stopped
}

/// Runs `stopwpar`.
pub fn stopwpar(world: &mut World, host: &str, args: &[String]) -> Reply {
    stop_command(world, host, args, "stopwpar", STOP_USAGE, false)
}

/// Runs `rebootwpar`: a stop, then a start.
pub fn rebootwpar(world: &mut World, host: &str, args: &[String]) -> Reply {
    stop_command(world, host, args, "rebootwpar", REBOOT_USAGE, true)
}

fn stop_command(
    world: &mut World,
    host: &str,
    args: &[String],
    cmd: &str,
    usage_text: &str,
    reboot: bool,
) -> Reply {
    let opts = match getopt(cmd, args, "hFrNv", "t") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), usage_text),
    };
    let [name] = opts.operands.as_slice() else {
        return usage(None, usage_text);
    };
    let force = opts.has('F');
    let verbose = opts.has('v');
    let restart = reboot || opts.has('r');
    let Some((wpar, _)) = wpar_snapshot(world, host, name) else {
        return fail([msg::not_found(cmd, name)]);
    };
    if wpar.busy {
        return fail(msg::locked(cmd));
    }
    match wpar.state {
        WparState::Defined => return fail([msg::not_active(cmd, name)]),
        WparState::Active => {}
        _ if !force => return fail(msg::locked(cmd)),
        _ => {}
    }
    let was_broken = wpar.state == WparState::Broken;
    let mut script = Script::new();
    let outcome = stop_lines(&mut script, &wpar, force, verbose, cmd);
    begin(world, host, name);
    match outcome {
        StopOutcome::Stuck | StopOutcome::Busy => {
            if verbose {
                script.out("");
                script.out("Return Status = FAILURE.");
            }
            let end = if was_broken || outcome == StopOutcome::Busy {
                WparState::Broken
            } else {
                WparState::Transitional
            };
            end_in(world, host, name, script.elapsed(), end);
            script.finish(1)
        }
        StopOutcome::Stopped if wpar.is_application() => {
            if verbose {
                script.out("");
                script.out("Return Status = SUCCESS.");
            }
            at_end(world, host, name, script.elapsed(), |h, name| {
                h.wpars.retain(|w| w.name != name);
            });
            script.finish(0)
        }
        StopOutcome::Stopped => {
            if restart && !wpar.damaged {
                let mut stopped = wpar.clone();
                stopped.state = WparState::Defined;
                let now = world
                    .now()
                    .as_secs()
                    .saturating_add(script.elapsed().as_secs());
                start_lines(&mut script, &stopped, verbose, now);
                end_in(world, host, name, script.elapsed(), WparState::Active);
                return script.finish(0);
            }
            if verbose {
                script.out("");
                script.out("Return Status = SUCCESS.");
            }
            end_in(world, host, name, script.elapsed(), WparState::Defined);
            script.finish(0)
        }
    }
}

/// Appends the file-system removal lines of `rmwpar` (docs/formats.md, "AIX: rmwpar").
pub fn removal_lines(script: &mut Script, wpar: &SimWpar) {
    for mount in mounts(wpar).iter().rev() {
        script.wait(0.5);
        script.out(format!(
            "rmwpar: Removing file system {}.",
            mount.mount_point
        ));
        if let Some(lv) = &mount.logical_volume {
            script.wait(0.5);
            script.out(format!("rmlv: Logical volume {lv} is removed."));
        }
    }
}

/// Runs `rmwpar`.
pub fn rmwpar(world: &mut World, host: &str, args: &[String]) -> Reply {
    let opts = match getopt("rmwpar", args, "Fpsv", "") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), RM_USAGE),
    };
    let [name] = opts.operands.as_slice() else {
        return usage(None, RM_USAGE);
    };
    let force = opts.has('F');
    let stop_first = force || opts.has('s');
    let preserve = opts.has('p');
    let verbose = opts.has('v');
    let Some((wpar, _)) = wpar_snapshot(world, host, name) else {
        return fail([msg::not_found("rmwpar", name)]);
    };
    if preserve && wpar.rootvg {
        return fail([msg::PRESERVE_ROOTVG.to_string()]);
    }
    if wpar.busy {
        return fail(msg::locked("rmwpar"));
    }
    let mut script = Script::new();
    match wpar.state {
        WparState::Active if !stop_first => return fail([msg::remove_active(name)]),
        WparState::Broken if !force => return fail([msg::remove_broken(name)]),
        WparState::Defined => {
            if force {
                script.err(msg::not_active("stopwpar", name));
                script.wait(0.5);
                script.err("umount: Could not find anything to unmount");
                script.err(format!("umount: There are no 'type={name}' stanzas"));
            }
        }
        WparState::Active | WparState::Broken => {
            let outcome = stop_lines(&mut script, &wpar, force, verbose, "stopwpar");
            if outcome != StopOutcome::Stopped {
                begin(world, host, name);
                let end = if wpar.state == WparState::Broken || outcome == StopOutcome::Busy {
                    WparState::Broken
                } else {
                    WparState::Transitional
                };
                end_in(world, host, name, script.elapsed(), end);
                return script.finish(1);
            }
        }
        _ if !force => return fail(msg::locked("rmwpar")),
        _ => {
            let outcome = stop_lines(&mut script, &wpar, true, verbose, "stopwpar");
            if outcome != StopOutcome::Stopped {
                let end = if outcome == StopOutcome::Busy {
                    WparState::Broken
                } else {
                    wpar.state.clone()
                };
                begin(world, host, name);
                end_in(world, host, name, script.elapsed(), end);
                return script.finish(1);
            }
        }
    }
    if !preserve {
        removal_lines(&mut script, &wpar);
    }
    script.wait(2.0);
    if verbose {
        script.out("");
        script.out("Return Status = SUCCESS.");
    }
    begin(world, host, name);
    let freed = if preserve { 0 } else { wpar.global_mb() };
    at_end(world, host, name, script.elapsed(), move |h, name| {
        h.wpars.retain(|w| w.name != name);
        h.free_mb = h.free_mb.saturating_add(freed);
    });
    script.finish(0)
}
