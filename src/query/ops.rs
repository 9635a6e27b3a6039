//! Store operations shared by the CLI (store opened directly) and the daemon's read
//! model (control socket, API, pages), so every path gives the same answers.

use serde::Serialize;

use crate::store::{PollRecord, Store, StoreError, VersionMeta, WatchState, WatchStatus};

/// Why an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No such watch or version.
    #[error("{0}")]
    NotFound(String),
    /// The request is not valid (the message says what to fix).
    #[error("{0}")]
    Invalid(String),
}

/// A watch's versions with its state and recent polls.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct History {
    /// Watch name.
    pub watch: String,
    /// Current state (None if never polled).
    pub state: Option<WatchState>,
    /// Versions, oldest first.
    pub versions: Vec<VersionMeta>,
    /// The last polls, newest first.
    pub polls: Vec<PollRecord>,
}

/// Reads a watch's history.
pub fn history(store: &Store, watch: &str) -> Result<History, OpError> {
    Ok(History {
        watch: watch.to_string(),
        state: store.watch_state(watch)?,
        versions: store.versions(watch)?,
        polls: store.poll_log(watch, 20)?,
    })
}

/// Raw bytes of a version (the latest when `version` is None).
pub fn show(store: &Store, watch: &str, version: Option<u64>) -> Result<Vec<u8>, OpError> {
    let number = match version {
        Some(n) => n,
        None => store
            .watch_state(watch)?
            .map(|s| s.latest_version)
            .filter(|&n| n > 0)
            .ok_or_else(|| {
                OpError::NotFound(format!("watch {watch:?} has no stored versions yet"))
            })?,
    };
    store.version_bytes(watch, number)?.ok_or_else(|| {
        OpError::NotFound(format!(
            "watch {watch:?} has no version {number}; run `specwatch history {watch}` to list them"
        ))
    })
}

/// Resumes a paused watch; returns false if it was not paused.
pub fn resume(store: &Store, watch: &str) -> Result<bool, OpError> {
    let Some(mut state) = store.watch_state(watch)? else {
        return Err(OpError::NotFound(format!(
            "watch {watch:?} has never been polled"
        )));
    };
    if !matches!(state.status, WatchStatus::Paused { .. }) {
        return Ok(false);
    }
    state.status = WatchStatus::Active;
    state.consecutive_failures = 0;
    state.config_fingerprint = None;
    store.put_watch_state(watch, &state)?;
    Ok(true)
}

/// Queues failed deliveries again (see [`Store::redrive`]); returns how many.
pub fn redrive(store: &Store, target: Option<u64>) -> Result<usize, OpError> {
    let n = store.redrive(target, crate::clock::now_millis())?;
    if n == 0
        && let Some(id) = target
    {
        return Err(OpError::NotFound(format!(
            "alert {id} has no failed deliveries; `specwatch alerts --status failed` lists those that do"
        )));
    }
    Ok(n)
}

/// Cancels the pending deliveries of one alert; returns how many.
pub fn cancel(store: &Store, alert: u64) -> Result<usize, OpError> {
    let n = store.cancel(
        &crate::store::CancelTarget::Alert(alert),
        "cancelled: by `specwatch alert cancel`",
        crate::clock::now_millis(),
    )?;
    if n == 0 {
        return Err(OpError::NotFound(format!(
            "alert {alert} has no pending deliveries; `specwatch alerts --status pending` lists those that do"
        )));
    }
    Ok(n)
}

/// Pauses a watch by hand; returns false if it was already paused. The pause is
/// tied to the current config entry (`fingerprint`), so editing the entry resumes it,
/// like a pause after failures.
pub fn pause(store: &Store, watch: &str, fingerprint: &str, now: i64) -> Result<bool, OpError> {
    let mut state = store.watch_state(watch)?.unwrap_or_default();
    if matches!(state.status, WatchStatus::Paused { .. }) {
        return Ok(false);
    }
    state.status = WatchStatus::Paused {
        reason: "paused by an operator".into(),
        since: now,
    };
    state.config_fingerprint = Some(fingerprint.to_string());
    store.put_watch_state(watch, &state)?;
    Ok(true)
}
