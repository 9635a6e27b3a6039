//! A well-behaved plugin: POSTs the alert's `payload-json` to the configured URL.
//! Config: `{"url": "https://…", "dry_run": false, "stderr": false}`; `dry_run` skips
//! the request (benchmarks of the host's own overhead), `stderr` writes a line to the
//! guest's stderr (log-capture tests). `echo-v2` builds this same file as version 0.2.0.

include!("plugin.rs");
