//! Describing an error with its causes in one line, and spotting TLS failures in it:
//! the one copy every module uses (CLI errors, fetch, sinks, the plugin host).

use std::error::Error;

/// An error and its causes, outermost first. Looks inside `io::Error` wrappers, whose
/// `source()` skips the error they wrap (tokio-rustls and hyper nest io::Errors around
/// the rustls error).
pub fn causes<'a>(e: &'a (dyn Error + 'static)) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    let mut next: Option<&'a (dyn Error + 'static)> = Some(e);
    std::iter::from_fn(move || {
        let cur = next?;
        next = match cur
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn Error + 'static)),
            None => cur.source(),
        };
        Some(cur)
    })
}

/// "outer: cause: root cause", skipping a cause whose text is already said (lettre's,
/// reqwest's and anyhow's contexts often end with their source's text).
pub fn describe(e: &(dyn Error + 'static)) -> String {
    let mut out = String::new();
    for cause in causes(e) {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// True when a TLS failure (handshake, certificate) is among the causes. A peer that is
/// not speaking TLS often just hangs up mid-handshake: rustls then reports an I/O
/// "tls handshake eof" rather than a `rustls::Error`.
pub fn is_tls(e: &(dyn Error + 'static)) -> bool {
    causes(e).any(|c| c.is::<rustls::Error>() || c.to_string().contains("tls handshake eof"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "Connection error: {}", self.0)
        }
    }
    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn repeated_source_text_is_said_once() {
        let e = Outer(std::io::Error::other("refused"));
        assert_eq!(describe(&e), "Connection error: refused");
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        let tls = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(is_tls(&Outer(tls)));
        assert!(!is_tls(&Outer(std::io::Error::other("refused"))));
    }
}
