use super::*;
use std::path::Path;

fn env(name: &str) -> Option<String> {
    match name {
        "TOKEN" => Some("s3cret-token".into()),
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
