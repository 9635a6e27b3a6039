//! Local control socket so CLI commands (`poll`, `history`, `show`, `resume`) work while
//! the daemon holds the store: redb allows one process per database file, so the CLI
//! opens the store directly when it is free and otherwise asks the daemon.

pub mod client;
pub mod protocol;
pub mod server;
