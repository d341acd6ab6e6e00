//! Builders for the HMC commands powerdeck runs (docs/formats.md, the "HMC: ..." sections
//! from "HMC: lssyscfg" to "HMC: lshmc -V").
//!
//! Every builder returns a [`RemoteCommand`] with `LANG=C` in front (docs/formats.md,
//! "HMC: locale"), a fixed program and typed arguments; names become separate words or
//! fields of an attribute list encoded by [`crate::sources::quote`]. Names are checked with
//! [`check_name`]: a name that is empty, holds a NUL byte or starts with `-` is refused
//! with an [`ArgumentError`].
//!
//! Option order follows the published command lines given in docs/formats.md (for example
//! `migrlpar -o v -m SRC -t DST -p LPAR`, "HMC: migrlpar").

use crate::sources::command::{check_name, ArgumentError, Built, Locale, RemoteCommand};
use crate::sources::quote::{hmc_attributes, hmc_list, is_attribute_name, HmcAttr};

const SYSTEM: &str = "managed system name";
const TARGET: &str = "target managed system name";
const LPAR: &str = "partition name";
const PROFILE: &str = "partition profile name";
const VIOS: &str = "VIOS partition name";
const VIOS_LIST: &str = "list of VIOS partition names";
const DEVICE: &str = "reserved storage device name";
const HOST: &str = "repository host name";
const USER: &str = "repository user ID";
const DIRECTORY: &str = "repository directory";
const KEY: &str = "SSH private key";
const LEVEL: &str = "LIC level";

