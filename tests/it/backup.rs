//! `specwatch backup`: a snapshot taken while the daemon keeps committing new versions
//! restores to a store that opens and holds every version committed before the backup
//! started, byte for byte; without a daemon the CLI takes it directly.

use crate::support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{Daemon, Env, Reply, Server, config_for, spec_v, specwatch};

/// (number, raw sha256) of every version of `watch`.
fn versions(env: &Env, watch: &str) -> Vec<(u64, String)> {
    env.history_json(watch)["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["number"].as_u64().unwrap(),
                v["raw_sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn backup_while_the_daemon_writes_restores_every_prior_version() {
    // Each request gets a new spec, so every poll commits a new version.
    let counters: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let c = counters.clone();
    let server = Server::start(move |req| {
        let mut m = c.lock().unwrap();
        let n = m.entry(req.path.clone()).or_insert(0);
        *n += 1;
        Reply::ok(spec_v(*n))
    });
    let env = Env::new("");
    let store = env.path().join("store");
    let watches = ["a", "b", "c"];
    let urls: Vec<String> = watches
        .iter()
        .map(|w| server.url(&format!("/{w}")))
        .collect();
    let pairs: Vec<(&str, &str)> = watches
        .iter()
        .zip(&urls)
        .map(|(w, u)| (*w, u.as_str()))
        .collect();
    std::fs::write(&env.config, config_for(&store, &pairs, "")).unwrap();
    let mut d = Daemon::start(&env.config, &[]);
    // Ready (store created, watches scheduled) before anything reads the store.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !env.run(&["status"]).status.success() {
        assert!(std::time::Instant::now() < deadline, "{}", d.log());
        std::thread::sleep(Duration::from_millis(50));
    }

    // A writer that keeps committing versions through the daemon for the whole test.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, config) = (stop.clone(), env.config.clone());
        std::thread::spawn(move || {
            let mut polls = 0;
            while !stop.load(Ordering::Relaxed) {
                for w in ["a", "b", "c"] {
                    let out = specwatch(&["poll", w, "--config", config.to_str().unwrap()]);
                    if !out.status.success() {
                        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                    polls += 1;
                }
            }
            Ok(polls)
        })
    };
    // Let some history build up before the backup starts.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while versions(&env, "c").len() < 3 {
        assert!(std::time::Instant::now() < deadline, "{}", d.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    let before: HashMap<&str, Vec<(u64, String)>> =
        watches.iter().map(|w| (*w, versions(&env, w))).collect();

    let file = env.path().join("specwatch.backup");
    let out = env.run(&["backup", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        d.log()
    );
    assert!(stdout.contains("taken by the running daemon"), "{stdout}");
    // The daemon went on writing during and after the backup.
    let polled_before = versions(&env, "a").len();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while versions(&env, "a").len() <= polled_before {
        assert!(std::time::Instant::now() < deadline, "writes stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    match writer.join().unwrap() {
        Ok(polls) => assert!(polls > 0),
        Err(e) => panic!("a poll through the daemon failed: {e}\nlog:\n{}", d.log()),
    }
    // No temporary snapshot is left in the store directory.
    let leftovers: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".backup"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Restore: the backup file becomes the store of another config.
    let restored = Env::new("");
    let rstore = restored.path().join("store");
    std::fs::create_dir_all(&rstore).unwrap();
    std::fs::copy(&file, rstore.join("specwatch.redb")).unwrap();
    std::fs::write(&restored.config, config_for(&rstore, &pairs, "")).unwrap();
    for w in watches {
        let got = versions(&restored, w);
        for v in &before[w] {
            assert!(
                got.contains(v),
                "watch {w}: version {v:?} committed before the backup is missing from it: {got:?}"
            );
        }
        // The bytes of each version read back exactly.
        for (n, _) in &before[w] {
            let live = env.run(&["show", w, &n.to_string()]);
            let back = restored.run(&["show", w, &n.to_string()]);
            assert!(
                back.status.success(),
                "{}",
                String::from_utf8_lossy(&back.stderr)
            );
            assert_eq!(live.stdout, back.stdout, "watch {w} version {n}");
        }
    }

    // Without the daemon the CLI takes the backup itself; a directory gets a dated name,
    // and an existing file is not replaced without --force.
    assert!(d.stop().success());
    let dir = env.path().join("backups");
    std::fs::create_dir(&dir).unwrap();
    let out = env.run(&["backup", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("taken directly"), "{stdout}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("specwatch-") && names[0].ends_with(".redb"));
    let out = env.run(&["backup", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let out = env.run(&["backup", file.to_str().unwrap(), "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all_a = versions(&env, "a");
    std::fs::copy(&file, rstore.join("specwatch.redb")).unwrap();
    assert_eq!(versions(&restored, "a"), all_a);
}
