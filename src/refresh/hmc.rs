//! Reading one HMC: its systems, then each system's partitions, firmware, reserved
//! storage and migrations, concurrently.

use std::sync::Arc;
use std::time::SystemTime;

use tokio::task::JoinSet;

use crate::estate::snapshot::{SourceData, SourceSnapshot, SourceStatus, SystemData};
use crate::estate::ReadFailure;
use crate::estate::SourceKind;
use crate::estate::{
    FirmwareLevels, Lpar, ManagedSystem, MigrationProgress, ReferenceCode, RsDevice, SystemState,
};
use crate::exec::Exec;
use crate::sources::hmc::commands::RefcodeOf;
use crate::sources::hmc::{self, commands};
use crate::sources::read;
use crate::sources::{Diagnostic, HostError, RemoteCommand};

/// The firmware attributes a refresh asks `lslic` for.
pub const LSLIC_FIELDS: &[&str] = &[
    "ecnumber",
    "activated_level",
    "installed_level",
    "accepted_level",
    "activated_spname",
];

/// The reference code attributes a refresh asks `lsrefcode -r sys` for.
pub const REFCODE_FIELDS: &[&str] = &["refcode_num", "time_stamp", "refcode"];

/// Reads everything the console shows about one HMC.
pub async fn refresh<T: Exec>(transport: Arc<T>, source: &str) -> SourceSnapshot {
    let systems = match listing::<T, ManagedSystem>(
        &transport,
        source,
        commands::lssyscfg_sys(None, &[]),
        "lssyscfg -r sys",
    )
    .await
    {
        Ok((systems, problems)) => (systems, problems),
        Err(error) => return SourceSnapshot::failed(source, SourceKind::Hmc, error),
    };
    let (systems, mut problems) = systems;
    let fetched_at = SystemTime::now();
    let duplicate = |name: &str| systems.iter().filter(|s| s.name == name).count() > 1;
    let mut tasks = JoinSet::new();
    for (index, system) in systems.iter().enumerate() {
        let target = if duplicate(&system.name) {
            system.mtms()
        } else {
            system.name.clone()
        };
        let transport = transport.clone();
        let source = source.to_string();
        let system = system.clone();
        tasks.spawn(async move {
            let result = refresh_system(transport.as_ref(), &source, &target, system).await;
            (index, result)
        });
    }
    let mut results: Vec<Option<(SystemData, Vec<String>)>> = vec![None; systems.len()];
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => results[index] = Some(result),
            Err(error) => problems.push(format!("a system refresh stopped: {error}")),
        }
    }
    let mut data = Vec::with_capacity(systems.len());
    for (result, system) in results.into_iter().zip(systems) {
        match result {
            Some((system_data, system_problems)) => {
                problems.extend(system_problems);
                data.push(system_data);
            }
            None => data.push(SystemData {
                system,
                lpars: Vec::new(),
                rs_pool: None,
                rs_devices: Vec::new(),
            }),
        }
    }
    SourceSnapshot {
        name: source.to_string(),
        kind: SourceKind::Hmc,
        status: if problems.is_empty() {
            SourceStatus::Ok
        } else {
            SourceStatus::Partial
        },
        error: problems.first().cloned(),
        error_kind: None,
        problems,
        fetched_at: Some(fetched_at),
        stale: false,
        data: SourceData::Hmc(data),
    }
}

/// What the HMC can read of a system in its state: the refresh asks for everything else
/// and skips only what the state makes impossible (docs/formats.md, "HMC: system states").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readable {
    /// Firmware levels (`lslic`): whenever the HMC knows the system's hardware, a failed
    /// system included; not while it is powered off, incomplete, or out of the HMC's
    /// reach.
    pub firmware: bool,
    /// The system's reference code (`lsrefcode -r sys`): while it is not running, as long
    /// as the HMC reaches its service processor.
    pub reference_code: bool,
    /// Migrations (`lslparmigr`) and reserved storage: while it runs.
    pub running: bool,
}

impl Readable {
    /// What can be read of a system in `state`.
    pub fn of(state: &SystemState) -> Readable {
        let reachable = !matches!(
            state,
            SystemState::NoConnection
                | SystemState::FailedAuthentication
                | SystemState::PendingAuthentication
                | SystemState::VersionMismatch
        );
        let running = matches!(state, SystemState::Operating | SystemState::Standby);
        Readable {
            firmware: reachable
                && !matches!(state, SystemState::PowerOff | SystemState::Incomplete),
            reference_code: reachable && !running,
            running,
        }
    }
}

