//! Deprecation and `x-sunset` of operations and parameters: newly deprecated,
//! reactivated, sunset dates missing, unparsable, too close, moved earlier or deleted.
//!
//! Deprecation policy: an operation that declares `x-stability-level: stable` promises
//! 180 days between deprecation and sunset, `beta` 31 days; others promise nothing
//! (oasdiff's `--deprecation-days-*` defaults are 0), so for them a deprecation
//! without a sunset is just information.

use chrono::{DateTime, NaiveDate, Utc};

use crate::diff::context::DiffCtx;
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;
use crate::spec::model::{Operation, Parameter};

rule_table! {
    ENDPOINT_DEPRECATED = "endpoint-deprecated", Info, "deprecation & sunset",
        "An operation was marked deprecated.", "endpoint deprecated";
    ENDPOINT_DEPRECATED_WITH_SUNSET = "endpoint-deprecated-with-sunset", Info, "deprecation & sunset",
        "An operation was marked deprecated with a sunset date.", "endpoint deprecated with sunset date '{0}'";
    ENDPOINT_REACTIVATED = "endpoint-reactivated", Info, "deprecation & sunset",
        "A deprecated operation is no longer deprecated.", "endpoint reactivated";
    API_DEPRECATED_SUNSET_MISSING = "api-deprecated-sunset-missing", Breaking, "deprecation & sunset",
        "An operation with a deprecation policy was deprecated without an x-sunset date.",
        "endpoint deprecated without an x-sunset date; its stability level '{0}' requires {1} days of notice";
    API_DEPRECATED_SUNSET_PARSE = "api-deprecated-sunset-parse", Breaking, "deprecation & sunset",
        "A deprecated operation's x-sunset is not a date.", "failed to parse the x-sunset date '{0}' (expected YYYY-MM-DD or RFC 3339)";
    API_SUNSET_DATE_TOO_SMALL = "api-sunset-date-too-small", Breaking, "deprecation & sunset",
        "An operation was deprecated with a sunset date sooner than its deprecation policy allows.",
        "endpoint sunset date '{0}' is too soon; it must be at least {1} days from {2}";
    API_SUNSET_DATE_CHANGED_TOO_SMALL = "api-sunset-date-changed-too-small", Breaking, "deprecation & sunset",
        "A deprecated operation's sunset date was moved earlier.", "endpoint sunset date changed to an earlier date, from '{0}' to '{1}'";
    SUNSET_DELETED = "sunset-deleted", Breaking, "deprecation & sunset",
        "A deprecated operation's x-sunset was removed.", "endpoint sunset date '{0}' deleted while the endpoint is still deprecated";
    REQUEST_PARAMETER_DEPRECATED = "request-parameter-deprecated", Info, "deprecation & sunset",
        "A request parameter was marked deprecated.", "{0} request parameter '{1}' deprecated";
    REQUEST_PARAMETER_REACTIVATED = "request-parameter-reactivated", Info, "deprecation & sunset",
        "A deprecated request parameter is no longer deprecated.", "{0} request parameter '{1}' reactivated";
    REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING = "request-parameter-deprecated-sunset-missing", Breaking, "deprecation & sunset",
        "A request parameter of an operation with a deprecation policy was deprecated without an x-sunset date.",
        "{0} request parameter '{1}' deprecated without an x-sunset date; the stability level '{2}' requires {3} days of notice";
    REQUEST_PARAMETER_SUNSET_PARSE = "request-parameter-sunset-parse", Breaking, "deprecation & sunset",
        "A request parameter's x-sunset is not a date.", "failed to parse the x-sunset date '{2}' of {0} request parameter '{1}'";
    REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL = "request-parameter-sunset-date-too-small", Breaking, "deprecation & sunset",
        "A request parameter was deprecated with a sunset date sooner than the deprecation policy allows.",
        "{0} request parameter '{1}' sunset date '{2}' is too soon; it must be at least {3} days from {4}";
    REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL = "request-parameter-sunset-date-changed-too-small", Breaking, "deprecation & sunset",
        "A deprecated request parameter's sunset date was moved earlier.",
        "{0} request parameter '{1}' sunset date changed to an earlier date, from '{2}' to '{3}'";
    REQUEST_PARAMETER_SUNSET_DELETED = "request-parameter-sunset-deleted", Breaking, "deprecation & sunset",
        "A deprecated request parameter's x-sunset was removed.", "{0} request parameter '{1}' sunset date '{2}' deleted while it is still deprecated";
    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION = "request-parameter-removed-with-deprecation", Info, "deprecation & sunset",
        "A deprecated request parameter was removed after its sunset date (or it had none).",
        "deprecated {0} request parameter '{1}' removed";
    REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET = "request-parameter-removed-before-sunset", Breaking, "deprecation & sunset",
        "A deprecated request parameter was removed before its sunset date.",
        "{0} request parameter '{1}' removed before its sunset date '{2}'";
}

