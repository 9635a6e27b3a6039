//! `specwatch diff BASE REVISION`: diff two spec versions for CI use.

pub mod input;
