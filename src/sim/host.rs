//! One command line on one simulated host: shell rules, built-ins, faults, dispatch.
//!
//! A line runs one command at a time ([`Call`]): every command of `a; b`, `a && b` or
//! `sh -c '...'` starts on the world the commands before it left, at the moment it
//! starts, and `ulimit` holds for the rest of its own shell only.

use std::time::Duration;

use super::control;
use super::estate::HostKind;
use super::reply::Reply;
use super::shell::{self, Listed, ShellFlavour, ShellState, SimpleCommand};
use super::world::World;

/// What a host whose output is corrupted prints instead of an answer.
pub const GARBAGE: &str = "\u{1b}[?1049h\u{fffd}\u{fffd}#@!HSC\u{0}L name=cor\"rupt,lpar_i\n\u{fffd}%%%% 0xdeadbeef ,,,===\n";

/// Runs `line` on `host` in process, as its shell would: each command in turn, the exit
/// status of the list. Unknown hosts and programs answer like a shell.
///
/// A command starts only once the one before it has finished: simulated time moves on
/// by the earlier command's duration first, so what it scheduled (a reset taking a
/// second, a stop) has happened when the next one reads the estate. The world's clock
/// may then run ahead of the caller's for as long as the reply plays out; it is not moved
/// past the last command. The SSH server runs a [`Call`] itself, on the clock.
pub fn exec(world: &mut World, host: &str, line: &str) -> Reply {
    let mut call = match Call::start(world, host, line) {
        Ok(call) => call,
        Err(reply) => return reply,
    };
    let start = world.now();
    let mut so_far: Option<Reply> = None;
    loop {
        let at = so_far.as_ref().map(|done| start + done.duration());
        let Some(next) = call.step(world, at) else {
            break;
        };
        so_far = Some(match so_far {
            None => next,
            Some(done) => done.append(next),
        });
    }
    so_far
        .unwrap_or_else(Reply::silent)
        .with_status(call.exit_status())
}

/// True when `line` only talks to the simulator itself, which answers even when the
/// host is stalled or dropping connections.
pub fn is_control(line: &str) -> bool {
    line.trim_start().starts_with(control::PROGRAM)
}

/// A command line being run on one host, one command at a time.
///
/// Exists so that a reply is never fixed at the start of a line that runs several
/// commands: the SSH server plays each command's output before it runs the next one,
/// and [`exec`] lets each command's simulated time pass first, so `stopwpar w; lswpar w`
/// lists the WPAR Defined, as on AIX.
pub struct Call {
    host: String,
    kind: HostKind,
    flavour: ShellFlavour,
    /// The shells of the line: the login shell, then one per `sh -c` running in it.
    frames: Vec<Frame>,
    status: u32,
}

/// One shell of a call: its commands, where it is, its limits and its status so far.
struct Frame {
    commands: Vec<Listed>,
    next: usize,
    shell: ShellState,
    status: u32,
}

impl Call {
    /// Parses `line` for `host`; `Err` is the whole answer when nothing can run (an
    /// unknown host, a syntax error, a host answering garbage).
    pub fn start(world: &World, host: &str, line: &str) -> Result<Call, Reply> {
        let Some(kind) = world
            .estate
            .host_names()
            .into_iter()
            .find(|(name, _)| *name == host)
            .map(|(_, kind)| kind)
        else {
            return Err(Reply::fail_stderr(
                format!("no simulated host called {host}\n"),
                255,
            ));
        };
        let flavour = match kind {
            HostKind::Hmc => ShellFlavour::Rbash,
            HostKind::Aix | HostKind::Nim => ShellFlavour::Ksh,
        };
        let commands = shell::parse_list(line, flavour)
            .map_err(|error| Reply::fail_stderr(error.message, error.exit_status))?;
        let control_only = commands.iter().all(|listed| {
            listed.command.argv.first().map(String::as_str) == Some(control::PROGRAM)
        });
        if world.host_faults(host).garbage && !control_only {
            return Err(Reply::ok(GARBAGE));
        }
        let shell = match kind {
            HostKind::Aix => super::aix::login_shell(world, host),
            HostKind::Hmc | HostKind::Nim => ShellState::default(),
        };
        Ok(Call {
            host: host.to_string(),
            kind,
            flavour,
            frames: vec![Frame {
                commands,
                next: 0,
                shell,
                status: 0,
            }],
            status: 0,
        })
    }

