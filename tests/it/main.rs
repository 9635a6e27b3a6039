//! All end-to-end tests in one binary, one module per area, so the crate, wasmtime and
//! cranelift are linked once instead of once per test file. Tests that need their own
//! process state stay separate binaries and say why in their header
//! (`tests/plugins_logs.rs`, `tests/plugins_cache.rs`).
//!
//! A new test file: put it here as `tests/it/NAME.rs`, add `mod NAME;` below, and reach
//! the shared helpers as `crate::support` (`use crate::support;`).

#[path = "../support/mod.rs"]
mod support;

mod alert_docs;
mod alert_hold;
mod alert_incidents;
mod alert_inhibit;
mod alert_reload_log;
mod alert_schema;
mod alert_templates;
mod alerts;
mod alerts_crash;
mod alerts_plugin;
mod architecture;
mod backup;
mod bad_input;
mod cli_logs;
mod cli_pipes;
mod config_example_sinks;
mod control_socket;
mod crash;
mod diff_bad_input;
mod diff_ci_docs;
mod diff_ci_formats;
mod diff_ci_select;
mod diff_cli;
mod diff_cosmetic;
mod diff_fixtures;
mod diff_groups;
mod diff_oracle;
mod diff_stripe;
mod diff_stripe_causes;
mod explain_cli;
mod explain_docs;
mod explain_llm;
mod explain_stripe;
mod explain_web;
mod fetch;
mod health;
mod health_tls;
mod pause;
mod plugin_python;
mod plugins_channels;
mod plugins_cli;
mod plugins_host;
mod plugins_reload;
mod reload;
mod sd_notify;
mod secrets;
mod sinks;
mod store_full_disk;
mod store_stripe;
mod validate;
mod versions;
mod watch_keys;
mod web_api;
mod web_browser;
mod web_health_browser;
mod web_mutations;