/// Minimum days between deprecation and sunset for a stability level.
pub fn min_deprecation_days(stability: Option<&str>) -> i64 {
    match stability {
        Some("stable") => 180,
        Some("beta") => 31,
        _ => 0,
    }
}

/// An `x-sunset` value: `YYYY-MM-DD` or an RFC 3339 date-time.
pub fn parse_sunset(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

/// Today's date (UTC), the reference for "too soon" and "before sunset".
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// What a removal of something deprecated amounts to.
pub enum Removal {
    /// It was not deprecated.
    NotDeprecated,
    /// Deprecated, and its sunset date is still in the future.
    BeforeSunset(String),
    /// Deprecated, with a sunset that is not a date.
    BadSunset(String),
    /// Deprecated, and the sunset passed (or there was none).
    AfterDeprecation,
}

/// Classifies removing something with these `deprecated` / `x-sunset` values.
pub fn classify_removal(deprecated: bool, sunset: Option<&str>) -> Removal {
    if !deprecated {
        return Removal::NotDeprecated;
    }
    match sunset {
        None => Removal::AfterDeprecation,
        Some(s) => match parse_sunset(s) {
            None => Removal::BadSunset(s.to_string()),
            Some(d) if d > today() => Removal::BeforeSunset(s.to_string()),
            Some(_) => Removal::AfterDeprecation,
        },
    }
}

/// The `x-sunset` of a parameter, if it is a string.
pub fn param_sunset(p: &Parameter) -> Option<&str> {
    p.extensions.get("x-sunset").and_then(|v| v.as_str())
}

/// Operation deprecation and sunset changes.
pub fn check_operation(cx: &mut DiffCtx, pair: &OpPair) {
    let (b, r) = (pair.base, pair.rev);
    let op = Some(pair.label.as_str());
    let ptr = r.pointer.as_str();
    match (b.deprecated, r.deprecated) {
        (false, true) => newly_deprecated(cx, pair, r),
        (true, false) => cx.emit(&ENDPOINT_REACTIVATED, op, ptr, &[]),
        (true, true) => match (b.sunset.as_deref(), r.sunset.as_deref()) {
            (Some(old), None) => cx.emit(&SUNSET_DELETED, op, ptr, &[old]),
            (Some(old), Some(new)) if old != new => match (parse_sunset(old), parse_sunset(new)) {
                (_, None) => cx.emit(&API_DEPRECATED_SUNSET_PARSE, op, ptr, &[new]),
                (Some(o), Some(n)) if n < o => {
                    cx.emit(&API_SUNSET_DATE_CHANGED_TOO_SMALL, op, ptr, &[old, new])
                }
                _ => {}
            },
            _ => {}
        },
        (false, false) => {}
    }
}

fn newly_deprecated(cx: &mut DiffCtx, pair: &OpPair, r: &Operation) {
    let op = Some(pair.label.as_str());
    let ptr = r.pointer.as_str();
    let days = min_deprecation_days(r.stability.as_deref());
    match r.sunset.as_deref() {
        None if days > 0 => {
            let level = r.stability.as_deref().unwrap_or("");
            cx.emit(
                &API_DEPRECATED_SUNSET_MISSING,
                op,
                ptr,
                &[level, &days.to_string()],
            );
        }
        None => cx.emit(&ENDPOINT_DEPRECATED, op, ptr, &[]),
        Some(s) => match parse_sunset(s) {
            None => cx.emit(&API_DEPRECATED_SUNSET_PARSE, op, ptr, &[s]),
            Some(d) if (d - today()).num_days() < days => {
                let now = today().to_string();
                cx.emit(
                    &API_SUNSET_DATE_TOO_SMALL,
                    op,
                    ptr,
                    &[s, &days.to_string(), &now],
                );
            }
            Some(_) => cx.emit(&ENDPOINT_DEPRECATED_WITH_SUNSET, op, ptr, &[s]),
        },
    }
}

/// Deprecation and sunset changes of a parameter present in both versions.
pub fn check_parameter(cx: &mut DiffCtx, pair: &OpPair, b: &Parameter, r: &Parameter) {
    let op = Some(pair.label.as_str());
    let ptr = r.pointer.as_str();
    let loc = r.location.as_str();
    let name = r.name.as_str();
    match (b.deprecated, r.deprecated) {
        (false, true) => {
            let days = min_deprecation_days(pair.rev.stability.as_deref());
            match param_sunset(r) {
                None if days > 0 => {
                    let level = pair.rev.stability.as_deref().unwrap_or("");
                    cx.emit(
                        &REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING,
                        op,
                        ptr,
                        &[loc, name, level, &days.to_string()],
                    );
                }
                None => cx.emit(&REQUEST_PARAMETER_DEPRECATED, op, ptr, &[loc, name]),
                Some(s) => match parse_sunset(s) {
                    None => cx.emit(&REQUEST_PARAMETER_SUNSET_PARSE, op, ptr, &[loc, name, s]),
                    Some(d) if (d - today()).num_days() < days => {
                        let now = today().to_string();
                        cx.emit(
                            &REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL,
                            op,
                            ptr,
                            &[loc, name, s, &days.to_string(), &now],
                        );
                    }
                    Some(_) => cx.emit(&REQUEST_PARAMETER_DEPRECATED, op, ptr, &[loc, name]),
                },
            }
        }
        (true, false) => cx.emit(&REQUEST_PARAMETER_REACTIVATED, op, ptr, &[loc, name]),
        (true, true) => match (param_sunset(b), param_sunset(r)) {
            (Some(old), None) => cx.emit(
                &REQUEST_PARAMETER_SUNSET_DELETED,
                op,
                ptr,
                &[loc, name, old],
            ),
            (Some(old), Some(new)) if old != new => match (parse_sunset(old), parse_sunset(new)) {
                (_, None) => cx.emit(&REQUEST_PARAMETER_SUNSET_PARSE, op, ptr, &[loc, name, new]),
                (Some(o), Some(n)) if n < o => cx.emit(
                    &REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL,
                    op,
                    ptr,
                    &[loc, name, old, new],
                ),
                _ => {}
            },
            _ => {}
        },
        (false, false) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunset_dates_parse_as_date_or_date_time() {
        assert_eq!(
            parse_sunset("2030-01-02"),
            NaiveDate::from_ymd_opt(2030, 1, 2)
        );
        assert_eq!(
            parse_sunset("2030-01-02T10:00:00Z"),
            NaiveDate::from_ymd_opt(2030, 1, 2)
        );
        assert_eq!(parse_sunset("next year"), None);
    }

    #[test]
    fn removal_classification_follows_deprecation_and_sunset() {
        assert!(matches!(
            classify_removal(false, None),
            Removal::NotDeprecated
        ));
        assert!(matches!(
            classify_removal(true, None),
            Removal::AfterDeprecation
        ));
        assert!(matches!(
            classify_removal(true, Some("2000-01-01")),
            Removal::AfterDeprecation
        ));
        assert!(matches!(
            classify_removal(true, Some("2999-01-01")),
            Removal::BeforeSunset(_)
        ));
        assert!(matches!(
            classify_removal(true, Some("soon")),
            Removal::BadSunset(_)
        ));
    }
}
