//! The simulated AIX global environment: `lswpar` in all its common forms, the WPAR
//! lifecycle (mkwpar, startwpar, stopwpar, rmwpar, savewpar, restwpar, syncwpar,
//! migwpar) with the T/D/A/B transitions and failures of docs/formats.md, "AIX: WPAR
//! states", and the few system commands the WPAR wizards need (oslevel, uname, mount,
//! umount, lsfs, df, lsvg, ls, cp, rm, cat, touch, clogin, chwpar, instfix, fuser, kill,
//! chfs, showmount). Formats and messages follow the
//! "AIX: ..." sections of docs/formats.md; see [`msg`] for which texts come from there and
//! which are the simulator's own.
//!
//! Long operations answer with delayed output ([`Script`]) and change the estate at the
//! same simulated moment through [`World::schedule`]; meanwhile the WPAR shows `T` and
//! its lock is held, so other lifecycle commands fail with 0960-231/0960-247.
//!
//! Files under [`SHARED_DIR`](crate::sim::estate::aix::SHARED_DIR) (`/export/wpars`) are
//! visible from every AIX host of the estate that mounts it: a savewpar image written
//! there on one global can be restored on another, or copied to local disk with `cp`.
//!
//! Commands that write files obey the file-size limit of the shell that runs them
//! ([`ShellState`]): root's `fsize` from the estate, or what `ulimit -f` set before them
//! on the same command line.

pub mod admin;
pub mod backup;
pub mod files;
pub mod getopt;
pub mod layout;
pub mod lifecycle;
pub mod lswpar;
pub mod maint;
pub mod mounts;
pub mod msg;
pub mod procs;
pub mod system;

use std::time::Duration;

use crate::sim::estate::{AixHost, SimWpar};
use crate::sim::reply::{Reply, Stream};
use crate::sim::shell::{ShellState, SimpleCommand};
use crate::sim::world::World;

/// Runs one command on a simulated AIX host in a new login shell; `None` when the host
/// has no such program.
pub fn exec(world: &mut World, host: &str, command: &SimpleCommand) -> Option<Reply> {
    let shell = login_shell(world, host);
    exec_in(world, host, command, &shell)
}

/// The limits a new shell of root on `host` starts with (its `fsize`).
pub fn login_shell(world: &World, name: &str) -> ShellState {
    ShellState {
        file_blocks: host(world, name).map_or(Some(2_097_151), AixHost::file_blocks),
    }
}

/// Runs one command on a simulated AIX host in a shell with `shell`'s limits; `None`
/// when the host has no such program.
pub fn exec_in(
    world: &mut World,
    host: &str,
    command: &SimpleCommand,
    shell: &ShellState,
) -> Option<Reply> {
    let program = command.argv.first()?;
    let program = program.rsplit('/').next().unwrap_or(program).to_string();
    let args = &command.argv[1..];
    host_mut(world, host)?.assign_logical_volumes();
    let reply = match program.as_str() {
        "lswpar" => lswpar::run(world, host, args),
        "startwpar" => lifecycle::startwpar(world, host, args),
        "stopwpar" => lifecycle::stopwpar(world, host, args),
        "rebootwpar" => lifecycle::rebootwpar(world, host, args),
        "rmwpar" => lifecycle::rmwpar(world, host, args),
        "mkwpar" => backup::mkwpar(world, host, args),
        "savewpar" => backup::savewpar(world, host, args, shell),
        "restwpar" => backup::restwpar(world, host, args),
        "syncwpar" => maint::syncwpar(world, host, args),
        "migwpar" => maint::migwpar(world, host, args),
        "clogin" => maint::clogin(world, host, args),
        "chwpar" => admin::chwpar(world, host, args),
        "instfix" => admin::instfix(world, host, args),
        "fuser" => procs::fuser(world, host, args),
        "kill" => procs::kill(world, host, args),
        "chfs" => mounts::chfs(world, host, args),
        "showmount" => mounts::showmount(world, host, args),
        "oslevel" => system::oslevel(world, host, args),
        "uname" => system::uname(world, host, args),
        "hostname" => Reply::ok(format!("{host}\n")),
        "mount" => mounts::mount(world, host, args),
        "umount" | "unmount" => mounts::umount(world, host, args),
        "lsfs" => system::lsfs(world, host, args),
        "df" => mounts::df(world, host, args),
        "lsvg" => system::lsvg(world, host, args),
        "ls" => files::ls(world, host, args),
        "cp" => files::cp(world, host, args, shell),
        "touch" => files::touch(world, host, args),
        "rm" => files::rm(world, host, args),
        "cat" => files::cat(world, host, args),
        _ => return None,
    };
    Some(reply)
}

