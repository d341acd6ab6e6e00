//! Reading hosts: parsers from raw HMC, AIX and NIM output to estate types, and the
//! builders of the commands that produce that output.
//!
//! Parsers are pure functions of text. Whole-output failures (an HSCL message where
//! records were expected) are `Err(HostError)`; a bad line becomes a [`Diagnostic`] and
//! the rest of the output is still used.

pub mod aix;
pub mod command;
pub mod hmc;
pub mod message;
pub mod nim;
pub mod parsed;
pub mod quote;
pub mod read;

pub use command::RemoteCommand;
pub use message::{AixMessage, HostError, HsclMessage};
pub use read::read;

pub use parsed::{Diagnostic, Parsed};
