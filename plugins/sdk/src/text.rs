//! Text helpers: length limits that respect UTF-8 and the escaping rules of the
//! markup languages chat services use.

/// Cuts `s` to at most `max` characters, ending with `…` when it was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Cuts `s` to at most `max` bytes on a char boundary, ending with `…` when cut.
pub fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let ell = '…'.len_utf8();
    if max < ell {
        return String::new();
    }
    let mut end = max - ell;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Escapes `&`, `<`, `>` and `"` for HTML (Telegram, Google Chat cards).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes Slack `mrkdwn` (and Mattermost): `&`, `<`, `>` are the only control
/// characters Slack documents; `*_~` would need zero-width tricks, so they stay.
pub fn escape_slack(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Backslash-escapes Markdown (Discord, Mattermost, ntfy): inline markers everywhere,
/// and the block markers `#`, `-`, `+`, `>` at the start of a line, where they would
/// turn the line into a heading, list or quote.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut line_start = true;
    for c in s.chars() {
        if "\\`*_~|<[]".contains(c) || (line_start && "#-+>".contains(c)) {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n';
    }
    out
}

/// Percent-encodes everything but RFC 3986 unreserved characters (a path segment or
/// query value).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Appends `key=value` to a URL's query string (percent-encoding the value).
pub fn add_query(url: &str, key: &str, value: &str) -> String {
    let (base, frag) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{sep}{key}={}", percent_encode(value));
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("héllo", 5), "héllo");
        assert_eq!(truncate("héllo wörld", 4), "hél…");
        assert_eq!(truncate_bytes("héllo", 4), "h…");
        assert_eq!(truncate_bytes("ééé", 6), "ééé");
        assert_eq!(truncate_bytes("éééé", 6), "é…");
        assert!(truncate_bytes(&"🙂".repeat(100), 50).len() <= 50);
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_html("<b>&\"</b>"), "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
        assert_eq!(escape_slack("a<b>&c"), "a&lt;b&gt;&amp;c");
        assert_eq!(escape_markdown("*GET* /a_b."), "\\*GET\\* /a\\_b.");
        assert_eq!(escape_markdown("# h\n- x - y"), "\\# h\n\\- x - y");
        assert_eq!(percent_encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn adds_query_parameters() {
        assert_eq!(
            add_query("https://x/y", "wait", "true"),
            "https://x/y?wait=true"
        );
        assert_eq!(
            add_query("https://x/y?key=1#f", "a", "b c"),
            "https://x/y?key=1&a=b%20c#f"
        );
    }
}
