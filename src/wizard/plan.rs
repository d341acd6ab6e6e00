//! A plan: the exact, ordered commands a wizard will run, each with its reason.

use std::borrow::Cow;
use std::time::Duration;

use crate::estate::{LparState, MigrationState, SystemState, WparState};
use crate::sources::command::Effect;
use crate::sources::{quote, RemoteCommand};
use crate::text;

/// What a step is for; it decides how the executor treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Re-reads the state the plan was built on, so nothing runs on stale assumptions.
    Check,
    /// Asks the host whether the change would work (`migrlpar -o v`, `rrstartlpar -o validate`).
    Validate,
    /// Changes something. Needs the typed confirmation; impossible in read-only mode.
    Change,
    /// Polls until a condition holds (or the step's timeout passes).
    Wait,
    /// Confirms the result once the change is done.
    Verify,
}

/// What the executor does when a step fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnFailure {
    /// Stop the plan; offer retry, skip or abort after re-reading the state.
    Stop,
    /// Stop, and offer these steps as the recovery branch.
    Recover(Vec<Step>),
    /// Stop, re-read `probe` before anything else, then offer only the branches whose
    /// condition holds on what it printed: the way out depends on where the host is now
    /// (docs/procedures.md, "Every wizard", rule 1).
    Decide {
        /// The read that decides, run first after the failure.
        probe: Box<Step>,
        /// The ways out, each offered only when its condition holds.
        branches: Vec<Branch>,
    },
}

impl OnFailure {
    /// Every step this failure handling may run or offer, the probe included: for
    /// checks that look at all of a plan's command lines.
    pub fn steps(&self) -> Vec<&Step> {
        match self {
            OnFailure::Stop => Vec::new(),
            OnFailure::Recover(recovery) => recovery.iter().collect(),
            OnFailure::Decide { probe, branches } => std::iter::once(probe.as_ref())
                .chain(branches.iter().flat_map(|branch| branch.steps.iter()))
                .collect(),
        }
    }
}

/// One way out of a failed step, offered after the state is re-read, and only when the
/// re-read state allows it (a migration still running is never recovered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// What it does, in the operator's words (`keep watching`, `stop the migration`).
    pub label: String,
    /// Offered when this holds on the probe's output.
    pub when: Condition,
    /// Its steps, run as a plan of their own once the operator confirms it.
    pub steps: Vec<Step>,
}

/// A condition on the estate a `Wait` or `Verify` step checks on its command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The command succeeds (exit status 0).
    Succeeds,
    /// `lssyscfg -r lpar` output shows the partition in one of these states.
    LparState {
        lpar: String,
        states: Vec<LparState>,
    },
    /// `lssyscfg -r sys` output shows the system in one of these states.
    SystemState {
        system: String,
        states: Vec<SystemState>,
    },
    /// `lssyscfg -r lpar` output no longer lists the partition.
    LparAbsent { lpar: String },
    /// `lslic -t sys -F ...` output shows the `which` firmware level of the system
    /// between `min` and `max` (no upper bound when `None`).
    FirmwareLevel {
        system: String,
        which: LicLevelKind,
        min: u32,
        max: Option<u32>,
    },
    /// `lslic -r ... -F retrievable_release,concurrent_retrievable_level,
    /// disruptive_retrievable_level` output offers a level of at least `min`; only the
    /// concurrent level counts when `concurrent`.
    FirmwareRetrievable { concurrent: bool, min: u32 },
    /// `lslparmigr -r lpar -F name,migration_state` output shows no partition migrating.
    NoMigration,
    /// An HMC listing's record called `record` (the first record when `None`, for the
    /// one-record `lslic`) shows `attribute` with `value`: a partition's
    /// `rmc_state=active`, a system's new `ecnumber`.
    HmcAttribute {
        record: Option<String>,
        attribute: String,
        value: String,
    },
    /// `lslparmigr -r lpar -F name,migration_state,...` output shows the partition's
    /// migration in one of these states; with `or_gone`, a listing without the partition
    /// counts too (it has left the system it was read on).
    Migration {
        lpar: String,
        states: Vec<MigrationState>,
        or_gone: bool,
    },
    /// `lswpar -cq W` output shows the WPAR in one of these states.
    WparState {
        wpar: String,
        states: Vec<WparState>,
    },
    /// `lswpar` does not know the WPAR (0960-419).
    WparAbsent { wpar: String },
    /// `oslevel -s` prints exactly this level.
    OsLevel { level: String },
    /// `lsvg VG` output shows at least this many megabytes free (`FREE PPs`).
    VgFree { min_mb: u64 },
    /// `lsnim -l [OBJECT]` output shows the object's attribute with this value, or
    /// without the attribute when `value` is `None`.
    NimAttribute {
        object: String,
        attribute: String,
        value: Option<String>,
    },
    /// `ls -d PATH` output (through `c_rsh`) does not list the path.
    PathAbsent { path: String },
    /// A line of the output holds these words in this order (blanks between them do not
    /// count): what proves a command worked when its exit status cannot (`c_rsh`), or
    /// the line a NIM operation ends with (`nim_master_recover Complete`).
    OutputLine { words: Vec<String> },
    /// The output is the listing asked for (a line holds `header`) and no line of it
    /// contains `containing` (`Removing ` in a sync, `/bos_inst` in a client's mount
    /// table): an output that is not that listing proves nothing.
    NoOutputLine { header: String, containing: String },
    /// The `"OPERATION" Operation Summary` table of `nim` output lists every one of these
    /// machines as `SUCCESS`; other rows, and the exit status their failures give, do not
    /// count (a powered-off client's takeover is pending, not a failure).
    NimSummary {
        operation: String,
        succeeded: Vec<String>,
    },
    /// Every condition holds on the same output.
    All(Vec<Condition>),
    /// At least one condition holds on the output (`rmwpar -F W` removed it, or there
    /// was none: 0960-419).
    Any(Vec<Condition>),
    /// The output (stdout) holds this text: the tool's own word for success
    /// (`0512-038 savewpar: Backup Completed Successfully.`), not only its exit status.
    Prints { text: String },
    /// The command prints nothing at all (`lppchk -v` on consistent software).
    PrintsNothing,
    /// `df -k PATH` output shows at least this many megabytes free.
    DfFree { min_mb: u64 },
    /// `df -k` output shows no file system at or under `under` 100% used.
    NoneFull { under: String },
    /// `mount` output shows `path` on the NFS export `export` (`node:/dir`), read-write.
    SharedDir { path: String, export: String },
    /// `fuser` output lists no process.
    NoHolders,
    /// `showmount -e` output lists `path`, or a directory above it, as exported.
    Exported { path: String },
    /// `lswpar -G W` output shows its auto start `on` (yes) or off (no).
    WparAutoStart { wpar: String, on: bool },
}

