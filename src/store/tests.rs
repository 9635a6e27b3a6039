//! Store tests on real temp directories.

use redb::{ReadableTable, ReadableTableMetadata};

use super::schema::{FRAMES, META, Migration, SCHEMA, Schema, VERSIONS};
use super::*;

fn opts(every: u64, polls: usize) -> StoreOptions {
    StoreOptions {
        poll_log_len: polls,
        full_frame_every: every,
        ..StoreOptions::default()
    }
}

/// A spec-like document whose `n`-th revision differs a little from the previous.
fn spec(n: u64) -> Vec<u8> {
    let mut s = format!("{{\"openapi\":\"3.0.0\",\"info\":{{\"version\":\"{n}\"}},\"paths\":{{");
    for i in 0..3000u64 {
        let rev = if i % 97 == n % 97 { n } else { 0 };
        s.push_str(&format!(
            "\"/things/{i}\":{{\"get\":{{\"summary\":\"Get thing {i}\",\"rev\":{rev}}}}},"
        ));
    }
    s.push_str(&format!("\"/added/{n}\":{{}}}}}}"));
    s.into_bytes()
}

fn meta(raw: &[u8]) -> VersionMeta {
    VersionMeta {
        number: 0,
        fetched_at: 1_700_000_000_000,
        raw_size: 0,
        stored_size: 0,
        raw_sha256: String::new(),
        semantic_hash: format!("sem-{}", raw.len()),
        etag: Some("\"abc\"".into()),
        last_modified: None,
        content_type: Some("application/json".into()),
        source: "http://127.0.0.1/spec.json".into(),
        spec_version: Some("openapi 3.0.0".into()),
        change_counts: None,
    }
}

fn record(at: Millis, outcome: PollOutcome) -> PollRecord {
    PollRecord {
        at,
        duration_ms: 12,
        http_status: Some(200),
        outcome,
    }
}

fn new_version_commit(at: Millis, raw: Vec<u8>, changes: Option<&[u8]>) -> PollCommit {
    PollCommit {
        state: WatchState {
            last_poll_at: Some(at),
            last_success_at: Some(at),
            // Deliberately wrong: the store owns numbering.
            latest_version: 999,
            ..WatchState::default()
        },
        record: record(at, PollOutcome::NewVersion { number: 0 }),
        new_version: Some(NewVersion {
            meta: meta(&raw),
            raw,
            changes_json: changes.map(<[u8]>::to_vec),
            summary_json: None,
        }),
        alerts: vec![],
    }
}

fn unchanged_commit(at: Millis) -> PollCommit {
    PollCommit {
        state: WatchState {
            last_poll_at: Some(at),
            ..WatchState::default()
        },
        record: record(at, PollOutcome::Unchanged { not_modified: true }),
        new_version: None,
        alerts: vec![],
    }
}

fn frame_kind(store: &Store, watch: &str, n: u64) -> codec::FrameKind {
    let txn = store.begin_read().unwrap();
    let frames = txn.open_table(FRAMES).unwrap();
    let frame = frames.get((watch, n)).unwrap().unwrap();
    codec::kind(frame.value()).unwrap()
}

#[test]
fn store_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
    assert_send_sync::<std::sync::Arc<Store>>();
}

