//! The control socket under abuse: idle connections neither exhaust the daemon's
//! descriptors nor stay open for ever, and the socket is private (0600).

use crate::support;

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use support::{Daemon, Env};

fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// True when the daemon has closed `s` (a read returns end of file).
fn eof(mut s: &UnixStream, wait: Duration) -> bool {
    s.set_read_timeout(Some(wait)).unwrap();
    matches!(s.read(&mut [0u8; 64]), Ok(0))
}

#[test]
fn idle_connections_are_capped_and_dropped() {
    let env = Env::new("");
    let store = env.path().join("store");
    std::fs::write(
        &env.config,
        format!("[storage]\npath = \"{}\"\n", store.display()),
    )
    .unwrap();
    let mut d = Daemon::start(&env.config, &[]);
    d.wait_line("specwatch started", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("no start; log:\n{}", d.log()));
    let socket = store.join("control.sock");
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "control socket mode {mode:o}");
    let before = fds(d.pid());

    // 1,000 clients connect and send nothing.
    let idle: Vec<UnixStream> = (0..1000)
        .map(|_| UnixStream::connect(&socket).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = fds(d.pid());
    assert!(
        during <= before + 64 + 8,
        "{before} descriptors before, {during} with 1,000 idle clients"
    );
    // Those over the cap were closed at once: reading gives EOF, not a hang.
    let closed = idle
        .iter()
        .filter(|s| eof(s, Duration::from_millis(20)))
        .count();
    assert!(
        closed >= 900,
        "only {closed} of 1,000 excess connections closed"
    );

    // The idle ones within the cap are dropped after the read timeout.
    let start = Instant::now();
    loop {
        let left = idle
            .iter()
            .filter(|s| !eof(s, Duration::from_millis(5)))
            .count();
        if left == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{left} idle connections still open after 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = fds(d.pid());
    assert!(
        after <= before + 4,
        "descriptors released: {before} before, {after} after"
    );
    drop(idle);
    // And the daemon still answers.
    let out = env.run(&["status"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(d.stop().success());
}
