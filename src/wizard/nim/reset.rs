//! NIM reset of a stuck client (docs/procedures.md, "NIM reset").
//!
//! A client whose Cstate is not `ready for a NIM operation` blocks every new operation,
//! but a client that is merely slow is not stuck: forcing it (`nim -Fo reset`) interrupts
//! the work it is doing. So before any change the wizard samples the client twice,
//! [`SAMPLE_INTERVAL`] apart on the master's clock: its `Cstate`, `info`, `Mstate` and
//! its NIM log (`nim -o showlog`). If any of them moved, the client is progressing and
//! the wizard refuses with the evidence. When they did not, the plan forces the reset
//! (`-F` only when an operation is being performed; one that was only enabled resets
//! without it), verifies it, then deallocates what the client still holds and verifies
//! that. The partition's reference codes are read from its HMC when the client is a
//! partition of the estate, and shown with the evidence.

use std::time::Duration;

use super::read::{chained_or_cannot_tell, Part};
use super::{
    allocations, as_partition, attribute_is, controlled_here, machine, machine_hostname,
    master_hostname, nim_master, AT_ONCE, READY,
};
use crate::estate::ReferenceCode;
use crate::exec::Exec;
use crate::sources::hmc::commands::{self as hmc, RefcodeOf};
use crate::sources::nim::commands as nim;
use crate::sources::{read, HostError};
use crate::wizard::plan::{Condition, Plan, Step, StepKind};
use crate::wizard::view::EstateView;
use crate::wizard::PlanError;

/// How long apart the two samples of a client are taken.
pub const SAMPLE_INTERVAL: Duration = Duration::from_secs(60);

/// The attributes sampled (docs/procedures.md, "NIM reset", step 1).
const SAMPLED: &[&str] = &["Cstate", "info", "Mstate", "prev_state", "Cstate_result"];

/// One look at the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    /// `Cstate`.
    pub cstate: Option<String>,
    /// `info`, the progress the client reports.
    pub info: Option<String>,
    /// `Mstate`.
    pub mstate: Option<String>,
    /// The lines of `nim -o showlog`.
    pub log: Vec<String>,
}

/// What the wizard read before planning a reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NimResetFacts {
    /// How far apart the samples were taken.
    pub interval: Duration,
    /// The first sample.
    pub first: Sample,
    /// The second sample.
    pub second: Sample,
    /// Why the log could not be read, when it could not.
    pub log_error: Option<String>,
    /// The partition's reference codes (code, time stamp), newest first, or why they
    /// were not read.
    pub refcodes: Result<Vec<(String, String)>, String>,
}

/// Where the client's partition is, to read its reference codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOf {
    /// The HMC that manages it.
    pub hmc: String,
    /// Its managed system.
    pub system: String,
    /// The partition.
    pub lpar: String,
}

/// True when `client` must be sampled before a reset: its Cstate is not ready.
pub fn needs_samples(view: EstateView<'_>, master: &str, client: &str) -> Result<bool, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    Ok(found.cstate.as_ref().is_none_or(|c| !c.is_ready()))
}

/// The client's partition in the estate, or why its codes cannot be read.
pub fn partition_of(
    view: EstateView<'_>,
    master: &str,
    client: &str,
) -> Result<Result<PartitionOf, String>, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    let hostname = machine_hostname(found);
    Ok(match as_partition(view, &[client, hostname]) {
        Some(partition) => Ok(PartitionOf {
            hmc: partition.hmc.to_string(),
            system: partition.system.to_string(),
            lpar: partition.lpar.name.clone(),
        }),
        None => Err(match found.attribute("mgmt_profile1") {
            Some(profile) => format!(
                "mgmt_profile1 is '{profile}', but no configured HMC reports one partition called {client}: its reference code was not read"
            ),
            None => format!(
                "{client} is not known as a partition of a configured HMC: no reference code to read"
            ),
        }),
    })
}

/// Samples `client` twice, `interval` apart on the master's clock, and reads its
/// partition's reference codes; read-only.
pub async fn read_reset_facts<E: Exec>(
    exec: &E,
    master: &str,
    client: &str,
    partition: &Result<PartitionOf, String>,
    interval: Duration,
) -> Result<NimResetFacts, PlanError> {
    let look = || nim::lsnim_attributes(client, SAMPLED);
    let log = || nim::nim_showlog(client);
    let read = chained_or_cannot_tell(
        exec,
        master,
        &[
            Part::Read(look()?),
            Part::Read(log()?),
            Part::Pause(interval),
            Part::Read(look()?),
            Part::Read(log()?),
        ],
    )
    .await?;
    let sample = |at: usize| -> Result<Sample, PlanError> {
        let parsed = crate::sources::nim::parse_lsnim_long(read.out(at)).map_err(|error| {
            PlanError::cannot_tell(format!(
                "{client}'s state could not be read on {master}: {error}"
            ))
        })?;
        let object = parsed
            .items
            .iter()
            .find(|o| o.name == client)
            .ok_or_else(|| {
                PlanError::cannot_tell(format!(
                    "{master} did not list {client}'s Cstate: {}",
                    flat(&read.stderr)
                ))
            })?;
        Ok(Sample {
            cstate: object.attribute("Cstate").map(str::to_string),
            info: object.attribute("info").map(str::to_string),
            mstate: object.attribute("Mstate").map(str::to_string),
            log: lines(read.out(at + 1)),
        })
    };
    let first = sample(0)?;
    let second = sample(2)?;
    let log_error =
        (first.log.is_empty() && second.log.is_empty() && read.stderr.contains("showlog"))
            .then(|| flat(&read.stderr));
    let refcodes = match partition {
        Ok(partition) => read_refcodes(exec, partition).await,
        Err(why) => Err(why.clone()),
    };
    Ok(NimResetFacts {
        interval,
        first,
        second,
        log_error,
        refcodes,
    })
}

