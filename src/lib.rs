pub mod config;
pub mod estate;
pub mod inventory;
pub mod refresh;
pub mod sim;
pub mod sources;
pub mod ui;