/// `lssyscfg -r sys [-m SYS] [-F fields]`: every managed system, or one
/// (docs/formats.md, "HMC: lssyscfg").
pub fn lssyscfg_sys(system: Option<&str>, fields: &[&'static str]) -> Built {
    let mut command = read("lssyscfg").flags(&["-r", "sys"]);
    if let Some(system) = system {
        command = command.option("-m", SYSTEM, system)?;
    }
    with_fields(command, fields)
}

/// `lssyscfg -r lpar -m SYS [--filter lpar_names=...] [-F fields]`: the partitions of a
/// system, all of them when `lpar_names` is empty (docs/formats.md, "HMC: lssyscfg").
pub fn lssyscfg_lpar(system: &str, lpar_names: &[&str], fields: &[&'static str]) -> Built {
    let command = read("lssyscfg")
        .flags(&["-r", "lpar"])
        .option("-m", SYSTEM, system)?;
    let command = with_filter(command, [names_attr("lpar_names", LPAR, lpar_names)?])?;
    with_fields(command, fields)
}

/// `lssyscfg -r prof -m SYS [--filter lpar_names=...,profile_names=...] [-F fields]`:
/// partition profiles; an empty name list leaves that filter out (docs/formats.md,
/// "HMC: lssyscfg", "HMC: lssyscfg -r prof").
pub fn lssyscfg_prof(
    system: &str,
    lpar_names: &[&str],
    profile_names: &[&str],
    fields: &[&'static str],
) -> Built {
    let command = read("lssyscfg")
        .flags(&["-r", "prof"])
        .option("-m", SYSTEM, system)?;
    let command = with_filter(
        command,
        [
            names_attr("lpar_names", LPAR, lpar_names)?,
            names_attr("profile_names", PROFILE, profile_names)?,
        ],
    )?;
    with_fields(command, fields)
}

/// `lshwres -r rspool -m SYS`: the reserved storage device pool (docs/formats.md,
/// "HMC: reserved storage").
pub fn lshwres_rspool(system: &str) -> Built {
    read("lshwres")
        .flags(&["-r", "rspool"])
        .option("-m", SYSTEM, system)
}

/// What `lshwres --level sys` reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemResource {
    /// `-r mem`: memory, in MB.
    Memory,
    /// `-r proc`: processors and processing units.
    Processors,
}

/// `lshwres -r mem|proc -m SYS --level sys -F fields`: what a system has and has free
/// (docs/formats.md, "HMC: lshwres -r mem|proc").
pub fn lshwres_sys(system: &str, resource: SystemResource, fields: &[&'static str]) -> Built {
    let word = match resource {
        SystemResource::Memory => "mem",
        SystemResource::Processors => "proc",
    };
    let command = read("lshwres")
        .flags(&["-r", word])
        .option("-m", SYSTEM, system)?
        .flags(&["--level", "sys"]);
    with_fields(command, fields)
}

/// `lshwres -r mem|proc -m SYS --level lpar --filter lpar_names=L -F fields`: what a
/// partition holds now (docs/formats.md, "HMC: lshwres -r mem|proc").
pub fn lshwres_lpar(
    system: &str,
    resource: SystemResource,
    lpar: &str,
    fields: &[&'static str],
) -> Built {
    let word = match resource {
        SystemResource::Memory => "mem",
        SystemResource::Processors => "proc",
    };
    let command = read("lshwres")
        .flags(&["-r", word])
        .option("-m", SYSTEM, system)?
        .flags(&["--level", "lpar"]);
    let command = with_filter(command, [names_attr("lpar_names", LPAR, &[lpar])?])?;
    with_fields(command, fields)
}

/// `lshwres -r rspool -m SYS --rsubtype rsdev`: the devices in the reserved storage pool
/// (docs/formats.md, "HMC: reserved storage").
pub fn lshwres_rsdev(system: &str) -> Built {
    Ok(lshwres_rspool(system)?.flags(&["--rsubtype", "rsdev"]))
}

/// `lslic -m SYS -t sys [-F fields]`: installed, activated and accepted firmware levels
/// (docs/formats.md, "HMC: lslic").
pub fn lslic_sys(system: &str, fields: &[&'static str]) -> Built {
    let command = read("lslic")
        .option("-m", SYSTEM, system)?
        .flags(&["-t", "sys"]);
    with_fields(command, fields)
}

/// `lslic -m SYS -t sys -r REPO [...] -F retrievable_release,concurrent_retrievable_level,
/// disruptive_retrievable_level`: what a repository offers (docs/formats.md, "HMC: lslic",
/// and step 2 of "HMC: firmware update paths").
pub fn lslic_retrievable(system: &str, repository: &LicRepository<'_>) -> Built {
    let command = read("lslic")
        .option("-m", SYSTEM, system)?
        .flags(&["-t", "sys"]);
    let command = with_repository(command, repository)?;
    with_fields(
        command,
        &[
            "retrievable_release",
            "concurrent_retrievable_level",
            "disruptive_retrievable_level",
        ],
    )
}

/// `lslparmigr -r lpar -m SYS [--filter lpar_names=...] [-F fields]`: migration state and
/// progress of partitions (docs/formats.md, "HMC: lslparmigr").
pub fn lslparmigr_lpar(system: &str, lpar_names: &[&str], fields: &[&'static str]) -> Built {
    let command = read("lslparmigr")
        .flags(&["-r", "lpar"])
        .option("-m", SYSTEM, system)?;
    let command = with_filter(command, [names_attr("lpar_names", LPAR, lpar_names)?])?;
    with_fields(command, fields)
}

/// `lslparmigr -r sys -m SYS [-F fields]`: whether a system can move partitions and how
/// many moves it runs now against how many it supports (docs/formats.md,
/// "HMC: lslparmigr").
pub fn lslparmigr_sys(system: &str, fields: &[&'static str]) -> Built {
    let command = read("lslparmigr")
        .flags(&["-r", "sys"])
        .option("-m", SYSTEM, system)?;
    with_fields(command, fields)
}

/// Whose reference codes `lsrefcode` lists.
///
/// Exists because the `lpar_names` filter only applies to partition reference codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefcodeOf<'a> {
    /// `-r sys`: the managed system's own codes.
    System,
    /// `-r lpar`: the partitions' codes; all partitions when the list is empty.
    Partitions(&'a [&'a str]),
}

/// `lsrefcode -r sys|lpar -m SYS [-n N] [--filter lpar_names=...] [-F fields]`: current
/// (and with `-n`, previous) reference codes (docs/formats.md, "HMC: lsrefcode").
pub fn lsrefcode(
    system: &str,
    of: RefcodeOf<'_>,
    count: Option<u32>,
    fields: &[&'static str],
) -> Built {
    let resource = match of {
        RefcodeOf::System => "sys",
        RefcodeOf::Partitions(_) => "lpar",
    };
    let mut command = read("lsrefcode")
        .flags(&["-r", resource])
        .option("-m", SYSTEM, system)?;
    if let Some(count) = count {
        command = command
            .flag("-n")
            .arg("reference code count", count.to_string())?;
    }
    if let RefcodeOf::Partitions(lpar_names) = of {
        command = with_filter(command, [names_attr("lpar_names", LPAR, lpar_names)?])?;
    }
    with_fields(command, fields)
}

/// `lshmc -V`: the HMC version and service pack (docs/formats.md, "HMC: lshmc -V").
pub fn lshmc_version() -> RemoteCommand {
    read("lshmc").flag("-V")
}

/// `lsrsdevsize -m SYS -p LPAR`: the reserved storage device size a partition needs
/// (docs/formats.md, "HMC: reserved storage").
pub fn lsrsdevsize(system: &str, lpar: &str) -> Built {
    read("lsrsdevsize")
        .option("-m", SYSTEM, system)?
        .option("-p", LPAR, lpar)
}

/// `lsmemdev -r avail -m SYS -p VIOS1,VIOS2`: disks the VIOS can give to the reserved
/// storage pool (docs/formats.md, "HMC: reserved storage"). At least one VIOS is required.
pub fn lsmemdev_avail(system: &str, vios_names: &[&str]) -> Built {
    read("lsmemdev")
        .flags(&["-r", "avail"])
        .option("-m", SYSTEM, system)?
        .flag("-p")
        .arg(VIOS_LIST, vios_list(vios_names)?)
}

/// A Live Partition Mobility operation (`migrlpar -o`, docs/formats.md, "HMC: migrlpar").
///
/// Exists so that a target system is given exactly for the operations that take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationOp<'a> {
    /// `-o v`: validate a migration to `target`.
    Validate {
        /// The destination managed system.
        target: &'a str,
    },
    /// `-o m`: validate, then migrate to `target`.
    Migrate {
        /// The destination managed system.
        target: &'a str,
    },
    /// `-o s`: stop a running migration (on the source's HMC).
    Stop,
    /// `-o r`: recover from a failed migration.
    Recover,
}

/// `migrlpar -o v|m -m SRC -t DST -p LPAR` or `migrlpar -o s|r -m SRC -p LPAR`
/// (docs/formats.md, "HMC: migrlpar").
pub fn migrlpar(source: &str, lpar: &str, op: MigrationOp<'_>) -> Built {
    let (letter, target) = match op {
        MigrationOp::Validate { target } => ("v", Some(target)),
        MigrationOp::Migrate { target } => ("m", Some(target)),
        MigrationOp::Stop => ("s", None),
        MigrationOp::Recover => ("r", None),
    };
    let mut command = change("migrlpar")
        .flags(&["-o", letter])
        .option("-m", SYSTEM, source)?;
    if let Some(target) = target {
        command = command.option("-t", TARGET, target)?;
    }
    command.option("-p", LPAR, lpar)
}

/// A remote restart operation (`rrstartlpar -o`, docs/formats.md, "HMC: rrstartlpar").
///
/// Exists so that a target is given exactly for validate and restart, and `--retaindev`
/// only where it means something (cleanup keeps the reserved storage device in the pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteRestartOp<'a> {
    /// `-o validate`: check that the partition can be restarted on `target`.
    Validate {
        /// The destination managed system.
        target: &'a str,
        /// `--noconnection`: the source is in `No Connection`, so the HMC cannot see
        /// whether the partition still runs.
        no_connection: bool,
    },
    /// `-o restart`: validate, then restart the partition on `target`.
    Restart {
        /// The destination managed system.
        target: &'a str,
        /// `--noconnection`, as for `Validate`.
        no_connection: bool,
    },
    /// `-o cleanup`: clean up the source after a successful restart.
    Cleanup {
        /// `--retaindev`: keep the reserved storage device in the pool.
        retain_device: bool,
        /// `--force`: clean up despite errors.
        force: bool,
    },
    /// `-o cancel`: stop a remote restart in progress.
    Cancel {
        /// `--force`.
        force: bool,
    },
    /// `-o recover`: recover from a failed remote restart.
    Recover {
        /// `--force`.
        force: bool,
    },
}

/// `rrstartlpar -o validate|restart -m SRC -t DST -p LPAR` or
/// `rrstartlpar -o cleanup|cancel|recover -m SRC -p LPAR [--retaindev] [--force]`
/// (docs/formats.md, "HMC: rrstartlpar").
pub fn rrstartlpar(source: &str, lpar: &str, op: RemoteRestartOp<'_>) -> Built {
    let (word, target, retain_device, force, no_connection) = match op {
        RemoteRestartOp::Validate {
            target,
            no_connection,
        } => ("validate", Some(target), false, false, no_connection),
        RemoteRestartOp::Restart {
            target,
            no_connection,
        } => ("restart", Some(target), false, false, no_connection),
        RemoteRestartOp::Cleanup {
            retain_device,
            force,
        } => ("cleanup", None, retain_device, force, false),
        RemoteRestartOp::Cancel { force } => ("cancel", None, false, force, false),
        RemoteRestartOp::Recover { force } => ("recover", None, false, force, false),
    };
    let mut command = change("rrstartlpar")
        .flags(&["-o", word])
        .option("-m", SYSTEM, source)?;
    if let Some(target) = target {
        command = command.option("-t", TARGET, target)?;
    }
    let mut command = command.option("-p", LPAR, lpar)?;
    if retain_device {
        command = command.flag("--retaindev");
    }
    if force {
        command = command.flag("--force");
    }
    if no_connection {
        command = command.flag("--noconnection");
    }
    Ok(command)
}

/// A managed system power operation (`chsysstate -r sys -o`, docs/formats.md,
/// "HMC: chsysstate").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemPowerOp {
    /// `-o on`: power on and start partitions by their policy.
    On,
    /// `-o onstandby`: power on to Standby (no partitions started).
    OnStandby,
    /// `-o off`: normal power off.
    Off,
    /// `-o off --immed`: immediate power off.
    OffImmediate,
    /// `-o off --immed --restart`: immediate restart.
    RestartImmediate,
}

/// `chsysstate -r sys -m SYS -o on|onstandby|off [--immed [--restart]]` (docs/formats.md,
/// "HMC: chsysstate").
pub fn chsysstate_sys(system: &str, op: SystemPowerOp) -> Built {
    let words: &[&'static str] = match op {
        SystemPowerOp::On => &["-o", "on"],
        SystemPowerOp::OnStandby => &["-o", "onstandby"],
        SystemPowerOp::Off => &["-o", "off"],
        SystemPowerOp::OffImmediate => &["-o", "off", "--immed"],
        SystemPowerOp::RestartImmediate => &["-o", "off", "--immed", "--restart"],
    };
    Ok(change("chsysstate")
        .flags(&["-r", "sys"])
        .option("-m", SYSTEM, system)?
        .flags(words))
}

/// A partition power operation (`chsysstate -r lpar -o`, docs/formats.md,
/// "HMC: chsysstate").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LparPowerOp<'a> {
    /// `-o on [-f PROFILE]`: activate, with a profile or with the current configuration.
    On {
        /// `-f`: the profile to activate.
        profile: Option<&'a str>,
    },
    /// `-o shutdown [--immed]`: delayed (or immediate) shutdown from the HMC.
    Shutdown {
        /// `--immed`.
        immediate: bool,
    },
    /// `-o osshutdown [--immed]`: shutdown through the operating system (needs RMC).
    OsShutdown {
        /// `--immed`.
        immediate: bool,
    },
}

/// `chsysstate -r lpar -m SYS -o on|shutdown|osshutdown -n LPAR [-f PROFILE] [--immed]`
/// (docs/formats.md, "HMC: chsysstate").
pub fn chsysstate_lpar(system: &str, lpar: &str, op: LparPowerOp<'_>) -> Built {
    let word = match op {
        LparPowerOp::On { .. } => "on",
        LparPowerOp::Shutdown { .. } => "shutdown",
        LparPowerOp::OsShutdown { .. } => "osshutdown",
    };
    let mut command = change("chsysstate")
        .flags(&["-r", "lpar"])
        .option("-m", SYSTEM, system)?
        .flags(&["-o", word])
        .option("-n", LPAR, lpar)?;
    match op {
        LparPowerOp::On {
            profile: Some(profile),
        } => command = command.option("-f", PROFILE, profile)?,
        LparPowerOp::Shutdown { immediate: true } | LparPowerOp::OsShutdown { immediate: true } => {
            command = command.flag("--immed")
        }
        _ => {}
    }
    Ok(command)
}

/// `chhwres -r rspool -m SYS -o a -a vios_names=...`: create the reserved storage device
/// pool served by these VIOS (docs/formats.md, "HMC: reserved storage"). At least one VIOS
/// is required.
pub fn chhwres_rspool_create(system: &str, vios_names: &[&str]) -> Built {
    let vios = names_attr("vios_names", VIOS, vios_names)?
        .ok_or(ArgumentError::Empty { what: VIOS_LIST })?;
    change("chhwres")
        .flags(&["-r", "rspool"])
        .option("-m", SYSTEM, system)?
        .flags(&["-o", "a", "-a"])
        .arg("attribute list", hmc_attributes(&[vios]))
}

/// `chhwres -r rspool -m SYS -o a -p VIOS --rsubtype rsdev --device DEV --manual`: add a
/// disk of a VIOS to the reserved storage pool, for remote restart use (docs/formats.md,
/// "HMC: reserved storage").
pub fn chhwres_rsdev_add(system: &str, vios: &str, device: &str) -> Built {
    Ok(change("chhwres")
        .flags(&["-r", "rspool"])
        .option("-m", SYSTEM, system)?
        .flags(&["-o", "a"])
        .option("-p", VIOS, vios)?
        .flags(&["--rsubtype", "rsdev"])
        .option("--device", DEVICE, device)?
        .flag("--manual"))
}

/// Which reserved storage device a partition uses and through which VIOS.
///
/// Exists to keep the four names of `chsyscfg_rs_device` apart by name, not by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsDeviceAssignment<'a> {
    /// The partition.
    pub lpar: &'a str,
    /// `primary_rs_vios_name`.
    pub primary_vios: &'a str,
    /// `secondary_rs_vios_name`, when a second VIOS also sees the device.
    pub secondary_vios: Option<&'a str>,
    /// `rs_device_name`, e.g. `hdisk988`.
    pub device: &'a str,
}

/// `chsyscfg -r lpar -m SYS -i "name=LPAR,primary_rs_vios_name=...,secondary_rs_vios_name=...,
/// rs_device_name=..."`: assign a reserved storage device to a partition (docs/formats.md,
/// "HMC: reserved storage").
pub fn chsyscfg_rs_device(system: &str, assignment: &RsDeviceAssignment<'_>) -> Built {
    let mut attrs = vec![
        single("name", LPAR, assignment.lpar)?,
        single("primary_rs_vios_name", VIOS, assignment.primary_vios)?,
    ];
    if let Some(secondary) = assignment.secondary_vios {
        attrs.push(single("secondary_rs_vios_name", VIOS, secondary)?);
    }
    attrs.push(single("rs_device_name", DEVICE, assignment.device)?);
    change("chsyscfg")
        .flags(&["-r", "lpar"])
        .option("-m", SYSTEM, system)?
        .flag("-i")
        .arg("attribute list", hmc_attributes(&attrs))
}

/// `chsyscfg -r lpar -m SYS -i "name=LPAR,auto_start=0|1"`: whether the partition starts
/// when its system powers on (docs/formats.md, "HMC: lssyscfg -r lpar"; docs/procedures.md,
/// "Firmware update").
///
/// Exists so that a disruptive firmware update can keep partitions from starting by
/// themselves after the IPL, before their VIOS, and give their setting back afterwards.
pub fn chsyscfg_auto_start(system: &str, lpar: &str, auto_start: bool) -> Built {
    let attrs = [
        single("name", LPAR, lpar)?,
        HmcAttr::single("auto_start", if auto_start { "1" } else { "0" }),
    ];
    change("chsyscfg")
        .flags(&["-r", "lpar"])
        .option("-m", SYSTEM, system)?
        .flag("-i")
        .arg("attribute list", hmc_attributes(&attrs))
}

/// Where `lslic -r` and `updlic -r` find firmware (docs/formats.md, "HMC: lslic",
/// "HMC: updlic").
///
/// Exists so that each repository carries exactly the options it needs. There is
/// deliberately no password: `--passwd` on a command line would end up in plans,
/// transcripts and the HMC's command history. Use an SFTP key (`-k`, stored on the HMC) or
/// an FTP server that needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicRepository<'a> {
    /// `-r ibmwebsite`: IBM Fix Central, straight from the HMC.
    IbmWebsite,
    /// `-r disk`: updates already copied to the HMC's hard disk.
    Disk,
    /// `-r mountpoint -d DIR`: a directory on the HMC (e.g. `/home/hscroot/fw/`).
    Mountpoint {
        /// The directory holding the update files.
        directory: &'a str,
    },
    /// `-r ftp -h HOST -u USER [-d DIR]`.
    Ftp {
        /// FTP server.
        host: &'a str,
        /// FTP user ID.
        user: &'a str,
        /// Directory on the server.
        directory: Option<&'a str>,
    },
    /// `-r sftp -h HOST -u USER [-k KEY] [-d DIR]`.
    Sftp {
        /// SFTP server.
        host: &'a str,
        /// SFTP user ID.
        user: &'a str,
        /// `-k`: the SSH private key on the HMC to log in with.
        ssh_key: Option<&'a str>,
        /// Directory on the server.
        directory: Option<&'a str>,
    },
}

