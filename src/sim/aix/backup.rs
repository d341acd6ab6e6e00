//! `mkwpar`, `savewpar` and `restwpar` (docs/formats.md, "AIX: mkwpar", "AIX: savewpar",
//! "AIX: restwpar").
//!
//! * `mkwpar -w -e W -o FILE` writes W's specification file (no output).
//! * `mkwpar -f SPEC [-p] [-n NAME] [-N ...]`, `mkwpar -n NAME [-l] [-c] [-A] [-h H]
//!   [-N address=... netmask=...] [-D rootvg=yes devname=hdiskN] [-s]` create a WPAR:
//!   it shows `T` until created (about 45 s shared, 180 s detached, 15 s with `-p`),
//!   then `D` (or `A` with `-s`). Its file systems take `free_mb` (a rootvg WPAR 64 MB);
//!   when they do not fit, mklv fails (0516-404, 0516-822, 0960-351) and no WPAR is left.
//! * `savewpar [-i] -f FILE W` writes a savewpar image of W (45 s per GB of W's data),
//!   local files taking `free_mb`, files on the shared directory its free space. An
//!   image larger than the shell's file-size limit stops at the limit (EFBIG), exit 1,
//!   and is left cut short; a read-only shared directory refuses it.
//! * `restwpar -f FILE [-n NAME] [-C] [-s] [-F] [-h H] [-d DIR] [-w SPEC]` recreates the
//!   WPAR (60 s per GB). A level mismatch prints 0960-507 and, without `-C`, fails with
//!   0960-508. When the WPAR's file systems do not fit in `free_mb` the restore fails
//!   with the LVM messages, `wparidata: Error processing image.data` and 0960-514, exit
//!   1, and the WPAR is left **absent** (mkwpar cleans up what it created). An image cut
//!   short, or one saved on AIX 6 restored on a 7.1 global without APAR IZ99829, fails
//!   once the file systems are made, and the WPAR is left **half-created**, Broken.

use super::files::{self, normalize};
use super::layout::{file_count, libc_level, mounts, wpar_level};
use super::lifecycle::{at_end, end_in, is_locked, start_lines};
use super::{fail, getopt::getopt, host, host_mut, msg, usage, valid_wpar_name, Script};
use crate::estate::WparState;
use crate::sim::estate::aix::{FileKind, SimFile};
use crate::sim::estate::SimWpar;
use crate::sim::reply::Reply;
use crate::sim::shell::ShellState;
use crate::sim::world::World;

/// The fix a 7.1 global needs to restore a WPAR saved on AIX 6.1 (docs/procedures.md,
/// "WPAR move").
pub const APAR_6_ON_7: &str = "IZ99829";

const MKWPAR_USAGE: &str = "Usage: mkwpar [-a] [-A] [-c] [-d directory] [-D attribute=value ...] [-e existingwparname] [-f infile] [-F] [-h hostname] [-l] [-n wparname] [-N attribute=value ...] [-o outfile [-w]] [-p [name]] [-r] [-s] [-v]";
const SAVEWPAR_USAGE: &str = "Usage: savewpar [-X] [-V] [-i] [-m] [-e] [-b blocks] [-f device] [-p] [-v]\n        [-N] [-a] [-A] [-Z] wparName";
const RESTWPAR_USAGE: &str =
    "Usage: restwpar [-a] [-A] [-b Blocks] [-B devexportsFile ] [-C] [-d directory]
        [-f Device] [-F] [-h hostName] [-i imagedataFileName] [-k]
        [-K postInstallationScript] [-M mkwparFlags] [-n WPARName]
        [-r] [-s] [-S {a|A|f|F|n}] [-U] [-v] [-w wparSpecificationFile]";

/// The mkwpar flags followed by `attribute=value` words.
const ATTRIBUTE_FLAGS: &str = "DILMNRSTX";

/// Joins the `attribute=value` words after `-N`, `-D`, `-M`... into that flag's
/// argument (blank-separated), as mkwpar reads them.
fn join_attribute_words(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        let is_attr_flag = arg.len() == 2
            && arg.starts_with('-')
            && arg[1..].chars().all(|c| ATTRIBUTE_FLAGS.contains(c));
        out.push(arg.clone());
        index += 1;
        if is_attr_flag {
            let mut words: Vec<String> = Vec::new();
            while index < args.len() && !args[index].starts_with('-') && args[index].contains('=') {
                words.push(args[index].clone());
                index += 1;
            }
            if !words.is_empty() {
                out.push(words.join(" "));
            }
        }
    }
    out
}

