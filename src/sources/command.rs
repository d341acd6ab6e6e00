//! placeholder
pub struct RemoteCommand;
