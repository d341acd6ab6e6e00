//! The simulated HMC command line: what `hscroot@hmc` can run, printing what the real
//! commands print (formats of docs/formats.md, the "HMC: ..." sections), failing the way
//! they fail (HSCL codes on stdout, exit 1), and changing the estate over simulated time.
//!
//! # Commands
//!
//! | command | forms |
//! |---|---|
//! | `lssyscfg` | `-r sys [-m]`, `-r lpar -m [--filter lpar_names=\|lpar_ids=]`, `-r prof -m [--filter lpar_names=,profile_names=]` |
//! | `lshwres` | `-r rspool -m [--rsubtype rsdev]` |
//! | `chhwres` | `-r rspool -m -o a -a vios_names=...`, `-r rspool -m -o r`, `-r rspool -m -o a\|r -p VIOS --rsubtype rsdev --device DEV [--manual]` |
//! | `chsyscfg` | `-r lpar -m -i "name=...,primary_rs_vios_name=...,secondary_rs_vios_name=...,rs_device_name=...,migration_disabled=,auto_start=,remote_restart_capable=,simplified_remote_restart_capable="` |
//! | `lsmemdev` | `-r avail -m [-p VIOS1,VIOS2] [--min] [--max]` |
//! | `lsrsdevsize` | `-m -p LPAR`, prints `lpar_name=..,lpar_id=..,size=MB` (size = maximum memory) |
//! | `lslic` | `-m [-t sys]`, `-m -t sys -r REPO [-h] [-u] [-d] -F retrievable_release,...` |
//! | `updlic` | `-o a\|i\|u -m -t sys -r REPO -l latest\|latestconcurrent\|LEVEL [--allowpoweroff]`, `-o d\|c\|r -m` |
//! | `migrlpar` | `-o v\|m -m SRC -t DST -p\|--id [-i dest_lpar_id=N] [--vlanbridge 2]`, `-o s\|r -m SRC -p` |
//! | `lslparmigr` | `-r lpar -m [--filter]`, `-r sys -m` |
//! | `rrstartlpar` | `-o validate\|restart -m SRC -t DST -p`, `-o cleanup [--retaindev]\|cancel\|recover -m SRC -p` |
//! | `chsysstate` | `-r sys -m -o on\|onstandby\|off [--immed [--restart]]`, `-r lpar -m -o on\|shutdown\|osshutdown -n\|--id [-f PROF] [-b sms] [--immed] [--restart]` |
//! | `lsrefcode` | `-r lpar\|sys -m [-n N] [--filter] [-F]` |
//! | `lshmc` | `-V` |
//!
//! Every listing takes `-F` (any delimiter, quoting values that hold it) and
//! `--header`; `--help` prints a short usage. A `--filter` that matches nothing (an
//! unknown partition name included) lists `No results were found.` with exit 0; an
//! attribute a record lacks prints `null` under `-F`. Unknown options, stray words and missing
//! values get the HMC's "missing a required parameter" complaint (no code, exit 1).
//!
//! # Messages
//!
//! Verified codes are used with the text or meaning docs/formats.md gives ("HMC: HSCL
//! codes"): `HSCL0238` (system not Operating), `HSCL8012` (managed system, partition or
//! profile not found), `HSCL3653` (`--ip` naming another HMC: cross-HMC moves are not
//! modelled), `HSCLA9CE`, `HSCLA32F` (warning, exit 0), `HSCLA319` (with its
//! `VIOS_DETAILED_ERROR` block), `HSCL3680`, `HSCL3681`, `HSCL1558`, `HSCL0DB4`. No code is
//! published for the others; these are this simulator's:
//!
//! | code | when |
//! |---|---|
//! | `HSCLA601` | migrlpar: destination system not Operating |
//! | `HSCLA602` | migrlpar: source and destination are the same system |
//! | `HSCLA603` | migrlpar: a system is not (active/inactive) LPM capable |
//! | `HSCLA604` | migrlpar: the partition is a VIOS |
//! | `HSCLA605` | migrlpar: `migration_disabled=1` |
//! | `HSCLA606` | migrlpar: the partition owns physical I/O |
//! | `HSCLA607` | migrlpar: partition neither Running (active) nor Not Activated (inactive) |
//! | `HSCLA608` | migrlpar: no RMC connection for an active migration |
//! | `HSCLA609` | migrlpar: no mover service partition with RMC on a side |
//! | `HSCLA60A` / `HSCLA60B` | migrlpar: not enough memory / processing units on the target |
//! | `HSCLA60C` | migrlpar: a partition of that name exists on the target |
//! | `HSCLA60D` | migrlpar: already migrating, or a failed/stopped migration awaits `-o r` |
//! | `HSCLA60E` | migrlpar `-o s`: nothing to stop |
//! | `HSCLA60F` | migrlpar `-o r`: nothing to recover |
//! | `HSCLA610` | migrlpar: the migration failed part-way (fault injection) |
//! | `HSCLA612` | migrlpar `-o r`: the migration is still running |
//! | `HSCLA613` | migrlpar: processor compatibility mode not supported by the target |
//! | `HSCLA614` | migrlpar: `dest_lpar_id` in use on the target |
//! | `HSCLA615` | migrlpar: no free reserved storage device on the target (PowerVM RR partition) |
//! | `HSCLA616` | migrlpar: a VLAN of the partition is not bridged on the target (unless `--vlanbridge 2`) |
//! | `HSCLA617` | migrlpar: the source or the target already takes part in as many moves of that kind as it supports (`lslparmigr -r sys`) |
//! | `HSCLA9D0` | rrstartlpar: a system lacks the (simplified / PowerVM) remote restart capability |
//! | `HSCLA9D1` | rrstartlpar: the partition is not remote restart capable |
//! | `HSCLA9D2` | rrstartlpar: `remote_restart_status` is not `Remote Restartable` |
//! | `HSCLA9D3` | rrstartlpar: PowerVM RR partition without a reserved storage device |
//! | `HSCLA9D4` | rrstartlpar/chsyscfg: the partition is a VIOS |
//! | `HSCLA9D5` / `HSCLA9D6` | rrstartlpar: not enough memory / processing units on the target |
//! | `HSCLA9D7` | rrstartlpar: a partition of that name exists on the target |
//! | `HSCLA9D8` | rrstartlpar cleanup: source not Operating or Standby |
//! | `HSCLA9D9` | rrstartlpar cleanup: the partition was not remotely restarted |
//! | `HSCLA9DA` / `HSCLA9DB` | rrstartlpar: nothing to cancel / to recover |
//! | `HSCLA9DC` | rrstartlpar: the partition owns physical I/O |
//! | `HSCLA9DE` | rrstartlpar: a remote restart of the partition is already running |
//! | `HSCLA9DF` | chsysstate on: the partition is the stale copy of a remote restart |
//! | `HSCLA9E0` | rrstartlpar cancel: past the point of no return |
//! | `HSCLA9E1` | chsysstate on: PowerVM RR partition without a reserved storage device |
//! | `HSCLA9E2` | rrstartlpar: no reserved storage pool on the target (PowerVM RR) |
//! | `HSCLA9E3` | rrstartlpar: source and destination are the same system |
//! | `HSCLA9E4` | rrstartlpar: the restart failed part-way (fault injection) |
//! | `HSCLA9E5` | rrstartlpar: source in `No Connection` without `--noconnection` |
//! | `HSCLA9E6` | rrstartlpar: `--noconnection` for a source that is not in `No Connection` |
//! | `HSCLA9E7` | rrstartlpar: the partition's processor compatibility mode is not supported on the target |
//! | `HSCLA9E8` | rrstartlpar cleanup: a VIOS of the source is not running with RMC active |
//! | `HSCLA9E9` | rrstartlpar cleanup: `--retaindev` for a partition without a reserved storage device |
//! | `HSCLA9EA` | rrstartlpar cleanup: the last cleanup failed (`Source Side Cleanup Failed`) and `--force` is missing |
//! | `HSCLA9EB` | rrstartlpar cleanup: the cleanup failed (fault injection), leaving `Source Side Cleanup Failed` |
//! | `HSCL2B01` | chsysstate sys on: the system is not powered off |
//! | `HSCL2B02` | chsysstate sys off: not in a state that can be powered off |
//! | `HSCL2B03` | chsysstate lpar: the partition is in a passing state |
//! | `HSCL2B04` | chsysstate lpar on: not enough free memory or processing units |
//! | `HSCL2C01` | rspool: the system has no PowerVM remote restart (no reserved storage) |
//! | `HSCL2C02` | chhwres: the pool exists already |
//! | `HSCL2C03` | rspool: there is no pool |
//! | `HSCL2C04` | rspool: a name is not a VIOS of the system (or of the pool) |
//! | `HSCL2C05` | chhwres: the device is not an available disk of that VIOS |
//! | `HSCL2C06` | chhwres: the device is already in the pool |
//! | `HSCL2C07` | chhwres: the device (or a device of the pool) is assigned to a partition |
//! | `HSCL2C08` | rspool/chsyscfg: the device is not in the pool |
//! | `HSCL2C09` | chsyscfg: the device is held by another partition |
//! | `HSCL2C0A` | chsyscfg: reserved storage for a partition without PowerVM RR |
//! | `HSCL2C0B` | chsyscfg: the device is smaller than `lsrsdevsize` |
//! | `HSCL2C0C` | chsyscfg: the system does not support that remote restart kind |
//! | `HSCL2C0E` | chsyscfg: remote restart capability changed on an active partition |
//! | `HSCL2D01` | updlic: `No updates available.` |
//! | `HSCL2D02` | updlic: disruptive level while partitions run, without `--allowpoweroff` |
//! | `HSCL2D03` | lslic/updlic: no such repository |
//! | `HSCL2D04` | updlic: the level is not in the repository |
//! | `HSCL2D06` | updlic `-o r`: nothing to remove |
//! | `HSCL2D08` | updlic: an update is already running on the system |
//! | `HSCL2D09` | updlic: the system is in a state that allows no update |
//! | `HSCL2D0A` | lslic: the system is off or unreachable |
//! | `HSCL2D0B` | lslic: the estate gives the system no firmware |
//! | `HSCL2D0C` | updlic: the level was released after the update access key expired |
//! | `HSCL2D0D` | updlic: the HMC is below the minimum level the firmware needs |
//!
//! Changing the remote restart capability on POWER7 prints the published code-less
//! "An error occurred while changing the partition named ..." text (docs/formats.md,
//! "HMC: rrstartlpar").
//!
//! # Simulated durations
//!
//! | operation | duration |
//! |---|---|
//! | listings | immediate |
//! | `migrlpar -o v` | 8 s (validation errors also come after 8 s) |
//! | `migrlpar -o m`, active | 20 s + 1 s per GB of memory, at most 60 s |
//! | `migrlpar -o m`, inactive | 20 s |
//! | `migrlpar -o s`, `-o r` | 5 s |
//! | `rrstartlpar -o validate` | 6 s |
//! | `rrstartlpar -o restart` | 30 s + 1.5 s per GB, at most 90 s (point of no return at 60 %) |
//! | `rrstartlpar -o cleanup` / `cancel` / `recover` | 15 s / 8 s / 10 s |
//! | `chsysstate -r lpar` | returns after 2 s; `Starting` → `Running` 30 s (VIOS 60 s); shutdown 40 s, `--immed` 8 s, `osshutdown` 45 s, with `--immed` 15 s |
//! | `chsysstate -r sys` | returns after 2 s; IPL 120 s (to Standby 90 s); power off 60 s, `--immed` 20 s |
//! | `chhwres -r rspool`, `chsyscfg` | 5 s, 2 s |
//! | `updlic` concurrent | about 3.5 min; disruptive about 5.5 min; `-o i` about 2 min; `-o c` 45 s |
//!
//! The server scales all of these by its `--speed`. A command's reply is fixed when it
//! starts: a migration stopped (or a restart cancelled) from another session changes the
//! estate at once, but the original `migrlpar -o m` / `rrstartlpar -o restart` call still
//! ends when and how it was planned.

