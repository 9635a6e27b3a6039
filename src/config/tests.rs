use super::*;
use std::path::Path;

fn env(name: &str) -> Option<String> {
    match name {
        "TOKEN" => Some("s3cret-token".into()),
        "HUGE" => Some("99999999999999999999999s".into()),
        "URLISH" => Some("sch3me-secret://host/x".into()),
        _ => None,
    }
}

fn parse_ok(text: &str) -> Config {
    parse(text, Path::new("/etc/specwatch/config.toml"), &env).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> Vec<ConfigError> {
    parse(text, Path::new("/etc/specwatch/config.toml"), &env)
        .expect_err("config should be invalid")
        .0
}

#[test]
fn minimal_config_gets_defaults() {
    let c = parse_ok("[[watch]]\nname = \"petstore\"\nurl = \"specs/petstore.yaml\"\n");
    assert_eq!(c.server.listen.to_string(), "127.0.0.1:9187");
    assert_eq!(c.storage.path, Path::new("/var/lib/specwatch"));
    let w = &c.watches[0];
    assert_eq!(w.schedule_text, "every 1h");
    assert_eq!(w.max_spec_size, 50 * 1024 * 1024);
    assert_eq!(w.pause_after_failures, 5);
    assert!(w.enabled);
}

#[test]
fn interpolates_and_hides_secrets() {
    let c = parse_ok(
        "[[watch]]\nname = \"s\"\nurl = \"https://x.example/spec.json\"\nheaders = { Authorization = \"Bearer ${TOKEN}\" }\n",
    );
    let w = &c.watches[0];
    assert_eq!(w.headers[0].1.expose(), "Bearer s3cret-token");
    assert!(
        !format!("{c:?}").contains("s3cret"),
        "Debug must not print secrets"
    );
}

#[test]
fn reports_every_problem_with_lines() {
    let text = r#"[server]
listen = "127.0.0.1:9187"
colour = "blue"

[[watch]]
name = "a"
url = "https://a.example/spec.json"
timeout = "30 parsecs"

[[watch]]
name = "a"
url = "https://b.example/spec.json"
headers = { Authorization = "Bearer ${MISSING_TOKEN}" }
"#;
    let errs = parse_err(text);
    let find = |needle: &str| {
        errs.iter()
            .find(|e| e.message.contains(needle))
            .unwrap_or_else(|| panic!("no error mentioning {needle:?} in {errs:#?}"))
    };
    let unknown = find("unknown key `colour`");
    assert_eq!((unknown.line, unknown.key.as_str()), (3, "server.colour"));
    let bad = find("unknown unit");
    assert_eq!((bad.line, bad.key.as_str()), (8, "watch[0].timeout"));
    let dup = find("duplicate watch name");
    assert_eq!(dup.line, 11);
    let missing = find("MISSING_TOKEN");
    assert_eq!(
        (missing.line, missing.key.as_str()),
        (13, "watch[1].headers.Authorization")
    );
    assert_eq!(errs.len(), 4, "{errs:#?}");
}

#[test]
fn rejects_bad_names_types_and_schemes() {
    let errs = parse_err(
        "[[watch]]\nname = \"Bad Name\"\nurl = \"ftp://x/y\"\npause_after_failures = \"five\"\n",
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("invalid watch name"))
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("unsupported URL scheme"))
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("expected an integer"))
    );
    let errs = parse_err("[[watch]]\nname = \"x\"\n");
    assert!(
        errs.iter()
            .any(|e| e.message.contains("missing required key `url`"))
    );
}

#[test]
fn syntax_errors_have_positions() {
    let errs = parse_err("[server\nlisten = 1\n");
    assert!(errs[0].message.contains("TOML syntax error"));
    assert_eq!(errs[0].line, 1);
}

#[test]
fn fingerprint_tracks_entry_changes() {
    let a = parse_ok("[[watch]]\nname = \"s\"\nurl = \"a.yaml\"\n");
    let b = parse_ok("[[watch]]\nname = \"s\"\nurl = \"a.yaml\"\nlabels = { team = \"x\" }\n");
    let c = parse_ok("[[watch]]\nname = \"s\"\nurl = \"b.yaml\"\n");
    let a2 = parse_ok("[[watch]]\nurl = \"a.yaml\"\nname = \"s\"\n");
    assert_eq!(a.watches[0].fingerprint, a2.watches[0].fingerprint);
    assert_ne!(a.watches[0].fingerprint, b.watches[0].fingerprint);
    assert_ne!(a.watches[0].fingerprint, c.watches[0].fingerprint);
}