/// `address=1.2.3.4 netmask=...` → pairs.
fn attributes(text: &str) -> Vec<(String, String)> {
    text.split_whitespace()
        .filter_map(|word| word.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A WPAR definition ready to go into a spec file or an image: no runtime state.
fn definition(wpar: &SimWpar) -> SimWpar {
    let mut copy = wpar.clone();
    copy.state = WparState::Defined;
    copy.busy = false;
    copy.first_lv = None;
    copy.leftover_mount = None;
    copy.holders.clear();
    copy
}

/// Runs `mkwpar`.
pub fn mkwpar(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let args = join_attribute_words(args);
    let opts = match getopt(
        "mkwpar",
        &args,
        "aAcCFilOPrstvwWp",
        "bBdDeEfgHhIkKLMnNoRSTuUX",
    ) {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), MKWPAR_USAGE),
    };
    let Some(host) = host(world, host_name) else {
        return fail(["mkwpar: no such host".to_string()]);
    };
    let preserve = opts.has('p');

    // Where the definition comes from: a spec file, an existing WPAR, or nothing.
    let mut wpar = if let Some(spec) = opts.value('f') {
        match files::find(world, host_name, spec) {
            Some(SimFile {
                kind: FileKind::Spec,
                wpar: Some(wpar),
                ..
            }) => definition(&wpar),
            Some(_) => return fail([msg::not_spec(spec)]),
            None => return fail([format!("mkwpar: Cannot open {spec}: {}", msg::NO_SUCH_FILE)]),
        }
    } else if let Some(existing) = opts.value('e') {
        match host.wpar(existing) {
            Some(wpar) => definition(wpar),
            None => return fail([msg::not_found("mkwpar", existing)]),
        }
    } else if let Some(name) = opts.value('n') {
        let mut wpar = SimWpar::new(name);
        wpar.size_mb = 352;
        wpar
    } else {
        return usage(None, MKWPAR_USAGE);
    };
    wpar.damaged = false;
    if let Some(name) = opts.value('n') {
        if wpar.name != name {
            if wpar.hostname.as_deref() == Some(wpar.name.as_str()) {
                wpar.hostname = None;
            }
            if wpar.directory.as_deref() == Some(format!("/wpars/{}", wpar.name).as_str()) {
                wpar.directory = None;
            }
            wpar.uuid = None;
            wpar.name = name.to_string();
        }
    }
    if opts.has('l') && !wpar.private_usr {
        wpar.private_usr = true;
        wpar.size_mb = wpar.size_mb.max(2_400);
    }
    if opts.has('c') {
        wpar.checkpointable = true;
    }
    if opts.has('A') {
        wpar.auto_start = true;
    }
    if let Some(hostname) = opts.value('h') {
        wpar.hostname = Some(hostname.to_string());
    }
    if let Some(directory) = opts.value('d') {
        wpar.directory = Some(normalize(directory));
    }
    for network in opts.values('N') {
        for (key, value) in attributes(network) {
            match key.as_str() {
                "address" => wpar.address = Some(value),
                "netmask" => wpar.netmask = Some(value),
                "interface" => wpar.interface = Some(value),
                _ => {}
            }
        }
    }
    for device in opts.values('D') {
        let attrs = attributes(device);
        if attrs.iter().any(|(k, v)| k == "rootvg" && v == "yes") {
            wpar.rootvg = true;
            if let Some((_, disk)) = attrs.iter().find(|(k, _)| k == "devname") {
                wpar.rootvg_disk = Some(disk.clone());
            }
        }
    }

    // -w: only write the specification.
    if opts.has('w') {
        let Some(out) = opts.value('o') else {
            return usage(None, MKWPAR_USAGE);
        };
        let spec = SimFile {
            path: normalize(out),
            size_mb: 0,
            kind: FileKind::Spec,
            wpar: Some(wpar),
            oslevel: None,
            truncated: false,
        };
        if let Err(error) = files::store(world, host_name, spec) {
            return fail([format!("mkwpar: {}: {}", normalize(out), error.text())]);
        }
        return Reply::silent();
    }

    // A new WPAR is installed at the global's level; -p reattaches the old data.
    if !preserve {
        wpar.oslevel = None;
    }

    if let Some(image) = opts.value('B') {
        let options = Restore {
            cmd: "mkwpar",
            name: Some(wpar.name.clone()),
            compat: true,
            force: false,
            start: opts.has('s'),
            hostname: opts.value('h').map(str::to_string),
            directory: opts.value('d').map(normalize),
            spec: None,
            verbose: opts.has('v'),
        };
        return restore(world, host_name, image, options);
    }

    if !valid_wpar_name(&wpar.name) {
        return fail([msg::bad_name("mkwpar", &wpar.name)]);
    }
    let Some(host) = super::host(world, host_name) else {
        return fail(["mkwpar: no such host".to_string()]);
    };
    if host.wpar(&wpar.name).is_some() {
        return fail([msg::exists("mkwpar", &wpar.name)]);
    }
    let needed = if preserve && !wpar.rootvg {
        0
    } else {
        wpar.global_mb()
    };
    let fits = host.free_mb >= needed;
    let name = wpar.name.clone();
    let start = opts.has('s');

    // The new WPAR shows up in T while it is created; its LVs get their numbers now.
    let mut created = wpar.clone();
    created.state = WparState::Transitional;
    created.busy = true;
    let Some(host) = host_mut(world, host_name) else {
        return fail(["mkwpar: no such host".to_string()]);
    };
    host.wpars.push(created);
    host.assign_logical_volumes();
    if fits {
        host.free_mb -= needed;
    }
    let Some(wpar) = host.wpar(&name).cloned() else {
        return fail(["mkwpar: internal error".to_string()]);
    };

    let mut script = Script::new();
    if !preserve {
        if wpar.rootvg {
            script.out("Creating workload partition's rootvg. Please wait...");
            script.wait(10.0);
        }
        script.out("mkwpar: Creating file systems...");
        for mount in mounts(&wpar) {
            script.wait(1.0);
            script.out(&mount.inside);
            if mount.logical_volume.is_some() && !fits {
                script.wait(1.0);
                script.err_lines(msg::no_space_lines());
                script.err(msg::fs_create_failed(&mount.inside));
                script.wait(1.0);
                at_end(world, host_name, &name, script.elapsed(), |h, name| {
                    h.wpars.retain(|w| w.name != name);
                });
                return script.finish(1);
            }
        }
    }
    script.out("Mounting all workload partition file systems.");
    if !preserve && (wpar.private_usr || wpar.rootvg) {
        script.wait(2.0);
        script.out("mkwpar: Copying base files...");
        for dir in [
            "./usr",
            "./lib",
            "./admin",
            "./admin/tmp",
            "./audit",
            "./dev",
            "./etc",
        ] {
            script.wait(if wpar.private_usr { 20.0 } else { 3.0 });
            script.out(format!("x {dir}"));
        }
    }
    script.wait(if preserve { 10.0 } else { 25.0 });
    script.out_lines([
        "syncroot: Processing root part installation status.",
        "syncroot: Installp root packages are currently synchronized.",
        "syncroot: RPM root packages are currently synchronized.",
        "syncroot: Root part is currently synchronized.",
        "syncroot: Returns Status = SUCCESS",
    ]);
    script.wait(2.0);
    script.out(format!("Workload partition {name} created successfully."));
    if start {
        let mut defined = wpar.clone();
        defined.state = WparState::Defined;
        let now = world
            .now()
            .as_secs()
            .saturating_add(script.elapsed().as_secs());
        start_lines(&mut script, &defined, opts.has('v'), now);
        end_in(world, host_name, &name, script.elapsed(), WparState::Active);
    } else {
        script.out(
            "mkwpar: 0960-390 To start the workload partition, execute the following as root:",
        );
        script.out(format!("startwpar [-v] {name}"));
        end_in(
            world,
            host_name,
            &name,
            script.elapsed(),
            WparState::Defined,
        );
    }
    script.finish(0)
}