/// Which firmware level a [`Condition::FirmwareLevel`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicLevelKind {
    /// `activated_level`: running now.
    Activated,
    /// `accepted_level`: committed (P-side).
    Accepted,
}

impl LicLevelKind {
    /// The `lslic` attribute name.
    pub fn attribute(self) -> &'static str {
        match self {
            LicLevelKind::Activated => "activated_level",
            LicLevelKind::Accepted => "accepted_level",
        }
    }
}

/// One command of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The source (config name) the command runs on.
    pub host: String,
    pub command: RemoteCommand,
    /// Why this step is here, in an admin's words.
    pub why: String,
    pub kind: StepKind,
    pub on_failure: OnFailure,
    /// Steps sharing a group may run at the same time (bounded by the plan's
    /// `parallelism`); `None` runs alone, in order.
    pub group: Option<u32>,
    /// For `Wait` and `Verify`: what must hold.
    pub until: Option<Condition>,
    /// For `Wait`: how long to keep polling.
    pub timeout: Option<Duration>,
    /// A read run every poll interval while this step runs, what it shows reported as
    /// the step's progress (`lslparmigr` while `migrlpar -o m` moves a partition).
    pub follow: Option<Box<Step>>,
}

impl Step {
    /// A step that runs alone and stops the plan on failure.
    pub fn new(host: &str, kind: StepKind, command: RemoteCommand, why: impl Into<String>) -> Step {
        Step {
            host: host.to_string(),
            command,
            why: why.into(),
            kind,
            on_failure: OnFailure::Stop,
            group: None,
            until: None,
            timeout: None,
            follow: None,
        }
    }

    /// Reports what `read` shows (through its condition's words) while this step runs.
    pub fn following(mut self, read: Step) -> Step {
        self.follow = Some(Box::new(read));
        self
    }

    /// Adds a condition (for waits and verifications).
    pub fn until(mut self, condition: Condition, timeout: Duration) -> Step {
        self.until = Some(condition);
        self.timeout = Some(timeout);
        self
    }

    /// Puts the step in a parallel group.
    pub fn in_group(mut self, group: u32) -> Step {
        self.group = Some(group);
        self
    }

    /// Offers `recovery` when this step fails.
    pub fn recover_with(mut self, recovery: Vec<Step>) -> Step {
        self.on_failure = OnFailure::Recover(recovery);
        self
    }