#[test]
fn many_versions_round_trip_across_full_frame_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), opts(4, 500)).unwrap();
    let count = 13;
    for n in 1..=count {
        let got = store
            .commit_poll("api", new_version_commit(n as i64, spec(n), None))
            .unwrap();
        assert_eq!(got, Some(n));
    }
    // Full frames at 1, 5, 9, 13; deltas between.
    for n in 1..=count {
        let expected = if (n - 1) % 4 == 0 {
            codec::FrameKind::Full
        } else {
            codec::FrameKind::Delta
        };
        assert_eq!(frame_kind(&store, "api", n), expected, "version {n}");
    }
    let metas = store.versions("api").unwrap();
    assert_eq!(
        metas.iter().map(|m| m.number).collect::<Vec<_>>(),
        (1..=count).collect::<Vec<_>>()
    );
    assert!(metas[1].stored_size * 4 < metas[0].stored_size, "{metas:?}");
    // Read back in an order that is not the write order.
    for n in (1..=count).rev() {
        let raw = store.version_bytes("api", n).unwrap().unwrap();
        assert_eq!(raw, spec(n), "version {n}");
        let m = store.version_meta("api", n).unwrap().unwrap();
        assert_eq!(m.raw_size, raw.len() as u64);
        assert_eq!(m.number, n);
    }
    assert_eq!(store.version_bytes("api", count + 1).unwrap(), None);
    assert_eq!(store.version_bytes("other", 1).unwrap(), None);
    drop(store);
    // Everything survives a reopen, with a different full-frame interval.
    let store = Store::open_with(dir.path(), opts(3, 500)).unwrap();
    assert_eq!(store.version_bytes("api", 7).unwrap().unwrap(), spec(7));
    assert_eq!(
        store
            .commit_poll("api", new_version_commit(99, spec(14), None))
            .unwrap(),
        Some(14)
    );
    assert_eq!(store.version_bytes("api", 14).unwrap().unwrap(), spec(14));
}

#[test]
fn numbers_are_assigned_per_watch_and_state_follows() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.watch_state("a").unwrap(), None);
    assert_eq!(store.commit_poll("a", unchanged_commit(1)).unwrap(), None);
    assert_eq!(store.watch_state("a").unwrap().unwrap().latest_version, 0);
    let changes = br#"{"changes":[]}"#;
    assert_eq!(
        store
            .commit_poll("a", new_version_commit(2, spec(1), Some(changes)))
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .commit_poll("b", new_version_commit(3, spec(1), None))
            .unwrap(),
        Some(1)
    );
    assert_eq!(store.commit_poll("a", unchanged_commit(4)).unwrap(), None);
    assert_eq!(
        store
            .commit_poll("a", new_version_commit(5, spec(2), None))
            .unwrap(),
        Some(2)
    );
    let a = store.watch_state("a").unwrap().unwrap();
    assert_eq!(a.latest_version, 2);
    assert_eq!(a.last_poll_at, Some(5));
    // put_watch_state keeps the stored latest_version.
    let paused = WatchState {
        status: WatchStatus::Paused {
            reason: "5 failures".into(),
            since: 6,
        },
        latest_version: 0,
        ..a.clone()
    };
    store.put_watch_state("a", &paused).unwrap();
    let a = store.watch_state("a").unwrap().unwrap();
    assert_eq!(a.latest_version, 2);
    assert!(matches!(a.status, WatchStatus::Paused { .. }));
    let states = store.watch_states().unwrap();
    assert_eq!(
        states.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    // The poll record carries the assigned number.
    let log = store.poll_log("a", 10).unwrap();
    assert_eq!(log[0].outcome, PollOutcome::NewVersion { number: 2 });
    assert_eq!(log[2].outcome, PollOutcome::NewVersion { number: 1 });
    assert_eq!(store.version_changes("a", 1).unwrap().unwrap(), changes);
    assert_eq!(store.version_changes("a", 2).unwrap(), None);
    let m = store.version_meta("a", 1).unwrap().unwrap();
    assert_eq!(m.raw_sha256.len(), 64);
}

#[test]
fn inconsistent_commits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut c = unchanged_commit(1);
    c.record.outcome = PollOutcome::NewVersion { number: 1 };
    let err = store.commit_poll("a", c).unwrap_err();
    assert!(matches!(err, StoreError::InvalidCommit { .. }), "{err}");
    let mut c = new_version_commit(1, spec(1), None);
    if let Some(nv) = c.new_version.as_mut() {
        nv.meta.raw_sha256 = "00".repeat(32);
    }
    let err = store.commit_poll("a", c).unwrap_err();
    assert!(err.to_string().contains("does not match"), "{err}");
    assert_eq!(store.watch_state("a").unwrap(), None, "nothing was written");
}

