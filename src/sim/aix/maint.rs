//! `syncwpar`, `migwpar` and `clogin` (docs/formats.md, "AIX: syncwpar", "AIX: migwpar",
//! "AIX: clogin").
//!
//! * `syncwpar W` (shared) / `syncwpar -D [-d DIR] W` (detached) / `-A`: per WPAR the
//!   published block (`tests/fixtures/aix/syncwpar_shared.txt`; for a detached WPAR the
//!   mount/load/unload lines), then `Return Status = SUCCESS.` or `FAILURE.`; about 20 s
//!   (shared), 30 s (detached), 240 s (detached with `-d`).
//!   It brings the WPAR's root part to the global's level. A WPAR from an older AIX
//!   version fails ("execute the migwpar command"), except a shared rootvg WPAR, which
//!   syncwpar migrates itself (`MIGWPAR: ...`, docs/formats.md, "AIX: syncwpar").
//! * `migwpar [-d DIR] W`: a Defined WPAR from an older AIX version is migrated to the
//!   global's level; it shows `T` meanwhile (180 s shared, 600 s detached). A detached
//!   WPAR needs `-d`.
//! * `clogin W [oslevel -s | uname -W | hostname | syncroot | lppchk -v]`; `lppchk -v`
//!   complains when a shared WPAR's root part is not at the level of its /usr (the
//!   global's).

use super::layout::{needs_migration, version_of, wpar_level};
use super::lifecycle::{at_end, is_locked};
use super::{fail, getopt::getopt, host, msg, usage, Script};
use crate::estate::WparState;
use crate::sim::estate::SimWpar;
use crate::sim::reply::Reply;
use crate::sim::world::World;

const SYNC_USAGE: &str =
    "Usage: syncwpar [-a] [-i] [-F] [-r] [-p] [-v] [-X] {-A | -f wparnamesfile | wparname}
       syncwpar -D [-d device] [-p] [-v] [-X] {-A | -f wparnamesfile | wparname}";
const MIG_USAGE: &str =
    "Usage: migwpar [-d software_source] {-A | -f wparNamesFile | [-C] wpar_name}";

/// The banner line around `Synchronizing workload partition ...` (its real length is
/// unknown; the published text shows `*****`, docs/formats.md, "AIX: syncwpar").
pub const BANNER: &str =
    "*******************************************************************************";

const SYNCROOT_OK: [&str; 5] = [
    "syncroot: Processing root part installation status.",
    "syncroot: Installp root packages are currently synchronized.",
    "syncroot: RPM root packages are currently synchronized.",
    "syncroot: Root part is currently synchronized.",
    "syncroot: Returns Status = SUCCESS",
];

const SYNCROOT_MIGRATE: [&str; 4] = [
    "syncroot: Processing root part installation status.",
    "syncroot: Your global system is at a higher version than the WPAR.",
    "syncroot: Please log out of the WPAR and execute the migwpar command.",
    "syncroot: Returns Status = FAILURE",
];

