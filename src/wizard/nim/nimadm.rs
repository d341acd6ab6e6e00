//! The nimadm pre-flight (docs/procedures.md, "nimadm pre-flight").
//!
//! Everything `nimadm` needs is read first, with read-only commands on the master and,
//! through `c_rsh`, on the client: remote execution judged by what it prints (c_rsh
//! exits 0 whatever happened), nimsh, the master the client obeys, the levels of the
//! client, the master, the SPOT and the lpp_source and of `bos.alt_disk_install.rte` in
//! the last three, a free target disk big enough, the cache volume group, and whatever
//! stands behind `/bos_inst`. `/bos_inst` is removed only when it is proven a leftover:
//! nothing mounted there, no `bos_*` logical volume in rootvg (no standby instance),
//! the legacy `hd4` open (not booted from a standby). The plan re-checks those right
//! before `rm -r /bos_inst`, and names the `nimadm` command line to run next.

use super::read::{chained_or_cannot_tell, Part};
use super::{
    attribute_is, controlled_here, machine, machine_hostname, master_hostname, nim_master, AT_ONCE,
    READY,
};
use crate::estate::{NimClass, NimObject};
use crate::exec::Exec;
use crate::sources::aix::commands as aix;
use crate::sources::nim::commands::{self as nim, ClientCommand};
use crate::sources::nim::output::{
    fileset_levels, logical_volumes, mounts, physical_volumes, release_level, volume_group_mb,
    LogicalVolume,
};
use crate::wizard::plan::{Condition, Plan, Step, StepKind};
use crate::wizard::view::EstateView;
use crate::wizard::PlanError;

/// The fileset nimadm needs on the master and in the SPOT and lpp_source, at one level.
pub const ALT_DISK: &str = "bos.alt_disk_install.rte";

/// What a rootvg clone needs beyond what rootvg uses, in MB (docs/procedures.md,
/// "nimadm pre-flight").
pub const CLONE_MARGIN_MB: u64 = 500;

/// The operator's choices for a nimadm pre-flight; each is picked from what was read
/// when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NimadmChoices {
    /// The lpp_source of the target level.
    pub lpp_source: Option<String>,
    /// The SPOT of the target level.
    pub spot: Option<String>,
    /// The client's target disk (`hdiskN`).
    pub disk: Option<String>,
    /// The master's volume group for nimadm's cache (`-j`).
    pub cache_vg: Option<String>,
}

/// What the pre-flight read on the master and on the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NimadmFacts {
    /// The lpp_source read.
    pub lpp_source: String,
    /// The SPOT read.
    pub spot: String,
    /// What `c_rsh CLIENT hostname` printed.
    pub hostname: String,
    /// What the `c_rsh` reads printed on stderr (`timedout` ...).
    pub remote_errors: String,
    /// `c_rsh CLIENT lssrc -s nimsh`.
    pub nimsh: String,
    /// `NIM_MASTER_HOSTNAME` of the client's `/etc/niminfo`.
    pub niminfo_master: Option<String>,
    /// `c_rsh CLIENT oslevel -s`.
    pub client_level: String,
    /// `c_rsh CLIENT ls -d /bos_inst` listed it.
    pub bos_inst: bool,
    /// The client's mounts (device, mounted over).
    pub mounts: Vec<(String, String)>,
    /// The client's rootvg logical volumes.
    pub volumes: Vec<LogicalVolume>,
    /// What the client's rootvg uses, in MB.
    pub rootvg_used_mb: Option<u64>,
    /// The client's disks: name, volume group, size in MB (read for free disks).
    pub disks: Vec<(String, Option<String>, Option<u64>)>,
    /// `oslevel -s` of the master.
    pub master_level: String,
    /// (fileset, level) on the master.
    pub master_filesets: Vec<(String, String)>,
    /// (fileset, level) in the SPOT.
    pub spot_filesets: Vec<(String, String)>,
    /// (fileset, level) in the lpp_source.
    pub lpp_filesets: Vec<(String, String)>,
    /// The master's volume groups other than rootvg, with their free MB.
    pub volume_groups: Vec<(String, Option<u64>)>,
}

