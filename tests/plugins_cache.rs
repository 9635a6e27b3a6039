//! The compiled-artifact cache: the cold path compiles and writes
//! `<cache>/<sha256>-<engine key>.cwasm`; a fresh host over a warm cache loads 10 plugins
//! in < 100 ms total (the host's load budget); a damaged entry is recompiled, not fatal.
//! Its own test binary, so no other test competes for the CPU during the measurement.

mod support;

use support::plugin_host;

use std::time::{Duration, Instant};

use plugin_host::{host, install};

const WARM_BUDGET: Duration = Duration::from_millis(100);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warm_cache_loads_ten_plugins_in_under_100ms() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let crates = [
        "echo",
        "echo-v2",
        "evil-loop",
        "evil-alloc",
        "evil-panic",
        "evil-exfil",
        "evil-confusion",
        "evil-fs",
        "old-wit",
    ];
    for c in crates {
        install(dir.path(), c, c);
    }
    install(dir.path(), "echo", "echo-copy");

    // Cold: everything compiles and lands in the cache.
    let t = Instant::now();
    let cold = host(dir.path(), Some(cache.path())).load_all().await;
    let cold_took = t.elapsed();
    assert_eq!(cold.len(), 10);
    for (name, r) in &cold {
        let info = r.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!info.from_cache || name == "echo-copy", "{name} cold");
    }
    let entries: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // echo-copy has echo's bytes, so shares its entry.
    assert_eq!(entries.len(), 9, "{entries:?}");
    for (name, r) in &cold {
        let sha = &r.as_ref().unwrap().sha256;
        assert!(
            entries
                .iter()
                .any(|e| e.starts_with(&format!("{sha}-")) && e.ends_with(".cwasm")),
            "{name}: no cache entry for {sha} in {entries:?}"
        );
    }

    // Warm: a fresh host (new engine) over the same cache.
    let fresh = host(dir.path(), Some(cache.path()));
    let t = Instant::now();
    let warm = fresh.load_all().await;
    let warm_took = t.elapsed();
    eprintln!("cold load_all of 10 plugins: {cold_took:?}; warm: {warm_took:?}");
    assert_eq!(warm.len(), 10);
    for (name, r) in &warm {
        let info = r.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(info.from_cache, "{name} must come from the cache");
    }
    assert!(
        warm_took < WARM_BUDGET,
        "warm load of 10 plugins took {warm_took:?} (budget {WARM_BUDGET:?})"
    );
}

#[tokio::test]
async fn a_damaged_cache_entry_is_recompiled() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    install(dir.path(), "echo", "echo");
    let first = host(dir.path(), Some(cache.path())).load_all().await;
    assert!(!first[0].1.as_ref().unwrap().from_cache);
    let entry = std::fs::read_dir(cache.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&entry, b"garbage").unwrap();
    let again = host(dir.path(), Some(cache.path())).load_all().await;
    let info = again[0]
        .1
        .as_ref()
        .expect("loads despite the damaged entry");
    assert!(!info.from_cache);
    // …and the entry was rewritten, so the next start hits it.
    let third = host(dir.path(), Some(cache.path())).load_all().await;
    assert!(third[0].1.as_ref().unwrap().from_cache);
}