#[test]
fn poll_log_is_bounded_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), opts(16, 5)).unwrap();
    for at in 1..=12 {
        store.commit_poll("w", unchanged_commit(at)).unwrap();
    }
    store.commit_poll("x", unchanged_commit(100)).unwrap();
    let log = store.poll_log("w", 100).unwrap();
    assert_eq!(
        log.iter().map(|r| r.at).collect::<Vec<_>>(),
        [12, 11, 10, 9, 8]
    );
    assert_eq!(store.poll_log("w", 2).unwrap().len(), 2);
    assert_eq!(store.poll_log("x", 100).unwrap().len(), 1);
    assert!(store.poll_log("nobody", 100).unwrap().is_empty());
    let txn = store.begin_read().unwrap();
    let polls = txn.open_table(schema::POLLS).unwrap();
    assert_eq!(
        polls.len().unwrap(),
        6,
        "old records are deleted, not hidden"
    );
}

#[test]
fn corrupted_frames_are_detected_and_new_versions_still_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), opts(16, 500)).unwrap();
    for n in 1..=3 {
        store
            .commit_poll("api", new_version_commit(n as i64, spec(n), None))
            .unwrap();
    }
    // Flip a byte in the middle of version 2's delta frame.
    let txn = store.begin_write().unwrap();
    {
        let mut frames = txn.open_table(FRAMES).unwrap();
        let mut frame = frames.get(("api", 2)).unwrap().unwrap().value().to_vec();
        let mid = frame.len() / 2;
        frame[mid] ^= 0xff;
        frames.insert(("api", 2), frame.as_slice()).unwrap();
    }
    txn.commit().unwrap();
    assert_eq!(store.version_bytes("api", 1).unwrap().unwrap(), spec(1));
    for n in [2, 3] {
        let err = store.version_bytes("api", n).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("version 2 of watch \"api\""), "{msg}");
        assert!(msg.contains(DB_FILE), "{msg}");
    }
    // A new version after a damaged one starts a fresh chain.
    assert_eq!(
        store
            .commit_poll("api", new_version_commit(4, spec(4), None))
            .unwrap(),
        Some(4)
    );
    assert_eq!(frame_kind(&store, "api", 4), codec::FrameKind::Full);
    assert_eq!(store.version_bytes("api", 4).unwrap().unwrap(), spec(4));

    // A recorded hash that does not match the decoded bytes is corruption too.
    let txn = store.begin_write().unwrap();
    {
        let mut versions = txn.open_table(VERSIONS).unwrap();
        let mut m = store.version_meta("api", 1).unwrap().unwrap();
        m.raw_sha256 = "ab".repeat(32);
        versions
            .insert(("api", 1), serde_json::to_vec(&m).unwrap().as_slice())
            .unwrap();
    }
    txn.commit().unwrap();
    let msg = store.version_bytes("api", 1).unwrap_err().to_string();
    assert!(msg.contains("SHA-256"), "{msg}");
}

#[test]
fn second_writer_is_locked_out_and_readers_follow_commits() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("in use by another specwatch process"), "{msg}");
    assert!(msg.contains(DB_FILE), "{msg}");

    let reader = Store::open_read_only(dir.path()).unwrap();
    assert!(reader.is_read_only());
    assert!(reader.versions("api").unwrap().is_empty());
    store
        .commit_poll("api", new_version_commit(1, spec(1), None))
        .unwrap();
    assert_eq!(reader.version_bytes("api", 1).unwrap().unwrap(), spec(1));
    let err = reader.commit_poll("api", unchanged_commit(2)).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    // The writer's lock is released on drop; an open reader does not block a new writer.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    store
        .commit_poll("api", new_version_commit(3, spec(2), None))
        .unwrap();
    assert_eq!(reader.version_bytes("api", 2).unwrap().unwrap(), spec(2));
}

