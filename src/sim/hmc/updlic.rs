//! `updlic`: firmware updates against a repository (docs/formats.md, "HMC: updlic",
//! "HMC: firmware update paths"), printed over time in the `<MTMS>[ Managed System
//! Primary]: <message>` lines of the published capture
//! (`tests/fixtures/hmc/updlic_progress.txt`).
//!
//! * `-o a` retrieves, installs and activates. A level up to the repository's concurrent
//!   level activates concurrently: partitions keep running, `activated_level` changes
//!   when "Activation completed." is printed, `platform_ipl_level` does not. A higher
//!   (disruptive) level is refused while partitions run unless `--allowpoweroff`; then
//!   the system goes `Power Off In Progress` → `Power Off` → `Initializing` →
//!   `Operating`, the new level becomes activated and platform IPL level, and
//!   partitions start by the power-on policy of [`super::power`] (a `Standby` system
//!   comes back to `Standby`). Updates need the system `Operating` or `Standby`.
//! * Installing a level (`-o a`, `-o i`, `-o u`) first copies the level on the temporary
//!   side (the installed level) to the permanent side, so `accepted_level` then holds the
//!   level that ran before: the one `-o r` goes back to (docs/procedures.md, "Firmware
//!   update").
//! * A POWER8 or later system installs no level released after its update access key's
//!   date (`HSCL2D0C`), and no level whose repository names a minimum HMC level above
//!   this HMC's (`HSCL2D0D`).
//! * `-o i` retrieves and installs only (the level waits for the next IPL or `-o d`).
//! * `-o u` moves to the repository's new release (EC number), always disruptive.
//! * `-o d` activates an installed level disruptively.
//! * `-o c` accepts: `accepted_level` := `activated_level`.
//! * `-o r` removes the updates after the accepted level and activates it (disruptive
//!   when it is below the platform IPL level).

use std::time::Duration;

use jiff::civil::Date;

use super::args::{Args, Spec};
use super::{clock, lslic, messages, model, power};
use crate::estate::SystemState;
use crate::sim::estate::{HmcHost, SimFirmware, SimRepository, SimSystem};
use crate::sim::reply::{Reply, Stream};
use crate::sim::world::World;

/// How long `updlic -o c` (accept: copy the T-side to the P-side) works.
pub const ACCEPT_TIME: Duration = Duration::from_secs(45);
/// Power-off part of a disruptive activation.
pub const DISRUPTIVE_POWER_OFF: Duration = Duration::from_secs(30);

const SPEC: Spec = Spec {
    values: &[
        "-o", "-m", "-t", "-r", "-l", "-h", "-u", "--passwd", "-k", "-d",
    ],
    flags: &["--allowpoweroff", "-q", "-v"],
    listing: false,
};

/// Files the published capture shows being written, with their sizes.
const FILES: &[(&str, u64)] = &[
    ("80a00020", 0),
    ("80a00701", 5_959_118),
    ("80a00711", 7_858_212),
    ("81e00100", 2_684_818),
    ("81e00200", 5_304_258),
    ("a0e00c21", 0),
];

/// A state change an update makes at a moment of its timeline.
#[derive(Debug, Clone)]
enum Step {
    /// A new level is written to the temporary side, after the level there was copied to
    /// the permanent side.
    Installed(u32),
    /// `-o r`: the temporary side holds the accepted level again.
    Removed(u32),
    /// Concurrent activation of the installed level.
    Activated,
    /// Disruptive activation: power the system off now ...
    PowerOff,
    /// ... and on again (the IPL activates the installed level), to `Standby` when the
    /// system was in `Standby` before.
    PowerOn {
        standby: bool,
    },
    /// A new release (EC number) replaces the old one.
    Release(String),
    Accepted,
    End,
}

/// Output lines and state changes over simulated time.
#[derive(Default)]
struct Timeline {
    lines: Vec<(Duration, String)>,
    steps: Vec<(Duration, Step)>,
    at: Duration,
    since_line: Duration,
}

impl Timeline {
    fn say(&mut self, after_secs: u64, line: String) {
        let after = Duration::from_secs(after_secs);
        self.at += after;
        self.lines.push((self.since_line + after, line));
        self.since_line = Duration::ZERO;
    }

    fn wait(&mut self, secs: u64) {
        let after = Duration::from_secs(secs);
        self.at += after;
        self.since_line += after;
    }

    fn step(&mut self, step: Step) {
        self.steps.push((self.at, step));
    }
}