/// What `updlic` does with the level it retrieves (docs/formats.md, "HMC: updlic",
/// "HMC: firmware update paths").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicUpdateOp {
    /// `-o a`: retrieve, install and activate.
    Activate {
        /// `--allowpoweroff`: allow a disruptive activation to power the system off.
        allow_power_off: bool,
    },
    /// `-o i`: retrieve and install, activate at the next IPL.
    Install,
    /// `-o u`: upgrade to a new release (EC), always disruptive.
    Upgrade {
        /// `--allowpoweroff`.
        allow_power_off: bool,
    },
}

/// Which level `updlic -l` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicLevel<'a> {
    /// `-l latest`: the newest level, disruptive if need be.
    Latest,
    /// `-l latestconcurrent`: the newest level that activates concurrently.
    LatestConcurrent,
    /// `-l LEVEL`: a given level (`149`, `01VL941_047`, `ccc,ppp`).
    Level(&'a str),
}

/// `updlic -o a|i|u -m SYS -t sys -r REPO [...] -l LEVEL [--allowpoweroff]`: update the
/// system firmware (docs/formats.md, "HMC: updlic").
pub fn updlic(
    system: &str,
    op: LicUpdateOp,
    repository: &LicRepository<'_>,
    level: LicLevel<'_>,
) -> Built {
    let (letter, allow_power_off) = match op {
        LicUpdateOp::Activate { allow_power_off } => ("a", allow_power_off),
        LicUpdateOp::Install => ("i", false),
        LicUpdateOp::Upgrade { allow_power_off } => ("u", allow_power_off),
    };
    let command = change("updlic")
        .flags(&["-o", letter])
        .option("-m", SYSTEM, system)?
        .flags(&["-t", "sys"]);
    let command = with_repository(command, repository)?.flag("-l");
    let mut command = match level {
        LicLevel::Latest => command.flag("latest"),
        LicLevel::LatestConcurrent => command.flag("latestconcurrent"),
        LicLevel::Level(level) => command.name(LEVEL, level)?,
    };
    if allow_power_off {
        command = command.flag("--allowpoweroff");
    }
    Ok(command)
}

