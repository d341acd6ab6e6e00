//! The simulated NIM master: `lsnim` (plain, `-l`, `-c`, `-t`, `-a`, `-q`), the `nim`
//! operations an ops console needs (reset, allocate, deallocate, check, lslpp, showlog,
//! showres, remove, sync, takeover), `c_rsh` and `nimadm` for the nimadm pre-flight of
//! docs/procedures.md, "nimadm pre-flight", and the few AIX commands the NIM wizards
//! read on the master (`df`, `ls -d`, `du -sk`, `lsvg`, `lslpp -L`, `sleep`).
//! Machines marked `progressing` move on with simulated time ([`progress`]).
//!
//! The database is the host's `objects` list (spelling and order of docs/formats.md,
//! "NIM: lsnim -l"). HANIM follows "NIM: alternate master" there:
//! `nim -o sync -a force=yes [-a replicate=yes] ALT` on the primary replaces the alternate
//! master's database with a reset copy of its own (the alternate host is the estate NIM
//! host the `alternate_master` object names); `nim -o takeover OLD` on the alternate makes
//! it the `current_master` of every client. A master that is not a client's current
//! master gets 0042-378 from `nim -o lslpp`.

pub mod crsh;
pub mod filesets;
pub mod hanim;
pub mod lsnim;
pub mod msg;
pub mod nimadm;
pub mod ops;
pub mod progress;
pub mod system;

use crate::sim::estate::NimHost;
use crate::sim::reply::Reply;
use crate::sim::shell::SimpleCommand;
use crate::sim::world::World;

pub use msg::NimError;

/// Runs one command on a simulated NIM host; `None` when the host has no such program.
pub fn exec(world: &mut World, host: &str, command: &SimpleCommand) -> Option<Reply> {
    let program = command.argv.first()?;
    let program = program.rsplit('/').next().unwrap_or(program).to_string();
    let args = &command.argv[1..];
    nim_host(world, host)?;
    progress::catch_up(world, host);
    let reply = match program.as_str() {
        "lsnim" => lsnim::run(world, host, args),
        "nim" => ops::run(world, host, args),
        "c_rsh" => crsh::run(world, host, args),
        "nimadm" => nimadm::run(world, host, args),
        "df" => system::df(world, host, args),
        "ls" => system::ls(world, host, args),
        "du" => system::du(world, host, args),
        "lsvg" => system::lsvg(world, host, args),
        "lslpp" => system::lslpp(world, host, args),
        "sleep" => system::sleep(args),
        "oslevel" => {
            let level = nim_host(world, host)?.oslevel().to_string();
            match args.first().map(String::as_str) {
                Some("-s") => Reply::ok(format!("{level}\n")),
                Some("-r") => Reply::ok(format!("{}\n", level.get(..7).unwrap_or(&level))),
                _ => Reply::ok(format!("{}\n", crate::sim::aix::maint::base_level(&level))),
            }
        }
        "hostname" => Reply::ok(format!("{}\n", nim_host(world, host)?.master_hostname())),
        _ => return None,
    };
    Some(reply)
}

/// The NIM host called `name`.
pub fn nim_host<'a>(world: &'a World, name: &str) -> Option<&'a NimHost> {
    world.estate.nim.iter().find(|h| h.name == name)
}

/// The NIM host called `name`, to change it.
pub fn nim_host_mut<'a>(world: &'a mut World, name: &str) -> Option<&'a mut NimHost> {
    world.estate.nim.iter_mut().find(|h| h.name == name)
}

/// A failure reply from a NIM error.
pub fn failure(error: NimError) -> Reply {
    Reply::fail_stderr(error.text(), error.status)
}

pub use crate::estate::nim::ALLOCATABLE_RESOURCE_TYPES as RESOURCE_TYPES;

/// The NIM object named by a host reference: the estate NIM host called `name`, or
/// whose master host name is `name`.
pub fn host_by_reference<'a>(world: &'a World, name: &str) -> Option<&'a NimHost> {
    world
        .estate
        .nim
        .iter()
        .find(|h| h.name == name || h.master_hostname() == name)
}

/// True when the host answers (it is not stalled or dropping connections).
pub fn reachable(world: &World, host: &str) -> bool {
    let faults = world.host_faults(host);
    !faults.stalled && !faults.dropping
}
