//! Moving a system WPAR to another AIX global environment through a savewpar image on
//! a directory both globals share (docs/procedures.md, "WPAR move", also when the target
//! runs a newer AIX): stop it, save it, restore it on the target (`-C` across levels),
//! migrate it when it comes from an older AIX version, synchronise, start, verify, and
//! keep or remove the stopped source copy.
//!
//! The refresh reads only `lswpar -cq`; the levels, the WPAR's details and sizes come
//! from [`read_facts`], a few read-only commands run just before planning.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::view::EstateView;
use super::PlanError;
use crate::estate::SourceKind;
use crate::estate::{SourceData, SourceSnapshot};
use crate::estate::{Wpar, WparState, WparType};
use crate::exec::Exec;
use crate::sources::aix::commands::{self as aix, Restore};
use crate::sources::read;
use crate::sources::{aix as aix_parse, HostError, RemoteCommand};

/// Offers a recovery branch only when there is one.
trait RecoverWithAny {
    fn recover_with_any(self, recovery: Vec<Step>) -> Step;
}

impl RecoverWithAny for Step {
    fn recover_with_any(self, recovery: Vec<Step>) -> Step {
        if recovery.is_empty() {
            self
        } else {
            self.recover_with(recovery)
        }
    }
}

/// The directory every AIX global of the estate mounts (the shared directory of
/// docs/procedures.md, "WPAR move"; the demo's NFS export).
pub const DEFAULT_SHARED_DIR: &str = "/export/wpars";

/// What happens to the source WPAR once the copy runs on the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SourceAfterMove {
    /// Stopped and kept (Defined) as a fallback.
    #[default]
    Stop,
    /// Stopped, then removed (`rmwpar`) once the copy runs on the target.
    Remove,
}

/// The operator's choices for a WPAR move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WparMoveChoices {
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
    /// `lswpar -G W` on the source: detached, versioned, rootvg, type.
    pub details: Option<Wpar>,
    /// The WPAR's file systems (`lsfs -u W` on the source), MB.
    pub size_mb: Option<u64>,
    /// Free space in the target's rootvg (`lsvg rootvg`), MB.
    pub target_free_mb: Option<u64>,
    /// What could not be read, in words.
    pub problems: Vec<String>,
}