/// Runs `savewpar` in a shell with `shell`'s file-size limit.
pub fn savewpar(world: &mut World, host_name: &str, args: &[String], shell: &ShellState) -> Reply {
    let opts = match getopt("savewpar", args, "XViemvpNaAZB", "bf") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), SAVEWPAR_USAGE),
    };
    let [name] = opts.operands.as_slice() else {
        return usage(None, SAVEWPAR_USAGE);
    };
    let Some((wpar, global)) = super::wpar_snapshot(world, host_name, name) else {
        return fail([msg::not_found("savewpar", name)]);
    };
    if wpar.is_application() {
        return fail([msg::not_system("savewpar", name)]);
    }
    if is_locked(&wpar) {
        return fail(msg::locked("savewpar"));
    }
    let Some(device) = opts.value('f') else {
        return fail([msg::NO_TAPE.to_string()]);
    };
    let path = normalize(device);
    let cut_at = shell
        .largest_file_mb()
        .filter(|_| !shell.file_fits(wpar.size_mb));
    let image = SimFile {
        path: path.clone(),
        size_mb: cut_at.unwrap_or(wpar.size_mb),
        kind: FileKind::Savewpar,
        wpar: Some(definition(&wpar)),
        oslevel: Some(wpar_level(&wpar, &global).to_string()),
        truncated: cut_at.is_some(),
    };
    let count = file_count(&wpar);
    let mut script = Script::new();
    if wpar.rootvg {
        script.out("Bringing up WPAR's rootvg disks for backup. Please wait...");
        script.wait(5.0);
    } else if opts.has('i') || opts.has('m') {
        script.out(format!(
            "Creating information file (/image.data) for {name}."
        ));
        script.wait(2.0);
    }
    if wpar.state == WparState::Defined && !wpar.rootvg {
        script.out("Mounting all workload partition file systems.");
        script.wait(1.0);
    }
    script.out("Creating list of files to back up");
    script.wait(3.0);
    let total = (wpar.size_mb as f64 / 1024.0 * 45.0).max(8.0);
    if let Err(error) = files::store(world, host_name, image.clone()) {
        script.out_raw(format!("Backing up {count} files"));
        script.wait(2.0);
        script.out("");
        script.err(msg::backup_no_space(&path));
        script.err(error.text());
        return script.finish(1);
    }
    script.out_raw(format!("Backing up {count} files"));
    let dots = match cut_at {
        Some(limit) => (limit.saturating_mul(5) / wpar.size_mb.max(1)).min(4),
        None => 5,
    };
    for _ in 0..dots {
        script.wait(total / 5.0);
        script.out_raw(".");
    }
    script.out("");
    let status = if cut_at.is_some() {
        script.wait(total / 10.0);
        script.err(msg::backup_no_space(&path));
        script.err(msg::FILE_TOO_LARGE);
        1
    } else {
        script.out(format!("{count} of {count} files backed up (100%)"));
        script.out("0512-038 savewpar: Backup Completed Successfully.");
        0
    };
    if wpar.rootvg {
        script.wait(3.0);
        script.out("Reverting back to the previous state of WPAR...");
    } else if wpar.state == WparState::Defined {
        script.out("Unmounting all workload partition file systems.");
    }
    script.wait(1.0);
    let reply = script.finish(status);
    let duration = reply.duration();
    // The image appears when the backup ends; the WPAR's lock is held meanwhile.
    if let Some(host) = host_mut(world, host_name) {
        host.files.retain(|f| f.path != path);
        if let Some(w) = host.wpar_mut(name) {
            w.busy = true;
        }
    }
    at_end(world, host_name, name, duration, move |h, name| {
        h.files.retain(|f| f.path != image.path);
        h.files.push(image);
        if let Some(w) = h.wpar_mut(name) {
            w.busy = false;
        }
    });
    reply
}

