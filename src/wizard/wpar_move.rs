//! Moving a system WPAR to another AIX global environment through a savewpar image on
//! a directory both globals share (docs/procedures.md, "WPAR move", also when the target
//! runs a newer AIX): switch its auto start off, stop it, save it with the file-size
//! limit lifted, restore it on the target (`-C` across levels), migrate it when it comes
//! from an older AIX version, synchronise, start, verify inside, and keep or remove the
//! stopped source copy.
//!
//! [`check`] decides everything the plan depends on (states, kinds, levels, the APAR a
//! 6.1 image needs on 7.1, room for the WPAR and for its image, the shared directory
//! mounted read-write from the same export on both globals); [`emit`]
//! (in `wpar_move_steps`) writes the steps. The refresh reads only `lswpar -cq`; the rest
//! comes from [`read_facts`], read-only commands run just before planning.

use super::aix_checks::{self, MountEntry};
use super::plan::Plan;
use super::view::EstateView;
use super::PlanError;
use crate::estate::SourceKind;
use crate::estate::{SourceData, SourceSnapshot};
use crate::estate::{Wpar, WparState, WparType};
use crate::exec::Exec;
use crate::sources::aix::commands as aix;
use crate::sources::read;
use crate::sources::{aix as aix_parse, HostError, RemoteCommand};

pub use super::wpar_move_steps::emit;

/// The directory every AIX global of the estate mounts (the shared directory of
/// docs/procedures.md, "WPAR move"; the demo's NFS export).
pub const DEFAULT_SHARED_DIR: &str = "/export/wpars";

/// The fix an AIX 7.1 global needs to restore a WPAR saved on AIX 6.1
/// (docs/procedures.md, "WPAR move").
pub const APAR_6_ON_7: &str = "IZ99829";

/// What happens to the source WPAR once the copy runs on the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SourceAfterMove {
    /// Stopped and kept (Defined, auto start off) as a fallback.
    #[default]
    Stop,
    /// Stopped, then removed (`rmwpar`) once the copy runs on the target.
    Remove,
}

/// The operator's choices for a WPAR move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WparMoveChoices {
    /// Keep the stopped source copy, or remove it at the end.
    pub source_after: SourceAfterMove,
    /// `migwpar -d DIR`: AIX install images of the target's level, needed to migrate a
    /// detached WPAR from an older AIX version.
    pub images: Option<String>,
    /// Where the savewpar image goes; both globals must see it.
    pub shared_dir: String,
}

impl Default for WparMoveChoices {
    fn default() -> Self {
        WparMoveChoices {
            source_after: SourceAfterMove::Stop,
            images: None,
            shared_dir: DEFAULT_SHARED_DIR.to_string(),
        }
    }
}

/// What the two globals say about the move, read just before planning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WparMoveFacts {
    /// `oslevel -s` of the source global.
    pub source_level: Option<String>,
    /// `oslevel -s` of the target global.
    pub target_level: Option<String>,
    /// `lswpar -G W` on the source: detached, versioned, rootvg, type, auto start.
    pub details: Option<Wpar>,
    /// The WPAR's file systems (`lsfs -u W` on the source), MB: also the most its
    /// savewpar image can take.
    pub size_mb: Option<u64>,
    /// Free space in the target's rootvg (`lsvg rootvg`), MB.
    pub target_free_mb: Option<u64>,
    /// The mount points of the WPAR's mount group (`lsfs -u W`): `rmwpar` deletes them
    /// all.
    pub mount_group: Vec<String>,
    /// `mount` on the source global.
    pub source_mounts: Option<Vec<MountEntry>>,
    /// `mount` on the target global.
    pub target_mounts: Option<Vec<MountEntry>>,
    /// Free space where the image goes (`df -k DIR` on the source), MB.
    pub shared_free_mb: Option<u64>,
    /// `instfix -ik IZ99829` on the target, read when the move needs it: whether all its
    /// filesets are installed.
    pub apar_found: Option<bool>,
    /// What could not be read, in words.
    pub problems: Vec<String>,
}