/// Reads the facts a move needs, with read-only commands only.
pub async fn read_facts<T: Exec>(
    transport: &T,
    wpar: &str,
    from: &str,
    to: &str,
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
        Ok(text) => facts.size_mb = mount_group_size_mb(&text),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, to, &aix::lsvg("rootvg")?).await {
        Ok(text) => facts.target_free_mb = super::condition::vg_free_mb(&text),
        Err(error) => facts.problems.push(error),
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

/// The size of a WPAR's file systems from `lsfs -u W` output (the Size column counts
/// 512-byte blocks), in MB; `None` when no row has a size.
pub fn mount_group_size_mb(text: &str) -> Option<u64> {
    let mut blocks: Option<u64> = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first().is_none_or(|w| !w.starts_with('/')) || words.len() < 5 {
            continue;
        }
        if let Ok(size) = words[4].parse::<u64>() {
            blocks = Some(blocks.unwrap_or(0).saturating_add(size));
        }
    }
    blocks.map(|b| b.div_ceil(2048))
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

/// Builds the plan that moves WPAR `wpar` from global `from` to global `to`.
pub fn wpar_move(
    view: EstateView<'_>,
    wpar: &str,
    from: &str,
    to: &str,
    choices: &WparMoveChoices,
    facts: &WparMoveFacts,
) -> Result<Plan, PlanError> {
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
    let details = facts.details.as_ref().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "could not read lswpar -G {wpar} on {from}: {}",
            facts.problems.join("; ")
        ))
    })?;
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
        let text = level.as_deref().ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "could not read oslevel -s on {host}: {}",
                facts.problems.join("; ")
            ))
        })?;
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
    let compatible = target_level != source_level;
    let migrate = (target_level.0, target_level.1) > (source_level.0, source_level.1);
    if migrate && detached && choices.images.is_none() {
        return Err(PlanError::refused(format!(
            "{wpar} is a detached WPAR from AIX {}.{}: migwpar needs the AIX {}.{} install images on {to} (--images DIR)",
            source_level.0, source_level.1, target_level.0, target_level.1
        )));
    }
    if let (Some(size), Some(free)) = (facts.size_mb, facts.target_free_mb) {
        if size > free {
            return Err(PlanError::refused(format!(
                "{wpar} needs about {size} MB in {to}'s rootvg, which has {free} MB free: make room first (old backups, dumps)"
            )));
        }
    }
    let image = format!(
        "{}/{wpar}.savewpar",
        choices.shared_dir.trim_end_matches('/')
    );

    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let state_is = |host: &str, states: Vec<WparState>, why: String, kind: StepKind| {
        Ok::<Step, PlanError>(
            Step::new(host, kind, built(aix::lswpar(&[wpar]))?, why).until(
                Condition::WparState {
                    wpar: wpar.to_string(),
                    states,
                },
                Duration::ZERO,
            ),
        )
    };
    let restart_source = || -> Result<Vec<Step>, PlanError> {
        if state == WparState::Active {
            Ok(vec![Step::new(
                from,
                StepKind::Change,
                built(aix::startwpar(wpar, false))?,
                format!("start {wpar} again on {from}: the move is abandoned"),
            )])
        } else {
            Ok(Vec::new())
        }
    };
    let mut steps = vec![
        state_is(
            from,
            vec![state.clone()],
            format!("{wpar} is still {state} on {from}"),
            StepKind::Check,
        )?,
        Step::new(
            to,
            StepKind::Check,
            built(aix::lswpar(&[wpar]))?,
            format!("{to} has no WPAR called {wpar} yet"),
        )
        .until(
            Condition::WparAbsent {
                wpar: wpar.to_string(),
            },
            Duration::ZERO,
        ),
        Step::new(
            from,
            StepKind::Check,
            aix::oslevel(),
            format!("{from} still runs AIX {source_text}"),
        )
        .until(
            Condition::OsLevel {
                level: source_text.clone(),
            },
            Duration::ZERO,
        ),
        Step::new(
            to,
            StepKind::Check,
            aix::oslevel(),
            format!("{to} still runs AIX {target_text}"),
        )
        .until(
            Condition::OsLevel {
                level: target_text.clone(),
            },
            Duration::ZERO,
        ),
    ];
    let space = Step::new(
        to,
        StepKind::Check,
        built(aix::lsvg("rootvg"))?,
        match facts.size_mb {
            Some(size) => {
                format!("{to}'s rootvg has room for the {size} MB of {wpar}'s file systems")
            }
            None => format!(
                "{to}'s rootvg free space, to compare by eye: the size of {wpar} could not be read"
            ),
        },
    );
    steps.push(match facts.size_mb {
        Some(size) => space.until(Condition::VgFree { min_mb: size }, Duration::ZERO),
        None => space.until(Condition::Succeeds, Duration::ZERO),
    });
    if state == WparState::Active {
        steps.push(Step::new(
            from,
            StepKind::Change,
            built(aix::stopwpar(wpar, false, false))?,
            format!(
                "stop {wpar} on {from}: the image is then consistent, and the two copies (same name, host name and address) never run at the same time"
            ),
        ));
        steps.push(state_is(
            from,
            vec![WparState::Defined],
            format!("{wpar} is Defined on {from}"),
            StepKind::Verify,
        )?);
    }
    steps.push(
        Step::new(
            from,
            StepKind::Change,
            built(aix::savewpar(wpar, &image, true))?,
            format!(
                "back {wpar} up with its image.data to {image}, on the directory {to} sees too (expect 0512-038 Backup Completed Successfully)"
            ),
        )
        .recover_with_any(restart_source()?),
    );
    steps.push(
        Step::new(
            to,
            StepKind::Change,
            built(aix::restwpar(
                &image,
                Restore {
                    new_name: None,
                    start: false,
                    compatible,
                },
            ))?,
            if compatible {
                format!(
                    "recreate {wpar} on {to} from the image; -C accepts an image saved on {source_text} ({to} runs {target_text}): the 0960-507 level warning is expected"
                )
            } else {
                format!("recreate {wpar} on {to} from the image, both globals at {target_text}")
            },
        )
        .recover_with_any(restart_source()?),
    );
    steps.push(state_is(
        to,
        vec![WparState::Defined],
        format!("{wpar} is Defined on {to}"),
        StepKind::Verify,
    )?);
    if migrate {
        steps.push(
            Step::new(
                to,
                StepKind::Change,
                built(aix::migwpar(
                    wpar,
                    if detached {
                        choices.images.as_deref()
                    } else {
                        None
                    },
                ))?,
                format!(
                    "migrate {wpar} from AIX {}.{} to {}.{}: it cannot start on {to} before (0960-667){}",
                    source_level.0,
                    source_level.1,
                    target_level.0,
                    target_level.1,
                    if detached {
                        "; a detached WPAR installs its own /usr from the images"
                    } else {
                        ""
                    }
                ),
            )
            .recover_with_any(restart_source()?),
        );
    }
    steps.push(
        Step::new(
            to,
            StepKind::Change,
            built(aix::syncwpar(wpar, detached))?,
            format!(
                "synchronise {wpar}'s software with {to}{}",
                if detached { " (detached: -D)" } else { "" }
            ),
        )
        .recover_with_any(restart_source()?),
    );
    steps.push(
        Step::new(
            to,
            StepKind::Change,
            built(aix::startwpar(wpar, false))?,
            format!("start {wpar} on {to}"),
        )
        .recover_with_any(restart_source()?),
    );
    steps.push(state_is(
        to,
        vec![WparState::Active],
        format!("{wpar} is Active on {to}"),
        StepKind::Verify,
    )?);
    let mut notes = vec![format!(
        "{wpar} ({}{}, {}) moves from {from} (AIX {source_text}) to {to} (AIX {target_text}) through {image}",
        if detached { "detached" } else { "shared" },
        facts
            .size_mb
            .map_or(String::new(), |size| format!(", {size} MB")),
        state
    )];
    match choices.source_after {
        SourceAfterMove::Stop => notes.push(format!(
            "{wpar} stays Defined on {from} as a fallback; remove it there once the copy on {to} has proven itself"
        )),
        SourceAfterMove::Remove => {
            steps.push(Step::new(
                from,
                StepKind::Change,
                built(aix::rmwpar(wpar, false, false))?,
                format!(
                    "remove the stopped {wpar} and its file systems from {from}: the copy runs on {to}"
                ),
            ));
            steps.push(
                Step::new(
                    from,
                    StepKind::Verify,
                    built(aix::lswpar(&[wpar]))?,
                    format!("{from} no longer has {wpar}"),
                )
                .until(
                    Condition::WparAbsent {
                        wpar: wpar.to_string(),
                    },
                    Duration::ZERO,
                ),
            );
            notes.push(format!(
                "{wpar} is removed from {from} at the end; the image {image} stays as a backup"
            ));
        }
    }
    if state == WparState::Active {
        notes.push(format!(
            "{wpar} is down from its stop on {from} until it starts on {to}"
        ));
    }
    for snapshot in [source_snapshot, target_snapshot] {
        if snapshot.stale {
            notes.push(format!(
                "{} was not read in the last refresh: the plan uses older data (the checks re-read it)",
                snapshot.name
            ));
        }
    }
    Ok(Plan {
        wizard: "wpar-move",
        title: format!("Move WPAR {wpar} from {from} to {to}"),
        confirm_name: wpar.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}
