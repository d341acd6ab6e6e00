//! powerdeck: a terminal operations console for IBM Power estates.

pub mod config;
pub mod estate;
pub mod exec;
pub mod inventory;
pub mod refresh;
pub mod sim;
pub mod sources;
pub mod ssh;
pub mod text;
pub mod ui;
pub mod wizard;