/// Runs `syncwpar`.
pub fn syncwpar(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("syncwpar", args, "aiFrpvXDAc", "dfER") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), SYNC_USAGE),
    };
    let detached_mode = opts.has('D');
    let images = opts.value('d').map(str::to_string);
    let preview = opts.has('p');
    let Some(host) = host(world, host_name) else {
        return fail(["syncwpar: no such host".to_string()]);
    };
    let global = host.oslevel.clone();
    let targets: Vec<SimWpar> = if opts.has('A') {
        host.wpars
            .iter()
            .filter(|w| !w.is_application() && w.private_usr == detached_mode)
            .cloned()
            .collect()
    } else {
        let [name] = opts.operands.as_slice() else {
            return usage(None, SYNC_USAGE);
        };
        match host.wpar(name) {
            Some(wpar) => vec![wpar.clone()],
            None => return fail([msg::not_found("syncwpar", name)]),
        }
    };
    if targets.is_empty() {
        return Reply::ok("\nReturn Status = SUCCESS.\n");
    }
    let total = targets.len();
    let mut script = Script::new();
    let mut failed = false;
    let mut synced: Vec<String> = Vec::new();
    for (index, wpar) in targets.iter().enumerate() {
        let name = &wpar.name;
        if is_locked(wpar) {
            script.err_lines(msg::locked("syncwpar"));
            script.err(msg::sync_error(name));
            failed = true;
            continue;
        }
        let quoted = if detached_mode {
            format!("'{name}'")
        } else {
            name.clone()
        };
        script.out(BANNER);
        script.out(format!(
            "Synchronizing workload partition {quoted} ({} of {total}).",
            index + 1
        ));
        script.out(BANNER);
        script.wait(1.0);
        if wpar.is_application() {
            script.err(msg::not_system("syncwpar", name));
            script.err(msg::sync_error(name));
            failed = true;
            continue;
        }
        if wpar.private_usr && !detached_mode {
            script.err(msg::sync_needs_d(name));
            script.err(msg::sync_error(name));
            failed = true;
            continue;
        }
        if !wpar.private_usr && detached_mode {
            script.err(msg::sync_not_detached(name));
            script.err(msg::sync_error(name));
            failed = true;
            continue;
        }
        if wpar.state == WparState::Broken || wpar.ostype != 0 {
            script.err(msg::sync_error(name));
            failed = true;
            continue;
        }
        let defined = wpar.state == WparState::Defined;
        if defined {
            script.out("Mounting all workload partition file systems.");
            script.wait(1.0);
            script.out("Loading workload partition.");
            script.wait(2.0);
        }
        let level = wpar_level(wpar, &global);
        let old_version = needs_migration(level, &global);
        let mut ok = true;
        if old_version && wpar.rootvg && !wpar.private_usr {
            script.out(format!("MIGWPAR: Merging configuration files for {name}"));
            script.wait(60.0);
            script.out(format!("MIGWPAR: Running syncroot for {name}"));
            script.wait(55.0);
            script.out_lines(SYNCROOT_OK);
        } else if old_version {
            script.out(format!(
                "Executing /usr/sbin/syncroot in workload partition {name}."
            ));
            script.wait(3.0);
            script.out_lines(SYNCROOT_MIGRATE);
            ok = false;
        } else if detached_mode {
            if let Some(images) = &images {
                script.out(format!(
                    "Executing syncd_install_sync in workload partition {name}."
                ));
                script.wait(5.0);
                script.out(format!("Installing software from {images}."));
                if preview {
                    script.out("Fileset levels to be applied:");
                    script.out(format!("  bos.rte {}", super::layout::libc_level(&global)));
                    script.wait(20.0);
                } else {
                    script.wait(200.0);
                    script.out("install_all_updates: Result = SUCCESS");
                }
            } else {
                script.wait(20.0);
            }
        } else {
            script.out(format!(
                "Executing /usr/sbin/syncroot in workload partition {name}."
            ));
            script.wait(15.0);
            script.out_lines(SYNCROOT_OK);
        }
        if defined {
            script.out("Shutting down all workload partition processes.");
            script.wait(1.0);
            script.out("Unloading workload partition.");
            script.out("Unmounting all workload partition file systems.");
            script.wait(1.0);
        }
        if ok {
            script.out(format!(
                "Workload partition {quoted} synchronized successfully."
            ));
            if !preview && (!detached_mode || images.is_some()) {
                synced.push(name.clone());
            }
        } else {
            script.err(msg::sync_error(name));
            failed = true;
        }
    }
    script.out("");
    script.out(if failed {
        "Return Status = FAILURE."
    } else {
        "Return Status = SUCCESS."
    });
    // Every synchronised WPAR is busy (Defined ones show T) until the end.
    let busy: Vec<(String, WparState)> = targets
        .iter()
        .filter(|w| !is_locked(w))
        .map(|w| (w.name.clone(), w.state.clone()))
        .collect();
    if let Some(host) = super::host_mut(world, host_name) {
        for (name, state) in &busy {
            if let Some(w) = host.wpar_mut(name) {
                w.busy = true;
                if *state == WparState::Defined {
                    w.state = WparState::Transitional;
                }
            }
        }
    }
    let elapsed = script.elapsed();
    let host_owned = host_name.to_string();
    world.schedule(elapsed, move |world| {
        let Some(host) = super::host_mut(world, &host_owned) else {
            return;
        };
        for (name, state) in busy {
            if let Some(w) = host.wpar_mut(&name) {
                w.busy = false;
                w.state = state;
            }
        }
        for name in synced {
            if let Some(w) = host.wpar_mut(&name) {
                w.oslevel = None;
            }
        }
    });
    script.finish(u32::from(failed))
}

