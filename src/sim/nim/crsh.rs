//! `/usr/lpp/bos.sysmgt/nim/methods/c_rsh CLIENT COMMAND...`: the remote execution the
//! nimadm pre-flight uses (docs/procedures.md, "nimadm pre-flight"). The simulated client
//! answers a few commands: `hostname`, `oslevel [-s|-r]`, `lssrc -s nimsh`,
//! `ls [-d] /bos_inst`, `rm -r /bos_inst` (the leftover multibos directory of
//! docs/formats.md, "NIM: nimadm", is the client object's simulator-only `bos_inst_dir`),
//! `multibos -R` (which, as the published report of that failure warns, leaves
//! `/bos_inst` behind). As with the real c_rsh the remote exit status is not passed
//! back: c_rsh exits 0 once it reached the client. A client that is not running gives
//! `timedout` on stderr and exit 1.

use super::ops::{client_level, machine_hostname};
use super::{failure, msg, nim_host, nim_host_mut};
use crate::sim::aix::maint::base_level;
use crate::sim::reply::Reply;
use crate::sim::world::World;

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
        ["ls", rest @ ..] if rest.last() == Some(&"/bos_inst") => {
            if object.bos_inst_dir {
                if rest.iter().any(|w| w.starts_with('-') && w.contains('d')) {
                    ("/bos_inst\n".to_string(), String::new())
                } else {
                    ("bos_inst_log\nusr\nvar\n".to_string(), String::new())
                }
            } else {
                (
                    String::new(),
                    "ls: 0653-341 The file /bos_inst does not exist.\n".to_string(),
                )
            }
        }
        ["rm", rest @ ..] if rest.last() == Some(&"/bos_inst") => {
            let recursive = rest.iter().any(|w| w.starts_with('-') && (w.contains('r') || w.contains('R')));
            let force = rest.iter().any(|w| w.starts_with('-') && w.contains('f'));
            if !object.bos_inst_dir {
                if force {
                    (String::new(), String::new())
                } else {
                    (
                        String::new(),
                        "rm: /bos_inst: A file or directory in the path name does not exist.\n"
                            .to_string(),
                    )
                }
            } else if !recursive {
                (
                    String::new(),
                    "rm: 0653-603 Cannot remove directory /bos_inst.\n".to_string(),
                )
            } else {
                let name = object.name.clone();
                if let Some(h) = nim_host_mut(world, host) {
                    if let Some(o) = h.object_mut(&name) {
                        o.bos_inst_dir = false;
                    }
                }
                (String::new(), String::new())
            }
        }
        ["multibos", "-R"] => (
            "Initializing multibos methods ...\nRemoving standby BOS...\nmultibos: No standby BOS was found.\nReturn Status = SUCCESS\n"
                .to_string(),
            String::new(),
        ),
        [program, ..] => (String::new(), format!("ksh: {program}:  not found.\n")),
    };
    Reply::ok(out).stderr(err)
}
