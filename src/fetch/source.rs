//! Where a spec comes from: an http(s) URL or a local file, plus log-safe rendering.

use std::fmt;
use std::path::{Path, PathBuf};

use url::Url;

/// A spec location: an http(s) URL or a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Fetched over HTTP(S).
    Url(Url),
    /// Read from the local file system (absolute path).
    File(PathBuf),
}

/// Why a `url` value could not be turned into a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The value is empty.
    #[error("the source is empty; expected an http(s):// URL, a file:// URL or a file path")]
    Empty,
    /// An http(s) URL that does not parse (the URL itself is not echoed: it may hold a token).
    #[error("not a valid URL ({reason}); expected e.g. https://host/path/openapi.json")]
    InvalidUrl {
        /// What the URL parser objected to.
        reason: String,
    },
    /// A `scheme://` other than http, https or file.
    #[error(
        "unsupported URL scheme `{scheme}`; use http://, https://, file:// or a plain file path"
    )]
    UnsupportedScheme {
        /// The scheme found.
        scheme: String,
    },
    /// A file:// URL that is not an absolute local path.
    #[error(
        "file:// URL is not an absolute local path; write file:///absolute/path or a plain path"
    )]
    InvalidFileUrl,
}

impl Source {
    /// Parses an http(s):// URL, a file:// URL, or a path (relative paths resolve against `base_dir`,
    /// the config file's directory).
    pub fn parse(s: &str, base_dir: &Path) -> Result<Source, SourceError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(SourceError::Empty);
        }
        let Some((scheme, _)) = s.split_once("://") else {
            return Ok(Source::File(resolve_path(Path::new(s), base_dir)));
        };
        // A scheme is letters/digits/+-. only; anything else (e.g. "C:\x://") is a path.
        let is_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !is_scheme {
            return Ok(Source::File(resolve_path(Path::new(s), base_dir)));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" => {
                let url = Url::parse(s).map_err(|e| SourceError::InvalidUrl {
                    reason: e.to_string(),
                })?;
                if url.host_str().is_none_or(str::is_empty) {
                    return Err(SourceError::InvalidUrl {
                        reason: "no host".into(),
                    });
                }
                Ok(Source::Url(url))
            }
            "file" => {
                let url = Url::parse(s).map_err(|_| SourceError::InvalidFileUrl)?;
                let path = url
                    .to_file_path()
                    .map_err(|()| SourceError::InvalidFileUrl)?;
                Ok(Source::File(path))
            }
            other => Err(SourceError::UnsupportedScheme {
                scheme: other.to_string(),
            }),
        }
    }

    /// Lower-case host name of a URL source (the key of the per-host concurrency cap); `None` for files.
    pub fn host(&self) -> Option<String> {
        match self {
            Source::Url(url) => url.host_str().map(str::to_ascii_lowercase),
            Source::File(_) => None,
        }
    }

    /// The location without secrets: no userinfo, no fragment, every query value replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Source::Url(url) => crate::redact::url(url),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// Strings of this source that must never reach a log: userinfo and query values.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let Source::Url(url) = self else {
            return Vec::new();
        };
        let mut out = Vec::new();
        crate::redact::url_parts(url, &mut out);
        out
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn resolve_path(p: &Path, base_dir: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base_dir.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> &'static Path {
        Path::new("/etc/specwatch")
    }

    #[test]
    fn parses_urls_files_and_paths() {
        let s = Source::parse(" https://Example.COM/a/spec.json ", base()).unwrap();
        assert!(matches!(&s, Source::Url(u) if u.as_str() == "https://example.com/a/spec.json"));
        assert_eq!(s.host().as_deref(), Some("example.com"));

        let s = Source::parse("file:///srv/specs/a.yaml", base()).unwrap();
        assert_eq!(s, Source::File(PathBuf::from("/srv/specs/a.yaml")));
        assert_eq!(s.host(), None);

        let s = Source::parse("specs/a.yaml", base()).unwrap();
        assert_eq!(
            s,
            Source::File(PathBuf::from("/etc/specwatch/specs/a.yaml"))
        );
        let s = Source::parse("/abs/a.yaml", base()).unwrap();
        assert_eq!(s, Source::File(PathBuf::from("/abs/a.yaml")));
    }

    #[test]
    fn rejects_bad_sources_without_echoing_them() {
        assert_eq!(Source::parse("  ", base()), Err(SourceError::Empty));
        let e = Source::parse("ftp://x/y", base()).unwrap_err();
        assert!(e.to_string().contains("`ftp`"), "{e}");
        let e = Source::parse("https://user:hunter2@[::1/x", base()).unwrap_err();
        assert!(matches!(e, SourceError::InvalidUrl { .. }));
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert_eq!(
            Source::parse("file://remotehost/x", base()),
            Err(SourceError::InvalidFileUrl)
        );
    }

    #[test]
    fn redacts_userinfo_query_values_and_fragment() {
        let s = Source::parse(
            "https://bob:hunter2@api.example/v1/spec?token=s3cr3t&x=1&flag#frag",
            base(),
        )
        .unwrap();
        let r = s.redacted();
        assert_eq!(r, "https://api.example/v1/spec?token=***&x=***&flag=***");
        for secret in ["bob", "hunter2", "s3cr3t", "frag"] {
            assert!(!r.contains(secret), "{r}");
        }
        assert_eq!(s.to_string(), r);
        let secrets = s.secrets();
        assert!(secrets.contains(&"hunter2".to_string()));
        assert!(secrets.contains(&"s3cr3t".to_string()));
    }

    #[test]
    fn plain_url_is_unchanged_by_redaction() {
        let s = Source::parse("http://127.0.0.1:8080/spec.yaml", base()).unwrap();
        assert_eq!(s.redacted(), "http://127.0.0.1:8080/spec.yaml");
    }
}
