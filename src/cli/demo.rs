//! `specwatch demo`: the whole product offline in one command. It starts a sample API
//! on loopback whose spec evolves on a scripted timeline, writes a config and a store
//! into a temporary directory, and runs the real daemon on them, with alerts going to a
//! log sink (a webhook receiver in the sample API that logs what it gets).

mod sample;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::{config, daemon, logging};

/// `specwatch demo` arguments.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Address of the status page, API and metrics.
    #[arg(long, default_value = "127.0.0.1:9187")]
    pub listen: SocketAddr,
    /// How fast the sample API's timeline runs (1 = a change about every 15 s).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// A plugin drop-in directory: every `<name>.wasm` in it becomes a sink too
    /// (with an empty config), so its alerts go there as well.
    #[arg(long)]
    pub plugins: Option<PathBuf>,
    /// Admin token for the page's buttons (poll now, pause, redrive); default: a fresh
    /// random one, printed at start.
    #[arg(long, env = "SPECWATCH_DEMO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// Runs the demo until Ctrl-C.
pub fn demo(args: &DemoArgs) -> anyhow::Result<i32> {
    if !(args.speed > 0.0 && args.speed <= 100.0) {
        anyhow::bail!("--speed must be between 0 (exclusive) and 100");
    }
    let dir = std::env::temp_dir().join(format!("specwatch-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("specwatch")
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(run(args, &dir));
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(args: &DemoArgs, dir: &Path) -> anyhow::Result<i32> {
    let sample = sample::start(args.speed)
        .await
        .context("cannot start the sample API on 127.0.0.1")?;
    let token = args.token.clone().unwrap_or_else(|| {
        (0..32)
            .map(|_| char::from(b"0123456789abcdef"[fastrand::usize(..16)]))
            .collect()
    });
    let plugins = args
        .plugins
        .as_deref()
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.to_path_buf()));
    let text = config_text(args.listen, sample, plugins.as_deref(), args.speed);
    let path = dir.join("config.toml");
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    // SAFETY: set before any other thread reads the environment (the runtime's workers
    // do not touch it; the config loader below is the only reader).
    unsafe { std::env::set_var("SPECWATCH_DEMO_ADMIN_TOKEN", &token) };
    let cfg = match config::load(&path) {
        Ok(c) => c,
        Err(e) => anyhow::bail!("the demo's own config is invalid (a bug):\n{e}"),
    };
    logging::init(&cfg.log);
    println!();
    println!("  specwatch demo — status page: http://{}/", args.listen);
    println!("  admin token (log in on the page to poll, pause, redrive): {token}");
    println!(
        "  sample API on http://{sample}/ changes every {:.0}s:",
        sample::STEP_SECS / args.speed
    );
    for (at, what) in sample::TIMELINE {
        println!(
            "    {:>3}s  {what}",
            (at as f64 * sample::STEP_SECS / args.speed) as u64
        );
    }
    println!(
        "  store and config in {} (removed on exit); Ctrl-C stops.",
        dir.display()
    );
    println!();
    daemon::run(&path, cfg)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(0)
}

/// The demo's config: three watches of the sample API, polled every 10 s, the orders
/// API's endpoints probed (about every 5 s, faster at higher `speed`), and a route of
/// every event to the log sink (and to each plugin of `plugins`).
fn config_text(
    listen: SocketAddr,
    sample: SocketAddr,
    plugins: Option<&Path>,
    speed: f64,
) -> String {
    // Enough probes inside the failure window to go down (3 failures) and come back.
    let probe_every = (5.0 / speed).round().clamp(1.0, 5.0) as u64;
    let mut plugin_sinks = Vec::new();
    if let Some(dir) = plugins
        && let Ok(rd) = std::fs::read_dir(dir)
    {
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm")
                && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
            {
                plugin_sinks.push(stem.to_string());
            }
        }
        plugin_sinks.sort();
    }
    let mut text = format!(
        r#"# Written by `specwatch demo`.
[server]
listen = "{listen}"
admin_token = "${{SPECWATCH_DEMO_ADMIN_TOKEN}}"

[storage]
path = "store"

[reload]
watch_file = false

[defaults]
schedule = "every 10s"
timeout = "5s"
pause_after_failures = 0

[alerts]
poll_failing_after = 2
public_url = "http://{listen}"

[[watch]]
name = "orders"
provider = "Demo Shop"
product = "Orders API"
url = "http://{sample}/orders/openapi.json"
labels = {{ team = "payments" }}

[watch.health]
enabled = true
schedule = "every {probe_every}s"
timeout = "2s"
base_url = "http://{sample}"
path_params = {{ id = "ord_1001" }}

[[watch]]
name = "inventory"
provider = "Demo Shop"
product = "Inventory API (Swagger 2.0)"
url = "http://{sample}/inventory/swagger.json"
labels = {{ team = "warehouse" }}

[[watch]]
name = "shipping"
provider = "Parcel Partner"
product = "Shipping API"
url = "http://{sample}/shipping/openapi.json"
labels = {{ team = "logistics" }}

[[sink]]
name = "demo-log"
type = "webhook"
url = "http://{sample}/hook"
"#
    );
    if let Some(dir) = plugins.filter(|_| !plugin_sinks.is_empty()) {
        text.push_str(&format!(
            "\n[plugins]\ndir = {:?}\n",
            dir.display().to_string()
        ));
        for p in &plugin_sinks {
            text.push_str(&format!(
                "\n[[sink]]\nname = \"plugin-{p}\"\ntype = \"plugin\"\nplugin = \"{p}\"\n"
            ));
        }
    }
    let sinks: Vec<String> = std::iter::once("\"demo-log\"".to_string())
        .chain(plugin_sinks.iter().map(|p| format!("\"plugin-{p}\"")))
        .collect();
    text.push_str(&format!(
        "\n[[route]]\nname = \"everything\"\nsinks = [{}]\n",
        sinks.join(", ")
    ));
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_config_is_valid() {
        let text = super::config_text(
            "127.0.0.1:9187".parse().unwrap(),
            "127.0.0.1:5555".parse().unwrap(),
            None,
            1.0,
        );
        let env = |k: &str| (k == "SPECWATCH_DEMO_ADMIN_TOKEN").then(|| "0123456789abcdef0".into());
        let cfg = crate::config::parse(&text, std::path::Path::new("/tmp/demo.toml"), &env)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.watches.len(), 3);
        assert!(cfg.server.admin_token.is_some());
        let orders = &cfg.watches[0];
        assert!(orders.health.enabled, "the demo probes the orders API");
        assert_eq!(orders.health.path_params["id"], "ord_1001");
    }
}