/// The partition's last reference codes, newest first.
async fn read_refcodes<E: Exec>(
    exec: &E,
    partition: &PartitionOf,
) -> Result<Vec<(String, String)>, String> {
    let command = hmc::lsrefcode(
        &partition.system,
        RefcodeOf::Partitions(&[partition.lpar.as_str()]),
        Some(5),
        &[],
    )
    .map_err(|error| error.to_string())?;
    let output = read(exec, &partition.hmc, &command)
        .await
        .map_err(|error| format!("{}: {}", partition.hmc, error.message))?;
    let stdout = HostError::check(&output).map_err(|error| error.to_string())?;
    let codes =
        crate::sources::hmc::parse::<ReferenceCode>(stdout).map_err(|error| error.to_string())?;
    Ok(codes
        .items
        .into_iter()
        .map(|code| (code.refcode, code.time_stamp.unwrap_or_default()))
        .collect())
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the Cstate says an operation runs on the machine right now: only then does
/// a reset need `-F` (docs/formats.md, "NIM: reset and deallocate").
pub fn in_progress(cstate: &str) -> bool {
    cstate.contains("is being performed")
        || cstate.contains("are being initialized")
        || cstate == "creating workload partition"
}

/// What [`check`] decided: everything [`emit`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The master that controls the client.
    pub master: String,
    /// The client.
    pub client: String,
    /// Its Cstate now (the second sample, or the refresh when it is ready).
    pub cstate: String,
    /// Its `info` now.
    pub info: Option<String>,
    /// Its Mstate now.
    pub mstate: Option<String>,
    /// The reset needs `-F`.
    pub force: bool,
    /// (type, resource) still allocated.
    pub allocated: Vec<(String, String)>,
    /// Why the client is taken to be stuck, line by line.
    pub evidence: Vec<String>,
}

/// Decides whether `client` may be reset: it is a machine this master controls, and
/// when its Cstate is not ready, the two samples prove that it is stuck.
pub fn check(
    view: EstateView<'_>,
    master: &str,
    client: &str,
    facts: Option<&NimResetFacts>,
) -> Result<Checked, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    controlled_here(found, master, &master_hostname(objects, master))?;
    let allocated = allocations(objects, found);
    let listed = found
        .cstate
        .as_ref()
        .map(|c| c.to_string())
        .ok_or_else(|| PlanError::cannot_tell(format!("{client} has no Cstate on {master}")))?;
    let mut checked = Checked {
        master: master.to_string(),
        client: client.to_string(),
        cstate: listed.clone(),
        info: found.attribute("info").map(str::to_string),
        mstate: found.attribute("Mstate").map(str::to_string),
        force: false,
        allocated,
        evidence: Vec::new(),
    };
    if listed != READY {
        let facts = facts.ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "{client} was not sampled: whether it is stuck or still working cannot be told"
            ))
        })?;
        prove_stuck(&mut checked, facts)?;
    }
    if checked.cstate == READY && checked.allocated.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to reset: {client} is ready for a NIM operation and holds no resource"
        )));
    }
    Ok(checked)
}