/// True when an image saved at `source` needs APAR IZ99829 to be restored at `target`:
/// AIX 6 onto AIX 7.1 (docs/procedures.md, "WPAR move").
pub fn needs_apar(source: (u32, u32, u32, u32), target: (u32, u32, u32, u32)) -> bool {
    source.0 == 6 && (target.0, target.1) == (7, 1)
}

/// Reads the facts a move needs, with read-only commands only.
pub async fn read_facts<T: Exec>(
    transport: &T,
    wpar: &str,
    from: &str,
    to: &str,
    shared_dir: &str,
) -> Result<WparMoveFacts, PlanError> {
    let mut facts = WparMoveFacts::default();
    let oslevel = aix::oslevel();
    match run(transport, from, &oslevel).await {
        Ok(text) => facts.source_level = Some(text.trim().to_string()),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, to, &oslevel).await {
        Ok(text) => facts.target_level = Some(text.trim().to_string()),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, from, &aix::lswpar_general(wpar)?).await {
        Ok(text) => match aix_parse::parse_lswpar_general(&text) {
            Ok(parsed) => facts.details = parsed.items.into_iter().find(|w| w.name == wpar),
            Err(error) => facts.problems.push(format!("lswpar -G {wpar}: {error}")),
        },
        Err(error) => facts.problems.push(error),
    }
    match run(transport, from, &aix::lsfs_mount_group(wpar)?).await {
        Ok(text) => {
            facts.size_mb = mount_group_size_mb(&text);
            facts.mount_group = mount_group_points(&text);
        }
        Err(error) => facts.problems.push(error),
    }
    match run(transport, to, &aix::lsvg("rootvg")?).await {
        Ok(text) => facts.target_free_mb = super::condition::vg_free_mb(&text),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, from, &aix::mount_table()).await {
        Ok(text) => facts.source_mounts = Some(aix_checks::parse_mounts(&text)),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, to, &aix::mount_table()).await {
        Ok(text) => facts.target_mounts = Some(aix_checks::parse_mounts(&text)),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, from, &aix::df_kb(&[shared_dir])?).await {
        Ok(text) => facts.shared_free_mb = aix_checks::df_free_mb(&text),
        Err(error) => facts.problems.push(error),
    }
    let levels = (
        facts.source_level.as_deref().and_then(aix_level),
        facts.target_level.as_deref().and_then(aix_level),
    );
    if let (Some(source), Some(target)) = levels {
        if needs_apar(source, target) {
            match run(transport, to, &aix::instfix(APAR_6_ON_7)?).await {
                Ok(text) => {
                    facts.apar_found = aix_checks::instfix_found(&text, APAR_6_ON_7);
                    if facts.apar_found.is_none() {
                        facts.problems.push(format!(
                            "{to}: instfix -ik {APAR_6_ON_7} printed {:?}",
                            text.trim()
                        ));
                    }
                }
                Err(error) => facts.problems.push(error),
            }
        }
    }
    Ok(facts)
}

/// Runs a read-only command; its stdout, or why not.
pub(crate) async fn run<T: Exec>(
    transport: &T,
    host: &str,
    command: &RemoteCommand,
) -> Result<String, String> {
    let output = read(transport, host, command)
        .await
        .map_err(|error| format!("{host}: {error}"))?;
    HostError::check(&output)
        .map(str::to_string)
        .map_err(|error| format!("{host}: {}: {error}", command.program()))
}

/// The rows of `lsfs -u W` output that name a file system: (mount point, size in
/// 512-byte blocks when printed).
fn mount_group_rows(text: &str) -> Vec<(String, Option<u64>)> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [device, _node, mount_point, _vfs, size, ..] if device.starts_with('/') => {
                    Some((mount_point.to_string(), size.parse().ok()))
                }
                _ => None,
            }
        })
        .collect()
}

