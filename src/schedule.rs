//! Schedules: fixed intervals, cron expressions (croner) in an IANA time zone, and
//! deterministic per-watch jitter.
//!
//! `hourly`, `daily` and `weekly` are the cron expressions `0 * * * *`, `0 0 * * *` and
//! `0 0 * * 1` (Monday 00:00) in the schedule's time zone; the per-watch [`jitter`] then spreads
//! watches over up to 5 minutes after that instant.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

/// Shortest interval allowed, and the shortest period a cron expression may have.
pub const MIN_INTERVAL: Duration = Duration::from_secs(10);
/// Longest `every` interval: a longer one is a typo, and would overflow the fire-time grid.
pub const MAX_INTERVAL: Duration = Duration::from_secs(366 * 86_400);
/// Upper bound of the jitter, whatever the period.
pub const MAX_JITTER: Duration = Duration::from_secs(300);

/// Shortcut keywords and the cron expressions they stand for.
const SHORTCUTS: &[(&str, &str)] = &[
    ("hourly", "0 * * * *"),
    ("daily", "0 0 * * *"),
    ("weekly", "0 0 * * 1"),
];

/// Units accepted in `every …`, with their length in seconds.
const UNITS: &[(char, u64)] = &[('s', 1), ('m', 60), ('h', 3600), ('d', 86_400)];

/// When a watch is polled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// A fixed interval (`every 15m`).
    Every(Duration),
    /// A cron expression evaluated in a time zone.
    Cron {
        /// The text as written (a cron expression or a shortcut keyword).
        expr: String,
        /// The parsed expression (boxed: it is much larger than an interval).
        cron: Box<Cron>,
        /// Time zone the expression is evaluated in.
        tz: Tz,
    },
}

/// Why a schedule or time zone was refused; each message says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Nothing written.
    #[error("the schedule is empty; {ALLOWED}")]
    Empty,
    /// `every …` with an unreadable duration.
    #[error(
        "`{text}`: {reason}; write e.g. `every 15m`, `every 1h30m` or `every 90s` (units s, m, h, d)"
    )]
    BadInterval {
        /// The schedule text.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Interval or cron period below [`MIN_INTERVAL`].
    #[error(
        "`{text}` polls more often than every 10s, which is not allowed; use a longer interval"
    )]
    TooFrequent {
        /// The schedule text.
        text: String,
    },
    /// Not a valid cron expression.
    #[error("`{text}` is not a valid schedule ({reason}); {ALLOWED}")]
    BadCron {
        /// The schedule text.
        text: String,
        /// The cron parser's complaint.
        reason: String,
    },
    /// A valid cron expression that never matches (e.g. 30 February).
    #[error("cron expression `{text}` never fires; check its day and month fields")]
    NeverFires {
        /// The schedule text.
        text: String,
    },
    /// Unknown IANA time-zone name.
    #[error(
        "unknown time zone `{tz}`; use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`"
    )]
    UnknownTimezone {
        /// The name given.
        tz: String,
    },
}

const ALLOWED: &str = "use `every <duration>` (e.g. `every 15m`, 10s to 366d), `hourly`, `daily`, `weekly`, \
or a cron expression with 5 fields `minute hour day-of-month month day-of-week` (6 with seconds first), e.g. `0 */6 * * *`";

impl Schedule {
    /// Parses `every 15m` / `every 1h30m` / `every 90s` (≥ 10s), `hourly` / `daily` / `weekly`,
    /// or a 5- or 6-field cron expression; `tz` is an IANA name (default UTC, ignored by `every`
    /// but still checked).
    pub fn parse(s: &str, tz: Option<&str>) -> Result<Schedule, ScheduleError> {
        let tz = parse_tz(tz)?;
        let text = s.trim();
        if text.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("every") {
            let period = parse_interval(rest).map_err(|reason| ScheduleError::BadInterval {
                text: text.to_string(),
                reason,
            })?;
            if period > MAX_INTERVAL {
                return Err(ScheduleError::BadInterval {
                    text: text.to_string(),
                    reason: "out of range; allowed: 10s to 366d".into(),
                });
            }
            if period < MIN_INTERVAL {
                return Err(ScheduleError::TooFrequent {
                    text: text.to_string(),
                });
            }
            return Ok(Schedule::Every(period));
        }
        let expr = SHORTCUTS
            .iter()
            .find(|(k, _)| *k == lower)
            .map_or(text, |(_, e)| *e);
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .year(Year::Disallowed)
            .build()
            .parse(expr)
            .map_err(|e| ScheduleError::BadCron {
                text: text.to_string(),
                reason: e.to_string(),
            })?;
        let schedule = Schedule::Cron {
            expr: text.to_string(),
            cron: Box::new(cron),
            tz,
        };
        let anchor = anchor();
        if schedule.next_after(anchor).is_none() {
            return Err(ScheduleError::NeverFires {
                text: text.to_string(),
            });
        }
        if schedule.period_hint() < MIN_INTERVAL {
            return Err(ScheduleError::TooFrequent {
                text: text.to_string(),
            });
        }
        Ok(schedule)
    }

