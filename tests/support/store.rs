//! Filling a store directly, as the poll pipeline would: shared by the store tests and
//! the `store` and `web` benches (which include this file by path).

use specwatch::store::{NewVersion, PollCommit, PollOutcome, PollRecord, VersionMeta, WatchState};

/// A successful poll at `at` (ms) that stores `raw` as the next version; the store fills
/// in the number, sizes and SHA-256. Callers adjust the metadata they care about.
pub fn version_commit(at: i64, raw: Vec<u8>, source: &str) -> PollCommit {
    PollCommit {
        state: WatchState {
            last_poll_at: Some(at),
            last_success_at: Some(at),
            ..WatchState::default()
        },
        record: PollRecord {
            at,
            duration_ms: 3,
            http_status: Some(200),
            outcome: PollOutcome::NewVersion { number: 0 },
        },
        new_version: Some(NewVersion {
            meta: VersionMeta {
                number: 0,
                fetched_at: at,
                raw_size: 0,
                stored_size: 0,
                raw_sha256: String::new(),
                semantic_hash: format!("sem-{at}"),
                etag: None,
                last_modified: None,
                content_type: Some("application/json".into()),
                source: source.into(),
                spec_version: Some("openapi 3.0.0".into()),
                change_counts: None,
            },
            raw,
            changes_json: None,
            summary_json: None,
        }),
        alerts: vec![],
    }
}
