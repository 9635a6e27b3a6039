//! The systemd readiness handshake with the real binary: a test socket stands in for
//! systemd's `NOTIFY_SOCKET`, and the daemon must send READY=1 only once it serves,
//! RELOADING=1 (with MONOTONIC_USEC) … READY=1 around a SIGHUP, WATCHDOG=1 when
//! `WATCHDOG_USEC` is set, and STOPPING=1 on SIGTERM.

use crate::support;

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use support::{Daemon, Env, Reply, Server, config_for, spec_v};

/// Receives datagrams until one satisfies `want` (returning every one seen), or times out.
fn recv_until(sock: &UnixDatagram, want: &str, timeout: Duration, seen: &mut Vec<String>) -> bool {
    let deadline = Instant::now() + timeout;
    let mut buf = [0u8; 4096];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        sock.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match sock.recv(&mut buf) {
            Ok(n) => {
                let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
                let hit = msg.lines().any(|l| l == want);
                seen.push(msg);
                if hit {
                    return true;
                }
            }
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn ready_reloading_watchdog_stopping() {
    let server = Server::start(|_| Reply::ok(spec_v(1)));
    let env = Env::new("");
    let store = env.path().join("store");
    let extra = "[reload]\nwatch_file = false\n";
    std::fs::write(
        &env.config,
        config_for(&store, &[("a", &server.url("/a"))], extra),
    )
    .unwrap();
    let sock_path = env.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();

    let mut d = Daemon::start(
        &env.config,
        &[
            ("NOTIFY_SOCKET", sock_path.to_str().unwrap()),
            // 200 ms: pings every 100 ms.
            ("WATCHDOG_USEC", "200000"),
        ],
    );
    let mut seen = Vec::new();
    assert!(
        recv_until(&sock, "READY=1", Duration::from_secs(20), &mut seen),
        "no READY=1; got {seen:?}; log:\n{}",
        d.log()
    );
    // READY means serving: the store is open and the control socket answers with the
    // configured watch.
    assert!(store.join("specwatch.redb").exists());
    let status = specwatch::control::client::request(
        &store.join("control.sock"),
        &specwatch::control::protocol::Request::Status,
        Duration::from_secs(5),
    )
    .expect("control socket up at READY");
    assert_eq!(status["watches"], serde_json::json!(["a"]));
    assert!(
        seen.last().unwrap().contains("STATUS=watching 1 specs"),
        "{seen:?}"
    );

    // Watchdog keep-alives at half of WATCHDOG_USEC.
    let mut pings = Vec::new();
    assert!(recv_until(
        &sock,
        "WATCHDOG=1",
        Duration::from_secs(5),
        &mut pings
    ));
    assert!(recv_until(
        &sock,
        "WATCHDOG=1",
        Duration::from_secs(5),
        &mut pings
    ));

    // SIGHUP with a second watch: RELOADING=1 + MONOTONIC_USEC, then READY=1 after it applied.
    std::fs::write(
        &env.config,
        config_for(
            &store,
            &[("a", &server.url("/a")), ("b", &server.url("/b"))],
            extra,
        ),
    )
    .unwrap();
    d.signal("-HUP");
    let mut reload = Vec::new();
    assert!(
        recv_until(&sock, "RELOADING=1", Duration::from_secs(5), &mut reload),
        "no RELOADING=1; got {reload:?}; log:\n{}",
        d.log()
    );
    let reloading = reload.last().unwrap().clone();
    let usec: u64 = reloading
        .lines()
        .find_map(|l| l.strip_prefix("MONOTONIC_USEC="))
        .unwrap_or_else(|| panic!("no MONOTONIC_USEC in {reloading:?}"))
        .parse()
        .unwrap();
    assert!(usec > 0);
    let mut after = Vec::new();
    assert!(
        recv_until(&sock, "READY=1", Duration::from_secs(5), &mut after),
        "no READY=1 after the reload; got {after:?}; log:\n{}",
        d.log()
    );
    assert!(
        after.last().unwrap().contains("STATUS=watching 2 specs"),
        "{after:?}"
    );

    // SIGTERM: STOPPING=1, then a clean exit.
    d.signal("-TERM");
    let mut stop = Vec::new();
    assert!(
        recv_until(&sock, "STOPPING=1", Duration::from_secs(10), &mut stop),
        "no STOPPING=1; got {stop:?}; log:\n{}",
        d.log()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = d.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "no exit after STOPPING=1");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        status.success(),
        "{status}; log:
{}",
        d.log()
    );
}

#[test]
fn invalid_config_never_signals_ready() {
    let env = Env::new("[[watch]]\nname = \"a\"\nschedule = \"every fortnight\"\n");
    let sock_path = env.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    let out = std::process::Command::new(support::bin())
        .args(["run", "--config", env.config_str()])
        .env("NOTIFY_SOCKET", &sock_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    sock.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 4096];
    let got = sock.recv(&mut buf).ok().map(|n| buf[..n].to_vec());
    assert_eq!(got, None, "an invalid config sent a notification");
}
