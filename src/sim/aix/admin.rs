//! `chwpar` (the auto-start and checkpointable settings) and `instfix -ik` (which fixes
//! a global has), as docs/procedures.md, "WPAR move", uses them.
//!
//! * `chwpar -A W` turns auto start on, `chwpar -K -A W` off (`-K` negates the flags it
//!   comes with); `-c`/`-K -c` the same for checkpointable, refused on a running WPAR
//!   (0960-545). Other settings are not simulated and are refused as such.
//! * `instfix -ik APAR` answers from the estate's `apars`; with `-F` the exit status is
//!   1 unless all its filesets are there.

use super::lifecycle::is_locked;
use super::{fail, getopt::getopt, host, msg, usage, wpar_mut};
use crate::estate::WparState;
use crate::sim::reply::Reply;
use crate::sim::world::World;

const CHWPAR_USAGE: &str = "Usage: chwpar [-a] [-A] [-c] [-d directory] [-F] [-h hostname] [-i] [-K] [-n newname] [-v] wparname";
const INSTFIX_USAGE: &str = "Usage: instfix [-T [-M Platform]] [-s String] [ -S ] [-k Keyword | -f File] [-d Device] [-i] [-c] [-q] [-t Type] [-v] [-F] [-a]";

/// Runs `chwpar`.
pub fn chwpar(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("chwpar", args, "aAcFiKvxP", "bBdDhIMnNRSuUX") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), CHWPAR_USAGE),
    };
    let [name] = opts.operands.as_slice() else {
        return usage(None, CHWPAR_USAGE);
    };
    let simulated = |flag: &char| matches!(flag, 'A' | 'c' | 'K' | 'v');
    if let Some((flag, _)) = opts.flags.iter().find(|(flag, _)| !simulated(flag)) {
        return usage(
            Some(&format!(
                "chwpar: the powerdeck simulator changes only -A and -c, not -{flag}"
            )),
            CHWPAR_USAGE,
        );
    }
    if !opts.has('A') && !opts.has('c') {
        return usage(None, CHWPAR_USAGE);
    }
    let Some(wpar) = host(world, host_name).and_then(|h| h.wpar(name)).cloned() else {
        return fail([msg::not_found("chwpar", name)]);
    };
    if wpar.is_application() {
        return fail([msg::not_system("chwpar", name)]);
    }
    if is_locked(&wpar) {
        return fail(msg::locked("chwpar"));
    }
    if opts.has('c') && wpar.state == WparState::Active {
        return fail([msg::CHECKPOINT_RUNNING.to_string()]);
    }
    let on = !opts.has('K');
    if let Some(wpar) = wpar_mut(world, host_name, name) {
        if opts.has('A') {
            wpar.auto_start = on;
        }
        if opts.has('c') {
            wpar.checkpointable = on;
        }
    }
    Reply::silent()
}

/// Runs `instfix -ik APAR` (also `-i -k`, `-ivk`, with `-F`).
pub fn instfix(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("instfix", args, "aciqvFSTp", "kfdstM") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), INSTFIX_USAGE),
    };
    let (Some(keyword), true, true) = (opts.value('k'), opts.has('i'), opts.operands.is_empty())
    else {
        return usage(None, INSTFIX_USAGE);
    };
    let Some(host) = host(world, host_name) else {
        return fail(["instfix: no such host".to_string()]);
    };
    let found = host.has_apar(keyword);
    let line = if found {
        msg::apar_found(keyword)
    } else {
        msg::apar_unknown(keyword)
    };
    let status = u32::from(!found && opts.has('F'));
    Reply::ok(format!("{line}\n")).with_status(status)
}
