//! `specwatch plugin check` and `specwatch plugin list` on real plugin files.

use crate::support;
use crate::support::wasm;

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

/// `validate` loads the plugin directory and checks every plugin sink on its own: a
/// missing plugin, a config the plugin rejects and a URL outside `allowed_hosts` are each
/// reported; the valid sink is not.
#[test]
fn validate_checks_every_plugin_sink() {
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("echo"), plugins.join("chat.wasm")).unwrap();
    let good = "[[sink]]\nname = \"good\"\ntype = \"plugin\"\nplugin = \"chat\"\n\
                allowed_hosts = [\"hooks.example\"]\n\
                config = { url = \"https://hooks.example/T0K3N\" }\n";
    let head = format!(
        "[storage]\npath = \"{}\"\n[plugins]\ndir = \"plugins\"\n",
        dir.path().join("store").display()
    );
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("{head}{good}")).unwrap();
    let o = specwatch(&["validate", config.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", out(&o));

    let bad = "[[sink]]\nname = \"bad-config\"\ntype = \"plugin\"\nplugin = \"chat\"\n\
               config = { url = 42, token = \"S3CR3T-TOKEN\" }\n\
               [[sink]]\nname = \"elsewhere\"\ntype = \"plugin\"\nplugin = \"chat\"\n\
               allowed_hosts = [\"hooks.example\"]\n\
               config = { url = \"https://evil.example/x\" }\n\
               [[sink]]\nname = \"pager\"\ntype = \"plugin\"\nplugin = \"missing\"\n";
    std::fs::write(&config, format!("{head}{good}{bad}")).unwrap();
    let o = specwatch(&["validate", config.to_str().unwrap()]);
    let (stdout, stderr) = out(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("3 problems with plugin sinks"), "{stderr}");
    assert!(
        stderr.contains("sink \"bad-config\": plugin \"chat\" rejected its config"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sink \"elsewhere\"") && stderr.contains("\"evil.example\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("sink \"pager\": plugin \"missing\": not loaded"),
        "{stderr}"
    );
    assert!(!stderr.contains("\"good\""), "{stderr}");
    assert!(!stderr.contains("S3CR3T-TOKEN") && !stdout.contains("S3CR3T-TOKEN"));
    // validate writes no compile cache.
    assert!(!dir.path().join("store").exists());
}

/// While the daemon runs, `plugin list` shows what it serves: a corrupt overwrite fails
/// to load, and the old version keeps serving (and is listed so).
#[test]
fn list_asks_the_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("echo"), plugins.join("chat.wasm")).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
             [plugins]\ndir = \"plugins\"\n\
             [[sink]]\nname = \"team-chat\"\ntype = \"plugin\"\nplugin = \"chat\"\n\
             allowed_hosts = [\"hooks.example\"]\nconfig = {{ url = \"https://hooks.example/x\" }}\n",
            dir.path().join("store").display()
        ),
    )
    .unwrap();
    let mut d = support::Daemon::start(&config, &[]);
    d.wait_line("specwatch started", std::time::Duration::from_secs(30))
        .unwrap_or_else(|| panic!("no start; log:\n{}", d.log()));
    std::fs::write(plugins.join("chat.wasm"), "corrupt overwrite").unwrap();
    d.wait_line("plugin load failed", std::time::Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no reload; log:\n{}", d.log()));
    let o = specwatch(&["plugin", "list", "--config", config.to_str().unwrap()]);
    let (stdout, stderr) = out(&o);
    assert!(
        stdout.contains("as served by the running daemon"),
        "{stdout}{stderr}"
    );
    assert!(stdout.contains("chat  0.1.0"), "{stdout}");
    assert!(stdout.contains("not a wasm component"), "{stdout}");
    assert!(d.stop().success());
    // Without the daemon, the directory itself is loaded.
    let o = specwatch(&["plugin", "list", "--config", config.to_str().unwrap()]);
    let (stdout, _) = out(&o);
    assert!(stdout.contains("chat  (not loaded)"), "{stdout}");
}

#[test]
fn list_without_plugins_says_how_to_build_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[storage]\npath = \"/tmp/x\"\n").unwrap();
    let o = specwatch(&["plugin", "list", "--config", config.to_str().unwrap()]);
    let (_, stderr) = out(&o);
    assert!(
        stderr.contains("--target wasm32-wasip2 --release") && stderr.contains("built plugins"),
        "{stderr}"
    );
}