mod args;
mod chsyscfg;
mod clock;
mod listing;
mod lshwres;
mod lslic;
mod lslparmigr;
mod lssyscfg;
mod messages;
mod migration;
mod misc;
mod model;

pub use model::{compat_modes, curr_mode};
mod power;
mod profile;
mod remote_restart;
mod rspool;
mod updlic;

pub use clock::EPOCH;
pub use listing::{split_attributes, split_values};
pub use misc::version_text;

use crate::sim::reply::Reply;
use crate::sim::shell::SimpleCommand;
use crate::sim::world::World;

/// The programs the simulated HMC has.
pub const PROGRAMS: &[&str] = &[
    "lssyscfg",
    "lshwres",
    "chhwres",
    "chsyscfg",
    "lsmemdev",
    "lsrsdevsize",
    "lslic",
    "updlic",
    "migrlpar",
    "lslparmigr",
    "rrstartlpar",
    "chsysstate",
    "lsrefcode",
    "lshmc",
];

/// Runs one command on a simulated HMC; `None` when the HMC has no such program (the
/// shell then says "command not found"). The environment (`LANG=C`) is ignored: the
/// simulator speaks English only.
pub fn exec(world: &mut World, host: &str, command: &SimpleCommand) -> Option<Reply> {
    let program = command.argv.first()?.as_str();
    if !PROGRAMS.contains(&program) {
        return None;
    }
    let now = world.now();
    let hmc = model::hmc_mut(world, host)?;
    model::settle(hmc, now);
    let argv = &command.argv[1..];
    let hmc = model::hmc(world, host)?;
    Some(match program {
        "lssyscfg" => lssyscfg::run(hmc, now, argv),
        "lshwres" => lshwres::run(hmc, argv),
        "lsmemdev" => rspool::lsmemdev(hmc, argv),
        "lsrsdevsize" => rspool::lsrsdevsize(hmc, argv),
        "lslic" => lslic::run(hmc, argv),
        "lslparmigr" => lslparmigr::run(hmc, now, argv),
        "lsrefcode" => misc::lsrefcode(hmc, now, argv),
        "lshmc" => misc::lshmc(hmc, argv),
        "chhwres" => rspool::chhwres(world, host, argv),
        "chsyscfg" => chsyscfg::run(world, host, argv),
        "updlic" => updlic::run(world, host, argv),
        "migrlpar" => migration::migrlpar(world, host, argv),
        "rrstartlpar" => remote_restart::run(world, host, argv),
        "chsysstate" => power::run(world, host, argv),
        _ => return None,
    })
}