/// `updlic -o c -m SYS`: accept the activated level (copy T-side to P-side,
/// docs/formats.md, "HMC: updlic").
pub fn updlic_accept(system: &str) -> Built {
    change("updlic")
        .flags(&["-o", "c"])
        .option("-m", SYSTEM, system)
}

/// `updlic -o r -m SYS [--allowpoweroff]`: remove the most recently installed updates and
/// activate the accepted (permanent side) level (docs/formats.md, "HMC: updlic").
///
/// Exists as the firmware wizard's back-out: the level it goes back to is the one the
/// install copied to the permanent side (docs/procedures.md, "Firmware update").
pub fn updlic_remove(system: &str, allow_power_off: bool) -> Built {
    let command = change("updlic")
        .flags(&["-o", "r"])
        .option("-m", SYSTEM, system)?;
    Ok(if allow_power_off {
        command.flag("--allowpoweroff")
    } else {
        command
    })
}

/// `refdev -m SYS -p LPAR`: refresh the remote restart data of a partition
/// (docs/formats.md, "HMC: refdev").
pub fn refdev(system: &str, lpar: &str) -> Built {
    change("refdev")
        .option("-m", SYSTEM, system)?
        .option("-p", LPAR, lpar)
}

fn read(program: &'static str) -> RemoteCommand {
    RemoteCommand::read(program).locale(Locale::LangC)
}