/// The size of a WPAR's file systems from `lsfs -u W` output (the Size column counts
/// 512-byte blocks), in MB; `None` when no row has a size.
pub fn mount_group_size_mb(text: &str) -> Option<u64> {
    let mut blocks: Option<u64> = None;
    for (_, size) in mount_group_rows(text) {
        if let Some(size) = size {
            blocks = Some(blocks.unwrap_or(0).saturating_add(size));
        }
    }
    blocks.map(|b| b.div_ceil(2048))
}

/// The mount points of a WPAR's mount group from `lsfs -u W` output.
pub fn mount_group_points(text: &str) -> Vec<String> {
    mount_group_rows(text)
        .into_iter()
        .map(|(mount_point, _)| mount_point)
        .collect()
}

/// An AIX level `7100-00-02-1041` as (version, release, technology level, service pack).
pub fn aix_level(oslevel: &str) -> Option<(u32, u32, u32, u32)> {
    let mut parts = oslevel.trim().split('-');
    let vr = parts.next()?;
    let mut digits = vr.chars().map(|c| c.to_digit(10));
    let version = digits.next()??;
    let release = digits.next()??;
    let tl = parts.next()?.parse().ok()?;
    let sp = parts.next()?.parse().ok()?;
    Some((version, release, tl, sp))
}

/// The WPARs of an AIX global environment, as the last refresh read them.
pub(crate) fn aix_host<'a>(
    view: EstateView<'a>,
    host: &str,
) -> Result<(&'a SourceSnapshot, &'a [Wpar]), PlanError> {
    let snapshot = view
        .snapshots
        .iter()
        .find(|s| s.name == host && s.kind == SourceKind::Aix)
        .ok_or_else(|| {
            PlanError::not_found(format!("no AIX host called {host} in the configuration"))
        })?;
    match &snapshot.data {
        SourceData::Aix(wpars) => Ok((snapshot, wpars)),
        _ => Err(PlanError::cannot_tell(format!(
            "{host} could not be read ({}): refresh and try again",
            snapshot.error.as_deref().unwrap_or("no data")
        ))),
    }
}

/// What [`check`] found: everything [`emit`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The WPAR that moves.
    pub wpar: String,
    /// The source global.
    pub from: String,
    /// The target global.
    pub to: String,
    /// The WPAR's state on the source (Active or Defined).
    pub state: WparState,
    /// Private /usr (detached WPAR).
    pub detached: bool,
    /// Its auto start on the source, when `lswpar -G` showed it.
    pub auto_start: Option<bool>,
    /// `oslevel -s` of the source global, as printed.
    pub source_level: String,
    /// `oslevel -s` of the target global, as printed.
    pub target_level: String,
    /// (version, release) of the source global.
    pub source_version: (u32, u32),
    /// (version, release) of the target global.
    pub target_version: (u32, u32),
    /// The levels differ: `restwpar -C`.
    pub compatible: bool,
    /// The target runs a newer AIX version or release: `migwpar`.
    pub migrate: bool,
    /// The target must have APAR IZ99829 (and has it).
    pub needs_apar: bool,
    /// The WPAR's file systems, MB (the most its image can take), when read.
    pub size_mb: Option<u64>,
    /// The shared directory the image goes to.
    pub shared_dir: String,
    /// The NFS export both globals mount it from (`node:/dir`).
    pub export: String,
    /// The savewpar image.
    pub image: String,
    /// `migwpar -d`, for a detached WPAR from an older version.
    pub images: Option<String>,
    /// What becomes of the source copy.
    pub source_after: SourceAfterMove,
    /// Notes about stale data.
    pub stale: Vec<String>,
}