#[test]
fn alerting_sections_read_with_defaults_and_secrets_hidden() {
    let c = parse_ok(
        r##"[plugins]
dir = "plugins.d"
[[sink]]
name = "ops-webhook"
type = "webhook"
url = "https://hooks.example/specwatch"
secret = "${TOKEN}"
[[sink]]
name = "oncall-mail"
type = "email"
smtp = "smtp://mail.example:587"
from = "specwatch@example"
to = ["oncall@example"]
[[sink]]
name = "slack-payments"
type = "plugin"
plugin = "slack"
allowed_hosts = ["hooks.slack.com"]
config = { webhook_url = "https://hooks.slack.com/services/${TOKEN}", channel = "#payments-alerts", retries = 2 }
[[route]]
match = { watch = "stripe*", event = ["breaking_change", "endpoint_down"], level = ["breaking"], labels = { team = "payments" } }
sinks = ["ops-webhook", "slack-payments"]
group_wait = "10s"
repeat_interval = "4h"
send_resolved = true
continue = false
[[route]]
sinks = ["oncall-mail"]
[[silence]]
match = { watch = "legacy-*" }
starts = "2026-12-01T00:00:00Z"
ends = "2026-12-02T00:00:00Z"
comment = "vendor migration"
"##,
    );
    let a = &c.alerting;
    assert_eq!(a.sinks.len(), 3);
    assert_eq!(a.alerts.poll_failing_after, 3);
    let alerts::SinkKind::Webhook(w) = &a.sinks[0].kind else {
        panic!()
    };
    assert_eq!(w.secret.as_ref().unwrap().expose(), "s3cret-token");
    assert!(
        !format!("{a:?}").contains("s3cret-token"),
        "secrets leak into Debug"
    );
    let alerts::SinkKind::Email(e) = &a.sinks[1].kind else {
        panic!()
    };
    assert_eq!((e.port, e.tls), (587, alerts::SmtpTls::StartTls));
    let alerts::SinkKind::Plugin(p) = &a.sinks[2].kind else {
        panic!()
    };
    let cfg: serde_json::Value = serde_json::from_str(p.config.expose()).unwrap();
    assert_eq!(
        cfg["webhook_url"],
        "https://hooks.slack.com/services/s3cret-token"
    );
    assert_eq!(cfg["retries"], 2);
    let r = &a.routes[0];
    assert_eq!(r.name, "route[0]");
    assert_eq!(r.group_wait, std::time::Duration::from_secs(10));
    assert!(r.matcher.matches(
        "stripe-eu",
        crate::notification::EventKind::BreakingChange,
        crate::diff::Level::Breaking,
        &[("team".to_string(), "payments".to_string())].into()
    ));
    assert!(
        a.routes[1].matcher == alerts::Matcher::default(),
        "a default route"
    );
    let s = &a.silences[0];
    assert!(s.active(s.starts.unwrap()) && !s.active(s.ends.unwrap()));
}

#[test]
fn alerting_mistakes_are_reported_with_lines() {
    let errs = parse_err(
        r#"[[sink]]
name = "hook"
type = "webhook"
url = "ftp://x"
[[sink]]
name = "hook"
type = "pager"
[[route]]
sinks = ["nope"]
match = { event = ["breaking"] }
[[sink]]
name = "p"
type = "plugin"
plugin = "slack"
allowed_hosts = ["https://hooks.slack.com/x"]
"#,
    );
    let find = |needle: &str| {
        errs.iter()
            .find(|e| e.message.contains(needle))
            .unwrap_or_else(|| panic!("no error mentioning {needle:?} in {errs:#?}"))
    };
    assert_eq!(find("expected an http(s) URL").line, 4);
    assert_eq!(find("duplicate sink name").line, 6);
    assert_eq!(find("unknown sink \"nope\"").key, "route[0].sinks");
    assert_eq!(find("unknown event \"breaking\"").line, 10);
    assert!(find("needs a [plugins] section").key.ends_with("type"));
    assert!(find("is not a host name").line == 15);
}