/// What the command asked for, once checked.
struct Plan {
    op: char,
    target: u32,
    disruptive: bool,
    release: Option<String>,
}

/// Runs `updlic`.
pub fn run(world: &mut World, hmc_name: &str, argv: &[String]) -> Reply {
    let now = world.now();
    let Some(hmc) = model::hmc(world, hmc_name) else {
        return Reply::silent();
    };
    let planned = (|| {
        let args = Args::parse(argv, &SPEC)?;
        if args.help {
            return Err(Reply::ok(
                "Usage: updlic -o {a | i | u | d | c | r} -m managed-system [-t sys] [-r repository -l {latest | latestconcurrent | level}] [-h host-name] [-u user-ID] [-d directory] [--allowpoweroff] [-v] [--help]\n",
            ));
        }
        if !matches!(args.get("-t"), None | Some("sys" | "syspower")) {
            return Err(messages::usage(&["-t"]));
        }
        let op = match args.need("-o")? {
            "a" => 'a',
            "i" => 'i',
            "u" => 'u',
            "d" => 'd',
            "c" => 'c',
            "r" => 'r',
            _ => return Err(messages::usage(&["-o"])),
        };
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        let plan = plan(hmc, system, op, &args, now)?;
        Ok((system.clone(), plan, args.has("--allowpoweroff")))
    })();
    let (system, plan, allow_power_off) = match planned {
        Ok(planned) => planned,
        Err(reply) => return reply,
    };
    let running = system.lpars.iter().any(model::uses_resources);
    if plan.disruptive && running && !allow_power_off {
        return messages::hscl(
            "HSCL2D02",
            format!(
                "The requested LIC level {} cannot be activated concurrently and partitions are running on the managed system {}. Shut the partitions down or use --allowpoweroff.",
                plan.target, system.name
            ),
        );
    }
    let timeline = timeline(&system, &plan);
    let mut reply = Reply::silent();
    for (after, line) in &timeline.lines {
        reply = reply.then(*after, Stream::Stdout, format!("{line}\n"));
    }
    reply = reply.ending_after(timeline.since_line);
    if let Some(sys) = model::system_mut(world, hmc_name, &system.name) {
        sys.runtime.lic_update = true;
    }
    for (at, step) in timeline.steps {
        let (hmc, name) = (hmc_name.to_string(), system.name.clone());
        world.schedule(at, move |world| apply(world, &hmc, &name, step));
    }
    reply
}

fn no_updates(system: &SimSystem, fw: &SimFirmware) -> Reply {
    messages::hscl(
        "HSCL2D01",
        format!(
            "No updates available. The managed system {} is already at LIC level {} ({}).",
            system.name,
            fw.activated_level,
            fw.spname(fw.activated_level)
        ),
    )
}

fn plan(
    hmc: &HmcHost,
    system: &SimSystem,
    op: char,
    args: &Args,
    now: Duration,
) -> Result<Plan, Reply> {
    let fw = lslic::readable(system)?;
    if !matches!(system.state, SystemState::Operating | SystemState::Standby) {
        return Err(messages::hscl(
            "HSCL2D09",
            format!(
                "A LIC update cannot be started while the managed system {} is in the {} state.",
                system.name, system.state
            ),
        ));
    }
    if system.runtime.lic_update {
        return Err(messages::hscl(
            "HSCL2D08",
            format!(
                "A LIC update is already in progress on the managed system {}.",
                system.name
            ),
        ));
    }
    match op {
        'c' => Ok(Plan {
            op,
            target: fw.activated_level,
            disruptive: false,
            release: None,
        }),
        'r' => {
            if fw.activated_level == fw.accepted_level && fw.installed_level == fw.accepted_level {
                return Err(messages::hscl(
                    "HSCL2D06",
                    "There are no LIC updates to remove: the accepted level is activated.",
                ));
            }
            Ok(Plan {
                op,
                target: fw.accepted_level,
                disruptive: fw.accepted_level < fw.ipl_level(),
                release: None,
            })
        }
        'd' => {
            if fw.installed_level == fw.activated_level {
                return Err(no_updates(system, fw));
            }
            Ok(Plan {
                op,
                target: fw.installed_level,
                disruptive: true,
                release: None,
            })
        }
        _ => {
            let missing: Vec<&str> = ["-r", "-l"]
                .into_iter()
                .filter(|option| args.get(option).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(messages::usage(&missing));
            }
            let repository = lslic::find_repository(system, args.need("-r")?, args)?;
            access_key(system, fw, repository, now)?;
            hmc_minimum(hmc, repository)?;
            let newest = repository.disruptive_level.max(repository.concurrent_level);
            if op == 'u' {
                let release = repository
                    .release
                    .clone()
                    .filter(|release| *release != fw.ecnumber)
                    .ok_or_else(|| no_updates(system, fw))?;
                let target = repository.release_level.unwrap_or(newest);
                return Ok(Plan {
                    op,
                    target,
                    disruptive: true,
                    release: Some(release),
                });
            }
            let level = args.need("-l")?;
            let target = match level {
                "latest" => newest,
                "latestconcurrent" => repository.concurrent_level,
                other => parse_level(other).ok_or_else(|| messages::usage(&["-l"]))?,
            };
            if target > newest {
                return Err(messages::hscl(
                    "HSCL2D04",
                    format!("The LIC level {level} is not available in the repository."),
                ));
            }
            let current = if op == 'i' {
                fw.installed_level.max(fw.activated_level)
            } else {
                fw.activated_level
            };
            if target <= current {
                return Err(no_updates(system, fw));
            }
            Ok(Plan {
                op,
                target,
                disruptive: op == 'a' && target > repository.concurrent_level,
                release: None,
            })
        }
    }
}

