//! placeholder
pub mod commands;