#[test]
fn plain_smtp_is_refused_for_a_host_other_than_this_machine() {
    let sink = |smtp: &str| {
        format!(
            "[[sink]]\nname = \"mail\"\ntype = \"email\"\nsmtp = \"{smtp}\"\nfrom = \"a@x.test\"\nto = \"b@x.test\"\n"
        )
    };
    for remote in [
        "smtp://mail.example.com:25?tls=none",
        "smtp://user:pw@10.0.0.5?tls=none",
        "smtp://localhost.evil.example?tls=none",
    ] {
        let errors = parse_err(&sink(remote));
        let text = errors[0].to_string();
        assert!(
            text.contains("sink[0].smtp") && text.contains("only for a relay on this machine"),
            "{remote}: {text}"
        );
        assert!(!text.contains("pw@"), "{text}");
    }
    for local in [
        "smtp://127.0.0.1:2525?tls=none",
        "smtp://localhost?tls=none",
        "smtp://[::1]:25?tls=none",
        "smtp://mail.example.com:587",
    ] {
        parse_ok(&sink(local));
    }
}

/// One watch with `extra` keys; the errors of that config.
fn watch_errs(extra: &str) -> Vec<ConfigError> {
    parse_err(&format!(
        "[[watch]]\nname = \"w\"\nurl = \"https://x.example/s.json\"\n{extra}\n"
    ))
}

#[test]
fn out_of_range_values_name_line_key_and_range() {
    for (extra, key, range) in [
        (
            "max_spec_size = -5",
            "watch[0].max_spec_size",
            "1KiB to 1GiB",
        ),
        (
            "max_spec_size = \"2GiB\"",
            "watch[0].max_spec_size",
            "1KiB to 1GiB",
        ),
        (
            "max_spec_size = 99999999999999999999999",
            "watch[0].max_spec_size",
            "1KiB to 1GiB",
        ),
        ("timeout = \"0s\"", "watch[0].timeout", "100ms to 1h"),
        (
            "timeout = \"99999999999999999999999s\"",
            "watch[0].timeout",
            "36500d",
        ),
        (
            "connect_timeout = \"11m\"",
            "watch[0].connect_timeout",
            "100ms to 10m",
        ),
        (
            "pause_after_failures = -1",
            "watch[0].pause_after_failures",
            "0 to 1000000",
        ),
        (
            "pause_after_failures = 99999999999999999999999",
            "watch[0].pause_after_failures",
            "0 to 1000000",
        ),
    ] {
        let errs = watch_errs(extra);
        assert_eq!(errs.len(), 1, "{extra}: {errs:#?}");
        let e = &errs[0];
        assert_eq!((e.line, e.key.as_str()), (4, key), "{extra}");
        assert!(e.message.contains(range), "{extra}: {}", e.message);
    }
    for (section, key, value, range) in [
        ("polling", "shutdown_timeout", "\"2h\"", "0s to 1h"),
        ("polling", "max_concurrent", "0", "1 to 10000"),
        ("storage", "poll_log_len", "0", "1 to 1000000"),
        ("defaults", "timeout", "\"0s\"", "100ms to 1h"),
        ("defaults", "max_spec_size", "\"0\"", "1KiB to 1GiB"),
        ("alerts", "max_age", "\"0s\"", "1s to 365d"),
        (
            "alerts",
            "backoff_max",
            "\"99999999999999999999999d\"",
            "36500d",
        ),
        ("alerts", "retention", "\"1m\"", "1h to 36500d"),
        ("alerts", "max_attempts", "0", "1 to 1000"),
    ] {
        let errs = parse_err(&format!("[{section}]\n{key} = {value}\n"));
        assert_eq!(errs.len(), 1, "{key}: {errs:#?}");
        assert_eq!(errs[0].line, 2);
        assert_eq!(errs[0].key, format!("{section}.{key}"));
        assert!(
            errs[0].message.contains(range),
            "{key}: {}",
            errs[0].message
        );
    }
    let ok = parse_ok(
        "[[watch]]\nname = \"w\"\nurl = \"x.yaml\"\nmax_spec_size = \"200MiB\"\nconnect_timeout = \"1.5s\"\n",
    );
    assert_eq!(ok.watches[0].max_spec_size, 200 << 20);
    assert_eq!(ok.watches[0].connect_timeout, Duration::from_millis(1500));
}

