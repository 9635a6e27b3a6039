//! Human-readable durations ("30s", "1h30m", "500ms") and sizes ("50MiB", "10 MB", "4096"),
//! parsed totally: any text gives a value or an error, never a panic or a silent wrap-around.
//! Errors never quote the input (it may have come from a secret `${VAR}`): callers show it.

use std::fmt;
use std::time::Duration;

/// The longest duration any text may spell (100 years); settings have tighter ranges.
pub const MAX_DURATION: Duration = Duration::from_secs(36_500 * 86_400);
/// The largest size any text may spell (1 PiB); settings have tighter ranges.
pub const MAX_SIZE: u64 = 1 << 50;

const DURATION_HINT: &str = "use e.g. \"30s\", \"15m\", \"1h30m\"";
const SIZE_HINT: &str = "use e.g. \"50MiB\", \"10MB\" or a number of bytes";

/// Parses a duration made of `<number><unit>` parts: ms, s, m, h, d, w (e.g. "1h30m", "1.5s").
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty duration; {DURATION_HINT}"));
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "expected a number before each unit; {DURATION_HINT}"
            ));
        }
        let number: f64 = rest[..digits]
            .parse()
            .map_err(|_| format!("invalid number; {DURATION_HINT}"))?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let secs = match &rest[..unit_len] {
            "ms" => 0.001,
            "s" | "sec" | "secs" => 1.0,
            "m" | "min" | "mins" => 60.0,
            "h" | "hr" | "hrs" => 3600.0,
            "d" => 86_400.0,
            "w" => 604_800.0,
            "" => return Err("a number needs a unit (ms, s, m, h, d, w), e.g. \"30s\"".into()),
            _ => return Err("unknown unit; allowed: ms, s, m, h, d, w".into()),
        };
        total += number * secs;
        // Checked on the running sum so no later step can overflow.
        // NaN cannot occur (no sign, no "nan" text), but is refused all the same.
        if total.is_nan() || total > MAX_DURATION.as_secs_f64() {
            return Err(format!(
                "too long; no setting takes more than {}",
                format_duration(MAX_DURATION)
            ));
        }
        rest = rest[unit_len..].trim_start();
    }
    Duration::try_from_secs_f64(total).map_err(|_| format!("invalid duration; {DURATION_HINT}"))
}

/// Parses a size: a plain byte count or `<number><unit>` with B, KB, MB, GB, TB (powers of
/// 1000) or KiB, MiB, GiB, TiB (powers of 1024). Fractions round to the nearest byte.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let s = text.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = (s[..split].trim(), s[split..].trim());
    let number: f64 = num
        .parse()
        .map_err(|_| format!("invalid size; {SIZE_HINT}"))?;
    let factor: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" | "t" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err("unknown unit; allowed: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB".into());
        }
    };
    let bytes = (number * factor).round();
    if bytes.is_nan() || bytes > MAX_SIZE as f64 {
        return Err(format!(
            "too large; no setting takes more than {}",
            format_size(MAX_SIZE)
        ));
    }
    // In range and not NaN (checked above), so the cast is exact.
    Ok(bytes as u64)
}

/// Formats a duration compactly for messages ("1h30m", "250ms").
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let mut secs = d.as_secs();
    let mut out = String::new();
    for (unit, len) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= len {
            out.push_str(&format!("{}{unit}", secs / len));
            secs %= len;
        }
    }
    out
}

/// Formats a byte count in the largest binary unit that divides it ("50MiB", "1000B").
pub fn format_size(bytes: u64) -> String {
    for (unit, len) in [
        ("TiB", 1u64 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ] {
        if bytes >= len && bytes.is_multiple_of(len) {
            return format!("{}{unit}", bytes / len);
        }
    }
    format!("{bytes}B")
}

/// The inclusive range of durations one setting accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationRange {
    /// Shortest allowed.
    pub min: Duration,
    /// Longest allowed.
    pub max: Duration,
}