/// Everything the move depends on; the first unsafe or unknown fact refuses it.
pub fn check(
    view: EstateView<'_>,
    wpar: &str,
    from: &str,
    to: &str,
    choices: &WparMoveChoices,
    facts: &WparMoveFacts,
) -> Result<Checked, PlanError> {
    if from == to {
        return Err(PlanError::invalid(format!(
            "{wpar} already lives on {from}: name another global as the target"
        )));
    }
    let (source_snapshot, source_wpars) = aix_host(view, from)?;
    let (target_snapshot, target_wpars) = aix_host(view, to)?;
    let listed = source_wpars
        .iter()
        .find(|w| w.name == wpar)
        .ok_or_else(|| PlanError::not_found(format!("{from} has no WPAR called {wpar}")))?;
    if target_wpars.iter().any(|w| w.name == wpar) {
        return Err(PlanError::refused(format!(
            "{to} already has a WPAR called {wpar}: remove or rename it first"
        )));
    }
    let state = listed.state.clone();
    if !matches!(state, WparState::Active | WparState::Defined) {
        return Err(PlanError::refused(format!(
            "{wpar} is {state} on {from}: a move starts from Active or Defined{}",
            if state.is_stuck() {
                format!(
                    " (recover it first: powerdeck plan wpar-recover --host {from} --wpar {wpar})"
                )
            } else {
                String::new()
            }
        )));
    }
    let unread = |what: String| {
        PlanError::cannot_tell(format!(
            "could not read {what}: {}",
            facts.problems.join("; ")
        ))
    };
    let details = facts
        .details
        .as_ref()
        .ok_or_else(|| unread(format!("lswpar -G {wpar} on {from}")))?;
    if listed.wpar_type == WparType::Application || details.wpar_type == WparType::Application {
        return Err(PlanError::refused(format!(
            "{wpar} is an application WPAR: there is nothing to save, start it on {to} with wparexec"
        )));
    }
    if listed.rootvg || details.rootvg {
        return Err(PlanError::refused(format!(
            "{wpar} is a rootvg WPAR: move it with its disk (spec file and mkwpar -p, docs/procedures.md, \"WPAR move\"), not through a savewpar image"
        )));
    }
    if details.is_versioned() {
        return Err(PlanError::refused(format!(
            "{wpar} is a versioned (AIX 5.x) WPAR: syncwpar and migwpar do not apply; recreate it from its mksysb with mkwpar -C -B"
        )));
    }
    let detached = details.private_usr == Some(true);
    let level_of = |level: &Option<String>, host: &str| {
        let text = level
            .as_deref()
            .ok_or_else(|| unread(format!("oslevel -s on {host}")))?;
        aix_level(text)
            .map(|parsed| (text.to_string(), parsed))
            .ok_or_else(|| {
                PlanError::cannot_tell(format!("{host} oslevel -s {text:?} is not a level"))
            })
    };
    let (source_text, source_level) = level_of(&facts.source_level, from)?;
    let (target_text, target_level) = level_of(&facts.target_level, to)?;
    if target_level < source_level {
        return Err(PlanError::refused(format!(
            "{to} runs {target_text}, older than {from} ({source_text}): a WPAR cannot move to an older AIX"
        )));
    }
    let migrate = (target_level.0, target_level.1) > (source_level.0, source_level.1);
    if migrate && detached && choices.images.is_none() {
        return Err(PlanError::refused(format!(
            "{wpar} is a detached WPAR from AIX {}.{}: migwpar needs the AIX {}.{} install images on {to} (--images DIR)",
            source_level.0, source_level.1, target_level.0, target_level.1
        )));
    }
    let needs_apar = needs_apar(source_level, target_level);
    if needs_apar {
        match facts.apar_found {
            Some(true) => {}
            Some(false) => {
                return Err(PlanError::refused(format!(
                    "{to} lacks APAR {APAR_6_ON_7} (instfix -ik {APAR_6_ON_7} does not find all its filesets): an image saved on AIX {}.{} cannot be restored on {}.{} without it; install it on {to} first",
                    source_level.0, source_level.1, target_level.0, target_level.1
                )))
            }
            None => return Err(unread(format!("instfix -ik {APAR_6_ON_7} on {to}"))),
        }
    }
    if let (Some(size), Some(free)) = (facts.size_mb, facts.target_free_mb) {
        if size > free {
            return Err(PlanError::refused(format!(
                "{wpar} needs about {size} MB in {to}'s rootvg, which has {free} MB free: make room first (old backups, dumps)"
            )));
        }
    }
    let shared_dir = normalized_dir(&choices.shared_dir);
    let export = shared_export(&shared_dir, from, to, facts)?;
    match (facts.size_mb, facts.shared_free_mb) {
        (Some(size), Some(free)) if size > free => {
            return Err(PlanError::refused(format!(
                "{shared_dir} has {free} MB free, and the image of {wpar} can take up to {size} MB (the size of its file systems): make room there first"
            )))
        }
        (_, None) => return Err(unread(format!("df -k {shared_dir} on {from}"))),
        _ => {}
    }
    if choices.source_after == SourceAfterMove::Remove {
        let directory = details
            .directory
            .clone()
            .or_else(|| listed.directory.clone())
            .unwrap_or_else(|| format!("/wpars/{wpar}"));
        let foreign: Vec<&String> = facts
            .mount_group
            .iter()
            .filter(|point| !aix_checks::is_under(point, &directory))
            .collect();
        if !foreign.is_empty() {
            return Err(PlanError::refused(format!(
                "removing {wpar} from {from} would delete {} too: it is in {wpar}'s mount group (lsfs -u {wpar}); move it to another mount group (smit chfs) or keep the source (--source stop)",
                foreign.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let stale = [source_snapshot, target_snapshot]
        .iter()
        .filter(|snapshot| snapshot.stale)
        .map(|snapshot| {
            format!(
                "{} was not read in the last refresh: the plan uses older data (the checks re-read it)",
                snapshot.name
            )
        })
        .collect();
    Ok(Checked {
        wpar: wpar.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        state,
        detached,
        auto_start: details.auto_start,
        source_level: source_text,
        target_level: target_text,
        source_version: (source_level.0, source_level.1),
        target_version: (target_level.0, target_level.1),
        compatible: target_level != source_level,
        migrate,
        needs_apar,
        size_mb: facts.size_mb,
        image: format!("{shared_dir}/{wpar}.savewpar"),
        shared_dir,
        export,
        images: choices.images.clone(),
        source_after: choices.source_after,
        stale,
    })
}

/// `DIR` without a trailing `/` (but `/` stays `/`).
fn normalized_dir(dir: &str) -> String {
    match dir.trim_end_matches('/') {
        "" => "/".to_string(),
        trimmed => trimmed.to_string(),
    }
}

/// The NFS export both globals mount the shared directory from, read-write; refused
/// when either global has it local, read-only, or from another export.
fn shared_export(
    dir: &str,
    from: &str,
    to: &str,
    facts: &WparMoveFacts,
) -> Result<String, PlanError> {
    let export_on = |host: &str, mounts: &Option<Vec<MountEntry>>| {
        let mounts = mounts.as_ref().ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "could not read mount on {host}: {}",
                facts.problems.join("; ")
            ))
        })?;
        let entry = aix_checks::holding(mounts, dir)
            .ok_or_else(|| PlanError::refused(format!("{dir} is not mounted on {host}")))?;
        let Some(export) = entry.export_of(dir).filter(|_| entry.is_remote()) else {
            return Err(PlanError::refused(format!(
                "{dir} is not an NFS mount on {host} (it lies on the local {} {}): an image written there stays on {host}; mount the shared directory on both globals first",
                entry.vfs, entry.over
            )));
        };
        if entry.read_only() {
            return Err(PlanError::refused(format!(
                "{dir} is mounted read-only on {host} ({export}): mount it read-write first"
            )));
        }
        Ok(export)
    };
    let source = export_on(from, &facts.source_mounts)?;
    let target = export_on(to, &facts.target_mounts)?;
    if source != target {
        return Err(PlanError::refused(format!(
            "{dir} is {source} on {from} but {target} on {to}: not the same directory, {to} would not see the image"
        )));
    }
    Ok(source)
}

/// Builds the plan that moves WPAR `wpar` from global `from` to global `to`.
pub fn wpar_move(
    view: EstateView<'_>,
    wpar: &str,
    from: &str,
    to: &str,
    choices: &WparMoveChoices,
    facts: &WparMoveFacts,
) -> Result<Plan, PlanError> {
    emit(&check(view, wpar, from, to, choices, facts)?)
}
