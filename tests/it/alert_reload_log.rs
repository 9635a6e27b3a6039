//! What a reload says: each plugin is logged once per (re)load, and the reload line
//! counts sinks, routes, silences and inhibit rules besides watches.

use crate::support;
use crate::support::wasm;

use std::time::Duration;

use support::{Daemon, Env, Reply, Server, spec_v};

#[test]
fn a_reload_logs_each_plugin_once_and_counts_the_alerting_config() {
    let specs = Server::start(|_| Reply::ok(spec_v(1)));
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins.d");
    std::fs::create_dir(&plugins).unwrap();
    std::fs::copy(wasm::plugin("echo"), plugins.join("echo.wasm")).unwrap();
    let cfg = format!(
        "[storage]\npath = \"{store}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [plugins]\ndir = \"{plugins}\"\n\
         [[watch]]\nname = \"api\"\nurl = \"{spec}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n\
         [[sink]]\nname = \"echo\"\ntype = \"plugin\"\nplugin = \"echo\"\n\
         allowed_hosts = [\"127.0.0.1:9\"]\nallow_http_hosts = [\"127.0.0.1:9\"]\n\
         config = {{ url = \"http://127.0.0.1:9/hook\" }}\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"http://127.0.0.1:9/x\"\n\
         [[route]]\nsinks = [\"echo\"]\n[[route]]\nsinks = [\"hook\"]\n\
         [[silence]]\nmatch = {{ watch = [\"legacy-*\"] }}\n\
         [[inhibit]]\nsource = {{ event = [\"poll_failing\"] }}\ntarget = {{ event = [\"endpoint_down\"] }}\n",
        store = dir.path().join("store").display(),
        plugins = plugins.display(),
        spec = specs.url("/spec.yaml"),
    );
    let env = Env::new(&cfg);
    let o = env.run(&["validate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no start; log:\n{}", d.log()));
    d.signal("-HUP");
    let line = d
        .wait_line("configuration reloaded", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no reload; log:\n{}", d.log()));
    for want in ["sinks=2", "routes=2", "silences=1", "inhibits=1"] {
        assert!(line.contains(want), "{want} missing: {line}");
    }
    let loads = d
        .log()
        .lines()
        .filter(|l| l.contains("plugin loaded"))
        .count();
    assert_eq!(loads, 2, "once at start, once at the reload:\n{}", d.log());
    assert!(d.stop().success());
}
