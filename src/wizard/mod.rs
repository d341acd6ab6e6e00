//! Guided wizards: plans built as pure functions of the estate and the operator's
//! choices, shown in full, confirmed by name, then run step by step.

pub mod aix_checks;
pub mod capacity;
pub mod catalogue;
pub mod cleanup;
pub mod condition;
pub mod executor;
pub mod firmware;
pub mod journal;
pub mod nim;
pub mod plan;
pub mod readiness;
pub mod relocate;
pub mod relocate_facts;
pub mod relocate_recovery;
pub mod remote_restart;
pub mod view;
pub mod wpar_move;
mod wpar_move_steps;
pub mod wpar_recovery;

pub use cleanup::{cleanup, CleanupChoices};
pub use executor::{ExecEvent, Executor, RunSummary, StepOutcome};
pub use firmware::{
    firmware, firmware_accept, Disruptive, FirmwareChoices, FirmwareFacts, FirmwareRepo,
};
pub use journal::{Journal, JournalRecord};
pub use nim::{
    nim_reset, nim_sync, nim_takeover, nimadm_preflight, NimResetFacts, NimSyncChoices,
    NimSyncFacts, NimadmChoices, NimadmFacts, TakeoverFacts,
};
pub use plan::{Attestation, Branch, Condition, LicLevelKind, OnFailure, Plan, Step, StepKind};
pub use relocate::{relocate, relocate_with};
pub use relocate_facts::RelocationFacts;
pub use remote_restart::RemoteRestartChoices;
pub use view::EstateView;
pub use wpar_move::{wpar_move, SourceAfterMove, WparMoveChoices, WparMoveFacts};
pub use wpar_recovery::{wpar_recover, WparRecoveryChoices, WparRecoveryFacts};

/// Why a plan cannot be built, by kind: callers (the CLI's exit status, the console,
/// tests) decide on the kind, the operator reads the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanErrorKind {
    /// A named system, partition, WPAR, host or NIM object is not in the estate.
    NotFound,
    /// A precondition is false: running this plan now would harm or fail.
    Refused,
    /// A fact the plan depends on could not be read or understood: cannot tell.
    CannotTell,
    /// The choices contradict each other or name something impossible.
    Invalid,
    /// The estate is already where the plan would take it.
    NothingToDo,
}

/// Why a plan cannot be built: its kind and one line an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct PlanError {
    /// What kind of refusal.
    pub kind: PlanErrorKind,
    /// The reason, worded for the operator.
    pub reason: String,
}

impl PlanError {
    /// A plan error of `kind` with this reason.
    pub fn new(kind: PlanErrorKind, reason: impl Into<String>) -> Self {
        PlanError {
            kind,
            reason: reason.into(),
        }
    }

    /// A named object is not in the estate.
    pub fn not_found(reason: impl Into<String>) -> Self {
        PlanError::new(PlanErrorKind::NotFound, reason)
    }

    /// A precondition is false.
    pub fn refused(reason: impl Into<String>) -> Self {
        PlanError::new(PlanErrorKind::Refused, reason)
    }

    /// A fact could not be read or understood.
    pub fn cannot_tell(reason: impl Into<String>) -> Self {
        PlanError::new(PlanErrorKind::CannotTell, reason)
    }

    /// The choices make no sense.
    pub fn invalid(reason: impl Into<String>) -> Self {
        PlanError::new(PlanErrorKind::Invalid, reason)
    }

    /// Nothing to do.
    pub fn nothing_to_do(reason: impl Into<String>) -> Self {
        PlanError::new(PlanErrorKind::NothingToDo, reason)
    }
}

impl From<crate::sources::command::ArgumentError> for PlanError {
    fn from(error: crate::sources::command::ArgumentError) -> Self {
        PlanError::invalid(error.to_string())
    }
}