/// What a restore (restwpar, mkwpar -B) was asked to do.
struct Restore {
    cmd: &'static str,
    name: Option<String>,
    compat: bool,
    force: bool,
    start: bool,
    hostname: Option<String>,
    directory: Option<String>,
    spec: Option<SimWpar>,
    verbose: bool,
}

/// Runs `restwpar`.
pub fn restwpar(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("restwpar", args, "aACFkrsUv", "bBdfhiKMnSw") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), RESTWPAR_USAGE),
    };
    if !opts.operands.is_empty() {
        return usage(None, RESTWPAR_USAGE);
    }
    let spec = match opts.value('w') {
        Some(spec) => match files::find(world, host_name, spec) {
            Some(SimFile {
                kind: FileKind::Spec,
                wpar: Some(wpar),
                ..
            }) => Some(wpar),
            _ => {
                return fail([format!(
                    "restwpar: Cannot open {spec}: {}",
                    msg::NO_SUCH_FILE
                )])
            }
        },
        None => None,
    };
    let options = Restore {
        cmd: "restwpar",
        name: opts.value('n').map(str::to_string),
        compat: opts.has('C'),
        force: opts.has('F'),
        start: opts.has('s'),
        hostname: opts.value('h').map(str::to_string),
        directory: opts.value('d').map(normalize),
        spec,
        verbose: opts.has('v'),
    };
    let device = opts.value('f').unwrap_or("/dev/rmt0");
    restore(world, host_name, device, options)
}