#[test]
fn values_from_the_environment_are_shown_as_their_source() {
    let s = "s3cret-token";
    let cases = [
        "[log]\nformat = \"${TOKEN}\"\n",
        "[defaults]\ntimezone = \"${TOKEN}\"\n",
        "[[watch]]\nname = \"w\"\nurl = \"x.yaml\"\ntimezone = \"${TOKEN}\"\nschedule = \"0 * * * *\"\n",
        "[[watch]]\nname = \"w\"\nurl = \"x.yaml\"\ntimeout = \"${TOKEN}\"\n",
        "[[watch]]\nname = \"w\"\nurl = \"x.yaml\"\ntimeout = \"${HUGE}\"\n",
        "[[watch]]\nname = \"X${TOKEN}\"\nurl = \"x.yaml\"\n",
        "[server]\nlisten = \"${TOKEN}\"\n",
        "[[sink]]\nname = \"m\"\ntype = \"email\"\nsmtp = \"smtp://127.0.0.1:25?tls=none\"\nfrom = \"bad ${TOKEN}\"\nto = \"${TOKEN}\"\n",
        "[[sink]]\nname = \"${TOKEN}\"\ntype = \"${TOKEN}\"\n",
        "[[watch]]\nname = \"w\"\nurl = \"${URLISH}\"\n",
    ];
    for text in cases {
        let errs = parse_err(text);
        let shown = ConfigErrors(errs).to_string();
        for leaked in [s, "9999999", "sch3me"] {
            assert!(!shown.contains(leaked), "{text}: {shown}");
        }
        assert!(
            ["${TOKEN}", "${HUGE}", "${URLISH}"]
                .iter()
                .any(|v| shown.contains(v)),
            "{text}: {shown}"
        );
    }
    // The same value written literally is quoted as usual.
    let errs = parse_err("[log]\nformat = \"s3cret-token\"\n");
    assert!(errs[0].message.contains("\"s3cret-token\""), "{errs:#?}");
}

#[test]
fn email_addresses_are_checked_at_validation() {
    let errs = parse_err(
        "[[sink]]\nname = \"m\"\ntype = \"email\"\nsmtp = \"smtp://127.0.0.1:25?tls=none\"\nfrom = \"not an address\"\nto = [\"ok@example.com\", \"nope\"]\n",
    );
    let keys: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.key.as_str())).collect();
    assert_eq!(keys, [(5, "sink[0].from"), (6, "sink[0].to")], "{errs:#?}");
}

#[test]
fn summary_llm_is_off_without_a_key_and_checked_with_one() {
    let w = "[[watch]]\nname = \"a\"\nurl = \"a.yaml\"\n";
    assert_eq!(parse_ok(w).summary.llm, None);
    let no_key = format!("{w}[summary.llm]\nprovider = \"anthropic\"\nmodel = \"m\"\n");
    assert_eq!(parse_ok(&no_key).summary.llm, None);
    let on = format!(
        "{w}[summary.llm]\nprovider = \"anthropic\"\nmodel = \"claude\"\napi_key = \"${{TOKEN}}\"\ntimeout = \"20s\"\nmax_input_changes = 7\n"
    );
    let llm = parse_ok(&on).summary.llm.unwrap();
    assert_eq!(llm.provider, summary::Provider::Anthropic);
    assert_eq!(llm.api_key.expose(), "s3cret-token");
    assert_eq!(llm.url(), "https://api.anthropic.com/v1/messages");
    assert_eq!((llm.timeout.as_secs(), llm.max_input_changes), (20, 7));
    assert!(!format!("{llm:?}").contains("s3cret-token"));
    let bad = format!(
        "{w}[summary.llm]\nprovider = \"gpt\"\napi_key = \"k\"\nmax_input_changes = 0\ncolour = 1\n"
    );
    let errs: Vec<String> = parse_err(&bad).iter().map(|e| e.key.clone()).collect();
    for key in [
        "summary.llm.provider",
        "summary.llm.max_input_changes",
        "summary.llm.colour",
        "summary.llm.model",
    ] {
        assert!(errs.iter().any(|e| e == key), "{key} in {errs:?}");
    }
}