/// Refuses when the samples show the client moving; records the evidence otherwise.
fn prove_stuck(checked: &mut Checked, facts: &NimResetFacts) -> Result<(), PlanError> {
    let client = checked.client.clone();
    let (first, second) = (&facts.first, &facts.second);
    let secs = facts.interval.as_secs();
    let shown = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_string());
    let cstate = second
        .cstate
        .clone()
        .ok_or_else(|| PlanError::cannot_tell(format!("{client}'s Cstate could not be read")))?;
    let mut moved = Vec::new();
    if first.cstate != second.cstate {
        moved.push(format!(
            "its Cstate went from '{}' to '{}'",
            shown(&first.cstate),
            shown(&second.cstate)
        ));
    }
    if first.info != second.info {
        moved.push(format!(
            "its info went from '{}' to '{}'",
            shown(&first.info),
            shown(&second.info)
        ));
    }
    if first.mstate != second.mstate {
        moved.push(format!(
            "its Mstate went from '{}' to '{}'",
            shown(&first.mstate),
            shown(&second.mstate)
        ));
    }
    if first.log != second.log {
        moved.push(format!(
            "its NIM log grew from {} to {} lines (last: '{}')",
            first.log.len(),
            second.log.len(),
            second.log.last().map_or("", String::as_str)
        ));
    }
    if !moved.is_empty() {
        return Err(PlanError::refused(format!(
            "{client} is not stuck, it is still working: in {secs} s {}. Let it finish, or sample it again later",
            moved.join("; ")
        )));
    }
    checked.cstate = cstate;
    checked.info = second.info.clone();
    checked.mstate = second.mstate.clone();
    if checked.cstate == READY {
        return Ok(());
    }
    checked.force = in_progress(&checked.cstate);
    checked.evidence.push(format!(
        "stuck: Cstate '{}' and info '{}' did not change in {secs} s (two samples)",
        checked.cstate,
        shown(&checked.info)
    ));
    checked
        .evidence
        .push(match (&facts.log_error, second.log.last()) {
            (Some(error), _) => format!("its NIM log could not be read: {error}"),
            (None, Some(last)) => format!(
                "its NIM log did not grow ({} lines); last line: '{last}'",
                second.log.len()
            ),
            (None, None) => "its NIM log is empty".to_string(),
        });
    checked.evidence.push(match &facts.refcodes {
        Ok(codes) if codes.is_empty() => "its partition shows no reference code".to_string(),
        Ok(codes) => format!(
            "its partition's reference codes, newest first: {}",
            codes
                .iter()
                .map(|(code, at)| if code.is_empty() {
                    format!("(none) at {at}")
                } else {
                    format!("{code} at {at}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(why) => why.clone(),
    });
    Ok(())
}

/// The steps of a checked reset.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (master, client) = (checked.master.as_str(), checked.client.as_str());
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let look = || built(nim::lsnim_long(Some(client)));
    let ready = checked.cstate == READY;
    let mut still = vec![attribute_is(client, "Cstate", Some(&checked.cstate))];
    if !ready {
        still.push(attribute_is(client, "info", checked.info.as_deref()));
    }
    let mut steps = vec![Step::new(
        master,
        StepKind::Check,
        look()?,
        if ready {
            format!("{client} is still ready for a NIM operation")
        } else {
            format!(
                "{client} is still in Cstate '{}' with the same info: it has not moved since it was sampled",
                checked.cstate
            )
        },
    )
    .until(Condition::All(still), AT_ONCE)];
    if !ready {
        let why = if checked.force {
            format!(
                "reset {client}'s Cstate to '{READY}'; -F because '{}' is an operation being performed, which the samples show stuck",
                checked.cstate
            )
        } else {
            format!(
                "reset {client}'s Cstate to '{READY}'; '{}' was only enabled, so no -F is needed",
                checked.cstate
            )
        };
        steps.push(Step::new(
            master,
            StepKind::Change,
            built(nim::nim_reset(client, checked.force))?,
            why,
        ));
        steps.push(
            Step::new(
                master,
                StepKind::Verify,
                look()?,
                format!("{client} is ready for a NIM operation"),
            )
            .until(attribute_is(client, "Cstate", Some(READY)), AT_ONCE),
        );
    }
    if !checked.allocated.is_empty() {
        let names: Vec<String> = checked
            .allocated
            .iter()
            .map(|(kind, name)| format!("{name} ({kind})"))
            .collect();
        steps.push(Step::new(
            master,
            StepKind::Change,
            built(nim::nim_deallocate_all(client))?,
            format!(
                "release what is still allocated to {client}: {} (a reset does not)",
                names.join(", ")
            ),
        ));
        let mut all = vec![attribute_is(client, "Cstate", Some(READY))];
        all.extend(
            checked
                .allocated
                .iter()
                .map(|(kind, _)| attribute_is(client, kind, None)),
        );
        steps.push(
            Step::new(
                master,
                StepKind::Verify,
                look()?,
                format!("{client} is ready and holds no resource"),
            )
            .until(Condition::All(all), AT_ONCE),
        );
    }
    let mut notes = checked.evidence.clone();
    if let Some(mstate) = &checked.mstate {
        notes.push(format!(
            "{client}'s Mstate is '{mstate}': the reset changes only NIM's records, not the machine; check its console before the next operation"
        ));
    }
    Ok(Plan {
        wizard: "nim-reset",
        title: format!("Reset NIM client {client} on {master}"),
        confirm_name: client.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// Builds the plan that puts NIM client `client` of `master` back to
/// `ready for a NIM operation` with nothing allocated, once `facts` prove it stuck.
pub fn nim_reset(
    view: EstateView<'_>,
    master: &str,
    client: &str,
    facts: Option<&NimResetFacts>,
) -> Result<Plan, PlanError> {
    emit(&check(view, master, client, facts)?)
}
