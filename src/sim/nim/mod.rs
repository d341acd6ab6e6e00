//! Placeholder: the simulated nim commands.

use crate::sim::reply::Reply;
use crate::sim::shell::SimpleCommand;
use crate::sim::world::World;

/// Runs one command on a simulated nim host; `None` when the host has no such program.
pub fn exec(_world: &mut World, _host: &str, _command: &SimpleCommand) -> Option<Reply> {
    None
}