/// Runs `migwpar`.
pub fn migwpar(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("migwpar", args, "AVC", "df") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), MIG_USAGE),
    };
    let images = opts.value('d');
    let Some(host) = host(world, host_name) else {
        return fail(["migwpar: no such host".to_string()]);
    };
    let global = host.oslevel.clone();
    let targets: Vec<SimWpar> = if opts.has('A') {
        host.wpars
            .iter()
            .filter(|w| {
                !w.is_application()
                    && w.state == WparState::Defined
                    && needs_migration(wpar_level(w, &global), &global)
                    && (!w.private_usr || images.is_some())
            })
            .cloned()
            .collect()
    } else {
        let [name] = opts.operands.as_slice() else {
            return usage(None, MIG_USAGE);
        };
        match host.wpar(name) {
            Some(wpar) => vec![wpar.clone()],
            None => return fail([msg::not_found("migwpar", name)]),
        }
    };
    let mut script = Script::new();
    let mut migrated = Vec::new();
    for wpar in &targets {
        let name = &wpar.name;
        if wpar.is_application() || (wpar.rootvg && wpar.private_usr) {
            return fail([msg::migrate_unsupported(name)]);
        }
        if is_locked(wpar) {
            return fail(msg::locked("migwpar"));
        }
        if wpar.state != WparState::Defined {
            return fail([msg::migrate_not_defined(name)]);
        }
        if !needs_migration(wpar_level(wpar, &global), &global) {
            script.out(msg::migrate_not_needed(name));
            continue;
        }
        if wpar.private_usr && images.is_none() {
            return fail([msg::migrate_needs_d(name)]);
        }
        let libc = super::layout::libc_level(&global);
        if wpar.private_usr {
            script.out_lines(["Detached WPAR list:".to_string(), name.clone()]);
        } else {
            script.out_lines(["Shared WPAR list:".to_string(), name.clone()]);
        }
        script.out(format!("WPAR {name} mount point:"));
        script.out(wpar.directory());
        script.wait(2.0);
        script.out("Mounting all workload partition file systems.");
        script.wait(2.0);
        script.out("Loading workload partition.");
        script.wait(3.0);
        script.out("Saving system configuration files.");
        script.wait(5.0);
        script.out("Checking for initial required migration space.");
        script.wait(5.0);
        script.out("Setting up for base operating system restore.");
        let slow = if wpar.private_usr { 5.0 } else { 1.0 };
        script.wait(60.0 * slow);
        for fileset in [
            "bos.rte",
            "bos.net.nfs.client",
            "bos.wpars",
            "perfagent.tools",
        ] {
            script.wait(15.0 * slow);
            if wpar.private_usr {
                script.out(format!(
                    "{fileset:<24} {libc:<12} USR      COMMIT      SUCCESS"
                ));
            }
            script.out(format!(
                "{fileset:<24} {libc:<12} ROOT     COMMIT      SUCCESS"
            ));
        }
        script.wait(20.0 * slow);
        script.out("install_all_updates: Result = SUCCESS");
        script.wait(10.0);
        script.out("Restoring device ODM database.");
        script.wait(3.0);
        script.out("Shutting down all workload partition processes.");
        script.out("wio0 Defined");
        script.wait(2.0);
        script.out("Unloading workload partition.");
        script.out("Unmounting all workload partition file systems.");
        script.wait(2.0);
        script.out("Cleaning up ...");
        script.wait(2.0);
        migrated.push(name.clone());
    }
    if let Some(host) = super::host_mut(world, host_name) {
        for name in &migrated {
            if let Some(w) = host.wpar_mut(name) {
                w.state = WparState::Transitional;
                w.busy = true;
            }
        }
    }
    if let Some(first) = migrated.first().cloned() {
        let elapsed = script.elapsed();
        at_end(world, host_name, &first, elapsed, move |h, _| {
            for name in &migrated {
                if let Some(w) = h.wpar_mut(name) {
                    w.state = WparState::Defined;
                    w.busy = false;
                    w.oslevel = None;
                }
            }
        });
    }
    script.finish(0)
}

/// Runs `clogin W [command]`: a few read-only commands inside an Active WPAR.
pub fn clogin(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let Some((name, command)) = args.split_first() else {
        return usage(None, "Usage: clogin wparname [-l user] [command [args]]");
    };
    let Some(host) = host(world, host_name) else {
        return fail(["clogin: no such host".to_string()]);
    };
    let Some(index) = host.wpars.iter().position(|w| &w.name == name) else {
        return fail([msg::not_found("clogin", name)]);
    };
    let wpar = &host.wpars[index];
    if wpar.state != WparState::Active {
        return fail([msg::clogin_inactive(name)]);
    }
    let level = if wpar.private_usr {
        wpar_level(wpar, &host.oslevel).to_string()
    } else {
        host.oslevel.clone()
    };
    let root_level = wpar_level(wpar, &host.oslevel).to_string();
    let words: Vec<&str> = command.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] => {
            let (v, r) = version_of(&root_level).unwrap_or((7, 1));
            Reply::ok(format!(
                "{BANNER}\n*\n*\n*  Welcome to AIX Version {v}.{r}!\n*\n*\n{BANNER}\n"
            ))
        }
        ["oslevel", "-s"] => Reply::ok(format!("{level}\n")),
        ["oslevel"] => Reply::ok(format!("{}\n", base_level(&level))),
        ["uname", "-W"] => Reply::ok(format!("{}\n", index + 1)),
        ["hostname"] => Reply::ok(format!("{}\n", wpar.hostname())),
        ["lppchk", "-v"] => {
            // A shared WPAR's /usr is the global's: its root part must be at that level.
            if !wpar.private_usr && root_level != host.oslevel {
                let lines = msg::lppchk_inconsistent(&super::layout::libc_level(&host.oslevel));
                Reply::fail_stderr(format!("{}\n", lines.join("\n")), 1)
            } else {
                Reply::silent()
            }
        }
        ["syncroot"] => {
            if needs_migration(&root_level, &host.oslevel) {
                Reply::ok(format!("{}\n", SYNCROOT_MIGRATE.join("\n"))).with_status(1)
            } else {
                Reply::ok(format!("{}\n", SYNCROOT_OK.join("\n")))
            }
        }
        [program, ..] => Reply::fail_stderr(format!("ksh: {program}:  not found.\n"), 127),
    }
}

/// `7100-00-02-1041` → `7.1.0.0` (what plain `oslevel` prints).
pub fn base_level(oslevel: &str) -> String {
    match version_of(oslevel) {
        Some((v, r)) => format!("{v}.{r}.0.0"),
        None => oslevel.to_string(),
    }
}
