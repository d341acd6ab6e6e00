pub mod config;
pub mod estate;
pub mod sim;
pub mod sources;