    /// Handles this step's failure with `on_failure`.
    pub fn with_failure(mut self, on_failure: OnFailure) -> Step {
        self.on_failure = on_failure;
        self
    }

    /// The exact command line sent to the host.
    pub fn line(&self) -> String {
        self.command.line()
    }

    /// True when the step changes state on the host.
    pub fn changes(&self) -> bool {
        self.kind == StepKind::Change || self.command.effect() == Effect::Change
    }
}

/// A whole plan, ready to show, confirm and run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `relocate`, `remote-restart`, `cleanup` ...
    pub wizard: &'static str,
    /// One line saying what the plan does.
    pub title: String,
    /// The name the operator must type to confirm (the LPAR or system at stake).
    pub confirm_name: String,
    /// A fact the operator must attest, typed separately, before anything changes.
    pub attestation: Option<Attestation>,
    pub steps: Vec<Step>,
    /// How many steps of one group may run at once.
    pub parallelism: usize,
    /// Things the operator should know before confirming.
    pub notes: Vec<String>,
}

/// A fact powerdeck cannot check and the operator must vouch for, in a confirmation of
/// its own (the partitions of a system in `No Connection` are really down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// What the operator attests, and why it matters.
    pub statement: String,
    /// The words to type.
    pub phrase: String,
}

impl Plan {
    /// True when at least one step changes something.
    pub fn changes_anything(&self) -> bool {
        self.steps.iter().any(Step::changes)
    }

    /// The plan as a shell script for a change ticket: each step a comment saying why
    /// and on which host, then the exact command line, one per line.
    ///
    /// Names come from the hosts and may hold anything: every comment goes through
    /// [`text::visible`], so a newline in a name cannot end it and start a command, and
    /// every command line through `script_line`, so no control character is printed.
    pub fn to_script(&self) -> String {
        let mut text = String::from("#!/bin/sh\n");
        comment(&mut text, &format!("powerdeck plan: {}", self.wizard));
        comment(&mut text, &self.title);
        for note in &self.notes {
            comment(&mut text, &format!("note: {note}"));
        }
        if self.parallelism > 1 && self.steps.iter().any(|s| s.group.is_some()) {
            comment(
                &mut text,
                &format!(
                    "steps marked [parallel N] run up to {} at a time",
                    self.parallelism
                ),
            );
        }
        let others = self.steps.iter().flat_map(|step| {
            step.on_failure
                .steps()
                .into_iter()
                .chain(step.follow.as_deref())
        });
        if self
            .steps
            .iter()
            .chain(others)
            .any(|step| step.command.args().iter().any(|arg| arg.contains('\n')))
        {
            comment(
                &mut text,
                "nl holds a newline, for the names below that contain one",
            );
            text.push_str(quote::SCRIPT_NEWLINE);
            text.push('\n');
        }
        for (number, step) in self.steps.iter().enumerate() {
            let parallel = step
                .group
                .map(|group| format!(" [parallel {group}]"))
                .unwrap_or_default();
            text.push('\n');
            comment(
                &mut text,
                &format!(
                    "{}. {:?}{parallel} on {}: {}",
                    number + 1,
                    step.kind,
                    step.host,
                    step.why
                ),
            );
            if let (Some(condition), Some(timeout)) = (&step.until, step.timeout) {
                comment(
                    &mut text,
                    &format!(
                        "   repeat until {} (at most {} s)",
                        describe(condition),
                        timeout.as_secs()
                    ),
                );
            }
            if let Some(follow) = &step.follow {
                text.push_str(&format!(
                    "#    while it runs, follow on {}: {} ({})\n",
                    text::visible(&follow.host),
                    script_line(&follow.command),
                    text::visible(&follow.why)
                ));
            }
            text.push_str(&script_line(&step.command));
            text.push('\n');
            match &step.on_failure {
                OnFailure::Stop => {}
                OnFailure::Recover(recovery) => {
                    for step in recovery {
                        text.push_str(&format!("#    if it fails, {}\n", step_words(step)));
                    }
                }
                OnFailure::Decide { probe, branches } => {
                    text.push_str(&format!(
                        "#    if it fails, first re-read {}\n",
                        step_words(probe)
                    ));
                    for branch in branches {
                        comment(
                            &mut text,
                            &format!(
                                "     then, when {}, offered: {}",
                                describe(&branch.when),
                                branch.label
                            ),
                        );
                        for step in &branch.steps {
                            text.push_str(&format!("#       {}\n", step_words(step)));
                        }
                    }
                }
            }
        }
        text
    }
}

/// `on HOST: COMMAND (why)` for a step shown in a comment.
fn step_words(step: &Step) -> String {
    format!(
        "on {}: {} ({})",
        text::visible(&step.host),
        script_line(&step.command),
        text::visible(&step.why)
    )
}