    /// Runs the next command that is due (skipping those `&&`/`||` rule out, entering
    /// `sh -c` scripts); `None` once the line is done. With `at`, simulated time is first
    /// moved there (the end of the commands before).
    pub fn step(&mut self, world: &mut World, at: Option<Duration>) -> Option<Reply> {
        loop {
            let frame = self.frames.last_mut()?;
            let Some(listed) = frame.commands.get(frame.next).cloned() else {
                let done = self.frames.pop()?;
                match self.frames.last_mut() {
                    Some(parent) => parent.status = done.status,
                    None => self.status = done.status,
                }
                continue;
            };
            frame.next += 1;
            if !listed.when.runs(frame.status) {
                continue;
            }
            if let Some(at) = at {
                world.advance(at);
            }
            if self.flavour == ShellFlavour::Ksh && is_shell(&listed.command) {
                match subshell(&listed.command, self.flavour) {
                    Ok(commands) => {
                        let shell = frame.shell;
                        self.frames.push(Frame {
                            commands,
                            next: 0,
                            shell,
                            status: 0,
                        });
                        continue;
                    }
                    Err(reply) => {
                        frame.status = reply.exit_status;
                        return Some(reply);
                    }
                }
            }
            let reply = run_one(
                world,
                &self.host,
                self.kind,
                self.flavour,
                &listed.command,
                &mut frame.shell,
            );
            frame.status = reply.exit_status;
            return Some(reply);
        }
    }

    /// The exit status of the line: that of the last command that ran (0 when none did);
    /// final once [`Call::step`] has returned `None`.
    pub fn exit_status(&self) -> u32 {
        match self.frames.first() {
            Some(frame) => frame.status,
            None => self.status,
        }
    }
}

/// `sh`, `ksh` (any path): a shell started as a command.
fn is_shell(command: &SimpleCommand) -> bool {
    command.argv.first().is_some_and(|program| {
        let base = program.rsplit('/').next().unwrap_or(program);
        matches!(base, "sh" | "ksh" | "ksh93" | "psh")
    })
}

/// The commands of `sh -c SCRIPT`; only that form is offered.
fn subshell(command: &SimpleCommand, flavour: ShellFlavour) -> Result<Vec<Listed>, Reply> {
    match command.argv.as_slice() {
        [_, flag, script, ..] if flag == "-c" => shell::parse_list(script, flavour)
            .map_err(|error| Reply::fail_stderr(error.message, error.exit_status)),
        [program, ..] => Err(Reply::fail_stderr(
            format!(
                "{program}: powerdeck simulator: only `{program} -c COMMANDS` is offered, not an interactive shell or a script\n"
            ),
            2,
        )),
        [] => Err(Reply::silent()),
    }
}

fn run_one(
    world: &mut World,
    host: &str,
    kind: HostKind,
    flavour: ShellFlavour,
    command: &SimpleCommand,
    shell: &mut ShellState,
) -> Reply {
    let Some(program) = command.argv.first() else {
        return Reply::silent();
    };
    let answer = match program.as_str() {
        "echo" => Some(Reply::ok(format!("{}\n", command.argv[1..].join(" ")))),
        "ulimit" => Some(ulimit(flavour, shell, &command.argv[1..])),
        control::PROGRAM => Some(control::exec(world, &command.argv[1..])),
        _ => match kind {
            HostKind::Hmc => super::hmc::exec(world, host, command),
            HostKind::Aix => super::aix::exec_in(world, host, command, shell),
            HostKind::Nim => super::nim::exec(world, host, command),
        },
    };
    answer.unwrap_or_else(|| {
        let (message, status) = flavour.not_found(program);
        Reply::fail_stderr(message, status)
    })
}

/// The `ulimit` built-in: `-f` (the default resource) reads or sets the file-size limit
/// in 512-byte blocks, `-a` lists the limits AIX shows; `-H`/`-S` are accepted.
fn ulimit(flavour: ShellFlavour, shell: &mut ShellState, args: &[String]) -> Reply {
    let shown = |blocks: Option<u64>| blocks.map_or("unlimited".to_string(), |b| b.to_string());
    let mut file = true;
    let mut value = None;
    for arg in args {
        match arg.as_str() {
            "-H" | "-S" | "-f" => {}
            "-a" => {
                return Reply::ok(format!(
                    "time(seconds)        unlimited\nfile(blocks)         {}\ndata(kbytes)         131072\nstack(kbytes)        32768\nmemory(kbytes)       32768\ncoredump(blocks)     2097151\nnofiles(descriptors) 2000\nthreads(per process) unlimited\nprocesses(per user)  unlimited\n",
                    shown(shell.file_blocks)
                ))
            }
            "-c" | "-d" | "-m" | "-n" | "-r" | "-s" | "-t" | "-u" => file = false,
            other if value.is_none() && !other.starts_with('-') => value = Some(other),
            other => {
                return Reply::fail_stderr(
                    format!("{}: ulimit: {other}: unknown option\n", flavour.name()),
                    2,
                )
            }
        }
    }
    match (file, value) {
        (true, None) => Reply::ok(format!("{}\n", shown(shell.file_blocks))),
        (false, None) => Reply::ok("unlimited\n"),
        (_, Some("unlimited")) => {
            if file {
                shell.file_blocks = None;
            }
            Reply::silent()
        }
        (_, Some(number)) => match number.parse::<u64>() {
            Ok(blocks) => {
                if file {
                    shell.file_blocks = Some(blocks);
                }
                Reply::silent()
            }
            Err(_) => Reply::fail_stderr(
                format!("{}: ulimit: {number}: bad number\n", flavour.name()),
                1,
            ),
        },
    }
}
