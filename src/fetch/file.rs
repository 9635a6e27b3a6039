//! Local file sources: bounded reads with clear errors.

use std::io;
use std::path::Path;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::Fetched;
use super::error::FetchError;

/// Reads `path`, refusing files over `max_size` (checked up front and again while reading,
/// in case the file grows), within `timeout` (slow network file systems).
pub(crate) async fn read(
    path: &Path,
    max_size: u64,
    timeout: Duration,
) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(timeout, read_inner(path, max_size)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout {
            url: path.display().to_string(),
            after: timeout,
            phase: "reading",
            key: "timeout",
        }),
    }
}

async fn read_inner(path: &Path, max_size: u64) -> Result<Fetched, FetchError> {
    let io_err = |e: io::Error| FetchError::Io {
        path: path.display().to_string(),
        detail: describe(&e),
    };
    let too_large = |declared| FetchError::TooLarge {
        source_name: path.display().to_string(),
        limit: max_size,
        declared,
    };
    let meta = tokio::fs::metadata(path).await.map_err(io_err)?;
    if meta.is_dir() {
        return Err(FetchError::Io {
            path: path.display().to_string(),
            detail: "is a directory, not a file".into(),
        });
    }
    if meta.len() > max_size {
        return Err(too_large(Some(meta.len())));
    }
    let file = tokio::fs::File::open(path).await.map_err(io_err)?;
    let cap = usize::try_from(max_size).unwrap_or(usize::MAX);
    let len = usize::try_from(meta.len()).unwrap_or(0);
    let mut body = Vec::with_capacity(len.min(cap));
    // One byte past the cap tells a grown file from one exactly at the cap.
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut body)
        .await
        .map_err(io_err)?;
    if body.len() > cap {
        return Err(too_large(None));
    }
    Ok(Fetched {
        body,
        status: 200,
        etag: None,
        last_modified: None,
        content_type: None,
    })
}

/// Short, stable wording for the common cases; the OS text otherwise.
fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::FailureKind;

    const T: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn reads_a_file_within_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("spec.yaml");
        std::fs::write(&p, b"openapi: 3.0.0\n").unwrap();
        let f = read(&p, 15, T).await.unwrap();
        assert_eq!(f.body, b"openapi: 3.0.0\n");
        assert_eq!(f.status, 200);
    }

    #[tokio::test]
    async fn missing_file_is_io_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope.json");
        let e = read(&p, 100, T).await.unwrap_err();
        assert_eq!(e.kind(), FailureKind::Io);
        let msg = e.to_string();
        assert!(
            msg.contains(&p.display().to_string()) && msg.contains("no such file"),
            "{msg}"
        );
    }

    #[tokio::test]
    async fn directory_and_oversized_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = read(dir.path(), 100, T).await.unwrap_err();
        assert_eq!(e.kind(), FailureKind::Io);
        assert!(e.to_string().contains("is a directory"));

        let p = dir.path().join("big.json");
        std::fs::write(&p, vec![b'x'; 101]).unwrap();
        let e = read(&p, 100, T).await.unwrap_err();
        assert_eq!(e.kind(), FailureKind::TooLarge);
        assert!(e.to_string().contains("announced 101 bytes"), "{e}");
    }
}