impl DurationRange {
    /// From whole milliseconds (const so ranges can be tables of constants).
    pub const fn millis(min: u64, max: u64) -> Self {
        DurationRange {
            min: Duration::from_millis(min),
            max: Duration::from_millis(max),
        }
    }

    /// Parses `text` and checks it is in range.
    pub fn parse(&self, text: &str) -> Result<Duration, String> {
        let d = parse_duration(text)?;
        if d < self.min || d > self.max {
            return Err(format!("out of range; allowed: {self}"));
        }
        Ok(d)
    }
}

impl fmt::Display for DurationRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let min = if self.min.is_zero() {
            "0s".to_string()
        } else {
            format_duration(self.min)
        };
        write!(f, "{min} to {}", format_duration(self.max))
    }
}

/// The inclusive range of sizes (bytes) one setting accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRange {
    /// Smallest allowed.
    pub min: u64,
    /// Largest allowed.
    pub max: u64,
}

impl SizeRange {
    /// Checks a byte count (an integer, possibly negative, as written in TOML).
    pub fn check(&self, bytes: i128) -> Result<u64, String> {
        match u64::try_from(bytes) {
            Ok(b) if b >= self.min && b <= self.max => Ok(b),
            _ => Err(format!("out of range; allowed: {self}")),
        }
    }

    /// Parses `text` and checks it is in range.
    pub fn parse(&self, text: &str) -> Result<u64, String> {
        self.check(i128::from(parse_size(text)?))
    }
}

impl fmt::Display for SizeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", format_size(self.min), format_size(self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("2 d").unwrap(), Duration::from_secs(172_800));
        assert!(parse_duration("30").unwrap_err().contains("needs a unit"));
        assert!(
            parse_duration("5 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(parse_duration("").is_err());
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
    }

    #[test]
    fn huge_and_odd_durations_are_errors_not_panics() {
        for text in [
            "99999999999999999999999s",
            "99999999999999999999999d",
            "1e400s",
            &"9".repeat(400),
            &format!("{}s", "9".repeat(400)),
            "36501d",
            "36500d 1s",
            "1.2.3s",
            ".s",
            "5s-",
            "NaNs",
            "infs",
        ] {
            let e = parse_duration(text).expect_err(text);
            assert!(!e.is_empty(), "{text}");
        }
        assert!(
            parse_duration("99999999999999999999999s")
                .unwrap_err()
                .contains("too long")
        );
        assert_eq!(parse_duration("36500d").unwrap(), MAX_DURATION);
    }

    #[test]
    fn errors_never_quote_the_input() {
        for text in [
            "5 hunter2x",
            "hunter2",
            "hunter2s",
            "1.hunter2",
            "9999999999999hunter2",
        ] {
            let e = parse_duration(text).unwrap_err();
            assert!(!e.contains("hunter2"), "{e}");
            let e = parse_size(text).unwrap_err();
            assert!(!e.contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("50MiB").unwrap(), 50 * 1024 * 1024);
        assert_eq!(parse_size("10 MB").unwrap(), 10_000_000);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("1.5KiB").unwrap(), 1536);
        assert!(parse_size("5 XB").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-5").is_err());
        assert!(
            parse_size("99999999999999999999999GiB")
                .unwrap_err()
                .contains("too large")
        );
        assert!(parse_size(&"9".repeat(400)).is_err());
    }

    #[test]
    fn ranges_reject_and_name_their_bounds() {
        let r = DurationRange::millis(100, 3_600_000);
        assert_eq!(r.parse("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(
            r.parse("0s").unwrap_err(),
            "out of range; allowed: 100ms to 1h"
        );
        assert!(r.parse("2h").unwrap_err().contains("100ms to 1h"));
        assert!(r.parse("99999999999999999999999s").is_err());

        let s = SizeRange {
            min: 1024,
            max: 1 << 30,
        };
        assert_eq!(s.parse("64MiB").unwrap(), 64 << 20);
        assert_eq!(
            s.check(-5).unwrap_err(),
            "out of range; allowed: 1KiB to 1GiB"
        );
        assert!(s.parse("2GiB").is_err());
        assert_eq!(format_size(1000), "1000B");
    }
}