    /// The first fire time strictly after `after` (no jitter). `Every`: `after + period`.
    /// Cron: croner's DST rules — a time in a spring-forward gap fires at the first instant after
    /// the gap, a fixed time in a fall-back overlap fires once (first pass).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Schedule::Every(period) => {
                after.checked_add_signed(chrono::Duration::from_std(*period).ok()?)
            }
            Schedule::Cron { cron, tz, .. } => cron
                .find_next_occurrence(&after.with_timezone(tz), false)
                .ok()
                .map(|t| t.with_timezone(&Utc)),
        }
    }

    /// The next jittered fire time strictly after `after`.
    /// `Every`: the next point of the grid `UNIX epoch + jitter + k·period`, so phases survive
    /// restarts. Cron: the next cron instant `t` with `t + jitter > after`, plus `jitter`.
    pub fn next_fire(&self, after: DateTime<Utc>, jitter: Duration) -> Option<DateTime<Utc>> {
        let jitter_ms = i64::try_from(jitter.as_millis()).ok()?;
        match self {
            Schedule::Every(period) => {
                let period_ms = i64::try_from(period.as_millis()).ok()?.max(1);
                let since = after.timestamp_millis() - jitter_ms;
                let k = since.div_euclid(period_ms) + 1;
                Utc.timestamp_millis_opt(k.checked_mul(period_ms)?.checked_add(jitter_ms)?)
                    .single()
            }
            Schedule::Cron { .. } => {
                let shift = chrono::Duration::milliseconds(jitter_ms);
                self.next_after(after - shift).map(|t| t + shift)
            }
        }
    }

    /// Approximate period: the interval, or the shortest gap between the next few cron
    /// instants from a fixed anchor (used to size jitter; 1 day if none is found).
    pub fn period_hint(&self) -> Duration {
        const FALLBACK: Duration = Duration::from_secs(86_400);
        match self {
            Schedule::Every(period) => *period,
            Schedule::Cron { .. } => {
                let mut prev = match self.next_after(anchor()) {
                    Some(t) => t,
                    None => return FALLBACK,
                };
                let mut shortest: Option<Duration> = None;
                for _ in 0..6 {
                    let Some(next) = self.next_after(prev) else {
                        break;
                    };
                    let gap = (next - prev).to_std().unwrap_or(FALLBACK);
                    shortest = Some(shortest.map_or(gap, |s| s.min(gap)));
                    prev = next;
                }
                shortest.unwrap_or(FALLBACK)
            }
        }
    }
}

impl fmt::Display for Schedule {
    /// `every 1h30m`, or the cron text with its time zone when not UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Every(period) => {
                f.write_str("every ")?;
                let mut left = period.as_secs();
                for &(unit, secs) in UNITS.iter().rev() {
                    if left >= secs {
                        write!(f, "{}{unit}", left / secs)?;
                        left %= secs;
                    }
                }
                Ok(())
            }
            Schedule::Cron { expr, tz, .. } if *tz == Tz::UTC => f.write_str(expr),
            Schedule::Cron { expr, tz, .. } => write!(f, "{expr} ({tz})"),
        }
    }
}

