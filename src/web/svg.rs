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

/// One hour of a latency chart: start (ms), p50 / p95 / p99 (ms) and uptime (%).
#[derive(Debug, Clone, Copy, Default)]
pub struct HourStats {
    /// Start of the hour (ms since the epoch).
    pub hour: i64,
    /// Median latency, if any probe answered.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Healthy share (%), if probed.
    pub uptime: Option<f64>,
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `v`.
fn nice_max(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * p)
}

/// Milliseconds for an axis label: "250 ms", "1.5 s".
fn ms_label(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", (ms / 100.0).round() / 10.0)
    } else {
        format!("{} ms", ms.round())
    }
}

/// Which percentile of a slot a line draws.
type Pick = fn(&HourStats) -> Option<f64>;

/// A latency chart over `slots` slots of `slot_ms` each (hours, minutes), the last one
/// starting at `last_slot`: p50, p95 and p99 lines per slot (gaps where nothing
/// answered) above a strip of uptime per slot (green: all healthy, amber: some
/// failures, red: under 90 %, empty: not probed).
pub fn latency_chart(
    points: &[HourStats],
    last_slot: i64,
    slots: i64,
    slot_ms: i64,
    width: u32,
    height: u32,
) -> String {
    let (w, h) = (f64::from(width), f64::from(height));
    let (left, right, top, strip, bottom) = (52.0, 8.0, 8.0, 8.0, 20.0);
    let plot_h = h - top - bottom - strip - 4.0;
    let plot_w = w - left - right;
    let (slots, slot_ms) = (slots.max(1), slot_ms.max(1));
    let first = last_slot - (slots - 1) * slot_ms;
    let in_range = |p: &&HourStats| p.hour >= first && p.hour <= last_slot;
    let slot_w = plot_w / slots as f64;
    let x = |at: i64| left + ((at - first) / slot_ms) as f64 * slot_w + slot_w / 2.0;
    let max = points
        .iter()
        .filter(in_range)
        .filter_map(|p| p.p99.or(p.p95).or(p.p50))
        .fold(0.0, f64::max);
    let ymax = nice_max(max);
    let y = |ms: f64| top + plot_h - (ms / ymax).min(1.0) * plot_h;
    let unit = if slot_ms < 3_600_000 {
        "minute"
    } else {
        "hour"
    };
    let mut out = format!(
        "<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"latency p50, p95 and p99 and uptime per {unit} over {slots} {unit}s\">"
    );
    // Round ticks: 0-5-10-15-20 for a "2" axis, 0-10-…-50 or 0-20-…-100 otherwise.
    let ticks = if (ymax / 10f64.powf(ymax.log10().floor()) - 2.0).abs() < 1e-9 {
        4
    } else {
        5
    };
    for i in 0..=ticks {
        let v = ymax * f64::from(i) / f64::from(ticks);
        let yy = y(v);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/><text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            yy + 4.0,
            ms_label(v)
        );
    }
    // Time labels: the first slot, the middle one and the last.
    let long = slots * slot_ms > 48 * 3_600_000;
    for (at, anchor, xx) in [
        (first, "start", left),
        (
            first + slots / 2 * slot_ms,
            "middle",
            x(first + slots / 2 * slot_ms),
        ),
        (last_slot, "end", w - right),
    ] {
        let dt = chrono::DateTime::from_timestamp_millis(at).unwrap_or_default();
        let text = dt.format(if long { "%b %d" } else { "%H:%M" });
        let _ = write!(
            out,
            "<text class=\"axis\" x=\"{xx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{text} UTC</text>",
            h - 5.0
        );
    }
    let strip_y = top + plot_h + 4.0;
    for p in points.iter().filter(in_range) {
        let Some(u) = p.uptime else { continue };
        let class = if u >= 99.999 {
            "up-ok"
        } else if u >= 90.0 {
            "up-warn"
        } else {
            "up-bad"
        };
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{strip_y:.1}\" width=\"{:.1}\" height=\"{strip}\"><title>{u:.2} % up</title></rect>",
            x(p.hour) - slot_w / 2.0 + 0.5,
            (slot_w - 1.0).max(0.5)
        );
    }
    let lines: [(&str, Pick); 3] = [("p99", |p| p.p99), ("p95", |p| p.p95), ("p50", |p| p.p50)];
    for (class, pick) in lines {
        // One polyline per run of consecutive answered slots, so a gap stays a gap; a
        // run of one is a dot.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        let mut prev: Option<i64> = None;
        for p in points.iter().filter(in_range) {
            match pick(p) {
                Some(v) => {
                    if prev.is_some_and(|at| p.hour - at > slot_ms) {
                        runs.push(Vec::new());
                    }
                    if let Some(run) = runs.last_mut() {
                        run.push((x(p.hour), y(v)));
                    }
                    prev = Some(p.hour);
                }
                None => {
                    runs.push(Vec::new());
                    prev = None;
                }
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            if let [(cx, cy)] = run.as_slice() {
                let _ = write!(
                    out,
                    "<circle class=\"{class}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.5\"/>"
                );
            } else {
                let pts: Vec<String> = run.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
                let _ = write!(
                    out,
                    "<polyline class=\"{class}\" points=\"{}\"/>",
                    pts.join(" ")
                );
            }
        }
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
    fn latency_chart_draws_lines_gaps_and_uptime() {
        const H: i64 = 3_600_000;
        let pt = |i: i64, ms: Option<f64>, up: f64| HourStats {
            hour: i * H,
            p50: ms,
            p95: ms.map(|m| m * 2.0),
            p99: ms.map(|m| m * 3.0),
            uptime: Some(up),
        };
        let pts = [
            pt(0, Some(10.0), 100.0),
            pt(1, Some(20.0), 100.0),
            pt(2, None, 0.0),
            pt(3, Some(30.0), 95.0),
            pt(4, Some(30.0), 100.0),
        ];
        let s = latency_chart(&pts, 4 * H, 5, H, 600, 160);
        // Two runs per percentile around the hour nothing answered.
        assert_eq!(s.matches("<polyline class=\"p50\"").count(), 2, "{s}");
        assert_eq!(s.matches("class=\"up-bad\"").count(), 1);
        assert_eq!(s.matches("class=\"up-warn\"").count(), 1);
        assert_eq!(s.matches("class=\"up-ok\"").count(), 3);
        // The axis tops at a round value above the highest p99 (90 ms), in round steps.
        assert!(s.contains(">100 ms<") && s.contains(">20 ms<"), "{s}");
        assert!(!s.contains("style="));
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(1234.0), 2000.0);
    }

    #[test]
    fn badge_escapes_its_text() {
        let b = badge("a<b", "x&y", "#e05d44");
        assert!(b.contains("a&lt;b") && b.contains("x&amp;y"));
    }
}
