//! Rule families, registered in one place.

pub mod registry;