/// One system: partitions always (a failed system still lists them, `Not Available`),
/// and what else its state lets the HMC read ([`Readable`]). A system that is not running
/// may refuse a read its state seemed to allow; that is what it is, not a refresh
/// problem, and the value stays unread. The listings do not depend on each other, so
/// they are asked for at the same time.
async fn refresh_system<T: Exec>(
    transport: &T,
    source: &str,
    target: &str,
    mut system: ManagedSystem,
) -> (SystemData, Vec<String>) {
    let label = |what: &str| format!("{what} -m {target}");
    let readable = Readable::of(&system.state);
    let running = readable.running;
    let wants_rs = running && system.capabilities.remote_restart != Some(false);
    let (lpar_label, lslic_label, migr_label, rs_label, refcode_label) = (
        label("lssyscfg -r lpar"),
        label("lslic"),
        label("lslparmigr -r lpar"),
        label("lshwres -r rspool --rsubtype rsdev"),
        label("lsrefcode -r sys"),
    );
    let lpars = listing::<T, Lpar>(
        transport,
        source,
        commands::lssyscfg_lpar(target, &[], &[]),
        &lpar_label,
    );
    let firmware = async {
        match readable.firmware {
            true => Some(
                listing::<T, FirmwareLevels>(
                    transport,
                    source,
                    commands::lslic_sys(target, LSLIC_FIELDS),
                    &lslic_label,
                )
                .await,
            ),
            false => None,
        }
    };
    let reference_code = async {
        match readable.reference_code {
            true => Some(
                listing::<T, ReferenceCode>(
                    transport,
                    source,
                    commands::lsrefcode(target, RefcodeOf::System, None, REFCODE_FIELDS),
                    &refcode_label,
                )
                .await,
            ),
            false => None,
        }
    };
    let migrations = async {
        match running {
            true => Some(
                listing::<T, MigrationProgress>(
                    transport,
                    source,
                    commands::lslparmigr_lpar(target, &[], &[]),
                    &migr_label,
                )
                .await,
            ),
            false => None,
        }
    };
    let devices = async {
        match wants_rs {
            true => Some(
                listing::<T, RsDevice>(
                    transport,
                    source,
                    commands::lshwres_rsdev(target),
                    &rs_label,
                )
                .await,
            ),
            false => None,
        }
    };
    let (lpars, firmware, reference_code, migrations, devices) =
        tokio::join!(lpars, firmware, reference_code, migrations, devices);

    let mut problems = Vec::new();
    let mut lpars = match lpars {
        Ok((lpars, more)) => {
            problems.extend(more);
            lpars
        }
        Err(error) => {
            if running {
                problems.push(error.message);
            }
            Vec::new()
        }
    };
    match firmware {
        Some(Ok((levels, more))) => {
            problems.extend(more);
            system.firmware = levels.into_iter().next();
        }
        Some(Err(error)) if running => problems.push(error.message),
        Some(Err(_)) | None => {}
    }
    if let Some(Ok((codes, more))) = reference_code {
        problems.extend(more);
        system.reference_code = codes.into_iter().next();
    }
    match migrations {
        Some(Ok((migrations, more))) => {
            problems.extend(more);
            for migration in migrations {
                if let Some(lpar) = lpars.iter_mut().find(|l| l.name == migration.name) {
                    lpar.migration_state = Some(migration.migration_state);
                }
            }
        }
        Some(Err(error)) => problems.push(error.message),
        None => {}
    }
    let rs_devices = match devices {
        Some(Ok((devices, more))) => {
            problems.extend(more);
            devices
        }
        // A system without a reserved storage pool answers with an HSCL message.
        Some(Err(_)) if system.capabilities.remote_restart.is_none() => Vec::new(),
        Some(Err(error)) => {
            problems.push(error.message);
            Vec::new()
        }
        None => Vec::new(),
    };
    let data = SystemData {
        system,
        lpars,
        rs_pool: None,
        rs_devices,
    };
    (data, problems)
}

/// Runs a listing command and parses its records; diagnostics become problems.
async fn listing<T: Exec, R: hmc::FromRecord>(
    transport: &T,
    source: &str,
    command: Result<RemoteCommand, crate::sources::command::ArgumentError>,
    what: &str,
) -> Result<(Vec<R>, Vec<String>), ReadFailure> {
    let command = command.map_err(|error| format!("{what}: {error}"))?;
    let output = read(transport, source, &command)
        .await
        .map_err(|error| ReadFailure::exec(what, &error))?;
    let stdout = HostError::check(&output).map_err(|error| format!("{what}: {error}"))?;
    let args = command.args();
    let fields = args
        .iter()
        .position(|arg| arg == "-F")
        .and_then(|at| args.get(at + 1));
    let parsed = match fields {
        Some(fields) => {
            let names: Vec<&str> = fields.split(',').collect();
            hmc::parse_delimited::<R>(stdout, ',', &names, false)
        }
        None => hmc::parse::<R>(stdout),
    }
    .map_err(|error| format!("{what}: {error}"))?;
    Ok((parsed.items, describe(what, &parsed.diagnostics)))
}

/// Problems from a parser's diagnostics, one line each (at most five, then a count).
pub fn describe(what: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut problems: Vec<String> = diagnostics
        .iter()
        .take(5)
        .map(|d| format!("{what}: {d}"))
        .collect();
    if diagnostics.len() > 5 {
        problems.push(format!(
            "{what}: {} more unreadable lines",
            diagnostics.len() - 5
        ));
    }
    problems
}
