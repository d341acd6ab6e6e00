//! One command line on one simulated host: shell rules, built-ins, faults, dispatch.

use super::control;
use super::estate::HostKind;
use super::reply::Reply;
use super::shell::{self, ShellFlavour, SimpleCommand};
use super::world::World;

/// What a host whose output is corrupted prints instead of an answer.
pub const GARBAGE: &str = "\u{1b}[?1049h\u{fffd}\u{fffd}#@!HSC\u{0}L name=cor\"rupt,lpar_i\n\u{fffd}%%%% 0xdeadbeef ,,,===\n";

/// Runs `line` on `host` as its shell would: each `;`-separated command in turn, the
/// exit status of the last one. Unknown hosts and programs answer like a shell.
///
/// A command starts only once the one before it has finished: simulated time moves on
/// by the earlier command's duration first, so what it scheduled (a reset taking a
/// second, a `sleep`) has happened when the next one reads the estate. The world's
/// clock may then run ahead of the caller's for as long as the reply plays out.
pub fn exec(world: &mut World, host: &str, line: &str) -> Reply {
    let Some(kind) = world
        .estate
        .host_names()
        .into_iter()
        .find(|(name, _)| *name == host)
        .map(|(_, kind)| kind)
    else {
        return Reply::fail_stderr(format!("no simulated host called {host}\n"), 255);
    };
    let flavour = match kind {
        HostKind::Hmc => ShellFlavour::Rbash,
        HostKind::Aix | HostKind::Nim => ShellFlavour::Ksh,
    };
    let commands = match shell::parse(line, flavour) {
        Ok(commands) => commands,
        Err(error) => return Reply::fail_stderr(error.message, error.exit_status),
    };
    let control_only = commands
        .iter()
        .all(|command| command.argv.first().map(String::as_str) == Some(control::PROGRAM));
    if world.host_faults(host).garbage && !control_only {
        return Reply::ok(GARBAGE);
    }
    let mut reply: Option<Reply> = None;
    let start = world.now();
    for command in &commands {
        if let Some(before) = &reply {
            world.advance(start + before.duration());
        }
        let next = run_one(world, host, kind, flavour, command);
        reply = Some(match reply {
            None => next,
            Some(reply) => reply.append(next),
        });
    }
    reply.unwrap_or_else(Reply::silent)
}

/// True when `line` only talks to the simulator itself, which answers even when the
/// host is stalled or dropping connections.
pub fn is_control(line: &str) -> bool {
    line.trim_start().starts_with(control::PROGRAM)
}

fn run_one(
    world: &mut World,
    host: &str,
    kind: HostKind,
    flavour: ShellFlavour,
    command: &SimpleCommand,
) -> Reply {
    let Some(program) = command.argv.first() else {
        return Reply::silent();
    };
    let answer = match program.as_str() {
        "echo" => Some(Reply::ok(format!("{}\n", command.argv[1..].join(" ")))),
        control::PROGRAM => Some(control::exec(world, &command.argv[1..])),
        _ => match kind {
            HostKind::Hmc => super::hmc::exec(world, host, command),
            HostKind::Aix => super::aix::exec(world, host, command),
            HostKind::Nim => super::nim::exec(world, host, command),
        },
    };
    answer.unwrap_or_else(|| {
        let (message, status) = flavour.not_found(program);
        Reply::fail_stderr(message, status)
    })
}
