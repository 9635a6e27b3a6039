//! Secrets planted in watch headers, URL userinfo and queries, webhook and
//! plugin sink configs (literal and via `${ENV}`) never appear in any output: every CLI
//! command's stdout and stderr and the daemon's whole log are grepped for them, while
//! each secret provably reached where it belongs. A plugin that repeats its config on
//! every channel (`evil-leak`) and receivers that echo what they got make it a worst case.

use crate::support;
use crate::support::wasm;

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{Daemon, Env, Reply, Server, bin, spec_v};

/// (environment variable, value) pairs the config references as `${…}`.
const ENV: &[(&str, &str)] = &[
    ("SW_HDR", "ENV-HDR-2222bbbb"),
    ("SW_QRY", "ENV-QRY-4444dddd"),
    ("SW_HOOK", "ENV-HOOK-5555eeee"),
    ("SW_PLUG", "ENV-PLUG-8888hhhh"),
];
/// Secrets written literally in the config.
const LITERAL: &[&str] = &[
    "LIT-HDR-1111aaaa",
    "LIT-QRY-3333cccc",
    "LIT-SIG-6666ffff",
    "LIT-PLUG-7777gggg",
    "LIT-PW-9999iiii",
];

fn all_secrets() -> Vec<&'static str> {
    ENV.iter()
        .map(|(_, v)| *v)
        .chain(LITERAL.iter().copied())
        .collect()
}

/// What a receiver echoes: its request line and every header, a worst case for snippets.
fn echo(r: &support::SeenRequest) -> String {
    let mut headers: Vec<_> = r.headers.iter().collect();
    headers.sort();
    format!("{} {} {headers:?}", r.method, r.path)
}

