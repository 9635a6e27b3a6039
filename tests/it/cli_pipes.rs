//! Every command's output can be cut short by its reader (`| head`): the command ends
//! quietly, without a panic or a "Broken pipe" message.

use crate::support;

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use specwatch::alerts::events::plain;
use specwatch::diff::Level;
use specwatch::notification::{EventKind, WatchRef};
use specwatch::store::{NewAlert, Store};
use support::{Env, bin};

/// Runs specwatch with `args`, reads one line of its output and closes the pipe, as
/// `| head -1` does; the output must be longer than a pipe buffer (64 KiB).
fn head_one(args: &[&str]) {
    let mut child = Command::new(bin())
        .args(args)
        .env_remove("SPECWATCH_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty(), "{args:?} printed nothing");
    // The reader is gone: later writes hit a closed pipe.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.is_empty(), "{args:?} said on stderr: {err}");
    assert!(
        out.status.success() || out.status.signal() == Some(libc_sigpipe()),
        "{args:?} ended with {:?}",
        out.status
    );
}

fn libc_sigpipe() -> i32 {
    13
}

fn spec(paths: usize) -> String {
    let mut s = String::from("openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n");
    if paths == 0 {
        s.push_str("  {}\n");
    }
    for i in 0..paths {
        s.push_str(&format!(
            "  /things/{i}/with/a/long/path:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    s
}

#[test]
fn diff_into_a_closed_pipe_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&old, spec(3000)).unwrap();
    std::fs::write(&new, spec(0)).unwrap();
    for format in ["text", "json"] {
        head_one(&[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            format,
        ]);
    }
}

#[test]
fn alerts_into_a_closed_pipe_are_quiet() {
    let env = Env::new("");
    let store_dir = env.path().join("store");
    std::fs::write(
        &env.config,
        format!(
            "[storage]\npath = \"{}\"\n[[watch]]\nname = \"api\"\nurl = \"http://127.0.0.1:9/x\"\nschedule = \"every 1h\"\n",
            store_dir.display()
        ),
    )
    .unwrap();
    {
        let store = Store::open(&store_dir).unwrap();
        let alerts: Vec<NewAlert> = (0..2000)
            .map(|i| NewAlert {
                watch: WatchRef {
                    name: "api".into(),
                    ..WatchRef::default()
                },
                event: plain(
                    EventKind::ApiChanged,
                    Level::Info,
                    format!("fp-{i}"),
                    format!("change number {i} of a long series of changes"),
                    1_700_000_000_000 + i,
                ),
            })
            .collect();
        store.commit_alerts(&alerts, 1_700_000_000_000).unwrap();
    }
    let config = env.config_str();
    head_one(&[
        "alerts", "--format", "json", "--limit", "2000", "--config", config,
    ]);
    head_one(&["alerts", "--limit", "2000", "--config", config]);
}