/// Deterministic jitter in `[0, min(period/10, 5 min))` from a hash of the watch name, so many
/// watches spread out and a restart keeps the same offsets.
pub fn jitter(watch: &str, schedule: &Schedule) -> Duration {
    let bound = (schedule.period_hint() / 10).min(MAX_JITTER);
    let bound_ms = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
    if bound_ms == 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(fnv1a(watch.as_bytes()) % bound_ms)
}

/// A watch's fire offset: interval schedules spread over the WHOLE period (1,000
/// `every 1h` watches fire evenly across the hour), cron schedules get [`jitter`].
/// Both come from a hash of the name, so a restart keeps the same slots.
pub fn phase(watch: &str, schedule: &Schedule) -> Duration {
    match schedule {
        Schedule::Every(period) => {
            let period_ms = u64::try_from(period.as_millis()).unwrap_or(u64::MAX).max(1);
            // FNV's low bits barely differ between names like "api-1" and "api-2":
            // finish with splitmix64 so the modulo spreads them.
            let mut z = fnv1a(watch.as_bytes()).wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Duration::from_millis((z ^ (z >> 31)) % period_ms)
        }
        Schedule::Cron { .. } => jitter(watch, schedule),
    }
}

/// FNV-1a 64: stable across versions and platforms (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Fixed reference instant (Monday 2026-01-05 00:00 UTC) so `period_hint` is deterministic.
fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn parse_tz(tz: Option<&str>) -> Result<Tz, ScheduleError> {
    match tz.map(str::trim) {
        None | Some("") => Ok(Tz::UTC),
        Some(name) => Tz::from_str(name).map_err(|_| ScheduleError::UnknownTimezone {
            tz: name.to_string(),
        }),
    }
}