fn change(program: &'static str) -> RemoteCommand {
    RemoteCommand::change(program).locale(Locale::LangC)
}

/// `-F a,b,c` when attributes are asked for; nothing (all attributes) otherwise.
fn with_fields(command: RemoteCommand, fields: &[&'static str]) -> Built {
    if fields.is_empty() {
        return Ok(command);
    }
    debug_assert!(
        fields.iter().all(|field| is_attribute_name(field)),
        "bad HMC attribute name in {fields:?}"
    );
    command.flag("-F").arg("attribute list", fields.join(","))
}

/// `--filter a=..,b=..` with the filters that are present; nothing when none is.
fn with_filter<const N: usize>(command: RemoteCommand, filters: [Option<HmcAttr>; N]) -> Built {
    let filters: Vec<HmcAttr> = filters.into_iter().flatten().collect();
    if filters.is_empty() {
        return Ok(command);
    }
    command
        .flag("--filter")
        .arg("filter", hmc_attributes(&filters))
}

fn with_repository(command: RemoteCommand, repository: &LicRepository<'_>) -> Built {
    let command = command.flag("-r");
    Ok(match *repository {
        LicRepository::IbmWebsite => command.flag("ibmwebsite"),
        LicRepository::Disk => command.flag("disk"),
        LicRepository::Mountpoint { directory } => command
            .flag("mountpoint")
            .option("-d", DIRECTORY, directory)?,
        LicRepository::Ftp {
            host,
            user,
            directory,
        } => {
            let command = command
                .flag("ftp")
                .option("-h", HOST, host)?
                .option("-u", USER, user)?;
            optional(command, "-d", DIRECTORY, directory)?
        }
        LicRepository::Sftp {
            host,
            user,
            ssh_key,
            directory,
        } => {
            let command = command
                .flag("sftp")
                .option("-h", HOST, host)?
                .option("-u", USER, user)?;
            let command = optional(command, "-k", KEY, ssh_key)?;
            optional(command, "-d", DIRECTORY, directory)?
        }
    })
}

fn optional(
    command: RemoteCommand,
    flag: &'static str,
    what: &'static str,
    value: Option<&str>,
) -> Built {
    match value {
        Some(value) => command.option(flag, what, value),
        None => Ok(command),
    }
}

/// A list-valued attribute of checked names, or `None` for an empty list.
fn names_attr(
    attribute: &'static str,
    what: &'static str,
    names: &[&str],
) -> Result<Option<HmcAttr>, ArgumentError> {
    if names.is_empty() {
        return Ok(None);
    }
    for name in names {
        check_name(what, name)?;
    }
    Ok(Some(HmcAttr::list(attribute, names.iter().copied())))
}

/// A single-valued attribute holding one checked name.
fn single(
    attribute: &'static str,
    what: &'static str,
    name: &str,
) -> Result<HmcAttr, ArgumentError> {
    check_name(what, name)?;
    Ok(HmcAttr::single(attribute, name))
}

/// A non-empty comma list of checked VIOS names, elements quoted as in docs/formats.md,
/// "HMC: quoting".
fn vios_list(names: &[&str]) -> Result<String, ArgumentError> {
    if names.is_empty() {
        return Err(ArgumentError::Empty { what: VIOS_LIST });
    }
    for name in names {
        check_name(VIOS, name)?;
    }
    Ok(hmc_list(names))
}
