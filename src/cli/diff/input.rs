//! Reading BASE / REVISION arguments: a file path, an http(s) URL, `git:REF:PATH`
//! (`git show` in the current repository), or `-` for stdin — always with a size cap,
//! and URLs shown without credentials.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest spec accepted from any source (Stripe's is ~4 MB; this leaves lots of room).
pub const MAX_INPUT_BYTES: u64 = 50 * 1024 * 1024;
/// How long a URL fetch may take in total.
const FETCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Where a spec came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffInput {
    /// Standard input (`-`).
    Stdin,
    /// A local file.
    File(PathBuf),
    /// An http(s) URL.
    Url(url::Url),
    /// A file at a git revision of the current repository: `git:REF:PATH`, read with
    /// `git show REF:PATH` (PATH from the repository root, or `./…` from the current directory).
    Git {
        /// Commit, branch or tag, e.g. `origin/main`.
        rev: String,
        /// Path in that revision.
        path: String,
    },
}

impl DiffInput {
    /// Classifies a command-line argument.
    pub fn parse(arg: &str) -> DiffInput {
        if arg == "-" {
            return DiffInput::Stdin;
        }
        if let Some((rev, path)) = arg.strip_prefix("git:").and_then(|r| r.split_once(':')) {
            return DiffInput::Git {
                rev: rev.to_string(),
                path: path.to_string(),
            };
        }
        match url::Url::parse(arg) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => DiffInput::Url(u),
            _ => DiffInput::File(PathBuf::from(arg)),
        }
    }

    /// Name used in messages: the path, `<stdin>`, or the URL without userinfo and query.
    pub fn display_name(&self) -> String {
        match self {
            DiffInput::Stdin => "<stdin>".to_string(),
            DiffInput::File(p) => p.display().to_string(),
            DiffInput::Url(u) => crate::redact::url(u),
            DiffInput::Git { rev, path } => format!("git:{rev}:{path}"),
        }
    }

    /// The file a change is annotated in (CI formats): the path, also for `git:REF:PATH`.
    pub fn file_name(&self) -> String {
        match self {
            DiffInput::Git { path, .. } => path.trim_start_matches("./").to_string(),
            other => other.display_name(),
        }
    }

    /// The directory relative `$ref`s resolve against, for local files.
    pub fn base_dir(&self) -> Option<&Path> {
        match self {
            DiffInput::File(p) => Some(p.parent().unwrap_or(Path::new("."))),
            _ => None,
        }
    }
}

/// Why an input could not be read (the message names the source).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// File or stdin I/O failed.
    #[error("{name}: cannot read: {source}")]
    Io {
        /// Input name.
        name: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("{name}: larger than the {limit} MiB limit for a spec", limit = MAX_INPUT_BYTES / (1024 * 1024))]
    TooLarge {
        /// Input name.
        name: String,
    },
    /// `git show` failed.
    #[error("{name}: {reason}")]
    Git {
        /// `git:REF:PATH`.
        name: String,
        /// What git said.
        reason: String,
    },
    /// The HTTP fetch failed.
    #[error("{name}: fetch failed: {reason}")]
    Fetch {
        /// Redacted URL.
        name: String,
        /// What went wrong (never includes the URL's credentials).
        reason: String,
    },
}

/// Reads the whole source, refusing more than [`MAX_INPUT_BYTES`].
pub fn read_source(source: &DiffInput) -> Result<Vec<u8>, InputError> {
    let name = source.display_name();
    let io = |e| InputError::Io {
        name: name.clone(),
        source: e,
    };
    match source {
        DiffInput::Stdin => read_capped(std::io::stdin().lock(), &name),
        DiffInput::File(path) => {
            let file = std::fs::File::open(path).map_err(io)?;
            if file.metadata().map_err(io)?.len() > MAX_INPUT_BYTES {
                return Err(InputError::TooLarge { name });
            }
            read_capped(file, &name)
        }
        DiffInput::Url(url) => fetch(url, &name),
        DiffInput::Git { rev, path } => git_show(rev, path, &name),
    }
}

