//! Charts and badges drawn on the server as SVG: no chart library, no script, and
//! nothing inline that the CSP would block (presentation attributes, not `style`).

use std::fmt::Write;

/// A sparkline of versions over time: the cumulative count, stepped, from the first
/// version to `now`. `times` are fetch times (ms), oldest first.
pub fn sparkline(times: &[i64], now: i64, width: u32, height: u32) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let mut out = format!(
        "<svg class=\"spark\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{} versions over time\">",
        times.len()
    );
    let _ = write!(
        out,
        "<line class=\"base\" x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\"/>",
        y = h - 0.5
    );
    let Some(&first) = times.first() else {
        out.push_str("</svg>");
        return out;
    };
    let span = (now.max(first + 1) - first) as f64;
    let n = times.len() as f64;
    let x = |t: i64| ((t - first) as f64 / span * (w - 3.0) + 1.5).clamp(1.5, w - 1.5);
    let y = |k: f64| h - 2.0 - (k / n) * (h - 4.0);
    let mut pts = String::new();
    let mut prev_y = y(0.0);
    // At most one step per two pixels: more is invisible and only bloats the page.
    let every = times.len().div_ceil((width / 2).max(1) as usize).max(1);
    for (i, &t) in times.iter().enumerate() {
        if i % every != every - 1 && i + 1 != times.len() {
            continue;
        }
        let xi = x(t);
        let yi = y((i + 1) as f64);
        let _ = write!(pts, "{xi:.1},{prev_y:.1} {xi:.1},{yi:.1} ");
        prev_y = yi;
    }
    let _ = write!(pts, "{:.1},{prev_y:.1}", w - 1.5);
    let _ = write!(out, "<polyline points=\"{pts}\"/>");
    if let Some(&last) = times.last() {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{prev_y:.1}\" r=\"2\"/>",
            x(last)
        );
    }
    out.push_str("</svg>");
    out
}

/// A shields-style badge: grey label, coloured value.
pub fn badge(label: &str, value: &str, color: &str) -> String {
    // Verdana 11px averages ~6.5px per character; good enough for short words.
    let lw = 10 + label.chars().count() as u32 * 7;
    let vw = 10 + value.chars().count() as u32 * 7;
    let total = lw + vw;
    let (label, value) = (escape(label), escape(value));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-label=\"{label}: {value}\">\
<title>{label}: {value}</title>\
<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
<clipPath id=\"r\"><rect width=\"{total}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{color}\"/><rect width=\"{total}\" height=\"20\" fill=\"url(#s)\"/></g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"{lx}\" y=\"14\">{label}</text><text x=\"{vx}\" y=\"14\">{value}</text></g></svg>",
        lx = lw / 2,
        vx = lw + vw / 2,
    )
}

/// Escapes text for XML (the diff's HTML escaping is valid XML too).
pub use crate::diff::output::html::escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_steps_once_per_version() {
        let s = sparkline(&[0, 50, 100], 200, 120, 24);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        // Two points per version plus the tail.
        let pts = s
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(pts.split(' ').count(), 7);
        assert!(!s.contains("style="));
    }

    #[test]
    fn badge_escapes_its_text() {
        let b = badge("a<b", "x&y", "#e05d44");
        assert!(b.contains("a&lt;b") && b.contains("x&amp;y"));
    }
}
