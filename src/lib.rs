pub mod estate;
pub mod sources;
pub mod ssh;