/// `git show REV:PATH` in the current directory, capped like a file.
fn git_show(rev: &str, path: &str, name: &str) -> Result<Vec<u8>, InputError> {
    let fail = |reason: String| InputError::Git {
        name: name.to_string(),
        reason,
    };
    if rev.is_empty() || rev.starts_with('-') || path.is_empty() {
        return Err(fail(
            "expected git:REF:PATH, e.g. git:origin/main:openapi.yaml".into(),
        ));
    }
    let mut child = std::process::Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    let stdout = child.stdout.take();
    let read = stdout.map(|out| read_capped(out, name));
    let output = child
        .wait_with_output()
        .map_err(|e| fail(format!("git failed: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = stderr.lines().next().unwrap_or("").trim();
        return Err(fail(format!("git show {rev}:{path} failed: {reason}")));
    }
    read.unwrap_or_else(|| Err(fail("git produced no output".into())))
}

fn read_capped(reader: impl Read, name: &str) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| InputError::Io {
            name: name.to_string(),
            source: e,
        })?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge {
            name: name.to_string(),
        });
    }
    Ok(buf)
}

/// One GET through the fetch module (its size cap, redirect policy and secret-free
/// errors) on a private current-thread runtime.
fn fetch(url: &url::Url, name: &str) -> Result<Vec<u8>, InputError> {
    use crate::fetch::{
        FailureKind, FetchError, FetchRequest, FetchResponse, Fetcher, FetcherOptions,
    };
    let fail = |reason: String| InputError::Fetch {
        name: name.to_string(),
        reason,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start runtime: {e}")))?;
    let fetcher = Fetcher::new(FetcherOptions::default()).map_err(|e| fail(e.to_string()))?;
    let source = crate::fetch::Source::Url(url.clone());
    let request = FetchRequest {
        source: &source,
        headers: &[],
        timeout: FETCH_TIMEOUT,
        connect_timeout: None,
        max_size: MAX_INPUT_BYTES,
        etag: None,
        last_modified: None,
    };
    match rt.block_on(fetcher.fetch(&request)) {
        Ok(FetchResponse::Fetched(f)) => Ok(f.body),
        Ok(FetchResponse::NotModified { status }) => Err(fail(format!("HTTP status {status}"))),
        Err(FetchError::HttpStatus { status, .. }) => Err(fail(format!("HTTP status {status}"))),
        Err(e) if e.kind() == FailureKind::TooLarge => Err(InputError::TooLarge {
            name: name.to_string(),
        }),
        Err(e) => Err(fail(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    #[test]
    fn classifies_arguments() {
        assert_eq!(DiffInput::parse("-"), DiffInput::Stdin);
        assert!(matches!(
            DiffInput::parse("https://x.test/a.yaml"),
            DiffInput::Url(_)
        ));
        assert_eq!(
            DiffInput::parse("specs/a.yaml"),
            DiffInput::File("specs/a.yaml".into())
        );
        assert_eq!(
            DiffInput::parse("C:/a.yaml"),
            DiffInput::File("C:/a.yaml".into())
        );
    }

    #[test]
    fn redacts_credentials_and_query() {
        let u = url::Url::parse("https://user:secret@x.test/spec.json?token=abc#f").unwrap();
        let shown = DiffInput::Url(u).display_name();
        assert_eq!(shown, "https://x.test/spec.json?token=***");
        assert!(!shown.contains("secret") && !shown.contains("abc"));
    }

    #[test]
    fn reads_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "openapi: 3.0.0").unwrap();
        assert_eq!(read_source(&DiffInput::File(p)).unwrap(), b"openapi: 3.0.0");
        let missing = dir.path().join("missing.yaml");
        let e = read_source(&DiffInput::File(missing.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!("{}: cannot read:", missing.display())),
            "{e}"
        );
    }

    /// Serves one canned HTTP response on loopback; returns the URL.
    fn serve_once(response: Vec<u8>) -> url::Url {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = std::io::Read::read(&mut s, &mut buf);
                let _ = s.write_all(&response);
            }
        });
        url::Url::parse(&format!("http://user:pw@{addr}/spec.yaml?key=secret")).unwrap()
    }

    #[test]
    fn fetches_urls_over_http() {
        let body = b"openapi: 3.0.0\n";
        let mut resp = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        resp.extend_from_slice(body);
        let url = serve_once(resp);
        assert_eq!(read_source(&DiffInput::Url(url)).unwrap(), body);
    }

    #[test]
    fn http_errors_and_oversize_bodies_are_reported_without_secrets() {
        let url = serve_once(
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        );
        let e = read_source(&DiffInput::Url(url)).unwrap_err().to_string();
        assert!(
            e.contains("HTTP status 404") && !e.contains("secret") && !e.contains("pw@"),
            "{e}"
        );
        let big = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            MAX_INPUT_BYTES + 1
        );
        let url = serve_once(big.into_bytes());
        let e = read_source(&DiffInput::Url(url)).unwrap_err();
        assert!(matches!(e, InputError::TooLarge { .. }), "{e}");
    }
}