/// `HSCL2D0C` when the repository's levels were released after the system's update
/// access key expired.
fn access_key(
    system: &SimSystem,
    fw: &SimFirmware,
    repository: &SimRepository,
    now: Duration,
) -> Result<(), Reply> {
    let Some(expiry) = lslic::access_key_expiry(system, fw) else {
        return Ok(());
    };
    let today = clock::stamp(now, 0);
    let released = repository.released.clone().unwrap_or(today);
    match (date(&expiry), date(&released)) {
        (Some(until), Some(released)) if released > until => Err(messages::hscl(
            "HSCL2D0C",
            format!(
                "The update access key of the managed system {} expired on {expiry}. LIC levels released after that date cannot be installed. Obtain a new update access key and install it.",
                system.name
            ),
        )),
        _ => Ok(()),
    }
}

/// `HSCL2D0D` when this HMC is below the minimum level the repository's levels need.
fn hmc_minimum(hmc: &HmcHost, repository: &SimRepository) -> Result<(), Reply> {
    let Some(minimum) = &repository.min_hmc else {
        return Ok(());
    };
    if numbers(&hmc.version) < numbers(minimum) {
        return Err(messages::hscl(
            "HSCL2D0D",
            format!(
                "The LIC level requires a management console at {minimum} or later. This management console is at {}.",
                hmc.version
            ),
        ));
    }
    Ok(())
}

/// The date of `MM/DD/YYYY[ HH:MM:SS]`.
fn date(text: &str) -> Option<Date> {
    let day = text.split_whitespace().next()?;
    let parts: Vec<i16> = day
        .split('/')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [month, day, year] => {
            Date::new(*year, i8::try_from(*month).ok()?, i8::try_from(*day).ok()?).ok()
        }
        _ => None,
    }
}

/// The numbers of an HMC version, in order (`V10R2M1050` is 10, 2, 1050).
fn numbers(version: &str) -> Vec<u32> {
    version
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|part| part.parse().ok())
        .collect()
}

/// `149`, `01VL941_047`, `ccc,ppp` (the first of the pair): the level number.
fn parse_level(text: &str) -> Option<u32> {
    let first = text.split(',').next()?;
    let number = first.rsplit('_').next()?;
    number.trim().parse().ok()
}