#[test]
fn concurrent_commits_get_unique_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                // Threads 0 and 1 share a watch; 2 and 3 have their own.
                let watch = format!("w{}", t.max(1));
                (0..4u64)
                    .map(|i| {
                        let n = t * 10 + i;
                        store
                            .commit_poll(&watch, new_version_commit(n as i64, spec(n), None))
                            .unwrap()
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut shared: Vec<u64> = Vec::new();
    for (t, h) in threads.into_iter().enumerate() {
        let got = h.join().unwrap();
        if t <= 1 {
            shared.extend(got);
        } else {
            assert_eq!(got, [1, 2, 3, 4]);
        }
    }
    shared.sort();
    assert_eq!(shared, (1..=8).collect::<Vec<_>>());
    for n in 1..=8 {
        let raw = store.version_bytes("w1", n).unwrap().unwrap();
        assert_eq!(
            raw.len() as u64,
            store.version_meta("w1", n).unwrap().unwrap().raw_size
        );
    }
}

#[test]
fn read_only_open_of_a_missing_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open_read_only(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
}

#[test]
fn future_schema_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.commit_poll("a", unchanged_commit(1)).unwrap();
    let txn = store.begin_write().unwrap();
    schema::set_version(&txn, 7).unwrap();
    txn.commit().unwrap();
    drop(store);
    let err = Store::open(dir.path()).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::VersionMismatch {
                found: 7,
                supported,
                ..
            } if supported == SCHEMA.current
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("upgrade specwatch"), "{err}");
    let err = Store::open_read_only(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::VersionMismatch { .. }), "{err:?}");
}

/// A step from this build's schema to the next, for the migration test: records that it ran.
fn mark_migrated(txn: &redb::WriteTransaction) -> Result<(), redb::Error> {
    txn.open_table(META)?.insert("migrated_from_1", 1)?;
    Ok(())
}

const NEXT_STEPS: &[Migration] = &[Migration {
    from: SCHEMA.current,
    what: "test step",
    run: mark_migrated,
}];

#[test]
fn migration_hook_runs_on_an_older_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .commit_poll("a", new_version_commit(1, spec(1), None))
        .unwrap();
    drop(store);

    // Missing step: clear error, file untouched.
    let next = SCHEMA.current + 1;
    let no_steps = Schema {
        current: next,
        steps: &[],
    };
    let err = Store::open_schema(dir.path(), StoreOptions::default(), &no_steps).unwrap_err();
    assert!(
        matches!(err, StoreError::Migration { from, .. } if from == SCHEMA.current),
        "{err}"
    );
    let err = Store::open_read_only(dir.path());
    assert!(
        err.is_ok(),
        "a failed migration leaves the file intact: {err:?}"
    );
    drop(err);

    let v_next = Schema {
        current: next,
        steps: NEXT_STEPS,
    };
    let store = Store::open_schema(dir.path(), StoreOptions::default(), &v_next).unwrap();
    {
        let txn = store.begin_read().unwrap();
        let meta = txn.open_table(META).unwrap();
        assert_eq!(meta.get("migrated_from_1").unwrap().unwrap().value(), 1);
        assert_eq!(
            meta.get("schema_version").unwrap().unwrap().value(),
            u64::from(next)
        );
    }
    assert_eq!(store.version_bytes("a", 1).unwrap().unwrap(), spec(1));
    drop(store);
    // This build now refuses the newer file.
    let err = Store::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::VersionMismatch { found, .. } if found == next),
        "{err:?}"
    );
}

#[test]
fn a_v1_store_gains_the_outbox_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = Schema {
        current: 1,
        steps: &[],
    };
    let store = Store::open_schema(dir.path(), StoreOptions::default(), &v1).unwrap();
    store
        .commit_poll("a", new_version_commit(1, spec(1), None))
        .unwrap();
    drop(store);
    // Read-only handles cannot migrate and say so.
    let err = Store::open_read_only(dir.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::NeedsMigration { found: 1, .. }),
        "{err:?}"
    );
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.version_bytes("a", 1).unwrap().unwrap(), spec(1));
    assert!(store.new_alerts().unwrap().is_empty());
    assert!(store.queued_sinks().unwrap().is_empty());
}

/// Environment variable that turns the durability test into its crashing child.
const CRASH_CHILD: &str = "SPECWATCH_STORE_CRASH_CHILD_DIR";

