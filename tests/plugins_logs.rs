//! What plugins print and log reaches the daemon log, tagged with plugin and sink, and
//! sink secrets never do. Its own test binary: tracing's per-callsite interest cache is
//! process-wide, so a thread-local subscriber is only reliable with no other tests around.

mod support;

use support::plugin_host;

use std::time::Duration;

use plugin_host::{deliver, host, install, sink_cfg};
use support::{Reply, Server};

const SINK_TIMEOUT: Duration = Duration::from_secs(3);

/// A log sink for one test thread.
#[derive(Clone, Default)]
struct LogBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn guest_output_and_logs_reach_the_daemon_log_tagged_and_without_secrets() {
    let logs = LogBuf::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        // As the daemon's: everything at debug, with its floor for wasmtime-wasi.
        .with_env_filter(specwatch::logging::secret_safe(
            tracing_subscriber::EnvFilter::new("debug"),
        ))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let server = Server::start(|_| Reply::ok("ok"));
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), "echo", "echo");
    install(dir.path(), "evil-panic", "evil-panic");
    install(dir.path(), "evil-leak", "evil-leak");
    let plugins = host(dir.path(), None);
    for (n, r) in plugins.load_all().await {
        r.unwrap_or_else(|e| panic!("{n}: {e}"));
    }
    let secret_url = server.url("/hook/SECRET-TOKEN");
    let echo = sink_cfg(
        "echo",
        &[],
        &["127.0.0.1"],
        &format!(r#"{{"url": "{secret_url}", "stderr": true}}"#),
    );
    deliver(&plugins.sink("team-chat", &echo, SINK_TIMEOUT))
        .await
        .unwrap();
    let panic = sink_cfg("evil-panic", &[], &[], r#"{"token": "SECRET-TOKEN"}"#);
    deliver(&plugins.sink("pager", &panic, SINK_TIMEOUT))
        .await
        .unwrap_err();
    // A plugin that repeats its config, with a forged entry after each newline, on every
    // channel: log, stdout, stderr and its delivery report.
    let mut leak = sink_cfg(
        "evil-leak",
        &[],
        &[],
        r##"{"api_key": "LITERAL-KEY-1234", "from_env": "ENV-VALUE-5678", "channel": "#ops"}"##,
    );
    leak.interpolated = vec![specwatch::config::Secret("ENV-VALUE-5678".into())];
    let report = deliver(&plugins.sink("leaky", &leak, SINK_TIMEOUT))
        .await
        .unwrap();
    assert!(
        report.detail.contains("#ops") && !report.detail.contains('\n'),
        "{report:?}"
    );
    for secret in ["LITERAL-KEY-1234", "ENV-VALUE-5678"] {
        assert!(!report.detail.contains(secret), "{report:?}");
    }
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no log line with {needle:?} in:\n{text}"))
            .to_string()
    };
    // A `log` message stays one entry; stdio lines each become their own tagged entry.
    assert!(line("plugin: config {").contains("FORGED"));
    for channel in ["plugin: config {", "stdout {", "stderr {"] {
        assert!(
            line(channel).contains("sink=\"leaky\""),
            "{channel}: {}",
            line(channel)
        );
    }
    for l in text.lines().filter(|l| l.contains("FORGED")) {
        assert!(l.contains("plugin=\"evil-leak\""), "untagged: {l}");
    }
    assert!(
        !text.lines().any(|l| l.starts_with("2026-12-01T00:00:00")),
        "a plugin forged a log entry:\n{text}"
    );
    for secret in ["LITERAL-KEY-1234", "ENV-VALUE-5678"] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the log:\n{text}"
        );
    }
    let stderr = line("echo 0.1.0: delivering n-42");
    assert!(
        stderr.contains("plugin=\"echo\"") && stderr.contains("sink=\"team-chat\""),
        "{stderr}"
    );
    let guest_log = line("plugin: delivering n-42 at ");
    assert!(guest_log.contains("sink=\"team-chat\""), "{guest_log}");
    let panicked = line("plugin output: evil-panic: refusing to deliver n-42");
    assert!(panicked.contains("stream=\"stderr\""), "{panicked}");
    line("plugin delivery trapped");
    assert!(
        !text.contains("SECRET-TOKEN"),
        "a secret leaked into the log:\n{text}"
    );
}
