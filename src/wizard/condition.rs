//! Deciding whether a `Wait` or `Verify` step's condition holds, from its output.

use super::plan::Condition;
use crate::estate::{LparState, SystemState};
use crate::sources::hmc::{parse_fields, parse_records, Record};
use crate::sources::{CommandOutput, HostError, RemoteCommand};

/// `Ok(true)` when the condition holds, `Ok(false)` when not yet, `Err` when the output
/// cannot tell (an error other than "not found").
pub fn holds(
    condition: &Condition,
    command: &RemoteCommand,
    output: &CommandOutput,
) -> Result<bool, String> {
    if let Condition::Succeeds = condition {
        return Ok(output.succeeded());
    }
    let stdout = match HostError::check(output) {
        Ok(stdout) => stdout,
        // The HMC says the partition is not there (HSCL8012) or lists nothing.
        Err(HostError::Hmc(message)) if message.code == "HSCL8012" => {
            return Ok(matches!(condition, Condition::LparAbsent { .. }))
        }
        Err(error) => return Err(error.to_string()),
    };
    let records = records(command, stdout)?;
    let find = |name: &str| records.iter().find(|r| r.get("name") == Some(name));
    Ok(match condition {
        Condition::Succeeds => true,
        Condition::LparAbsent { lpar } => find(lpar).is_none(),
        Condition::LparState { lpar, states } => find(lpar)
            .and_then(|r| r.get("state"))
            .is_some_and(|state| states.contains(&LparState::parse(state))),
        Condition::SystemState { system, states } => find(system)
            .and_then(|r| r.get("state"))
            .is_some_and(|state| states.contains(&SystemState::parse(state))),
    })
}

/// What the condition looks at now, in words, for the operator (`p9-01 is Error`).
pub fn observed(condition: &Condition, command: &RemoteCommand, output: &CommandOutput) -> String {
    let name = match condition {
        Condition::LparState { lpar, .. } | Condition::LparAbsent { lpar } => lpar,
        Condition::SystemState { system, .. } => system,
        Condition::Succeeds => return format!("exit status {:?}", output.exit_status),
    };
    match HostError::check(output) {
        Err(error) => error.to_string(),
        Ok(stdout) => match records(command, stdout) {
            Err(error) => error,
            Ok(records) => match records
                .iter()
                .find(|r| r.get("name") == Some(name.as_str()))
            {
                Some(record) => format!("{name} is {}", record.get("state").unwrap_or("?")),
                None => format!("{name} is not listed"),
            },
        },
    }
}

/// Records of a listing in the form the command asked for (`-F a,b` or attr=value).
fn records(command: &RemoteCommand, stdout: &str) -> Result<Vec<Record>, String> {
    let args = command.args();
    let fields = args
        .iter()
        .position(|arg| arg == "-F")
        .and_then(|at| args.get(at + 1));
    let parsed = match fields {
        Some(fields) => {
            let names: Vec<&str> = fields.split(',').collect();
            parse_fields(stdout, ',', &names, false)
        }
        None => parse_records(stdout),
    }
    .map_err(|error| error.to_string())?;
    Ok(parsed.items)
}
