//! Keeping secrets out of everything specwatch prints or stores as text: the one scrub
//! (longest secret first), the forms a configured secret takes (a header value's token,
//! a URL's password, query values and token-like path segments), single-line excerpts and
//! the one redacted form of a URL shown in messages.
//! A leaf module: fetch, sinks and plugins all use it.

/// Secret strings shorter than this are not scrubbed (they would mangle ordinary text).
pub const MIN_SECRET_LEN: usize = 4;

/// Parts shorter than this are not treated as secrets on their own ("Bearer", "v1").
const MIN_PART_LEN: usize = 8;

/// Replaces every occurrence of each secret with `***`, longest first, so a secret that
/// contains another is removed whole rather than leaving its tail visible.
pub fn scrub<S: AsRef<str>>(text: &str, secrets: &[S]) -> String {
    let mut sorted: Vec<&str> = secrets
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    sorted.dedup();
    let mut out = text.to_string();
    for s in sorted {
        if out.contains(s) {
            out = out.replace(s, "***");
        }
    }
    out
}

/// `text` on one line: control characters and runs of whitespace become one space, so
/// untrusted text (a plugin's log message, a receiver's reply) cannot forge log lines.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
        last_space = c == ' ';
        out.push(c);
    }
    out.trim_end().to_string()
}

/// A single-line excerpt of at most `max_bytes` bytes of `body` (cut on a character
/// boundary, `…` appended when cut), secrets scrubbed first.
pub fn excerpt<S: AsRef<str>>(body: &[u8], max_bytes: usize, secrets: &[S]) -> String {
    let mut text = one_line(&scrub(&String::from_utf8_lossy(body), secrets));
    if text.len() > max_bytes {
        let mut end = max_bytes;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text = text.trim_end().to_string();
        text.push('…');
    }
    text
}

/// The forms in which a configured secret value can show up in text: the whole value,
/// its long whitespace-separated parts ("Bearer <token>" → "<token>") and, when it is a
/// URL, the URL's secret parts (see [`url_parts`]).
pub fn value_parts(value: &str, out: &mut Vec<String>) {
    let v = value.trim();
    out.push(v.to_string());
    out.extend(
        v.split_whitespace()
            .filter(|p| p.len() >= MIN_PART_LEN)
            .map(str::to_string),
    );
    // A secret URL (a webhook's) keeps its token in the path too: the path and its
    // token-like segments (Slack-style `/services/T…/B…/<token>`).
    if let Ok(url) = url::Url::parse(v)
        && url.has_host()
    {
        url_parts(&url, out);
        if url.path().len() > 1 {
            out.push(url.path().to_string());
            out.extend(
                url.path_segments()
                    .into_iter()
                    .flatten()
                    .filter(|s| token_like(s))
                    .map(str::to_string),
            );
        }
    }
}

/// A path segment that looks like a token rather than a word ("messages", "webhooks"):
/// long, or fairly long with a digit in it.
fn token_like(segment: &str) -> bool {
    segment.len() >= 16
        || (segment.len() >= MIN_PART_LEN && segment.chars().any(|c| c.is_ascii_digit()))
}

/// The secret parts of any URL: user name and password, the query (whole, and each
/// value decoded and raw).
pub fn url_parts(url: &url::Url, out: &mut Vec<String>) {
    if !url.username().is_empty() {
        out.push(url.username().to_string());
    }
    out.extend(url.password().map(str::to_string));
    if let Some(q) = url.query() {
        out.push(q.to_string());
        out.extend(url.query_pairs().map(|(_, v)| v.into_owned()));
        // The raw (percent-encoded) forms too, as they appear in a URL string.
        out.extend(
            q.split('&')
                .filter_map(|kv| kv.split_once('=').map(|(_, v)| v.to_string())),
        );
    }
}

/// `url` without userinfo or fragment and with query values masked.
pub fn url(url: &url::Url) -> String {
    let mut u = url.clone();
    // These only fail for cannot-be-a-base URLs, which http(s) never are.
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_fragment(None);
    if u.query().is_some() {
        let keys: Vec<String> = u.query_pairs().map(|(k, _)| k.into_owned()).collect();
        u.set_query(None);
        if !keys.is_empty() {
            let mut q = u.query_pairs_mut();
            for k in &keys {
                q.append_pair(k, "***");
            }
        }
    }
    // `***` is percent-encoded by the serializer; show it literally for readability.
    u.as_str().replace("%2A%2A%2A", "***")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_secrets_longest_first() {
        let secrets = ["tok", "abcd", "abcdef"];
        assert_eq!(
            scrub("x abcdef y abcd tok", &secrets),
            "x *** y *** tok",
            "a 3-byte secret is too short to scrub, a longer one is removed whole"
        );
        // Listed shortest first: the longer secret must still go whole, not as "***ef".
        let nested = ["secret", "secret-and-more"];
        assert_eq!(scrub("[secret-and-more]", &nested), "[***]");
    }

    #[test]
    fn one_line_collapses_control_characters() {
        assert_eq!(
            one_line("ok\n2026-12-01T00:00:00Z  INFO forged\r\n\tline\x1b[31m"),
            "ok 2026-12-01T00:00:00Z INFO forged line [31m"
        );
    }

    #[test]
    fn excerpt_collapses_whitespace_caps_length_and_scrubs() {
        assert_eq!(excerpt(b"  a\r\n\tb  ", 300, &[] as &[&str]), "a b");
        let long = "é".repeat(400);
        let e = excerpt(long.as_bytes(), 300, &[] as &[&str]);
        assert!(e.ends_with('…'));
        assert!(e.len() <= 300 + '…'.len_utf8());
        assert!(e.trim_end_matches('…').chars().all(|c| c == 'é'));
        assert_eq!(
            excerpt(b"bad token s3cr3t-value", 300, &["s3cr3t-value"]),
            "bad token ***"
        );
    }

    #[test]
    fn value_parts_cover_tokens_and_url_secrets() {
        let mut parts = Vec::new();
        value_parts("Bearer tok-12345678", &mut parts);
        value_parts(
            "https://u:pw-secret@h.example/hooks/T0KEN-abcdef?sig=abc%2F123",
            &mut parts,
        );
        value_parts("https://chat.example/v1/spaces/messages", &mut parts);
        let msg = scrub(
            "x tok-12345678 /hooks/T0KEN-abcdef T0KEN-abcdef abc%2F123 abc/123 pw-secret hooks spaces/messages",
            &parts,
        );
        assert_eq!(msg, "x *** *** *** *** *** *** hooks spaces/messages");
    }
}
