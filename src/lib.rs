pub mod estate;
pub mod sources;