/// The SPOT and lpp_source a pre-flight reads: the operator's, else the SPOT with the
/// highest `oslevel_r` and the one lpp_source whose name holds that level.
pub fn resources(
    view: EstateView<'_>,
    master: &str,
    choices: &NimadmChoices,
) -> Result<(String, String), PlanError> {
    let objects = nim_master(view, master)?;
    let of_type = |kind: &str| -> Vec<&NimObject> {
        objects
            .iter()
            .filter(|o| o.class == NimClass::Resources && o.object_type == kind)
            .collect()
    };
    let named = |name: &str, kind: &str| {
        of_type(kind)
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.name.clone())
            .ok_or_else(|| PlanError::not_found(format!("{master} has no {kind} called {name}")))
    };
    let spot = match &choices.spot {
        Some(name) => named(name, "spot")?,
        None => {
            let mut spots = of_type("spot");
            spots.sort_by_key(|o| o.attribute("oslevel_r").map(str::to_string));
            spots
                .last()
                .map(|o| o.name.clone())
                .ok_or_else(|| PlanError::refused(format!("{master} has no SPOT")))?
        }
    };
    let lpp = match &choices.lpp_source {
        Some(name) => named(name, "lpp_source")?,
        None => {
            let release = objects
                .iter()
                .find(|o| o.name == spot)
                .and_then(|o| o.attribute("oslevel_r"))
                .unwrap_or("");
            let lpps = of_type("lpp_source");
            let matching: Vec<&&NimObject> = lpps
                .iter()
                .filter(|o| !release.is_empty() && o.name.contains(release))
                .collect();
            match matching.as_slice() {
                [one] => one.name.clone(),
                _ => {
                    return Err(PlanError::invalid(format!(
                        "name the lpp_source to migrate to (--lpp-source): {}",
                        lpps.iter()
                            .map(|o| o.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    };
    Ok((spot, lpp))
}

/// Reads the pre-flight's facts on `master` and, through `c_rsh`, on `client`;
/// read-only.
pub async fn read_nimadm_facts<E: Exec>(
    exec: &E,
    master: &str,
    client: &str,
    spot: &str,
    lpp_source: &str,
) -> Result<NimadmFacts, PlanError> {
    let on = |command: ClientCommand| -> Result<Part, PlanError> {
        Ok(Part::Read(nim::c_rsh(client, command)?))
    };
    let read = chained_or_cannot_tell(
        exec,
        master,
        &[
            on(ClientCommand::Hostname)?,
            on(ClientCommand::NimshStatus)?,
            on(ClientCommand::NimInfo)?,
            on(ClientCommand::OsLevel)?,
            on(ClientCommand::ListBosInst)?,
            on(ClientCommand::Mounts)?,
            on(ClientCommand::RootvgVolumes)?,
            on(ClientCommand::Rootvg)?,
            on(ClientCommand::Disks)?,
            Part::Read(aix::oslevel()),
            Part::Read(nim::lslpp_levels(&[
                "bos.mp64",
                ALT_DISK,
                "bos.alt_disk_install.boot_images",
            ])),
            Part::Read(nim::nim_showres_spot(spot)?),
            Part::Read(nim::nim_showres_lpp(lpp_source)?),
            Part::Read(nim::lsvg_list()),
        ],
    )
    .await?;
    let first = |at: usize| read.out(at).lines().next().unwrap_or("").trim().to_string();
    let listed_disks = physical_volumes(read.out(8));
    let groups: Vec<String> = read
        .out(13)
        .lines()
        .map(str::trim)
        .filter(|vg| !vg.is_empty() && *vg != "rootvg")
        .map(str::to_string)
        .collect();
    let mut more = Vec::new();
    let mut sized = Vec::new();
    for (disk, vg) in &listed_disks {
        let number = disk
            .strip_prefix("hdisk")
            .and_then(|n| n.parse::<u32>().ok());
        if let (None, Some(number)) = (vg, number) {
            more.push(on(ClientCommand::DiskSize(number))?);
            sized.push(disk.clone());
        }
    }
    for vg in &groups {
        more.push(Part::Read(aix::lsvg(vg)?));
    }
    let sizes = if more.is_empty() {
        Default::default()
    } else {
        chained_or_cannot_tell(exec, master, &more).await?
    };
    let disks = listed_disks
        .iter()
        .map(|(disk, vg)| {
            let size = sized
                .iter()
                .position(|d| d == disk)
                .and_then(|at| sizes.out(at).trim().parse().ok());
            (disk.clone(), vg.clone(), size)
        })
        .collect();
    let volume_groups = groups
        .iter()
        .enumerate()
        .map(|(at, vg)| {
            (
                vg.clone(),
                volume_group_mb(sizes.out(sized.len() + at), "FREE PPs:"),
            )
        })
        .collect();
    Ok(NimadmFacts {
        lpp_source: lpp_source.to_string(),
        spot: spot.to_string(),
        hostname: first(0),
        remote_errors: read.stderr.clone(),
        nimsh: read.out(1).to_string(),
        niminfo_master: read.out(2).lines().find_map(|line| {
            line.trim()
                .strip_prefix("export NIM_MASTER_HOSTNAME=")
                .map(|v| v.trim_matches('"').to_string())
        }),
        client_level: first(3),
        bos_inst: read.out(4).lines().any(|line| line.trim() == "/bos_inst"),
        mounts: mounts(read.out(5)),
        volumes: logical_volumes(read.out(6)),
        rootvg_used_mb: volume_group_mb(read.out(7), "USED PPs:"),
        disks,
        master_level: first(9),
        master_filesets: fileset_levels(read.out(10)),
        spot_filesets: fileset_levels(read.out(11)),
        lpp_filesets: fileset_levels(read.out(12)),
        volume_groups,
    })
}

/// What [`check`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The master that will run nimadm.
    pub master: String,
    /// Its host name.
    pub hostname: String,
    /// The client.
    pub client: String,
    /// The client's host name, as `c_rsh hostname` must print it.
    pub client_hostname: String,
    /// The client's level, as read.
    pub client_level: String,
    /// The client runs nimsh.
    pub nimsh: bool,
    /// `/bos_inst` is a proven leftover to remove.
    pub remove_bos_inst: bool,
    /// The target disk.
    pub disk: String,
    /// The cache volume group, when one fits.
    pub cache_vg: Option<String>,
    /// The SPOT.
    pub spot: String,
    /// The lpp_source.
    pub lpp_source: String,
    /// Evidence and advice.
    pub notes: Vec<String>,
}

fn level_of<'a>(filesets: &'a [(String, String)], fileset: &str) -> Option<&'a str> {
    filesets
        .iter()
        .find(|(name, _)| name == fileset)
        .map(|(_, level)| level.as_str())
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decides whether `client` is ready for `nimadm` from `master`, and whether its
/// `/bos_inst` may be removed.
pub fn check(
    view: EstateView<'_>,
    master: &str,
    client: &str,
    choices: &NimadmChoices,
    facts: Option<&NimadmFacts>,
) -> Result<Checked, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    if found.object_type != "standalone" {
        return Err(PlanError::refused(format!(
            "{client} is a {} machine: nimadm migrates standalone clients",
            found.object_type
        )));
    }
    if let Some(cstate) = found.cstate.as_ref().filter(|c| !c.is_ready()) {
        return Err(PlanError::refused(format!(
            "{client} is in Cstate '{cstate}': reset it first (powerdeck plan nim-reset --master {master} --client {client})"
        )));
    }
    let me = master_hostname(objects, master);
    controlled_here(found, master, &me)?;
    let facts = facts.ok_or_else(|| {
        PlanError::cannot_tell(format!("nothing was read on {client} and {master}"))
    })?;
    let mut notes = Vec::new();

    let expected = machine_hostname(found).to_string();
    if facts.hostname != expected && facts.hostname != client {
        return Err(PlanError::refused(format!(
            "{master} cannot run commands on {client}: c_rsh {client} hostname printed '{}' instead of '{expected}'{}. c_rsh exits 0 whatever happened, so only its output counts",
            facts.hostname,
            if facts.remote_errors.trim().is_empty() {
                String::new()
            } else {
                format!(" (and said: {})", flat(&facts.remote_errors))
            }
        )));
    }
    let nimsh = found
        .attribute("connect")
        .is_some_and(|c| c.starts_with("nimsh"));
    if nimsh
        && !facts
            .nimsh
            .lines()
            .any(|line| line.contains("nimsh") && line.split_whitespace().any(|w| w == "active"))
    {
        return Err(PlanError::refused(format!(
            "nimsh is not active on {client} (lssrc -s nimsh printed '{}'): start it (startsrc -s nimsh)",
            flat(&facts.nimsh)
        )));
    }
    match &facts.niminfo_master {
        Some(named) if *named == me => {}
        Some(named) => {
            return Err(PlanError::refused(format!(
                "{client}'s /etc/niminfo names {named} as its master, not {me}: the migration must run from {named}, or {client} be re-initialised (niminit)"
            )))
        }
        None => {
            return Err(PlanError::cannot_tell(format!(
                "{client}'s /etc/niminfo could not be read"
            )))
        }
    }

    let (spot, lpp) = (&facts.spot, &facts.lpp_source);
    let master_alt = level_of(&facts.master_filesets, ALT_DISK).ok_or_else(|| {
        PlanError::refused(format!(
            "{ALT_DISK} is not installed on {master}: nimadm needs it on the master"
        ))
    })?;
    for (what, filesets) in [
        ("SPOT", (spot, &facts.spot_filesets)),
        ("lpp_source", (lpp, &facts.lpp_filesets)),
    ] {
        match level_of(filesets.1, ALT_DISK) {
            Some(level) if level == master_alt => {}
            Some(level) => {
                return Err(PlanError::refused(format!(
                    "{ALT_DISK} is at {level} in {what} {} but at {master_alt} on {master}: they must be at the same level (nimadm -M -s {spot} -l {lpp} brings them in line)",
                    filesets.0
                )))
            }
            None => {
                return Err(PlanError::refused(format!(
                    "{what} {} has no {ALT_DISK}: install it there first (nimadm -M -s {spot} -l {lpp})",
                    filesets.0
                )))
            }
        }
    }
    let level = |text: Option<&str>, what: String| {
        text.and_then(release_level)
            .ok_or_else(|| PlanError::cannot_tell(format!("the level of {what} could not be read")))
    };
    let lpp_level = level(
        level_of(&facts.lpp_filesets, "bos.mp64"),
        format!("lpp_source {lpp}"),
    )?;
    let spot_level = level(
        level_of(&facts.spot_filesets, "bos.mp64"),
        format!("SPOT {spot}"),
    )?;
    let master_level = level(Some(&facts.master_level), master.to_string())?;
    let client_level = level(Some(&facts.client_level), client.to_string())?;
    let show = |l: (u32, u32, u32)| format!("{}.{} TL{}", l.0, l.1, l.2);
    if master_level < lpp_level {
        return Err(PlanError::refused(format!(
            "{master} runs {}, below lpp_source {lpp} ({}): the master must be at least at the level it migrates to",
            show(master_level),
            show(lpp_level)
        )));
    }
    if (spot_level.0, spot_level.1) != (lpp_level.0, lpp_level.1) || spot_level < lpp_level {
        return Err(PlanError::refused(format!(
            "SPOT {spot} is at {} and lpp_source {lpp} at {}: the SPOT must be of the same release, not below it",
            show(spot_level),
            show(lpp_level)
        )));
    }
    if (client_level.0, client_level.1) >= (lpp_level.0, lpp_level.1) {
        return Err(PlanError::refused(format!(
            "{client} already runs {} and lpp_source {lpp} is {}: nimadm migrates to a higher release",
            show(client_level),
            show(lpp_level)
        )));
    }
    notes.push(format!(
        "levels: {client} {}, {master} {}, SPOT {spot} {}, lpp_source {lpp} {}; {ALT_DISK} {master_alt} on all three",
        show(client_level),
        show(master_level),
        show(spot_level),
        show(lpp_level)
    ));

    let remove_bos_inst = prove_leftover(client, facts, &mut notes)?;

    let used = facts.rootvg_used_mb.ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "how much of {client}'s rootvg is used could not be read"
        ))
    })?;
    if let Some((disk, vg, _)) = facts
        .disks
        .iter()
        .find(|(_, vg, _)| matches!(vg.as_deref(), Some("altinst_rootvg" | "old_rootvg")))
    {
        return Err(PlanError::refused(format!(
            "{disk} of {client} holds {}: remove it first (alt_rootvg_op -X {})",
            vg.as_deref().unwrap_or(""),
            vg.as_deref().unwrap_or("")
        )));
    }
    let need = used + CLONE_MARGIN_MB;
    let disk = match &choices.disk {
        Some(wanted) => {
            let (_, vg, size) = facts
                .disks
                .iter()
                .find(|(disk, _, _)| disk == wanted)
                .ok_or_else(|| PlanError::not_found(format!("{client} has no disk called {wanted}")))?;
            if let Some(vg) = vg {
                return Err(PlanError::refused(format!(
                    "{wanted} of {client} belongs to {vg}: the target disk must be free (nimadm would answer 0505-126)"
                )));
            }
            match size {
                Some(size) if *size >= need => wanted.clone(),
                Some(size) => {
                    return Err(PlanError::refused(format!(
                        "{wanted} of {client} has {size} MB; a clone of its rootvg needs {need} MB ({used} MB used + {CLONE_MARGIN_MB} MB)"
                    )))
                }
                None => {
                    return Err(PlanError::cannot_tell(format!(
                        "the size of {wanted} on {client} could not be read"
                    )))
                }
            }
        }
        None => facts
            .disks
            .iter()
            .find(|(_, vg, size)| vg.is_none() && size.is_some_and(|s| s >= need))
            .map(|(disk, _, _)| disk.clone())
            .ok_or_else(|| {
                PlanError::refused(format!(
                    "{client} has no free disk of at least {need} MB ({used} MB of rootvg used + {CLONE_MARGIN_MB} MB): {}",
                    facts
                        .disks
                        .iter()
                        .map(|(disk, vg, size)| format!(
                            "{disk} {} {}",
                            vg.as_deref().unwrap_or("free"),
                            size.map_or("size unknown".to_string(), |s| format!("{s} MB"))
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    notes.push(format!(
        "target disk {disk}: free, big enough for {used} MB of rootvg + {CLONE_MARGIN_MB} MB"
    ));
    let fits = |free: &Option<u64>| free.is_some_and(|f| f >= used);
    let cache_vg = match &choices.cache_vg {
        Some(wanted) => match facts.volume_groups.iter().find(|(vg, _)| vg == wanted) {
            Some((vg, free)) if fits(free) => Some(vg.clone()),
            Some((vg, free)) => {
                return Err(PlanError::refused(format!(
                    "volume group {vg} on {master} has {} MB free; nimadm's cache of {client} needs {used} MB",
                    free.map_or("an unknown number of".to_string(), |f| f.to_string())
                )))
            }
            None => {
                return Err(PlanError::not_found(format!(
                    "{master} has no volume group called {wanted} (besides rootvg: {})",
                    facts
                        .volume_groups
                        .iter()
                        .map(|(vg, _)| vg.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        },
        None => facts
            .volume_groups
            .iter()
            .find(|(_, free)| fits(free))
            .map(|(vg, _)| vg.clone()),
    };
    match &cache_vg {
        Some(vg) => notes.push(format!(
            "cache volume group {vg} on {master} has room for {used} MB"
        )),
        None => notes.push(format!(
            "no volume group on {master} besides rootvg has {used} MB free: nimadm will run without -j, over NFS"
        )),
    }
    Ok(Checked {
        master: master.to_string(),
        hostname: me,
        client: client.to_string(),
        client_hostname: expected,
        client_level: facts.client_level.clone(),
        nimsh,
        remove_bos_inst,
        disk,
        cache_vg,
        spot: spot.clone(),
        lpp_source: lpp.clone(),
        notes,
    })
}

/// `Ok(true)` when `/bos_inst` is a leftover to remove, `Ok(false)` when there is none;
/// refuses when a multibos standby instance stands behind it (or exists at all).
fn prove_leftover(
    client: &str,
    facts: &NimadmFacts,
    notes: &mut Vec<String>,
) -> Result<bool, PlanError> {
    if facts.volumes.is_empty() {
        return Err(PlanError::cannot_tell(format!(
            "{client}'s rootvg logical volumes could not be read (lsvg -l rootvg)"
        )));
    }
    let standby: Vec<&str> = facts
        .volumes
        .iter()
        .filter(|lv| lv.name.starts_with("bos_"))
        .map(|lv| lv.name.as_str())
        .collect();
    let mounted: Vec<String> = facts
        .mounts
        .iter()
        .filter(|(_, over)| over == "/bos_inst" || over.starts_with("/bos_inst/"))
        .map(|(device, over)| format!("{device} on {over}"))
        .collect();
    let legacy_open = facts
        .volumes
        .iter()
        .any(|lv| lv.name == "hd4" && lv.is_open());
    if !mounted.is_empty() {
        return Err(PlanError::refused(format!(
            "/bos_inst on {client} is not a leftover: {} is mounted there (a multibos standby in use)",
            mounted.join(", ")
        )));
    }
    if !legacy_open {
        return Err(PlanError::refused(format!(
            "{client} did not boot from its legacy logical volumes (hd4 is not open): it runs a multibos standby instance, and /bos_inst belongs to the other one"
        )));
    }
    if !standby.is_empty() {
        return Err(PlanError::refused(format!(
            "{client} has a multibos standby instance ({}){}: nimadm fails in phase 11 with it. Remove it with multibos -R if it is not needed, then check /bos_inst again (multibos -R may leave it behind)",
            standby.join(", "),
            if facts.bos_inst {
                ", and /bos_inst is its mount point, not a leftover"
            } else {
                ""
            }
        )));
    }
    if facts.bos_inst {
        notes.push(format!(
            "/bos_inst on {client} is a leftover: nothing is mounted there, rootvg has no bos_* logical volume, hd4 is open"
        ));
    }
    Ok(facts.bos_inst)
}

/// The steps of a checked pre-flight.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (master, client, me) = (&checked.master, &checked.client, &checked.hostname);
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let on = |command: ClientCommand| built(nim::c_rsh(client, command));
    let prints = |words: &[&str]| Condition::OutputLine {
        words: words.iter().map(|w| w.to_string()).collect(),
    };
    let mut steps = vec![
        Step::new(
            master,
            StepKind::Check,
            built(nim::lsnim_long(Some(client)))?,
            format!("{client} is defined on {master}, ready for a NIM operation"),
        )
        .until(
            Condition::All(vec![
                attribute_is(client, "Cstate", Some(READY)),
                attribute_is(client, "current_master", Some(me)),
            ]),
            AT_ONCE,
        ),
        Step::new(
            master,
            StepKind::Check,
            on(ClientCommand::Hostname)?,
            format!("{master} runs commands on {client}: c_rsh must print '{}' (its exit status proves nothing)", checked.client_hostname),
        )
        .until(prints(&[&checked.client_hostname]), AT_ONCE),
        Step::new(
            master,
            StepKind::Check,
            on(ClientCommand::NimInfo)?,
            format!("{client}'s /etc/niminfo names {me} as its master"),
        )
        .until(
            prints(&["export", &format!("NIM_MASTER_HOSTNAME={me}")]),
            AT_ONCE,
        ),
    ];
    if checked.nimsh {
        steps.push(
            Step::new(
                master,
                StepKind::Check,
                on(ClientCommand::NimshStatus)?,
                format!("nimsh is active on {client}"),
            )
            .until(prints(&["nimsh", "active"]), AT_ONCE),
        );
    }
    steps.push(
        Step::new(
            master,
            StepKind::Check,
            on(ClientCommand::OsLevel)?,
            format!("{client} still runs {}", checked.client_level),
        )
        .until(prints(&[&checked.client_level]), AT_ONCE),
    );
    steps.push(
        Step::new(
            master,
            StepKind::Check,
            on(ClientCommand::Disks)?,
            format!("{} of {client} is still free", checked.disk),
        )
        .until(prints(&[&checked.disk, "None"]), AT_ONCE),
    );
    let absent = Condition::PathAbsent {
        path: "/bos_inst".to_string(),
    };
    if checked.remove_bos_inst {
        steps.push(
            Step::new(
                master,
                StepKind::Check,
                on(ClientCommand::Mounts)?,
                format!("nothing is mounted on /bos_inst of {client}"),
            )
            .until(
                Condition::NoOutputLine {
                    header: "mounted over".into(),
                    containing: "/bos_inst".into(),
                },
                AT_ONCE,
            ),
        );
        steps.push(
            Step::new(
                master,
                StepKind::Check,
                on(ClientCommand::RootvgVolumes)?,
                format!("{client}'s rootvg still has no multibos standby (bos_*) logical volume"),
            )
            .until(
                Condition::NoOutputLine {
                    header: "LV NAME".into(),
                    containing: "bos_".into(),
                },
                AT_ONCE,
            ),
        );
        steps.push(Step::new(
            master,
            StepKind::Change,
            on(ClientCommand::RemoveBosInst)?,
            format!(
                "remove the /bos_inst multibos left on {client}: with it nimadm fails in phase 11 (0505-218 init_multibos; docs/formats.md, \"NIM: nimadm\"), and multibos -R does not remove it"
            ),
        ));
        steps.push(
            Step::new(
                master,
                StepKind::Verify,
                on(ClientCommand::ListBosInst)?,
                format!("{client} has no /bos_inst"),
            )
            .until(absent, AT_ONCE),
        );
    } else {
        steps.push(
            Step::new(
                master,
                StepKind::Check,
                on(ClientCommand::ListBosInst)?,
                format!("{client} still has no /bos_inst"),
            )
            .until(absent, AT_ONCE),
        );
    }
    let mut notes = checked.notes.clone();
    notes.push(format!(
        "then run on {master}: nimadm {}-c {client} -s {} -l {} -d {} -Y",
        checked
            .cache_vg
            .as_ref()
            .map_or(String::new(), |vg| format!("-j {vg} ")),
        checked.spot,
        checked.lpp_source,
        checked.disk
    ));
    Ok(Plan {
        wizard: "nimadm-preflight",
        title: format!("nimadm pre-flight of {client} on {master}"),
        confirm_name: client.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// Builds the nimadm pre-flight of `client` on `master` from what was read.
pub fn nimadm_preflight(
    view: EstateView<'_>,
    master: &str,
    client: &str,
    choices: &NimadmChoices,
    facts: Option<&NimadmFacts>,
) -> Result<Plan, PlanError> {
    emit(&check(view, master, client, choices, facts)?)
}