fn restore(world: &mut World, host_name: &str, device: &str, options: Restore) -> Reply {
    let cmd = options.cmd;
    let Some(image) = files::find(world, host_name, device) else {
        return fail([format!(
            "{cmd}: Cannot open {device}: {}",
            msg::NO_SUCH_FILE
        )]);
    };
    let (FileKind::Savewpar, Some(saved)) = (image.kind, image.wpar.clone()) else {
        return fail([msg::not_image(cmd, device)]);
    };
    let Some(host) = host(world, host_name) else {
        return fail([format!("{cmd}: no such host")]);
    };
    let global = host.oslevel.clone();

    // The WPAR to create: the image's definition, or the alternate spec's, renamed.
    let mut wpar = match &options.spec {
        Some(spec) => {
            let mut wpar = definition(spec);
            wpar.size_mb = saved.size_mb;
            wpar
        }
        None => definition(&saved),
    };
    if let Some(name) = &options.name {
        if *name != wpar.name {
            if wpar.hostname.as_deref() == Some(wpar.name.as_str()) {
                wpar.hostname = None;
            }
            wpar.directory = None;
            wpar.uuid = None;
            wpar.name = name.clone();
        }
    }
    if let Some(hostname) = &options.hostname {
        wpar.hostname = Some(hostname.clone());
    }
    if let Some(directory) = &options.directory {
        wpar.directory = Some(directory.clone());
    }
    let saved_level = image.oslevel.clone().unwrap_or_else(|| global.clone());
    wpar.oslevel = (saved_level != global).then(|| saved_level.clone());
    wpar.damaged = false;
    let name = wpar.name.clone();
    if !valid_wpar_name(&name) {
        return fail([msg::bad_name(cmd, &name)]);
    }
    let mut replaced = None;
    if let Some(existing) = host.wpar(&name) {
        if !options.force {
            return fail([msg::exists(cmd, &name)]);
        }
        if is_locked(existing) || existing.state == WparState::Active {
            return fail(msg::locked(cmd));
        }
        replaced = Some(existing.global_mb());
    }

    let mut script = Script::new();
    script.out_lines([
        format!("New volume on {device}:"),
        "Cluster 51200 bytes (100 blocks).".to_string(),
        "Volume number 1".to_string(),
        "Date of backup: Mon Apr 18 05:12:31 2011".to_string(),
        "Files backed up by name".to_string(),
        "User root".to_string(),
    ]);
    script.wait(1.0);
    script.out_lines([
        "x          2917 ./savewpar_dir/wpar.spec",
        "x          6617 ./savewpar_dir/image.data",
        "x         162038 ./savewpar_dir/backup.data",
        "total size: 171572",
        "files restored: 3",
    ]);
    let saved_libc = libc_level(&saved_level);
    let running_libc = libc_level(&global);
    if saved_libc != running_libc {
        script.wait(1.0);
        script.err(msg::level_mismatch(&saved_libc, &running_libc));
        if !options.compat {
            script.err_lines(msg::COMPAT_FAILED);
            return script.finish(1);
        }
    }
    script.wait(1.0);

    // Replace an existing WPAR of that name (-F), then show the new one in T.
    let Some(host) = host_mut(world, host_name) else {
        return fail([format!("{cmd}: no such host")]);
    };
    if let Some(freed) = replaced {
        host.wpars.retain(|w| w.name != name);
        host.free_mb = host.free_mb.saturating_add(freed);
    }
    let needed = wpar.global_mb();
    let fits = host.free_mb >= needed;
    let mut created = wpar.clone();
    created.state = WparState::Transitional;
    created.busy = true;
    host.wpars.push(created);
    host.assign_logical_volumes();
    if fits {
        host.free_mb -= needed;
    }
    let Some(wpar) = host.wpar(&name).cloned() else {
        return fail([format!("{cmd}: internal error")]);
    };

    if wpar.rootvg {
        script.out("Creating workload partition's rootvg. Please wait...");
        script.wait(10.0);
    }
    script.out("mkwpar: Creating file systems...");
    for mount in mounts(&wpar) {
        script.wait(1.0);
        script.out(&mount.inside);
        let Some(lv) = &mount.logical_volume else {
            continue;
        };
        if !fits {
            script.wait(1.0);
            script.err_lines(msg::no_space_lines());
            script.err(format!(
                "bosinst_mkobject: failed command: /usr/sbin/mklv -o n -L {} -u 32 -r y -b y -d p -v n -s y -w a -a m -e m -c 1 -x 512 -t jfs2 -y {lv} rootvg {}",
                mount.inside,
                (wpar.size_mb / 4 / 64).max(1)
            ));
            script.err("wparidata: Error processing image.data");
            script.err(msg::MKWPAR_FAILED);
            script.wait(1.0);
            at_end(world, host_name, &name, script.elapsed(), |h, name| {
                h.wpars.retain(|w| w.name != name);
            });
            return script.finish(1);
        }
        script.out(format!(
            "Creating logical volume '{lv}' specified in image.data"
        ));
        script.out(format!(
            "Creating file system '{}' specified in image.data",
            mount.inside
        ));
    }
    let count = file_count(&wpar);
    let lacks_apar = super::layout::version_of(&saved_level).is_some_and(|(v, _)| v == 6)
        && super::layout::version_of(&global) == Some((7, 1))
        && !super::host(world, host_name).is_some_and(|h| h.has_apar(APAR_6_ON_7));
    if image.truncated || lacks_apar {
        // The definition and file systems exist now; the data does not come.
        script.wait((wpar.size_mb as f64 / 1024.0 * 30.0).max(5.0));
        script.out(format!("x          1 ./wpars/{name}"));
        if image.truncated {
            script.err(msg::image_cut_short(device));
            script.err(msg::restore_data_failed(&name));
        } else {
            script.err(msg::needs_apar(&name, APAR_6_ON_7));
        }
        script.wait(1.0);
        end_in(world, host_name, &name, script.elapsed(), WparState::Broken);
        return script.finish(1);
    }
    script.wait((wpar.size_mb as f64 / 1024.0 * 60.0).max(10.0));
    script.out(format!("x          1 ./wpars/{name}"));
    script.out("x          0 ./proc");
    script.out(format!(
        "total size: {}",
        wpar.size_mb.saturating_mul(1_048_576) / 10 * 9
    ));
    script.out(format!("files restored: {count}"));
    script.wait(5.0);
    script.out_lines([
        "syncroot: Processing root part installation status.",
        "syncroot: Installp root packages are currently synchronized.",
        "syncroot: RPM root packages are currently synchronized.",
        "syncroot: Root part is currently synchronized.",
        "syncroot: Returns Status = SUCCESS",
    ]);
    script.wait(1.0);
    script.out(format!("Workload partition {name} created successfully."));
    if options.start {
        let mut defined = wpar.clone();
        defined.state = WparState::Defined;
        if super::layout::needs_migration(wpar_level(&defined, &global), &global) {
            script.out(format!("Starting workload partition '{name}'."));
            script.wait(1.0);
            script.out("Mounting all workload partition file systems.");
            script.wait(2.0);
            script.err(msg::LEVEL_NOT_SUPPORTED);
            script.out("Unmounting all workload partition file systems.");
            end_in(
                world,
                host_name,
                &name,
                script.elapsed(),
                WparState::Defined,
            );
            return script.finish(1);
        }
        let now = world
            .now()
            .as_secs()
            .saturating_add(script.elapsed().as_secs());
        start_lines(&mut script, &defined, options.verbose, now);
        end_in(world, host_name, &name, script.elapsed(), WparState::Active);
    } else {
        script.out(
            "mkwpar: 0960-390 To start the workload partition, execute the following as root:",
        );
        script.out(format!("startwpar [-v] {name}"));
        end_in(
            world,
            host_name,
            &name,
            script.elapsed(),
            WparState::Defined,
        );
    }
    script.finish(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_words_join() {
        let args: Vec<String> = [
            "-n",
            "w1",
            "-N",
            "address=1.2.3.4",
            "netmask=255.0.0.0",
            "-s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            join_attribute_words(&args),
            ["-n", "w1", "-N", "address=1.2.3.4 netmask=255.0.0.0", "-s"]
        );
    }
}