/// The AIX host called `name`.
pub fn host<'a>(world: &'a World, name: &str) -> Option<&'a AixHost> {
    world.estate.aix.iter().find(|h| h.name == name)
}

/// The AIX host called `name`, to change it.
pub fn host_mut<'a>(world: &'a mut World, name: &str) -> Option<&'a mut AixHost> {
    world.estate.aix.iter_mut().find(|h| h.name == name)
}

/// The WPAR `wpar` of host `name`, to change it.
pub fn wpar_mut<'a>(world: &'a mut World, name: &str, wpar: &str) -> Option<&'a mut SimWpar> {
    host_mut(world, name)?.wpar_mut(wpar)
}

/// A copy of WPAR `wpar` of host `name` and the host's `oslevel -s`.
pub fn wpar_snapshot(world: &World, name: &str, wpar: &str) -> Option<(SimWpar, String)> {
    let host = host(world, name)?;
    Some((host.wpar(wpar)?.clone(), host.oslevel.clone()))
}

/// The longest single step of simulated work a [`Script`] accepts (about 11 days).
pub const MAX_WAIT_SECS: f64 = 1_000_000.0;

/// Output that plays out over simulated time: lines on stdout or stderr, each after the
/// work (`wait`) that precedes it.
#[derive(Debug, Default)]
pub struct Script {
    reply: Reply,
    gap: Duration,
}

impl Script {
    /// An empty script.
    pub fn new() -> Script {
        Script::default()
    }

    /// Work for `secs` simulated seconds before the next line (or the exit); at most
    /// [`MAX_WAIT_SECS`] at a time, so absurd estate sizes cannot overflow the clock.
    pub fn wait(&mut self, secs: f64) {
        if let Ok(step) = Duration::try_from_secs_f64(secs.min(MAX_WAIT_SECS)) {
            self.gap = self.gap.saturating_add(step);
        }
    }

    /// A line on stdout.
    pub fn out(&mut self, line: impl AsRef<str>) {
        self.push(Stream::Stdout, format!("{}\n", line.as_ref()));
    }

    /// A line on stderr.
    pub fn err(&mut self, line: impl AsRef<str>) {
        self.push(Stream::Stderr, format!("{}\n", line.as_ref()));
    }

    /// Text on stdout without a line end (progress dots).
    pub fn out_raw(&mut self, text: impl Into<String>) {
        self.push(Stream::Stdout, text.into());
    }

    /// Every line on stdout.
    pub fn out_lines<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, lines: I) {
        for line in lines {
            self.out(line);
        }
    }

    /// Every line on stderr.
    pub fn err_lines<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, lines: I) {
        for line in lines {
            self.err(line);
        }
    }

    fn push(&mut self, stream: Stream, text: String) {
        let reply = std::mem::take(&mut self.reply);
        self.reply = reply.then(self.gap, stream, text);
        self.gap = Duration::ZERO;
    }

    /// Simulated time from the start of the command to now in the script.
    pub fn elapsed(&self) -> Duration {
        self.reply.duration() + self.gap
    }

    /// The finished answer: the remaining work, then `exit_status`.
    pub fn finish(self, exit_status: u32) -> Reply {
        self.reply.ending_after(self.gap).with_status(exit_status)
    }
}

/// A usage failure: the getopt line (or a reason) and the usage text on stderr, exit 2.
pub fn usage(message: Option<&str>, usage: &str) -> Reply {
    let mut text = String::new();
    if let Some(message) = message {
        text.push_str(message);
        text.push('\n');
    }
    text.push_str(usage);
    if !usage.ends_with('\n') {
        text.push('\n');
    }
    Reply::fail_stderr(text, 2)
}

/// Lines on stderr, exit 1.
pub fn fail(lines: impl IntoIterator<Item = String>) -> Reply {
    let mut text = String::new();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    Reply::fail_stderr(text, 1)
}

/// True when `name` is a valid WPAR name (docs/formats.md, "AIX: WPAR names"): at most 25
/// bytes, no blanks, not starting with `-` or `0`, none of the forbidden symbols.
pub fn valid_wpar_name(name: &str) -> bool {
    const FORBIDDEN: &str = "=:/!;`'\"<>~&()*+[],.^$?{}\\|";
    !name.is_empty()
        && name.len() <= 25
        && !name.starts_with('-')
        && !name.starts_with('0')
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
}
