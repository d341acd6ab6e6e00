//! Guided wizards: plans built as pure functions of the estate and the operator's
//! choices, shown in full, confirmed by name, then run step by step.

pub mod cleanup;
pub mod condition;
pub mod executor;
pub mod journal;
pub mod plan;
pub mod relocate;
pub mod remote_restart;
pub mod view;

pub use cleanup::{cleanup, CleanupChoices};
pub use executor::{ExecEvent, Executor, OutputLine, RunError, RunSummary, Runner, StepOutcome};
pub use journal::{Journal, JournalRecord};
pub use plan::{Condition, OnFailure, Plan, Step, StepKind};
pub use relocate::relocate;
pub use remote_restart::{remote_restart, RemoteRestartChoices};
pub use view::EstateView;

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