#[test]
fn committed_poll_survives_a_crash() {
    if let Some(dir) = std::env::var_os(CRASH_CHILD) {
        // Child: commit, say so, then die without any clean shutdown.
        let store = Store::open(std::path::Path::new(&dir)).unwrap();
        let n = store
            .commit_poll("api", new_version_commit(1, spec(1), None))
            .unwrap();
        assert_eq!(n, Some(1));
        println!("COMMITTED 1");
        std::process::abort();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "store::tests::committed_poll_survives_a_crash",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_CHILD, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("COMMITTED 1"), "child output: {stdout}");
    assert!(!out.status.success(), "the child must have aborted");
    // Read-only commands work on the crashed file before any writer repairs it.
    let reader = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(reader.version_bytes("api", 1).unwrap().unwrap(), spec(1));
    drop(reader);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.version_bytes("api", 1).unwrap().unwrap(), spec(1));
    assert_eq!(store.watch_state("api").unwrap().unwrap().latest_version, 1);
    assert_eq!(
        store
            .commit_poll("api", new_version_commit(2, spec(2), None))
            .unwrap(),
        Some(2),
        "no duplicate number after the crash"
    );
}

#[test]
fn a_file_that_is_not_a_store_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(DB_FILE),
        b"this is not a redb file at all, sorry",
    )
    .unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(DB_FILE) && msg.contains("not a specwatch store") && msg.contains("move it"),
        "{msg}"
    );
    let err = Store::open_read_only(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    // The bad file is left alone.
    assert_eq!(
        std::fs::read(dir.path().join(DB_FILE)).unwrap(),
        b"this is not a redb file at all, sorry"
    );
}

#[test]
fn an_uncreatable_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    let err = Store::open(&file.join("store")).unwrap_err();
    assert!(matches!(err, StoreError::CreateDir { .. }), "{err:?}");
    assert!(err.to_string().contains("plain-file"), "{err}");
}

#[test]
fn an_empty_store_file_is_an_error_not_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(DB_FILE);
    std::fs::write(&file, b"").unwrap();
    for err in [
        Store::open(dir.path()).unwrap_err(),
        Store::open_read_only(dir.path()).unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::Empty { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(DB_FILE) && msg.contains("empty") && msg.contains("backup"),
            "{msg}"
        );
        assert!(msg.contains("delete it"), "says what to do: {msg}");
    }
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "left untouched");
    // Only a missing file is created.
    std::fs::remove_file(&file).unwrap();
    drop(Store::open(dir.path()).unwrap());
    let head = std::fs::read(&file).unwrap();
    assert_eq!(&head[..REDB_MAGIC.len()], REDB_MAGIC, "redb's magic number");
}

#[test]
fn summaries_are_stored_with_the_version_and_old_stores_read_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut c = new_version_commit(1, spec(1), None);
    if let Some(nv) = c.new_version.as_mut() {
        nv.summary_json = Some(br#"{"headline":"h","items":[]}"#.to_vec());
    }
    assert_eq!(store.commit_poll("w", c).unwrap(), Some(1));
    assert_eq!(
        store.version_summary("w", 1).unwrap().as_deref(),
        Some(&br#"{"headline":"h","items":[]}"#[..])
    );
    store.put_version_summary("w", 1, b"{}").unwrap();
    assert_eq!(
        store.version_summary("w", 1).unwrap().as_deref(),
        Some(&b"{}"[..])
    );
    assert!(
        store.put_version_summary("w", 2, b"{}").is_err(),
        "no version 2"
    );
    // A store written before the table existed: read-only handles read "none", and a
    // writable open adds the table.
    {
        let txn = store.begin_write().unwrap();
        txn.delete_table(super::summaries::SUMMARIES).unwrap();
        txn.commit().unwrap();
    }
    drop(store);
    let ro = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(ro.version_summary("w", 1).unwrap(), None);
    assert!(ro.version_bytes("w", 1).unwrap().is_some());
    drop(ro);
    let rw = Store::open(dir.path()).unwrap();
    assert_eq!(rw.version_summary("w", 1).unwrap(), None);
}
