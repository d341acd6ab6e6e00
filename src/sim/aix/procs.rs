//! The processes of the global environment that hold a WPAR's files: `fuser` finds them,
//! `kill` ends them (docs/procedures.md, "WPAR recovery", step 2).
//!
//! * `fuser [-c] [-x] [-u] PATH...`: for each path, its name on stderr and the process
//!   IDs on stdout, each with its use (`c` current directory, `e` executable, `r` root
//!   directory, `s` shared library); with `-c`, every process holding a file of the file
//!   system that holds the path.
//! * `kill [-SIGNAL | -s SIGNAL] PID...`: the process ends (whatever the signal).

use super::mounts::holding_mount;
use super::{fail, files::normalize, getopt::getopt, host, host_mut, msg, usage};
use crate::sim::reply::Reply;
use crate::sim::world::World;

const FUSER_USAGE: &str = "Usage: fuser [-c|-d|-f] [-k|-K Signal] [-u] [-x] [-V] File ...";

/// Runs `fuser`.
pub fn fuser(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let opts = match getopt("fuser", args, "cdfkuxV", "K") {
        Ok(opts) => opts,
        Err(message) => return usage(Some(&message), FUSER_USAGE),
    };
    if opts.operands.is_empty() {
        return usage(None, FUSER_USAGE);
    }
    let Some(host) = host(world, host_name) else {
        return fail(["fuser: no such host".to_string()]);
    };
    let whole_fs = opts.has('c') || opts.has('d');
    let mut out = String::new();
    let mut err = String::new();
    for operand in &opts.operands {
        let path = normalize(operand);
        let fs = holding_mount(host, &path).map(|row| row.over);
        err.push_str(&format!("{operand}: "));
        for wpar in &host.wpars {
            for holder in &wpar.holders {
                let holds = if whole_fs {
                    holding_mount(host, &holder.path).map(|row| row.over) == fs
                } else {
                    normalize(&holder.path) == path
                };
                if holds {
                    out.push_str(&format!("  {}{}", holder.pid, holder.usage));
                }
            }
        }
        err.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    Reply::ok(out).stderr(err)
}

/// Runs `kill`.
pub fn kill(world: &mut World, host_name: &str, args: &[String]) -> Reply {
    let mut pids: Vec<&String> = Vec::new();
    let mut rest = args.iter().peekable();
    while let Some(arg) = rest.next() {
        if arg == "-s" {
            rest.next();
        } else if !arg.starts_with('-') {
            pids.push(arg);
        }
    }
    if pids.is_empty() {
        return usage(
            None,
            "Usage: kill [ -SignalName | -SignalNumber ] ProcessID ...",
        );
    }
    let Some(host) = host_mut(world, host_name) else {
        return fail(["kill: no such host".to_string()]);
    };
    let mut err = Vec::new();
    for pid in pids {
        let found = pid.parse::<u32>().ok().is_some_and(|number| {
            let mut found = false;
            for wpar in host.wpars.iter_mut() {
                let before = wpar.holders.len();
                wpar.holders.retain(|holder| holder.pid != number);
                found |= wpar.holders.len() != before;
            }
            found
        });
        if !found {
            err.push(msg::no_process(pid));
        }
    }
    if err.is_empty() {
        Reply::silent()
    } else {
        fail(err)
    }
}
