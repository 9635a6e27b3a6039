//! A full disk on a real tmpfs (CI runs as root): the store's write fails with the
//! real cause in the log, the poll error and `specwatch status`; once the tmpfs is
//! grown the store reopens by itself, the poll is stored, the alert it raises is
//! delivered, and nothing acknowledged before the failure is lost.

use crate::support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Daemon, Env, Reply, Server};

/// A tmpfs mounted for the test, unmounted (lazily) on drop even if the test fails.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .expect("run mount");
        assert!(ok.success(), "mount -t tmpfs failed (the test needs root)");
        Tmpfs(at.to_path_buf())
    }
    fn grow(&self, size: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// An OpenAPI document with `paths` operations and `pad` bytes of hard-to-compress text,
/// so storing it needs fresh pages on disk.
fn spec(paths: u32, pad: usize, seed: u64) -> String {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut noise = String::with_capacity(pad);
    while noise.len() < pad {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        noise.push_str(&format!("{:016x}", x));
    }
    let mut s = format!(
        "openapi: 3.0.3\ninfo:\n  title: Test\n  version: '{seed}'\n  description: '{noise}'\npaths:\n"
    );
    for i in 0..paths {
        s.push_str(&format!(
            "  /items{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    s
}

fn fill(dir: &Path) -> u64 {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![0x5a_u8; 64 * 1024];
    let mut written = 0;
    loop {
        match f.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    let _ = f.sync_all();
    written
}

fn status_json(env: &Env) -> serde_json::Value {
    let out = env.run(&["status", "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "status --format json: {e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn store_recovers_after_the_disk_fills_and_is_grown() {
    let body = Arc::new(Mutex::new(spec(4, 2_000, 1)));
    let b = body.clone();
    let specs = Server::start(move |_| Reply::ok(b.lock().unwrap().clone()));
    let receiver = Server::start(|_| Reply::ok("thanks"));
    let env = Env::new("");
    let store = env.path().join("store");
    let fs = Tmpfs::mount(&store, "4m");
    let cfg = format!(
        "[storage]\npath = \"{}\"\n[polling]\nshutdown_timeout = \"5s\"\n\
         [alerts]\nbackoff_initial = \"100ms\"\nbackoff_max = \"300ms\"\n\
         [[sink]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{}\"\nsecret = \"s3cret-for-tests\"\ntimeout = \"2s\"\n\
         [[route]]\nsinks = [\"hook\"]\n\
         [[watch]]\nname = \"api\"\nurl = \"{}\"\nschedule = \"every 1h\"\ntimeout = \"2s\"\n",
        store.display(),
        receiver.url("/hook"),
        specs.url("/spec.yaml"),
    );
    std::fs::write(&env.config, cfg).unwrap();
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("new version 1", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("no baseline; log:\n{}", d.log()));
    let st = status_json(&env);
    assert_eq!(st["store"]["ok"], true, "{st}");
    assert_eq!(st["ready"], true, "{st}");

    // The disk fills up; v2 (a path removed: breaking) cannot be stored.
    assert!(fill(&store) > 0);
    *body.lock().unwrap() = spec(3, 600_000, 2);
    let out = env.run(&["poll", "api"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "stored on a full disk?\n{err}");
    assert!(
        err.contains("No space left on device"),
        "the real cause: {err}"
    );
    assert!(
        d.wait_line("No space left on device", Duration::from_secs(5))
            .is_some(),
        "the log names the cause; log:\n{}",
        d.log()
    );
    let st = status_json(&env);
    assert_eq!(st["store"]["ok"], false, "{st}");
    assert_eq!(st["ready"], false, "{st}");
    let last = st["store"]["last_error"].as_str().unwrap_or_default();
    assert!(last.contains("No space left on device"), "{st}");
    let text = env.run(&["status"]);
    let text_out = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.status.code(), Some(1), "not ready: exit 1\n{text_out}");
    assert!(
        text_out.contains("ready:          NO") && text_out.contains("No space left on device"),
        "{text_out}"
    );
    // Still broken while the disk is full: polls keep failing, the daemon keeps running.
    std::thread::sleep(Duration::from_millis(700));
    assert!(!env.run(&["poll", "api"]).status.success());
    assert!(d.child.try_wait().unwrap().is_none(), "daemon still up");

    // Space comes back: the store reopens by itself and v2 is stored.
    fs.grow("64m");
    let start = Instant::now();
    loop {
        let out = env.run(&["poll", "api"]);
        let text = String::from_utf8_lossy(&out.stdout);
        if text.contains("new version 2") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "no recovery after growing the disk: {text}{}\nlog:\n{}",
            String::from_utf8_lossy(&out.stderr),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    let st = status_json(&env);
    assert_eq!(st["store"]["ok"], true, "{st}\nlog:\n{}", d.log());
    assert_eq!(st["ready"], true, "{st}");
    assert!(
        st["store"]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("No space left")),
        "the last error stays visible: {st}"
    );
    // The alert of v2 goes out: delivery recovered with the store.
    let start = Instant::now();
    while receiver.count("/hook") == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "alert not delivered after recovery; log:\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let hook: serde_json::Value = serde_json::from_slice(&receiver.requests()[0].body).unwrap();
    assert_eq!(hook["event"], "breaking_change", "{hook}");
    assert!(d.stop().success(), "clean exit; log:\n{}", d.log());

    // Nothing acknowledged was lost: both versions, byte for byte.
    let h = env.history_json("api");
    let versions = h["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{h}");
    let v2 = env.run(&["show", "api", "2"]);
    assert_eq!(
        String::from_utf8_lossy(&v2.stdout),
        *body.lock().unwrap(),
        "v2 as fetched"
    );
    drop(fs);
}
