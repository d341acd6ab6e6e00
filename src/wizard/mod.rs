//! Guided wizards: plans built as pure functions of the estate and the operator's
//! choices, shown in full, confirmed by name, then run step by step.

pub mod cleanup;
pub mod condition;
pub mod executor;
pub mod firmware;
pub mod journal;
pub mod nim_ops;
pub mod plan;
pub mod relocate;
pub mod remote_restart;
pub mod view;
pub mod wpar_move;
pub mod wpar_recovery;

pub use cleanup::{cleanup, CleanupChoices};
pub use executor::{ExecEvent, Executor, RunSummary, StepOutcome};
pub use firmware::{firmware, firmware_accept, Disruptive, FirmwareChoices, FirmwareRepo};
pub use journal::{Journal, JournalRecord};
pub use nim_ops::{
    nim_reset, nim_sync, nim_takeover, nimadm_preflight, NimSyncChoices, NimadmFacts,
};
pub use plan::{Condition, LicLevelKind, OnFailure, Plan, Step, StepKind};
pub use relocate::relocate;
pub use remote_restart::{remote_restart, RemoteRestartChoices};
pub use view::EstateView;
pub use wpar_move::{wpar_move, SourceAfterMove, WparMoveChoices, WparMoveFacts};
pub use wpar_recovery::{wpar_recover, WparRecoveryChoices};

/// Why a plan cannot be built: one line an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

impl PlanError {
    /// A plan error with this reason.
    pub fn new(reason: impl Into<String>) -> Self {
        PlanError(reason.into())
    }
}

impl From<crate::sources::command::ArgumentError> for PlanError {
    fn from(error: crate::sources::command::ArgumentError) -> Self {
        PlanError(error.to_string())
    }
}
