//! `specwatch plugin check` and `specwatch plugin list` on real plugin files.

mod support;
#[path = "support/wasm.rs"]
mod wasm;

use support::specwatch;

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn check_prints_describe_and_validates_the_config() {
    let echo = wasm::plugin("echo");
    let o = specwatch(&[
        "plugin",
        "check",
        echo.to_str().unwrap(),
        "--config",
        r#"{"url": "https://hooks.example/x"}"#,
    ]);
    let (stdout, stderr) = out(&o);
    assert!(o.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("name:          echo"), "{stdout}");
    assert!(stdout.contains("version:       0.1.0"), "{stdout}");
    assert!(stdout.contains("specwatch:sink/sink@0.1.1"), "{stdout}");
    assert!(stdout.contains(r#""required":["url"]"#), "{stdout}");
    assert!(stdout.contains("config:        valid"), "{stdout}");

    let o = specwatch(&[
        "plugin",
        "check",
        echo.to_str().unwrap(),
        "--config",
        r#"{"url": 7}"#,
    ]);
    let (_, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("rejected its config"), "{stderr}");
}

#[test]
fn check_fails_with_the_reason() {
    let o = specwatch(&[
        "plugin",
        "check",
        wasm::plugin("future-wit").to_str().unwrap(),
    ]);
    let (_, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("not compatible") && stderr.contains("kv-get"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("x.wasm");
    std::fs::write(&text, "hello\n").unwrap();
    let o = specwatch(&["plugin", "check", text.to_str().unwrap()]);
    let (_, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("not a wasm component"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "check leaves nothing behind"
    );
}

#[test]
fn list_shows_plugins_versions_errors_and_sinks() {
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("echo"), plugins.join("chat.wasm")).unwrap();
    std::fs::write(plugins.join("broken.wasm"), "not wasm").unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"[storage]
path = "{store}"

[plugins]
dir = "plugins"

[[sink]]
name = "team-chat"
type = "plugin"
plugin = "chat"
allowed_hosts = ["hooks.example"]
config = {{ url = "https://hooks.example/T0K3N" }}

[[sink]]
name = "pager"
type = "plugin"
plugin = "missing"
"#,
            store = dir.path().join("store").display()
        ),
    )
    .unwrap();
    let o = specwatch(&["plugin", "list", "--config", config.to_str().unwrap()]);
    let (stdout, stderr) = out(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a broken plugin fails the listing"
    );
    assert!(stdout.contains("chat  0.1.0"), "{stdout}{stderr}");
    assert!(stdout.contains("sinks: team-chat"), "{stdout}");
    assert!(stdout.contains("broken  (not loaded)"), "{stdout}");
    assert!(stdout.contains("not a wasm component"), "{stdout}");
    assert!(
        stdout.contains("missing  (not loaded)") && stdout.contains("sinks: pager"),
        "{stdout}"
    );
    assert!(stdout.contains("not loaded (no such file)"), "{stdout}");
    assert!(!stdout.contains("T0K3N") && !stderr.contains("T0K3N"));
    // The daemon's default cache location was filled.
    let cache = dir.path().join("store").join("plugin-cache");
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1);
}
