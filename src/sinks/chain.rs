//! Describing an error with its causes in one line, and spotting TLS failures in it.

use std::error::Error;

/// "outer: cause: root cause", each level once even when a level's own text already
/// ends with its source's (as lettre's and reqwest's do).
pub(crate) fn describe(e: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        let next = err.source();
        let own = match next.map(|n| n.to_string()) {
            Some(n) => text
                .strip_suffix(&n)
                .map(|p| p.trim_end().trim_end_matches(':').trim_end().to_string())
                .unwrap_or(text),
            None => text,
        };
        if !own.is_empty() && parts.last() != Some(&own) {
            parts.push(own);
        }
        cur = next;
    }
    parts.join(": ")
}

/// True when a rustls error (handshake, certificate) is among the causes.
pub(crate) fn is_tls(e: &(dyn Error + 'static)) -> bool {
    let mut todo: Vec<&(dyn Error + 'static)> = vec![e];
    while let Some(err) = todo.pop() {
        if err.is::<rustls::Error>() {
            return true;
        }
        // io::Error::source skips the error it wraps (tokio-rustls and hyper nest
        // io::Errors around the rustls error), so look inside explicitly.
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            todo.push(inner);
        }
        todo.extend(err.source());
    }
    false
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