/// Appends `# words` as one comment line of a script, whatever the words contain.
fn comment(script: &mut String, words: &str) {
    script.push_str("# ");
    script.push_str(&text::visible(words));
    script.push('\n');
}

/// The command line as a `plan` script prints it: [`RemoteCommand::line`] with every
/// word through [`quote::script_word`], so a name's control characters are written as
/// `printf` escapes instead of being printed (identical to `line` for every other name).
///
/// Exists so that the script runs exactly the step's argument vector while its text,
/// printed or pasted into a ticket, carries nothing a terminal acts on.
fn script_line(command: &RemoteCommand) -> String {
    command
        .locale_prefix()
        .map(|locale| Cow::Borrowed(locale.assignment()))
        .into_iter()
        .chain(command.argv().into_iter().map(quote::script_word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A condition in words.
pub fn describe(condition: &Condition) -> String {
    let words = |states: &[String]| states.join(" or ");
    match condition {
        Condition::Succeeds => "it succeeds".to_string(),
        Condition::LparState { lpar, states } => format!(
            "{lpar} is {}",
            words(&states.iter().map(ToString::to_string).collect::<Vec<_>>())
        ),
        Condition::SystemState { system, states } => format!(
            "{system} is {}",
            words(&states.iter().map(ToString::to_string).collect::<Vec<_>>())
        ),
        Condition::LparAbsent { lpar } => format!("{lpar} is gone"),
        Condition::FirmwareLevel {
            system,
            which,
            min,
            max,
        } => match max {
            Some(max) if max == min => format!("{system} {} is {min}", which.attribute()),
            Some(max) => format!("{system} {} is {min} to {max}", which.attribute()),
            None => format!("{system} {} is {min} or above", which.attribute()),
        },
        Condition::FirmwareRetrievable { concurrent, min } => format!(
            "the repository offers level {min} or above{}",
            if *concurrent { " concurrently" } else { "" }
        ),
        Condition::NoMigration => "no partition is migrating".to_string(),
        Condition::HmcAttribute {
            record: Some(record),
            attribute,
            value,
        } => format!("{record} {attribute} is {value}"),
        Condition::HmcAttribute {
            record: None,
            attribute,
            value,
        } => format!("{attribute} is {value}"),
        Condition::Migration {
            lpar,
            states,
            or_gone,
        } => {
            let states = states.iter().map(ToString::to_string).collect::<Vec<_>>();
            match (states.is_empty(), or_gone) {
                (true, _) => format!("{lpar} is no longer listed"),
                (false, false) => format!("{lpar} is {}", words(&states)),
                (false, true) => format!("{lpar} is {} or no longer listed", words(&states)),
            }
        }
        Condition::WparState { wpar, states } => format!(
            "{wpar} is {}",
            words(&states.iter().map(ToString::to_string).collect::<Vec<_>>())
        ),
        Condition::WparAbsent { wpar } => format!("there is no WPAR called {wpar}"),
        Condition::OsLevel { level } => format!("oslevel -s is {level}"),
        Condition::VgFree { min_mb } => format!("at least {min_mb} MB are free"),
        Condition::NimAttribute {
            object,
            attribute,
            value: Some(value),
        } => format!("{object} {attribute} is {value}"),
        Condition::NimAttribute {
            object,
            attribute,
            value: None,
        } => format!("{object} has no {attribute}"),
        Condition::PathAbsent { path } => format!("{path} does not exist"),
        Condition::OutputLine { words } => format!("a line reads '{}'", words.join(" ")),
        Condition::NoOutputLine { containing, .. } => format!("no line contains '{containing}'"),
        Condition::NimSummary {
            operation,
            succeeded,
        } => format!(
            "the \"{operation}\" summary says SUCCESS for {}",
            succeeded.join(", ")
        ),
        Condition::All(conditions) => conditions
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Any(conditions) => conditions
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::Prints { text } => format!("it prints {text:?}"),
        Condition::PrintsNothing => "it prints nothing".to_string(),
        Condition::DfFree { min_mb } => format!("at least {min_mb} MB are free"),
        Condition::NoneFull { under } => format!("no file system under {under} is full"),
        Condition::SharedDir { path, export } => {
            format!("{path} is {export}, mounted read-write")
        }
        Condition::NoHolders => "no process holds it".to_string(),
        Condition::Exported { path } => format!("{path} is exported"),
        Condition::WparAutoStart { wpar, on } => {
            format!("{wpar} auto start is {}", if *on { "yes" } else { "no" })
        }
    }
}