/// `15m`, `1h30m`, `1h 30m`, `90s`, `2d` → duration. Errors are short reasons.
fn parse_interval(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("missing the duration after `every`".into());
    }
    let mut total: u64 = 0;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c.is_whitespace() {
            continue;
        } else if let Some(&(_, secs)) = UNITS.iter().find(|(u, _)| *u == c) {
            if digits.is_empty() {
                return Err(format!("unit `{c}` has no number before it"));
            }
            let n: u64 = digits.parse().map_err(|_| "number too large".to_string())?;
            total = n
                .checked_mul(secs)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| "duration too large".to_string())?;
            digits.clear();
        } else {
            return Err(format!("unexpected `{c}`"));
        }
    }
    if !digits.is_empty() {
        return Err(format!("`{digits}` has no unit"));
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn every(s: &str) -> Duration {
        match Schedule::parse(s, None).unwrap() {
            Schedule::Every(d) => d,
            other => panic!("{s}: {other:?}"),
        }
    }

    /// The next `n` fire times (no jitter) after `from`.
    fn fires(s: &Schedule, from: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut t = from;
        for _ in 0..n {
            t = s.next_after(t).unwrap();
            out.push(t);
        }
        out
    }

    #[test]
    fn intervals() {
        assert_eq!(every("every 15m"), Duration::from_secs(900));
        assert_eq!(every("every 1h30m"), Duration::from_secs(5400));
        assert_eq!(every(" Every 1h 30m "), Duration::from_secs(5400));
        assert_eq!(every("every 90s"), Duration::from_secs(90));
        assert_eq!(every("every 2d"), Duration::from_secs(172_800));
        assert_eq!(every("every 10s"), Duration::from_secs(10));
        let t = utc(2026, 1, 1, 0, 0);
        let s = Schedule::parse("every 15m", None).unwrap();
        assert_eq!(s.next_after(t), Some(utc(2026, 1, 1, 0, 15)));
    }

    #[test]
    fn bad_intervals_say_what_is_allowed() {
        for (text, needle) in [
            ("every", "missing the duration"),
            ("every 10x", "unexpected `x`"),
            ("every 15", "`15` has no unit"),
            ("every m", "no number before it"),
            ("every 99999999999999999999s", "too large"),
        ] {
            let e = Schedule::parse(text, None).unwrap_err();
            let msg = e.to_string();
            assert!(
                matches!(e, ScheduleError::BadInterval { .. }),
                "{text}: {e:?}"
            );
            assert!(msg.contains(needle) && msg.contains("every 1h30m"), "{msg}");
        }
        for text in ["every 5s", "every 0m", "* * * * * *"] {
            assert!(
                matches!(
                    Schedule::parse(text, None),
                    Err(ScheduleError::TooFrequent { .. })
                ),
                "{text}"
            );
        }
        let msg = Schedule::parse("  ", None).unwrap_err().to_string();
        assert!(msg.contains("hourly") && msg.contains("cron"), "{msg}");
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "every 1h30m",
            "every 90s",
            "every 2d1s",
            "hourly",
            "0 */6 * * *",
        ] {
            let s = Schedule::parse(text, None).unwrap();
            let shown = s.to_string();
            assert_eq!(
                Schedule::parse(&shown, None).unwrap(),
                s,
                "{text} -> {shown}"
            );
        }
        assert_eq!(
            Schedule::parse("every 90s", None).unwrap().to_string(),
            "every 1m30s"
        );
        let berlin = Schedule::parse("30 2 * * *", Some("Europe/Berlin")).unwrap();
        assert_eq!(berlin.to_string(), "30 2 * * * (Europe/Berlin)");
    }

    #[test]
    fn shortcuts_are_cron_at_the_top_of_the_period() {
        let t = utc(2026, 1, 7, 10, 20); // a Wednesday
        let s = Schedule::parse("hourly", None).unwrap();
        assert_eq!(s.next_after(t), Some(utc(2026, 1, 7, 11, 0)));
        assert_eq!(s.period_hint(), Duration::from_secs(3600));
        let s = Schedule::parse("Daily", None).unwrap();
        assert_eq!(s.next_after(t), Some(utc(2026, 1, 8, 0, 0)));
        let s = Schedule::parse("weekly", None).unwrap();
        assert_eq!(s.next_after(t), Some(utc(2026, 1, 12, 0, 0))); // Monday
        assert_eq!(s.period_hint(), Duration::from_secs(7 * 86_400));
        assert!(matches!(s, Schedule::Cron { ref expr, .. } if expr == "weekly"));
    }

    #[test]
    fn cron_five_and_six_fields() {
        let t = utc(2026, 1, 7, 10, 20);
        let s = Schedule::parse("0 */6 * * *", None).unwrap();
        assert_eq!(s.next_after(t), Some(utc(2026, 1, 7, 12, 0)));
        assert_eq!(s.period_hint(), Duration::from_secs(6 * 3600));
        let s = Schedule::parse("30 0 12 * * *", None).unwrap();
        assert_eq!(
            s.next_after(t),
            Some(Utc.with_ymd_and_hms(2026, 1, 7, 12, 0, 30).unwrap())
        );
        // Strictly after: an instant that matches is not returned again.
        assert_eq!(
            s.next_after(utc(2026, 1, 7, 12, 0) + chrono::Duration::seconds(30)),
            Some(Utc.with_ymd_and_hms(2026, 1, 8, 12, 0, 30).unwrap())
        );
    }

    #[test]
    fn bad_cron_and_time_zones() {
        for text in ["0 0 1", "61 * * * *", "0 0 1 1 * 2030 1", "every5m!"] {
            let e = Schedule::parse(text, None).unwrap_err();
            assert!(
                matches!(
                    e,
                    ScheduleError::BadCron { .. } | ScheduleError::BadInterval { .. }
                ),
                "{text}: {e:?}"
            );
            assert!(e.to_string().contains(text), "{e}");
        }
        assert!(matches!(
            Schedule::parse("0 0 30 2 *", None),
            Err(ScheduleError::NeverFires { .. })
        ));
        let e = Schedule::parse("daily", Some("Mars/Olympus")).unwrap_err();
        assert!(
            e.to_string().contains("`Mars/Olympus`") && e.to_string().contains("Europe/Berlin")
        );
        // Checked for intervals too, so a typo is caught even if unused today.
        assert!(Schedule::parse("every 1h", Some("Nowhere")).is_err());
    }

    #[test]
    fn non_utc_time_zone_follows_local_wall_clock() {
        let s = Schedule::parse("0 9 * * *", Some("America/New_York")).unwrap();
        // EST (UTC-5) in January, EDT (UTC-4) in July.
        assert_eq!(
            s.next_after(utc(2026, 1, 10, 0, 0)),
            Some(utc(2026, 1, 10, 14, 0))
        );
        assert_eq!(
            s.next_after(utc(2026, 7, 10, 0, 0)),
            Some(utc(2026, 7, 10, 13, 0))
        );
    }

    #[test]
    fn dst_spring_forward_runs_once_after_the_gap() {
        // Europe/Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
        let s = Schedule::parse("30 2 * * *", Some("Europe/Berlin")).unwrap();
        let got = fires(&s, utc(2026, 3, 27, 12, 0), 3);
        assert_eq!(
            got,
            vec![
                utc(2026, 3, 28, 1, 30), // 02:30 CET
                utc(2026, 3, 29, 1, 0),  // first instant after the gap: 03:00 CEST
                utc(2026, 3, 30, 0, 30), // 02:30 CEST
            ]
        );
    }

    #[test]
    fn dst_fall_back_runs_once_in_the_repeated_hour() {
        // Europe/Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        let s = Schedule::parse("30 2 * * *", Some("Europe/Berlin")).unwrap();
        let got = fires(&s, utc(2026, 10, 23, 12, 0), 3);
        assert_eq!(
            got,
            vec![
                utc(2026, 10, 24, 0, 30), // 02:30 CEST
                utc(2026, 10, 25, 0, 30), // first 02:30 (CEST) only
                utc(2026, 10, 26, 1, 30), // 02:30 CET
            ]
        );
        // Real time never goes backwards, and no day fires twice.
        assert!(
            got.windows(2)
                .all(|w| w[1] - w[0] >= chrono::Duration::hours(23))
        );
    }

    #[test]
    fn jitter_is_bounded_deterministic_and_spreads() {
        let hourly = Schedule::parse("hourly", None).unwrap();
        let short = Schedule::parse("every 90s", None).unwrap();
        assert_eq!(jitter("stripe", &hourly), jitter("stripe", &hourly));
        let mut seconds = std::collections::HashSet::new();
        for i in 0..1000 {
            let name = format!("watch-{i}");
            let j = jitter(&name, &hourly);
            assert!(j < MAX_JITTER, "{j:?}");
            seconds.insert(j.as_secs());
            assert!(jitter(&name, &short) < Duration::from_secs(9));
        }
        // 1,000 watches over 300 possible seconds: nearly every second is used.
        assert!(
            seconds.len() > 250,
            "only {} distinct seconds",
            seconds.len()
        );
        // A 10s interval gets at most 1s of jitter.
        let min = Schedule::parse("every 10s", None).unwrap();
        assert!(jitter("x", &min) < Duration::from_secs(1));
    }

    #[test]
    fn intervals_are_bounded() {
        assert_eq!(every("every 366d"), MAX_INTERVAL);
        let e = Schedule::parse("every 367d", None).unwrap_err().to_string();
        assert!(e.contains("allowed: 10s to 366d"), "{e}");
        for text in [
            "every 99999999999999w",
            "every 18446744073709551615s",
            "every 9999999999d",
        ] {
            assert!(Schedule::parse(text, None).is_err(), "{text}");
        }
    }

    #[test]
    fn next_fire_applies_jitter_and_stays_after_the_given_instant() {
        let j = Duration::from_secs(125);
        let hourly = Schedule::parse("hourly", None).unwrap();
        let t = utc(2026, 1, 7, 10, 0);
        assert_eq!(
            hourly.next_fire(t, j),
            Some(utc(2026, 1, 7, 10, 0) + chrono::Duration::seconds(125))
        );
        let after = utc(2026, 1, 7, 10, 2) + chrono::Duration::seconds(5);
        assert_eq!(
            hourly.next_fire(after, j),
            Some(utc(2026, 1, 7, 11, 2) + chrono::Duration::seconds(5))
        );

        // Interval: a fixed grid, so any instant in the same slot gives the same next fire.
        let s = Schedule::parse("every 15m", None).unwrap();
        let a = s.next_fire(utc(2026, 1, 7, 10, 3), j).unwrap();
        let b = s.next_fire(utc(2026, 1, 7, 10, 16), j).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, utc(2026, 1, 7, 10, 17) + chrono::Duration::seconds(5));
        assert_eq!(s.next_fire(a, j), Some(a + chrono::Duration::minutes(15)));
    }
}