#[test]
fn planted_secrets_never_appear_in_any_output() {
    let target = Server::start(|_| Reply::ok(spec_v(3)));
    let hop = target.url("/real.yaml");
    // The watch URL's origin redirects to another origin (which must get no credentials).
    let home = Server::start(move |_| Reply::status(302, "").header("Location", &hop));
    let hooks = Server::start(|r| Reply::status(400, format!("rejected: {}", echo(r))));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("evil-leak"), plugins.join("leak.wasm")).unwrap();
    let cfg = format!(
        r##"[storage]
path = "{store}"
[polling]
shutdown_timeout = "5s"
[plugins]
dir = "{plugins}"

[[watch]]
name = "api"
url = "http://user:LIT-PW-9999iiii@{home}/spec.yaml?token=LIT-QRY-3333cccc&key=${{SW_QRY}}"
schedule = "every 1h"
timeout = "2s"
headers = {{ "X-Api-Key" = "LIT-HDR-1111aaaa", Authorization = "Bearer ${{SW_HDR}}" }}

[[sink]]
name = "hook"
type = "webhook"
url = "http://{hooks}/hook/${{SW_HOOK}}"
secret = "LIT-SIG-6666ffff"
headers = {{ "X-Token" = "LIT-SIG-6666ffff" }}

[[sink]]
name = "leaky"
type = "plugin"
plugin = "leak"
config = {{ api_key = "LIT-PLUG-7777gggg", from_env = "${{SW_PLUG}}", channel = "#ops" }}

[[sink]]
name = "rejector"
type = "plugin"
plugin = "leak"
config = {{ token = "LIT-PLUG-7777gggg", from_env = "${{SW_PLUG}}", reject = true }}

[[route]]
sinks = ["hook", "leaky", "rejector"]
"##,
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        home = home.addr,
        hooks = hooks.addr,
    );
    let env = Env::new(&cfg);
    let outputs: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let run = |args: &[&str]| -> Output {
        // `validate` takes the path as its argument.
        let config: &[&str] = if args == ["validate"] {
            &[]
        } else {
            &["--config"]
        };
        let out = Command::new(bin())
            .args(args)
            .args(config)
            .arg(env.config_str())
            .envs(ENV.iter().copied())
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "specwatch=debug")
            .output()
            .unwrap();
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.lock().unwrap().push((args.join(" "), text));
        out
    };

    // `validate` loads the plugins: the rejecting sink is reported, its secrets are not.
    let v = run(&["validate"]);
    assert!(!v.status.success());
    assert!(
        String::from_utf8_lossy(&v.stderr).contains("\"rejector\""),
        "{v:?}"
    );

    let mut d = Daemon::start(&env.config, ENV);
    d.wait_line("new version 1", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    // A breaking change goes to the webhook (answers 400, echoing what it got) and to the
    // leaking plugin.
    target.set(|_| Reply::ok(spec_v(2)));
    let p = run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&p.stdout).contains("new version 2"),
        "{p:?}"
    );
    assert!(
        hooks
            .wait_for("/hook/ENV-HOOK-5555eeee", 1, Duration::from_secs(10))
            .is_some()
    );
    // Either may come first: wait on the whole log, not on the next line.
    for needle in ["plugin: config", "failed for good"] {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while !d.log().contains(needle) {
            assert!(
                std::time::Instant::now() < deadline,
                "no {needle:?} in the log:\n{}",
                d.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // The watch's own origin starts refusing, echoing the credentials it was sent.
    home.set(|r| Reply::status(401, format!("denied {}", echo(r))));
    let p = run(&["poll", "api"]);
    assert!(
        String::from_utf8_lossy(&p.stdout).contains("error"),
        "{p:?}"
    );

    for args in [
        &["history", "api"][..],
        &["history", "api", "--format", "json"],
        &["alerts"],
        &["alerts", "--format", "json"],
        &["plugin", "list"],
        &["alert", "test", "leaky"],
        &["alert", "test", "hook"],
    ] {
        run(args);
    }
    let check = Command::new(bin())
        .args(["plugin", "check"])
        .arg(plugins.join("leak.wasm"))
        .args(["--config", r#"{"token":"LIT-PLUG-7777gggg","reject":true}"#])
        .output()
        .unwrap();
    assert!(!check.status.success());
    outputs
        .lock()
        .unwrap()
        .push(("plugin check".into(), format!("{check:?}")));
    assert!(d.stop().success());

    // Each secret did reach its destination, so nothing above passed vacuously.
    let first = &home.requests()[0];
    assert_eq!(
        first.headers.get("x-api-key").map(String::as_str),
        Some("LIT-HDR-1111aaaa")
    );
    assert!(first.path.contains("LIT-QRY-3333cccc") && first.path.contains("ENV-QRY-4444dddd"));
    for r in target.requests() {
        assert!(
            !echo(&r).contains("LIT-HDR") && !echo(&r).contains("ENV-HDR"),
            "{r:?}"
        );
    }
    assert_eq!(
        hooks.requests()[0]
            .headers
            .get("x-token")
            .map(String::as_str),
        Some("LIT-SIG-6666ffff")
    );
    let log = d.log();
    assert!(
        log.contains("#ops"),
        "the plugin's output was logged:\n{log}"
    );

    // The outputs did quote what carried the secrets (scrubbed to `***`).
    let find = |cmd: &str| {
        outputs
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|(c, _)| c == cmd)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    for (cmd, needle) in [
        ("validate", "rejected its config"),
        ("poll api", "HTTP 401"),
        ("alerts", "rejected: POST ***"),
        ("alert test leaky", "delivered"),
        ("alert test hook", "HTTP 400"),
        ("plugin check", "rejected {"),
    ] {
        let text = find(cmd);
        assert!(text.contains(needle), "`{cmd}` lacks {needle:?}:\n{text}");
        assert!(text.contains("***"), "`{cmd}` scrubbed nothing:\n{text}");
    }
    let mut all = outputs.lock().unwrap().clone();
    all.push(("daemon log".into(), log));
    for (what, text) in &all {
        for secret in all_secrets() {
            assert!(
                !text.contains(secret),
                "{secret} leaked in `{what}`:\n{text}"
            );
        }
    }
}
