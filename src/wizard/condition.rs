//! Deciding whether a `Wait` or `Verify` step's condition holds, from its output.

use super::aix_checks;
use super::plan::Condition;
use crate::estate::{LparState, MigrationProgress, MigrationState, SystemState, Wpar};
use crate::exec::CommandOutput;
use crate::sources::hmc::{parse_fields, parse_records, Record};
use crate::sources::{aix, nim, HostError, RemoteCommand};

/// `Ok(true)` when the condition holds, `Ok(false)` when not yet, `Err` when the output
/// cannot tell (an error other than "not found").
pub fn holds(
    condition: &Condition,
    command: &RemoteCommand,
    output: &CommandOutput,
) -> Result<bool, String> {
    match condition {
        Condition::Succeeds => return Ok(output.succeeded()),
        Condition::All(conditions) => {
            for condition in conditions {
                if !holds(condition, command, output)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        Condition::Any(conditions) => {
            let mut error = None;
            for condition in conditions {
                match holds(condition, command, output) {
                    Ok(true) => return Ok(true),
                    Ok(false) => {}
                    Err(why) => error = error.or(Some(why)),
                }
            }
            return error.map_or(Ok(false), Err);
        }
        _ => {}
    }
    if [&output.stdout, &output.stderr]
        .iter()
        .any(|text| text.contains(char::REPLACEMENT_CHARACTER))
    {
        return Err("cannot tell: the output is not valid text (invalid UTF-8)".to_string());
    }
    if let Condition::NimSummary {
        operation,
        succeeded,
    } = condition
    {
        return Ok(
            nim::output::operation_summary(&output.stdout, operation).is_some_and(|rows| {
                succeeded
                    .iter()
                    .all(|name| rows.iter().any(|(t, r)| t == name && r == "SUCCESS"))
            }),
        );
    }
    let stdout = match HostError::check(output) {
        Ok(stdout) => stdout,
        // The HMC says the partition is not there (HSCL8012); a managed system that is
        // not found says nothing about the partition.
        Err(HostError::Hmc(message))
            if message.code == "HSCL8012" && !names_a_missing_system(&message.text) =>
        {
            return Ok(matches!(
                condition,
                Condition::LparAbsent { .. } | Condition::Migration { or_gone: true, .. }
            ))
        }
        // lswpar: 0960-419 Could not find a workload partition called W.
        Err(HostError::Aix(message)) if message.code == "0960-419" => {
            return Ok(matches!(condition, Condition::WparAbsent { .. }))
        }
        Err(error) => return Err(error.to_string()),
    };
    // Absence is only believed on an answer that says so: an empty output proves nothing.
    let proves_absence = matches!(
        condition,
        Condition::LparAbsent { .. } | Condition::NoMigration | Condition::WparAbsent { .. }
    );
    if proves_absence && stdout.trim().is_empty() {
        return Err("cannot tell: the command printed nothing".to_string());
    }
    match condition {
        Condition::Succeeds | Condition::All(_) | Condition::Any(_) => Ok(true),
        Condition::LparAbsent { .. }
        | Condition::LparState { .. }
        | Condition::SystemState { .. } => {
            let records = records(command, stdout, proves_absence)?;
            let find = |name: &str| records.iter().find(|r| r.get("name") == Some(name));
            Ok(match condition {
                Condition::LparAbsent { lpar } => find(lpar).is_none(),
                Condition::LparState { lpar, states } => find(lpar)
                    .and_then(|r| r.get("state"))
                    .is_some_and(|state| states.contains(&LparState::parse(state))),
                Condition::SystemState { system, states } => find(system)
                    .and_then(|r| r.get("state"))
                    .is_some_and(|state| states.contains(&SystemState::parse(state))),
                _ => false,
            })
        }
        Condition::FirmwareLevel {
            which, min, max, ..
        } => {
            let level = first_level(command, stdout, which.attribute())?;
            Ok(level.is_some_and(|level| level >= *min && max.is_none_or(|max| level <= max)))
        }
        Condition::FirmwareRetrievable { concurrent, min } => {
            let (concurrent_level, disruptive_level) = retrievable(command, stdout)?;
            let best = if *concurrent {
                concurrent_level
            } else {
                concurrent_level.max(disruptive_level)
            };
            Ok(best.is_some_and(|level| level >= *min))
        }
        Condition::NoMigration => Ok(migrating(command, stdout)?.is_empty()),
        Condition::HmcAttribute {
            record,
            attribute,
            value,
        } => Ok(attribute_of(command, stdout, record.as_deref(), attribute)?
            .is_some_and(|found| found == *value)),
        Condition::Migration {
            lpar,
            states,
            or_gone,
        } => Ok(match migration_record(command, stdout, lpar)? {
            Some(record) => record
                .get("migration_state")
                .is_some_and(|state| states.contains(&MigrationState::parse(state))),
            None => *or_gone,
        }),
        Condition::WparState { wpar, states } => {
            Ok(wpar_record(stdout, wpar)?.is_some_and(|found| states.contains(&found.state)))
        }
        Condition::WparAbsent { wpar } => Ok(wpar_record(stdout, wpar)?.is_none()),
        Condition::OsLevel { level } => Ok(stdout.trim() == level),
        Condition::VgFree { min_mb } => {
            let free = vg_free_mb(stdout)
                .ok_or_else(|| "the output shows no FREE PPs line".to_string())?;
            Ok(free >= *min_mb)
        }
        Condition::NimAttribute {
            object,
            attribute,
            value,
        } => {
            let objects = nim::parse_lsnim_long(stdout).map_err(|error| error.to_string())?;
            let Some(found) = objects.items.iter().find(|o| &o.name == object) else {
                return Ok(false);
            };
            Ok(found.attribute(attribute) == value.as_deref())
        }
        Condition::PathAbsent { path } => {
            if lists_path(stdout, path) {
                Ok(false)
            } else if says_missing(stdout) || says_missing(&output.stderr) {
                Ok(true)
            } else {
                Err(format!(
                    "cannot tell whether {path} exists: neither listed nor reported missing"
                ))
            }
        }
        Condition::OutputLine { words } => Ok(line_with(stdout, words).is_some()),
        Condition::NoOutputLine { header, containing } => {
            if !stdout.lines().any(|line| line.contains(header.as_str())) {
                return Err(format!(
                    "cannot tell: the output has no '{header}' line, so it is not the listing asked for"
                ));
            }
            Ok(!stdout
                .lines()
                .any(|line| line.contains(containing.as_str())))
        }
        Condition::NimSummary { .. } => Ok(false),
        Condition::Prints { text } => Ok(stdout.contains(text.as_str())),
        Condition::PrintsNothing => Ok(stdout.trim().is_empty() && output.stderr.trim().is_empty()),
        Condition::DfFree { min_mb } => {
            let free = aix_checks::df_free_mb(stdout)
                .ok_or_else(|| "the output shows no file system with its free space".to_string())?;
            Ok(free >= *min_mb)
        }
        Condition::NoneFull { under } => {
            if aix_checks::parse_df(stdout).is_empty() {
                return Err("cannot tell: df listed no file system".to_string());
            }
            Ok(aix_checks::full_under(stdout, under).is_empty())
        }
        Condition::SharedDir { path, export } => {
            let entries = aix_checks::parse_mounts(stdout);
            Ok(aix_checks::holding(&entries, path).is_some_and(|entry| {
                entry.is_remote()
                    && !entry.read_only()
                    && entry.export_of(path).as_deref() == Some(export.as_str())
            }))
        }
        Condition::NoHolders => {
            // fuser names the path on stderr even when nothing holds it: silence is no
            // answer.
            if stdout.trim().is_empty() && output.stderr.trim().is_empty() {
                return Err("cannot tell: fuser printed nothing".to_string());
            }
            Ok(aix_checks::fuser_holders(stdout).is_empty())
        }
        Condition::Exported { path } => Ok(aix_checks::exports(stdout)
            .iter()
            .any(|exported| aix_checks::is_under(path, exported))),
        Condition::WparAutoStart { wpar, on } => {
            let parsed = aix::parse_lswpar_general(stdout).map_err(|error| error.to_string())?;
            Ok(parsed
                .items
                .iter()
                .find(|w| &w.name == wpar)
                .is_some_and(|w| w.auto_start == Some(*on)))
        }
    }
}

/// `HSCL8012 The managed system S could not be found`: the system, not a partition on it
/// (`The partition P on managed system S ...`), is what is missing.
fn names_a_missing_system(text: &str) -> bool {
    text.trim_start().starts_with("The managed system")
}

/// `ls` says the path is not there: AIX `0653-341 The file ... does not exist.`, or the
/// GNU wording.
fn says_missing(text: &str) -> bool {
    text.contains("0653-341") || text.contains("does not exist") || text.contains("No such file")
}

/// What the condition looks at now, in words, for the operator (`p9-01 is Error`).
pub fn observed(condition: &Condition, command: &RemoteCommand, output: &CommandOutput) -> String {
    match condition {
        Condition::Succeeds => return format!("exit status {:?}", output.exit_status),
        Condition::NimSummary { operation, .. } => {
            return match nim::output::operation_summary(&output.stdout, operation) {
                Some(rows) => rows
                    .iter()
                    .map(|(target, result)| format!("{target} {result}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => format!(
                    "no \"{operation}\" Operation Summary; {}",
                    output
                        .combined()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            }
        }
        Condition::Any(conditions) => {
            return conditions
                .iter()
                .map(|c| observed(c, command, output))
                .collect::<Vec<_>>()
                .join("; ")
        }
        Condition::All(conditions) => {
            let failing: Vec<String> = conditions
                .iter()
                .filter(|c| !matches!(holds(c, command, output), Ok(true)))
                .map(|c| observed(c, command, output))
                .collect();
            return if failing.is_empty() {
                "every condition holds".to_string()
            } else {
                failing.join("; ")
            };
        }
        _ => {}
    }
    let stdout = match HostError::check(output) {
        Ok(stdout) => stdout,
        Err(HostError::Aix(message)) if message.code == "0960-419" => {
            if let Condition::WparState { wpar, .. } | Condition::WparAbsent { wpar } = condition {
                return format!("{wpar} is not listed");
            }
            return message.to_string();
        }
        Err(error) => return error.to_string(),
    };
    let seen = match condition {
        Condition::Succeeds | Condition::All(_) | Condition::Any(_) => Ok(String::new()),
        Condition::LparState { lpar: name, .. }
        | Condition::LparAbsent { lpar: name }
        | Condition::SystemState { system: name, .. } => {
            records(command, stdout, false).map(|records| {
                match records
                    .iter()
                    .find(|r| r.get("name") == Some(name.as_str()))
                {
                    Some(record) => format!("{name} is {}", record.get("state").unwrap_or("?")),
                    None => format!("{name} is not listed"),
                }
            })
        }
        Condition::FirmwareLevel { system, which, .. } => {
            first_level(command, stdout, which.attribute()).map(|level| match level {
                Some(level) => format!("{system} {} is {level}", which.attribute()),
                None => format!("{system} shows no {}", which.attribute()),
            })
        }
        Condition::FirmwareRetrievable { .. } => {
            retrievable(command, stdout).map(|(concurrent, disruptive)| {
                let show = |level: Option<u32>| level.map_or("None".to_string(), |l| l.to_string());
                format!(
                    "the repository offers concurrent level {}, disruptive level {}",
                    show(concurrent),
                    show(disruptive)
                )
            })
        }
        Condition::NoMigration => migrating(command, stdout).map(|moving| {
            if moving.is_empty() {
                "no partition is migrating".to_string()
            } else {
                moving.join(", ")
            }
        }),
        Condition::HmcAttribute {
            record, attribute, ..
        } => attribute_of(command, stdout, record.as_deref(), attribute).map(|found| {
            let whose = record
                .as_deref()
                .map_or(String::new(), |name| format!("{name} "));
            match found {
                Some(found) => format!("{whose}{attribute} is {found}"),
                None => format!("{whose}{attribute} is not listed"),
            }
        }),
        Condition::Migration { lpar, .. } => {
            migration_record(command, stdout, lpar).map(|found| match found {
                Some(record) => migration_words(lpar, &record),
                None => format!("{lpar} is not listed"),
            })
        }
        Condition::WparState { wpar, .. } | Condition::WparAbsent { wpar } => {
            wpar_record(stdout, wpar).map(|found| match found {
                Some(found) => format!("{wpar} is {}", found.state),
                None => format!("{wpar} is not listed"),
            })
        }
        Condition::OsLevel { .. } => Ok(format!("oslevel -s is {}", stdout.trim())),
        Condition::VgFree { .. } => Ok(match vg_free_mb(stdout) {
            Some(free) => format!("{free} MB free"),
            None => "no FREE PPs line".to_string(),
        }),
        Condition::NimAttribute {
            object, attribute, ..
        } => nim::parse_lsnim_long(stdout)
            .map_err(|error| error.to_string())
            .map(
                |objects| match objects.items.iter().find(|o| &o.name == object) {
                    Some(found) => match found.attribute(attribute) {
                        Some(value) => format!("{object} {attribute} is {value}"),
                        None => format!("{object} has no {attribute}"),
                    },
                    None => format!("{object} is not listed"),
                },
            ),
        Condition::PathAbsent { path } => Ok(if lists_path(stdout, path) {
            format!("{path} exists")
        } else {
            format!("{path} does not exist")
        }),
        Condition::OutputLine { words } => Ok(match line_with(stdout, words) {
            Some(line) => format!("'{}'", line.trim()),
            None => format!(
                "no line reads '{}' (last line: '{}')",
                words.join(" "),
                stdout
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim()
            ),
        }),
        Condition::NoOutputLine { containing, .. } => Ok(
            match stdout
                .lines()
                .find(|line| line.contains(containing.as_str()))
            {
                Some(line) => format!("'{}'", line.trim()),
                None => format!("no line contains '{containing}'"),
            },
        ),
        Condition::NimSummary { .. } => Ok(String::new()),
        Condition::Prints { text } => Ok(if stdout.contains(text.as_str()) {
            format!("it printed {text:?}")
        } else {
            format!("no {text:?} in what it printed")
        }),
        Condition::PrintsNothing => Ok(format!(
            "it printed: {}",
            format!("{stdout}{}", output.stderr).trim()
        )),
        Condition::DfFree { .. } => Ok(match aix_checks::df_free_mb(stdout) {
            Some(free) => format!("{free} MB free"),
            None => "no free space shown".to_string(),
        }),
        Condition::NoneFull { under } => Ok(match aix_checks::full_under(stdout, under) {
            full if full.is_empty() => format!("no file system under {under} is full"),
            full => format!("{} 100% used", full.join(", ")),
        }),
        Condition::SharedDir { path, .. } => {
            let entries = aix_checks::parse_mounts(stdout);
            Ok(match aix_checks::holding(&entries, path) {
                Some(entry) if entry.is_remote() => format!(
                    "{path} is {}{}",
                    entry.export_of(path).unwrap_or_default(),
                    if entry.read_only() { ", read-only" } else { "" }
                ),
                Some(entry) => format!(
                    "{path} is not on NFS: it is on the local {} {}",
                    entry.vfs, entry.over
                ),
                None => format!("{path} is not mounted"),
            })
        }
        Condition::NoHolders => Ok(match aix_checks::fuser_holders(stdout) {
            holders if holders.is_empty() => "no process holds it".to_string(),
            holders => format!(
                "held by {}",
                holders
                    .iter()
                    .map(|h| aix_checks::fuser_meaning(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
        Condition::Exported { path } => Ok(format!(
            "exported: {} (not {path})",
            aix_checks::exports(stdout).join(", ")
        )),
        Condition::WparAutoStart { wpar, .. } => aix::parse_lswpar_general(stdout)
            .map_err(|error| error.to_string())
            .map(|parsed| {
                match parsed
                    .items
                    .iter()
                    .find(|w| &w.name == wpar)
                    .and_then(|w| w.auto_start)
                {
                    Some(true) => format!("{wpar} auto start is yes"),
                    Some(false) => format!("{wpar} auto start is no"),
                    None => format!("{wpar} auto start is not shown"),
                }
            }),
    };
    seen.unwrap_or_else(|error| error)
}

/// Records of a listing in the form the command asked for (`-F a,b` or attr=value).
/// Output with no record and lines that do not parse cannot tell anything; with
/// `strict`, any line that does not parse is enough to say so (a condition that
/// believes an absence must see every line).
fn records(command: &RemoteCommand, stdout: &str, strict: bool) -> Result<Vec<Record>, String> {
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
    let unreadable = parsed
        .diagnostics
        .iter()
        .find(|d| !d.excerpt.trim().is_empty());
    if let Some(bad) = unreadable {
        if strict || parsed.items.is_empty() {
            return Err(format!(
                "cannot tell: line {} does not parse ({})",
                bad.line, bad.message
            ));
        }
    }
    Ok(parsed.items)
}

/// The value of `attribute` in the record called `record` (or the first record).
fn attribute_of(
    command: &RemoteCommand,
    stdout: &str,
    record: Option<&str>,
    attribute: &str,
) -> Result<Option<String>, String> {
    let records = records(command, stdout, false)?;
    let found = match record {
        Some(name) => records.iter().find(|r| r.get("name") == Some(name)),
        None => records.first(),
    };
    Ok(found.and_then(|r| r.get(attribute)).map(str::to_string))
}

/// A level number of the first record (`lslic -m SYS` lists one); `None`, `none` and
/// empty values mean no level.
fn level_of(record: &Record, attribute: &str) -> Result<Option<u32>, String> {
    match record.get(attribute).map(str::trim) {
        None | Some("" | "None" | "none" | "unavailable") => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| format!("{attribute} {value:?} is not a level number")),
    }
}

fn first_level(
    command: &RemoteCommand,
    stdout: &str,
    attribute: &str,
) -> Result<Option<u32>, String> {
    let records = records(command, stdout, false)?;
    match records.first() {
        Some(record) => level_of(record, attribute),
        None => Ok(None),
    }
}

/// (concurrent, disruptive) retrievable levels of an `lslic -r` record.
fn retrievable(
    command: &RemoteCommand,
    stdout: &str,
) -> Result<(Option<u32>, Option<u32>), String> {
    let records = records(command, stdout, false)?;
    let Some(record) = records.first() else {
        return Ok((None, None));
    };
    Ok((
        level_of(record, "concurrent_retrievable_level")?,
        level_of(record, "disruptive_retrievable_level")?,
    ))
}

/// `name is <migration state>` for every partition with a migration under way.
fn migrating(command: &RemoteCommand, stdout: &str) -> Result<Vec<String>, String> {
    Ok(records(command, stdout, true)?
        .iter()
        .filter_map(|record| {
            let state = MigrationState::parse(record.get("migration_state")?);
            state
                .is_active()
                .then(|| format!("{} is {state}", record.get("name").unwrap_or("?")))
        })
        .collect())
}

/// The `lslparmigr -r lpar` record of `lpar`, if the listing has one; every line must
/// parse, as a line that does not could be the partition said to be gone.
fn migration_record(
    command: &RemoteCommand,
    stdout: &str,
    lpar: &str,
) -> Result<Option<Record>, String> {
    Ok(records(command, stdout, true)?
        .into_iter()
        .find(|record| record.get("name") == Some(lpar)))
}

/// `app01 is Migration In Progress: 1.5 of 4.0 GB sent (37 %)`: the state and, while
/// memory moves, how much of it is across (docs/formats.md, "HMC: lslparmigr").
fn migration_words(lpar: &str, record: &Record) -> String {
    let state = record.get("migration_state").unwrap_or("?");
    let bytes = |name: &str| {
        record
            .get(name)
            .and_then(|value| value.trim().parse::<u64>().ok())
    };
    let progress = MigrationProgress {
        name: lpar.to_string(),
        lpar_id: None,
        migration_state: MigrationState::parse(state),
        migration_type: None,
        dest_sys_name: None,
        dest_lpar_id: None,
        bytes_transmitted: bytes("bytes_transmitted"),
        bytes_remaining: bytes("bytes_remaining"),
    };
    match (
        progress.percent_done(),
        progress.bytes_transmitted,
        progress.bytes_remaining,
    ) {
        (Some(percent), Some(sent), Some(left)) => format!(
            "{lpar} is {state}: {} of {} sent ({percent} %)",
            gigabytes(sent),
            gigabytes(sent.saturating_add(left))
        ),
        _ => format!("{lpar} is {state}"),
    }
}

fn gigabytes(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / (1024.0 * 1024.0 * 1024.0))
}

/// The WPAR called `wpar` in `lswpar -cq` (or `lswpar -c`) output. A line that does
/// not parse could have been it: cannot tell.
fn wpar_record(stdout: &str, wpar: &str) -> Result<Option<Wpar>, String> {
    let parsed = aix::parse_lswpar_delimited(stdout, ':', aix::DEFAULT_LSWPAR_FIELDS)
        .map_err(|error| error.to_string())?;
    let found = parsed.items.into_iter().find(|w| w.name == wpar);
    match parsed
        .diagnostics
        .iter()
        .find(|d| !d.excerpt.trim().is_empty())
    {
        Some(bad) if found.is_none() => Err(format!(
            "cannot tell: line {} does not parse ({})",
            bad.line, bad.message
        )),
        _ => Ok(found),
    }
}

/// Free megabytes of `lsvg VG` output: `FREE PPs:  32 (2048 megabytes)`.
pub fn vg_free_mb(stdout: &str) -> Option<u64> {
    let at = stdout.find("FREE PPs:")?;
    let rest = &stdout[at + "FREE PPs:".len()..];
    let open = rest.find('(')?;
    let inner = &rest[open + 1..];
    let number: String = inner
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    number.parse().ok()
}

/// The first line holding `words` in order (other words may come between them).
fn line_with<'a>(stdout: &'a str, words: &[String]) -> Option<&'a str> {
    stdout.lines().find(|line| {
        let mut seen = line.split_whitespace();
        words.iter().all(|word| seen.any(|w| w == word))
    })
}

/// True when one line of `ls -d PATH` output is the path itself.
fn lists_path(stdout: &str, path: &str) -> bool {
    stdout.lines().any(|line| line.trim() == path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estate::WparState;
    use crate::sources::aix::commands as aix_commands;
    use crate::sources::hmc::commands as hmc_commands;
    use crate::sources::nim::commands as nim_commands;
    use crate::wizard::plan::LicLevelKind;

    fn out(stdout: &str) -> CommandOutput {
        CommandOutput::new(stdout, "", 0)
    }

    #[test]
    fn firmware_levels() {
        let command = hmc_commands::lslic_sys("e980-01", &["activated_level"]).unwrap();
        let at_least = |min, max| Condition::FirmwareLevel {
            system: "e980-01".into(),
            which: LicLevelKind::Activated,
            min,
            max,
        };
        assert_eq!(
            holds(&at_least(106, None), &command, &out("131\n")),
            Ok(true)
        );
        assert_eq!(
            holds(&at_least(105, Some(105)), &command, &out("131\n")),
            Ok(false)
        );
        assert_eq!(
            observed(&at_least(106, None), &command, &out("105\n")),
            "e980-01 activated_level is 105"
        );
        let repository =
            hmc_commands::lslic_retrievable("e980-01", &hmc_commands::LicRepository::IbmWebsite)
                .unwrap();
        let offered = |concurrent, min| Condition::FirmwareRetrievable { concurrent, min };
        let text = out("None,131,145\n");
        assert_eq!(holds(&offered(true, 106), &repository, &text), Ok(true));
        assert_eq!(holds(&offered(true, 140), &repository, &text), Ok(false));
        assert_eq!(holds(&offered(false, 145), &repository, &text), Ok(true));
        assert_eq!(
            holds(&offered(true, 106), &repository, &out("None,None,None\n")),
            Ok(false)
        );
        assert_eq!(
            observed(&offered(true, 140), &repository, &text),
            "the repository offers concurrent level 131, disruptive level 145"
        );
    }

    #[test]
    fn hmc_attributes_of_a_named_record_or_the_first() {
        let command =
            hmc_commands::lssyscfg_lpar("p9", &[], &["name", "state", "rmc_state"]).unwrap();
        let rmc = |lpar: &str| Condition::HmcAttribute {
            record: Some(lpar.into()),
            attribute: "rmc_state".into(),
            value: "active".into(),
        };
        let text = out("vios1,Running,active\nvios2,Running,inactive\n");
        assert_eq!(holds(&rmc("vios1"), &command, &text), Ok(true));
        assert_eq!(holds(&rmc("vios2"), &command, &text), Ok(false));
        assert_eq!(holds(&rmc("vios3"), &command, &text), Ok(false));
        assert_eq!(
            observed(&rmc("vios2"), &command, &text),
            "vios2 rmc_state is inactive"
        );
        let lslic = hmc_commands::lslic_sys("p9", &["ecnumber"]).unwrap();
        let release = Condition::HmcAttribute {
            record: None,
            attribute: "ecnumber".into(),
            value: "01VL960".into(),
        };
        assert_eq!(holds(&release, &lslic, &out("01VL960\n")), Ok(true));
        assert_eq!(holds(&release, &lslic, &out("01VL950\n")), Ok(false));
    }

    #[test]
    fn migrations() {
        let command =
            hmc_commands::lslparmigr_lpar("p9", &[], &["name", "migration_state"]).unwrap();
        let quiet = out("a,Not Migrating\nb,Not Migrating\n");
        assert_eq!(holds(&Condition::NoMigration, &command, &quiet), Ok(true));
        let busy = out("a,Migration In Progress\nb,Not Migrating\n");
        assert_eq!(holds(&Condition::NoMigration, &command, &busy), Ok(false));
        assert_eq!(
            observed(&Condition::NoMigration, &command, &busy),
            "a is Migration In Progress"
        );
    }

    #[test]
    fn one_partitions_migration_and_its_progress() {
        let command = hmc_commands::lslparmigr_lpar(
            "p9",
            &["a"],
            &[
                "name",
                "migration_state",
                "bytes_transmitted",
                "bytes_remaining",
            ],
        )
        .unwrap();
        let failed_or_gone = Condition::Migration {
            lpar: "a".into(),
            states: vec![MigrationState::Failed],
            or_gone: true,
        };
        let moving = out("a,Migration In Progress,1073741824,3221225472\n");
        assert_eq!(holds(&failed_or_gone, &command, &moving), Ok(false));
        assert_eq!(
            observed(&failed_or_gone, &command, &moving),
            "a is Migration In Progress: 1.0 GB of 4.0 GB sent (25 %)"
        );
        let failed = out("a,Migration Failed,1073741824,3221225472\n");
        assert_eq!(holds(&failed_or_gone, &command, &failed), Ok(true));
        let gone = out("No results were found.\n");
        assert_eq!(holds(&failed_or_gone, &command, &gone), Ok(true));
        assert_eq!(
            observed(&failed_or_gone, &command, &gone),
            "a is not listed"
        );
        let listed_only = Condition::Migration {
            lpar: "a".into(),
            states: vec![MigrationState::Failed],
            or_gone: false,
        };
        assert_eq!(holds(&listed_only, &command, &gone), Ok(false));
        let unknown = CommandOutput::new("HSCL8012 The partition a could not be found.\n", "", 1);
        assert_eq!(holds(&failed_or_gone, &command, &unknown), Ok(true));
        assert_eq!(holds(&listed_only, &command, &unknown), Ok(false));
        let idle = out("a,Not Migrating,,\n");
        assert_eq!(
            observed(&listed_only, &command, &idle),
            "a is Not Migrating"
        );
    }

    #[test]
    fn wpar_states_and_absence() {
        let command = aix_commands::lswpar(&["w1"]).unwrap();
        let listed = out("w1:T:S:w1:/wpars/w1:no\n");
        let state = Condition::WparState {
            wpar: "w1".into(),
            states: vec![WparState::Defined],
        };
        assert_eq!(holds(&state, &command, &listed), Ok(false));
        assert_eq!(observed(&state, &command, &listed), "w1 is Transitional");
        let gone = CommandOutput::new(
            "",
            "lswpar: 0960-419 Could not find a workload partition called w1.\n",
            1,
        );
        let absent = Condition::WparAbsent { wpar: "w1".into() };
        assert_eq!(holds(&absent, &command, &gone), Ok(true));
        assert_eq!(holds(&state, &command, &gone), Ok(false));
        assert_eq!(observed(&state, &command, &gone), "w1 is not listed");
        assert_eq!(holds(&absent, &command, &listed), Ok(false));
    }

    #[test]
    fn levels_and_free_space() {
        let level = Condition::OsLevel {
            level: "7100-00-02-1041".into(),
        };
        let command = aix_commands::oslevel();
        assert_eq!(holds(&level, &command, &out("7100-00-02-1041\n")), Ok(true));
        assert_eq!(
            holds(&level, &command, &out("6100-06-03-1048\n")),
            Ok(false)
        );
        let lsvg = aix_commands::lsvg("rootvg").unwrap();
        let text = out("VG PERMISSION:      read/write               TOTAL PPs:      542 (34688 megabytes)\nMAX LVs:            256                      FREE PPs:       32 (2048 megabytes)\n");
        assert_eq!(vg_free_mb(&text.stdout), Some(2048));
        assert_eq!(
            holds(&Condition::VgFree { min_mb: 768 }, &lsvg, &text),
            Ok(true)
        );
        assert_eq!(
            holds(&Condition::VgFree { min_mb: 3584 }, &lsvg, &text),
            Ok(false)
        );
        assert_eq!(
            observed(&Condition::VgFree { min_mb: 3584 }, &lsvg, &text),
            "2048 MB free"
        );
    }

    #[test]
    fn nim_attributes_and_all() {
        let command = nim_commands::lsnim_long(Some("c1")).unwrap();
        let text = out("c1:\n   class          = machines\n   type           = standalone\n   Cstate         = ready for a NIM operation\n   spot           = spot1\n");
        let ready = Condition::NimAttribute {
            object: "c1".into(),
            attribute: "Cstate".into(),
            value: Some("ready for a NIM operation".into()),
        };
        let no_spot = Condition::NimAttribute {
            object: "c1".into(),
            attribute: "spot".into(),
            value: None,
        };
        assert_eq!(holds(&ready, &command, &text), Ok(true));
        assert_eq!(holds(&no_spot, &command, &text), Ok(false));
        let both = Condition::All(vec![ready.clone(), no_spot.clone()]);
        assert_eq!(holds(&both, &command, &text), Ok(false));
        assert_eq!(observed(&both, &command, &text), "c1 spot is spot1");
        assert_eq!(
            holds(&Condition::All(vec![ready]), &command, &text),
            Ok(true)
        );
    }

    #[test]
    fn paths_through_c_rsh() {
        let command = nim_commands::c_rsh("c1", nim_commands::ClientCommand::ListBosInst).unwrap();
        let absent = Condition::PathAbsent {
            path: "/bos_inst".into(),
        };
        assert_eq!(holds(&absent, &command, &out("/bos_inst\n")), Ok(false));
        let missing =
            CommandOutput::new("", "ls: 0653-341 The file /bos_inst does not exist.\n", 0);
        assert_eq!(holds(&absent, &command, &missing), Ok(true));
        let unreachable = CommandOutput::new("", "c1: timedout\n", 1);
        assert!(holds(&absent, &command, &unreachable).is_err());
    }

    /// Every condition with the command it reads, for the fail-closed table.
    fn every_condition() -> Vec<(Condition, RemoteCommand)> {
        let lpar = hmc_commands::lssyscfg_lpar("p9-01", &["app01"], &["name", "state"]).unwrap();
        let sys = hmc_commands::lssyscfg_sys(Some("p9-01"), &["name", "state"]).unwrap();
        let lslic = hmc_commands::lslic_sys("p9-01", &["activated_level"]).unwrap();
        let retrievable =
            hmc_commands::lslic_retrievable("p9-01", &hmc_commands::LicRepository::IbmWebsite)
                .unwrap();
        let migr =
            hmc_commands::lslparmigr_lpar("p9-01", &[], &["name", "migration_state"]).unwrap();
        let lswpar = aix_commands::lswpar(&["wp01"]).unwrap();
        let lsnim = nim_commands::lsnim_long(Some("c1")).unwrap();
        let ls = nim_commands::c_rsh("c1", nim_commands::ClientCommand::ListBosInst).unwrap();
        vec![
            (
                Condition::LparState {
                    lpar: "app01".into(),
                    states: vec![LparState::Running],
                },
                lpar.clone(),
            ),
            (
                Condition::SystemState {
                    system: "p9-01".into(),
                    states: vec![SystemState::Operating],
                },
                sys,
            ),
            (
                Condition::LparAbsent {
                    lpar: "app01".into(),
                },
                lpar,
            ),
            (
                Condition::FirmwareLevel {
                    system: "p9-01".into(),
                    which: LicLevelKind::Activated,
                    min: 0,
                    max: None,
                },
                lslic,
            ),
            (
                Condition::FirmwareRetrievable {
                    concurrent: false,
                    min: 0,
                },
                retrievable,
            ),
            (Condition::NoMigration, migr),
            (
                Condition::HmcAttribute {
                    record: Some("app01".into()),
                    attribute: "rmc_state".into(),
                    value: "active".into(),
                },
                hmc_commands::lssyscfg_lpar("p9-01", &["app01"], &["name", "rmc_state"]).unwrap(),
            ),
            (
                Condition::HmcAttribute {
                    record: None,
                    attribute: "ecnumber".into(),
                    value: "01VL960".into(),
                },
                hmc_commands::lslic_sys("p9-01", &["ecnumber"]).unwrap(),
            ),
            (
                Condition::WparState {
                    wpar: "wp01".into(),
                    states: vec![WparState::Defined],
                },
                lswpar.clone(),
            ),
            (
                Condition::WparAbsent {
                    wpar: "wp01".into(),
                },
                lswpar,
            ),
            (
                Condition::OsLevel {
                    level: "7200-05-06-2320".into(),
                },
                aix_commands::oslevel(),
            ),
            (
                Condition::VgFree { min_mb: 0 },
                aix_commands::lsvg("rootvg").unwrap(),
            ),
            (
                Condition::NimAttribute {
                    object: "c1".into(),
                    attribute: "spot".into(),
                    value: None,
                },
                lsnim,
            ),
            (
                Condition::PathAbsent {
                    path: "/bos_inst".into(),
                },
                ls,
            ),
            (
                Condition::OutputLine {
                    words: vec!["c1".into()],
                },
                nim_commands::c_rsh("c1", nim_commands::ClientCommand::Hostname).unwrap(),
            ),
            (
                Condition::NoOutputLine {
                    header: "mounted over".into(),
                    containing: "/bos_inst".into(),
                },
                nim_commands::c_rsh("c1", nim_commands::ClientCommand::Mounts).unwrap(),
            ),
            (
                Condition::NimSummary {
                    operation: "takeover".into(),
                    succeeded: vec!["c1".into()],
                },
                nim_commands::nim_takeover("nimA").unwrap(),
            ),
        ]
    }

    #[test]
    fn output_lines_and_operation_summaries() {
        let hostname = nim_commands::c_rsh("c1", nim_commands::ClientCommand::Hostname).unwrap();
        let prints = Condition::OutputLine {
            words: vec!["c1".into()],
        };
        assert_eq!(holds(&prints, &hostname, &out("c1\n")), Ok(true));
        assert_eq!(holds(&prints, &hostname, &out("c10\n")), Ok(false));
        assert_eq!(
            observed(&prints, &hostname, &out("other\n")),
            "no line reads 'c1' (last line: 'other')"
        );
        let mounts = nim_commands::c_rsh("c1", nim_commands::ClientCommand::Mounts).unwrap();
        let free = Condition::NoOutputLine {
            header: "mounted over".into(),
            containing: "/bos_inst".into(),
        };
        let table = "  node       mounted        mounted over    vfs\n         /dev/hd4         /                jfs2\n";
        assert_eq!(holds(&free, &mounts, &out(table)), Ok(true));
        let busy = format!("{table}         /dev/bos_hd4     /bos_inst        jfs2\n");
        assert_eq!(holds(&free, &mounts, &out(&busy)), Ok(false));
        assert_eq!(
            observed(&free, &mounts, &out(&busy)),
            "'/dev/bos_hd4     /bos_inst        jfs2'"
        );
        let takeover = nim_commands::nim_takeover("nimA").unwrap();
        let summary = Condition::NimSummary {
            operation: "takeover".into(),
            succeeded: vec!["c1".into()],
        };
        let text = "                        \"takeover\" Operation Summary\n   Target                  Result\n   ------                  ------\n   c1                      SUCCESS\n   off1                    FAILURE\n";
        let failed_elsewhere = CommandOutput::new(
            text,
            "0042-006 c_switch_master: (From_Master) connect Connection refused\n",
            6,
        );
        assert_eq!(
            holds(&summary, &takeover, &failed_elsewhere),
            Ok(true),
            "another client's failure does not count"
        );
        let c1_failed = CommandOutput::new(text.replace("SUCCESS", "FAILURE"), "", 6);
        assert_eq!(holds(&summary, &takeover, &c1_failed), Ok(false));
        assert_eq!(
            observed(&summary, &takeover, &c1_failed),
            "c1 FAILURE, off1 FAILURE"
        );
    }

    #[test]
    fn a_missing_partition_is_absent_a_missing_system_cannot_tell() {
        let command = hmc_commands::lssyscfg_lpar("p9-01", &["app01"], &["name", "state"]).unwrap();
        let absent = Condition::LparAbsent {
            lpar: "app01".into(),
        };
        let gone = CommandOutput::new(
            "HSCL8012 The partition app01 on managed system p9-01 could not be found. Check the name and try again.\n",
            "",
            1,
        );
        assert_eq!(holds(&absent, &command, &gone), Ok(true));
        let no_system = CommandOutput::new(
            "HSCL8012 The managed system p9-01 could not be found. Check the name and try again.\n",
            "",
            1,
        );
        assert!(holds(&absent, &command, &no_system).is_err());
    }

    /// No condition passes on nothing: empty output, garbage, a host error, invalid
    /// UTF-8, or a managed system that is not found.
    #[test]
    fn every_condition_fails_closed() {
        let bad = [
            ("empty", out("")),
            ("blank", out("  \n\n")),
            ("garbage", out("\u{1}\u{2}%%%;;;\n")),
            (
                "HSCL error",
                CommandOutput::new("HSCL0238 This operation is only allowed when the managed system is in the Operating state.\n", "", 1),
            ),
            ("AIX error", CommandOutput::new("", "0960-417 Could not read the WPAR database.\n", 1)),
            ("NIM error", CommandOutput::new("", "0042-053 lsnim: there is no NIM object named \"c1\"\n", 1)),
            ("invalid UTF-8", out("app01,Running\u{FFFD}\n")),
            (
                "unknown system",
                CommandOutput::new("HSCL8012 The managed system p9-01 was not found.\n", "", 1),
            ),
        ];
        for (condition, command) in every_condition() {
            for (what, output) in &bad {
                assert_ne!(
                    holds(&condition, &command, output),
                    Ok(true),
                    "{condition:?} passed on {what}"
                );
            }
        }
    }
}
