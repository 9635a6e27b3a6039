//! Keeping secrets out of sink errors: scrubbing known secret strings and cutting a
//! receiver's reply down to a short printable excerpt.

/// Bytes of a receiver's reply kept in an error or report.
pub(crate) const EXCERPT_BYTES: usize = 300;

/// Secret strings shorter than this are not scrubbed (they would mangle ordinary text).
const MIN_SECRET_LEN: usize = 4;

/// Replaces every occurrence of each secret (longest first, so a secret that contains
/// another is removed whole) with `***`.
pub(crate) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut sorted: Vec<&String> = secrets
        .iter()
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for s in sorted {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

/// A single-line excerpt of at most [`EXCERPT_BYTES`] bytes of `body` (cut on a
/// character boundary, `…` appended when cut), control characters and runs of
/// whitespace collapsed to one space, secrets scrubbed.
pub(crate) fn excerpt(body: &[u8], secrets: &[String]) -> String {
    let text = scrub(&String::from_utf8_lossy(body), secrets);
    let mut out = String::new();
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        if out.len() + c.len_utf8() > EXCERPT_BYTES {
            out.push('…');
            break;
        }
        last_space = c == ' ';
        out.push(c);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_secrets_longest_first() {
        let secrets = vec!["tok".to_string(), "abcd".to_string(), "abcdef".to_string()];
        assert_eq!(
            scrub("x abcdef y abcd tok", &secrets),
            "x *** y *** tok",
            "a 3-byte secret is too short to scrub, a longer one is removed whole"
        );
    }

    #[test]
    fn excerpt_collapses_whitespace_and_caps_length() {
        assert_eq!(excerpt(b"  a\r\n\tb  ", &[]), "a b");
        let long = "é".repeat(400);
        let e = excerpt(long.as_bytes(), &[]);
        assert!(e.ends_with('…'));
        assert!(e.len() <= EXCERPT_BYTES + '…'.len_utf8());
        assert!(e.trim_end_matches('…').chars().all(|c| c == 'é'));
    }

    #[test]
    fn excerpt_scrubs_secrets() {
        let e = excerpt(b"bad token s3cr3t-value", &["s3cr3t-value".to_string()]);
        assert_eq!(e, "bad token ***");
    }
}
