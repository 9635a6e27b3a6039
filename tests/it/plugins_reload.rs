//! Hot reload of the plugin directory with real plugins and real file operations: a
//! slow partial copy, an atomic `mv`, a corrupt replacement (the previous version keeps
//! serving), a deletion (the sink becomes Unavailable) and the file's return. Versions
//! are told apart by `describe().version` (`echo` is 0.1.0, `echo-v2` is 0.2.0).

use crate::support;
use crate::support::plugin_host;
use crate::support::wasm;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use plugin_host::{deliver, host, serving_version, sink_cfg};
use specwatch::plugin_host::Plugins;
use specwatch::sinks::{SharedSink, SinkError};
use support::{Reply, Server};

/// The acceptance bound: the right version serves within this long after a change.
const WITHIN: Duration = Duration::from_secs(2);

/// Polls until `f` holds; returns how long it took, or panics with `what`.
async fn within(what: &str, mut f: impl AsyncFnMut() -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < WITHIN {
        if f().await {
            return start.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what}: not within {WITHIN:?}");
}

async fn delivered_by(sink: &SharedSink, version: &str) -> bool {
    matches!(deliver(sink).await, Ok(r) if r.detail == format!("echo {version} dry run"))
}

fn bytes(crate_name: &str) -> Vec<u8> {
    std::fs::read(wasm::plugin(crate_name)).unwrap()
}

/// Writes `data` to `to` in three parts with pauses longer than the debounce window,
/// so the watcher sees (and tries to load) a truncated file in between.
fn slow_write(to: &Path, data: &[u8], pause: Duration) {
    let mut f = std::fs::File::create(to).unwrap();
    let third = data.len() / 3;
    f.write_all(&data[..third]).unwrap();
    for part in [&data[third..2 * third], &data[2 * third..]] {
        f.flush().unwrap();
        std::thread::sleep(pause);
        f.write_all(part).unwrap();
    }
}

/// `mv`-style atomic replace from a dotfile in the same directory (ignored by the watcher).
fn mv_into(dir: &Path, name: &str, data: &[u8]) {
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, data).unwrap();
    std::fs::rename(&tmp, dir.join(name)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_file_operation_serves_the_right_version_within_2s() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let plugins = host(dir.path(), Some(cache.path()));
    let cfg = sink_cfg(
        "chat",
        &[],
        &[],
        r#"{"url": "https://x.example/", "dry_run": true}"#,
    );
    plugins.set_sinks(vec![("chat".into(), cfg.clone())]);
    assert!(plugins.load_all().await.is_empty());
    let _guard = plugins.watch().unwrap();
    let sink = plugins.sink("chat", &cfg, Duration::from_secs(5));
    assert!(matches!(
        deliver(&sink).await,
        Err(SinkError::Unavailable(_))
    ));

    // 1. A slow copy: partial files never serve; the complete one does.
    let path = dir.path().join("chat.wasm");
    let writer = {
        let path = path.clone();
        let data = bytes("echo");
        std::thread::spawn(move || slow_write(&path, &data, Duration::from_millis(700)))
    };
    let mut saw_partial_error = false;
    while !writer.is_finished() {
        let r = deliver(&sink).await;
        assert!(
            matches!(r, Err(SinkError::Unavailable(_))),
            "nothing serves while the file is incomplete: {r:?}"
        );
        saw_partial_error |= plugins.list().iter().any(|s| s.error.is_some());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    writer.join().unwrap();
    let took = within("slow copy serves 0.1.0", async || {
        delivered_by(&sink, "0.1.0").await
    })
    .await;
    eprintln!(
        "slow copy: serving {took:?} after the last write (saw a partial-file error: {saw_partial_error})"
    );
    assert_eq!(serving_version(&plugins, "chat").as_deref(), Some("0.1.0"));

    // 2. Atomic replace with mv.
    mv_into(dir.path(), "chat.wasm", &bytes("echo-v2"));
    let took = within("mv serves 0.2.0", async || {
        delivered_by(&sink, "0.2.0").await
    })
    .await;
    eprintln!("mv: serving 0.2.0 after {took:?}");

    // 3. A corrupt replacement: the error is recorded, 0.2.0 keeps serving.
    let mut corrupt = bytes("echo");
    corrupt.truncate(corrupt.len() / 2);
    mv_into(dir.path(), "chat.wasm", &corrupt);
    let took = within("corrupt file reported", async || {
        plugins
            .list()
            .iter()
            .any(|s| s.name == "chat" && s.error.is_some())
    })
    .await;
    let st = plugins
        .list()
        .into_iter()
        .find(|s| s.name == "chat")
        .unwrap();
    eprintln!("corrupt: error after {took:?}: {:?}", st.error);
    assert!(st.error.unwrap().contains("chat.wasm"));
    assert_eq!(st.loaded.unwrap().version, "0.2.0");
    assert!(
        delivered_by(&sink, "0.2.0").await,
        "previous version keeps serving"
    );

    // 4. Deleted: the sink is Unavailable (the outbox keeps the alert waiting).
    std::fs::remove_file(&path).unwrap();
    let took = within("removed plugin unavailable", async || {
        matches!(deliver(&sink).await, Err(SinkError::Unavailable(_)))
    })
    .await;
    eprintln!("rm: unavailable after {took:?}");
    assert_eq!(serving_version(&plugins, "chat"), None);

    // 5. The file returns (plain copy over nothing).
    std::fs::copy(wasm::plugin("echo"), &path).unwrap();
    let took = within("returned file serves 0.1.0", async || {
        delivered_by(&sink, "0.1.0").await
    })
    .await;
    eprintln!("cp back: serving 0.1.0 after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_flight_deliveries_finish_on_the_version_they_started_on() {
    // A receiver that takes 1.5 s to answer holds the first delivery in flight.
    let server = Server::start(|r| {
        if r.path == "/slow" {
            std::thread::sleep(Duration::from_millis(1500));
        }
        Reply::ok("ok")
    });
    let dir = tempfile::tempdir().unwrap();
    plugin_host::install(dir.path(), "echo", "chat");
    let plugins: Plugins = host(dir.path(), None);
    let slow = sink_cfg(
        "chat",
        &[],
        &["127.0.0.1"],
        &format!(r#"{{"url": "{}"}}"#, server.url("/slow")),
    );
    plugins.set_sinks(vec![("chat".into(), slow.clone())]);
    plugins.load_all().await[0].1.as_ref().unwrap();
    let _guard = plugins.watch().unwrap();
    let sink = plugins.sink("chat", &slow, Duration::from_secs(10));
    let in_flight = {
        let sink = sink.clone();
        tokio::spawn(async move { deliver(&sink).await })
    };
    server
        .wait_for("/slow", 1, Duration::from_secs(5))
        .expect("the first delivery reached the receiver");
    mv_into(dir.path(), "chat.wasm", &bytes("echo-v2"));
    within("0.2.0 loaded", async || {
        serving_version(&plugins, "chat").as_deref() == Some("0.2.0")
    })
    .await;
    let old = in_flight.await.unwrap().unwrap();
    assert_eq!(
        old.detail, "echo 0.1.0",
        "the in-flight delivery kept its plugin"
    );
    let new = deliver(&sink).await.unwrap();
    assert_eq!(new.detail, "echo 0.2.0");
    let versions: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.headers["x-echo-version"].clone())
        .collect();
    assert_eq!(versions, ["0.1.0", "0.2.0"]);
}