fn timeline(system: &SimSystem, plan: &Plan) -> Timeline {
    let mtms = model::mtms(system);
    let primary = format!("{mtms} Managed System Primary");
    let mut t = Timeline::default();
    if plan.op == 'c' {
        t.wait(ACCEPT_TIME.as_secs());
        t.step(Step::Accepted);
        t.step(Step::End);
        return t;
    }
    let ec = system
        .firmware
        .as_ref()
        .map_or(String::new(), |fw| fw.ecnumber.clone());
    let serial = &system.serial_num;
    t.say(
        0,
        "Current profile data backup files have been copied:".to_string(),
    );
    t.say(
        0,
        format!(
            "{mtms}: /var/hsc/profiles/{serial}/backupFile_FirmwareUpdate{ec}, /var/hsc/profiles/{serial}/directory/backupFile_FirmwareUpdate{ec}.dir"
        ),
    );
    match plan.op {
        'd' => {}
        'r' => {
            t.say(2, format!("{mtms}: Removing updates."));
            t.say(2, format!("{primary}: Removing updates."));
            t.say(30, format!("{primary}: Finished removing updates."));
            t.step(Step::Removed(plan.target));
        }
        _ => {
            t.say(2, format!("{mtms}: Retrieving updates."));
            t.say(1, format!("{primary}: Retrieving updates."));
            t.say(45, format!("{mtms}: Installing updates."));
            t.say(3, format!("{primary}: Preparing for install."));
            t.say(10, format!("{mtms}: Installing updates."));
            t.say(2, format!("{primary}: Installing updates."));
            t.say(5, format!("{primary}: Writing update files."));
            for (name, size) in FILES {
                let bytes = if *size == 0 {
                    0
                } else {
                    size + u64::from(plan.target) * 1024
                };
                t.say(
                    8,
                    format!("{primary}: Writing file {name}.  {bytes} bytes written."),
                );
            }
            t.say(5, format!("{primary}: Finished writing update files."));
            t.step(Step::Installed(plan.target));
            if let Some(release) = &plan.release {
                t.step(Step::Release(release.clone()));
            }
        }
    }
    if plan.op == 'i' {
        t.say(2, format!("{mtms}: Completed All Updates."));
        t.step(Step::End);
        return t;
    }
    t.say(3, format!("{mtms}: Activating updates."));
    if plan.disruptive {
        t.step(Step::PowerOff);
        t.say(
            2,
            format!("{primary}: Activating updates - Powering off the managed system."),
        );
        t.say(
            DISRUPTIVE_POWER_OFF.as_secs(),
            format!("{primary}: Activating updates - Restarting Flexible Service Processor."),
        );
        t.say(
            45,
            format!("{primary}: Flexible Service Processor Restart completed successfully."),
        );
        t.step(Step::PowerOn {
            standby: system.state == SystemState::Standby,
        });
        t.say(
            power::SYSTEM_IPL.as_secs(),
            format!("{primary}: Activation completed."),
        );
    } else {
        t.say(
            2,
            format!("{primary}: Activating updates - Restarting Flexible Service Processor."),
        );
        t.say(
            60,
            format!("{primary}: Flexible Service Processor Restart completed successfully."),
        );
        t.say(20, format!("{primary}: Activation completed."));
        t.step(Step::Activated);
    }
    t.say(2, format!("{mtms}: Completed All Updates."));
    t.step(Step::End);
    t
}

fn apply(world: &mut World, hmc: &str, system: &str, step: Step) {
    match step {
        Step::PowerOff => {
            let on = model::system_mut(world, hmc, system)
                .is_some_and(|sys| sys.state != SystemState::PowerOff);
            if on {
                power::power_off(world, hmc, system, DISRUPTIVE_POWER_OFF, false);
            }
        }
        Step::PowerOn { standby } => {
            let off = model::system_mut(world, hmc, system)
                .is_some_and(|sys| sys.state == SystemState::PowerOff);
            if off {
                power::power_on(world, hmc, system, standby);
            }
        }
        step => {
            let Some(sys) = model::system_mut(world, hmc, system) else {
                return;
            };
            if let Step::End = step {
                sys.runtime.lic_update = false;
            }
            let Some(fw) = &mut sys.firmware else {
                return;
            };
            if fw.platform_ipl_level.is_none() {
                fw.platform_ipl_level = Some(fw.activated_level);
            }
            match step {
                Step::Installed(level) => {
                    fw.accepted_level = fw.installed_level;
                    fw.installed_level = level;
                }
                Step::Removed(level) => fw.installed_level = level,
                Step::Activated => fw.activated_level = fw.installed_level,
                Step::Release(ecnumber) => {
                    fw.ecnumber = ecnumber;
                    fw.release = String::new();
                }
                Step::Accepted => fw.accepted_level = fw.activated_level,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_hmc_levels() {
        assert_eq!(date("04/01/2040"), Date::new(2040, 4, 1).ok());
        assert_eq!(date("06/14/2025 02:47:13"), Date::new(2025, 6, 14).ok());
        assert_eq!(date("2040-04-01"), None);
        assert!(numbers("V10R2M1050") < numbers("V10R3M1060"));
        assert!(numbers("V9R2M953") < numbers("V10R1M1010"));
    }

    #[test]
    fn level_forms() {
        assert_eq!(parse_level("149"), Some(149));
        assert_eq!(parse_level("01VL941_047"), Some(47));
        assert_eq!(parse_level("181,180"), Some(181));
        assert_eq!(parse_level("latest-ish"), None);
    }
}
