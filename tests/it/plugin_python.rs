//! A first-party plugin in a second language: plugins/python-example (Python, built
//! with componentize-py from PyPI, which `.ci/test` installs) passes `plugin check`,
//! delivers a real alert end to end through the daemon, and hits the host's sandbox
//! limits (CPU budget, memory cap, allowed_hosts) exactly like the Rust plugins.

use crate::support;
use crate::support::plugin_host;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use plugin_host::{deliver, sink_cfg};
use specwatch::plugin_host::{Plugins, PluginsOptions};
use specwatch::sinks::SinkError;
use support::{Daemon, Env, Reply, Server, spec_v, specwatch};

/// Builds plugins/python-example once per test binary (kept in plugins/target and
/// rebuilt when app.py is newer).
fn python_plugin() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins");
        let src = root.join("python-example");
        let out_dir = root.join("target").join("python-example");
        std::fs::create_dir_all(&out_dir).unwrap();
        let out = out_dir.join("python_example.wasm");
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let fresh = matches!(
            (modified(&out), modified(&src.join("app.py"))),
            (Some(o), Some(s)) if o >= s
        );
        if !fresh {
            let tmp = out_dir.join("python_example.wasm.tmp");
            let o = Command::new("bash")
                .arg(src.join("build.sh"))
                .arg(&tmp)
                .output()
                .expect("running plugins/python-example/build.sh");
            assert!(
                o.status.success(),
                "building the Python plugin failed (is componentize-py installed? `bash .ci/test` installs it from PyPI):\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            std::fs::rename(&tmp, &out).unwrap();
        }
        out
    })
}

/// One compile cache for the whole binary: the ~18 MB component compiles once.
fn cache_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("plugins")
            .join("target")
            .join("python-example")
            .join("cache");
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

#[test]
fn the_python_plugin_builds_and_passes_plugin_check() {
    let wasm = python_plugin();
    let size = std::fs::metadata(wasm).unwrap().len();
    let t = Instant::now();
    let o = specwatch(&[
        "plugin",
        "check",
        wasm.to_str().unwrap(),
        "--config",
        r#"{"url": "https://chat.example/hooks/T0K3N"}"#,
    ]);
    eprintln!(
        "python_example.wasm: {:.1} MB, plugin check (uncached compile) {:?}",
        size as f64 / 1e6,
        t.elapsed()
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("name:          python-example"), "{stdout}");
    assert!(stdout.contains("specwatch:sink/sink@0.1.1"), "{stdout}");
    assert!(stdout.contains("config:        valid"), "{stdout}");
    let o = specwatch(&[
        "plugin",
        "check",
        wasm.to_str().unwrap(),
        "--config",
        r##"{"url": "https://chat.example/x", "channel": "#ops"}"##,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("rejected its config") && stderr.contains("unknown config key 'channel'"),
        "{stderr}"
    );
}

#[test]
fn the_python_plugin_delivers_an_alert_end_to_end() {
    let wasm = python_plugin();
    let chat = Server::start(|_| Reply::ok("ok"));
    let body = std::sync::Arc::new(std::sync::Mutex::new(spec_v(3)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm, plugins.join("python-example.wasm")).unwrap();
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\ncache_dir = \"{cache}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"chat\"\ntype = \"plugin\"\nplugin = \"python-example\"\ntimeout = \"20s\"\n\
         allowed_hosts = [\"127.0.0.1\"]\nallow_http_hosts = [\"127.0.0.1\"]\n\
         config = {{ url = \"{hook}\" }}\n\
         [[route]]\nsinks = [\"chat\"]\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        cache = cache_dir().display(),
        spec = specs.url("/spec.yaml"),
        hook = chat.url("/hooks/T0K3N"),
    );
    let env = Env::new(&cfg);
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("plugin loaded", Duration::from_secs(240))
        .unwrap_or_else(|| panic!("the Python plugin did not load; log:\n{}", d.log()));
    d.wait_line("new version 1", Duration::from_secs(60))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    *body.lock().unwrap() = spec_v(2);
    assert!(String::from_utf8_lossy(&env.run(&["poll", "api"]).stdout).contains("new version 2"));
    assert!(
        chat.wait_for("/hooks/T0K3N", 1, Duration::from_secs(30))
            .is_some(),
        "the Python plugin did not deliver; log:\n{}",
        d.log()
    );
    let r = &chat.requests()[0];
    assert_eq!(r.method, "POST");
    let msg: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let text = msg["text"].as_str().unwrap();
    assert!(text.starts_with("[BREAKING] api v2: "), "{text}");
    assert!(text.contains("v1 → v2"), "{text}");
    assert_eq!(r.headers.get("idempotency-key").map(String::len), Some(32));
    let h: serde_json::Value =
        serde_json::from_slice(&env.run(&["alerts", "--format", "json"]).stdout).unwrap();
    assert_eq!(h[0]["status"], "sent", "{h:#}");
    assert_eq!(h[0]["deliveries"][0]["attempts"][0]["status"], 200, "{h:#}");
    assert!(d.stop().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_plugin_hits_the_sandbox_limits_like_the_rust_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(python_plugin(), dir.path().join("python-example.wasm")).unwrap();
    let plugins = Plugins::new(PluginsOptions {
        dir: dir.path().into(),
        cache_dir: Some(cache_dir().into()),
        cpu_budget: Duration::from_millis(500),
        memory_limit: 64 * 1024 * 1024,
        ..PluginsOptions::default()
    })
    .unwrap();
    let cfg = |selftest: &str, allowed: &[&str]| {
        sink_cfg(
            "python-example",
            allowed,
            &[],
            &format!(r#"{{"url": "https://hooks.example/x", "selftest": "{selftest}"}}"#),
        )
    };
    let sinks = vec![
        ("loop".to_string(), cfg("loop", &[])),
        ("alloc".to_string(), cfg("alloc", &[])),
        ("exfil".to_string(), cfg("exfil", &["hooks.example"])),
    ];
    plugins.set_sinks(sinks.clone());
    for (name, r) in plugins.load_all().await {
        r.unwrap_or_else(|e| panic!("{name} must load: {e}"));
    }
    let timeout = Duration::from_secs(20);
    for (name, c) in &sinks {
        let sink = plugins.sink(name, c, timeout);
        let t = Instant::now();
        let r = deliver(&sink).await;
        let took = t.elapsed();
        eprintln!("{name}: {r:?} in {took:?}");
        let e = r.expect_err(name);
        match name.as_str() {
            "loop" => {
                assert!(
                    matches!(&e, SinkError::Transient { message, .. } if message.contains("CPU budget of 500 ms")),
                    "{e:?}"
                );
                assert!(took < Duration::from_secs(5), "loop took {took:?}");
            }
            "alloc" => assert!(
                matches!(&e, SinkError::Transient { message, .. } if message.contains("forcing trap when growing memory")),
                "{e:?}"
            ),
            _ => assert!(
                matches!(&e, SinkError::Permanent { message, .. }
                    if message.contains("denied") && message.contains("\"exfil.invalid\"") && message.contains("allowed_hosts")),
                "{e:?}"
            ),
        }
    }
}
