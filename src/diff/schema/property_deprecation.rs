//! Property deprecation and `x-sunset`: a request or response property marked
//! `deprecated` (with or without a sunset date) or un-deprecated. Deprecating is
//! informational; a sunset date that cannot be parsed or is already past when the
//! property is deprecated is breaking, since clients cannot plan for it.
//! (Operation and parameter deprecation live in the `deprecation` rules family.)

use crate::diff::rules::rule_def::rule_table;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::diff::rules::deprecation::min_deprecation_days;
use crate::diff::schema::composition::escape;
use crate::diff::schema::{SchemaCx, SiteRules, Where};
use crate::spec::model::Schema;

/// The sunset extension, as for operations.
const SUNSET: &str = "x-sunset";

/// Minimum days between deprecating a property and its sunset; like oasdiff's default
/// deprecation policy (0 = no grace period enforced: only a past date is too early).
pub const MIN_SUNSET_DAYS: i64 = 0;

const DEPRECATED: &SiteRules = &[
    (Where::RequestProperty, &REQUEST_PROPERTY_DEPRECATED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_DEPRECATED),
];
const DEPRECATED_WITH_SUNSET: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET,
    ),
];
const SUNSET_MISSING: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING,
    ),
];
const REACTIVATED: &SiteRules = &[
    (Where::RequestProperty, &REQUEST_PROPERTY_REACTIVATED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_REACTIVATED),
];
const SUNSET_INVALID: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID,
    ),
];
const SUNSET_TOO_SMALL: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL,
    ),
];

/// Parses an `x-sunset` value: an RFC 3339 date (`2030-01-31`) or date-time.
pub fn parse_sunset(v: &Value) -> Option<NaiveDate> {
    let s = v.as_str()?.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

/// The `x-stability-level` of the operation being compared, in the revision.
fn operation_stability(cx: &SchemaCx<'_, '_>) -> Option<String> {
    let api = cx.rev_api();
    api.operations
        .values()
        .chain(api.webhooks.values())
        .find(|op| op.label() == cx.operation())
        .and_then(|op| op.stability.clone())
}

/// Reports deprecation changes of the properties of one object pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if !cx.child_place().is_property() {
        return;
    }
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    for (name, &r_id) in &rev.properties {
        let Some(&b_id) = base.properties.get(name) else {
            continue;
        };
        let (bs, rs) = (bapi.schema(b_id), rapi.schema(r_id));
        if bs.deprecated == rs.deprecated {
            continue;
        }
        let pointer = format!("{}/properties/{}", cx.rev_pointer, escape(name));
        match (bs.deprecated, rs.deprecated) {
            (true, false) => {
                cx.emit_for_property(REACTIVATED, name, &pointer, &[]);
            }
            (false, true) => match rs.ext().extensions.get(SUNSET) {
                None => {
                    // An operation whose stability level promises notice needs a date.
                    let stability = operation_stability(cx);
                    let days = min_deprecation_days(stability.as_deref());
                    if days > 0 {
                        let (level, days) = (stability.unwrap_or_default(), days.to_string());
                        let args: [&str; 2] = [&level, &days];
                        cx.emit_for_property(SUNSET_MISSING, name, &pointer, &args);
                    } else {
                        cx.emit_for_property(DEPRECATED, name, &pointer, &[]);
                    }
                }
                Some(raw) => {
                    let shown = match raw {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    match parse_sunset(raw) {
                        None => {
                            cx.emit_for_property(SUNSET_INVALID, name, &pointer, &[&shown]);
                        }
                        Some(date)
                            if (date - Utc::now().date_naive()).num_days() < MIN_SUNSET_DAYS =>
                        {
                            let days = MIN_SUNSET_DAYS.to_string();
                            let args: [&str; 2] = [&shown, &days];
                            cx.emit_for_property(SUNSET_TOO_SMALL, name, &pointer, &args);
                        }
                        Some(_) => {
                            cx.emit_for_property(DEPRECATED_WITH_SUNSET, name, &pointer, &[&shown]);
                        }
                    }
                }
            },
            _ => {}
        }
    }
}

rule_table! {
    REQUEST_PROPERTY_DEPRECATED = "request-property-deprecated", Info, "deprecation & sunset", "A request property was deprecated", "deprecated {0}";
    REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET = "request-property-deprecated-with-sunset", Info, "deprecation & sunset", "A request property was deprecated with a sunset date", "deprecated {0} with sunset date {1}";
    REQUEST_PROPERTY_REACTIVATED = "request-property-reactivated", Info, "deprecation & sunset", "A deprecated request property is no longer deprecated", "{0} is no longer deprecated";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID = "request-property-deprecated-sunset-invalid", Breaking, "deprecation & sunset", "A request property was deprecated with an unparseable x-sunset date", "deprecated {0} with the invalid sunset date '{1}'; use an RFC 3339 date such as 2030-01-31";
    REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL = "request-property-sunset-date-too-small", Breaking, "deprecation & sunset", "A request property was deprecated with a sunset date too close or already past", "deprecated {0} with sunset date {1}, fewer than {2} days away";
    REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING = "request-property-deprecated-sunset-missing", Breaking, "deprecation & sunset", "A request property of an operation with a deprecation policy was deprecated without an x-sunset date", "deprecated {0} without an x-sunset date; the operation's stability level '{1}' requires {2} days of notice";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING = "response-property-deprecated-sunset-missing", Breaking, "deprecation & sunset", "A response property of an operation with a deprecation policy was deprecated without an x-sunset date", "deprecated {0} without an x-sunset date; the operation's stability level '{1}' requires {2} days of notice";
    RESPONSE_PROPERTY_DEPRECATED = "response-property-deprecated", Info, "deprecation & sunset", "A response property was deprecated", "deprecated {0}";
    RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET = "response-property-deprecated-with-sunset", Info, "deprecation & sunset", "A response property was deprecated with a sunset date", "deprecated {0} with sunset date {1}";
    RESPONSE_PROPERTY_REACTIVATED = "response-property-reactivated", Info, "deprecation & sunset", "A deprecated response property is no longer deprecated", "{0} is no longer deprecated";
    RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID = "response-property-deprecated-sunset-invalid", Breaking, "deprecation & sunset", "A response property was deprecated with an unparseable x-sunset date", "deprecated {0} with the invalid sunset date '{1}'; use an RFC 3339 date such as 2030-01-31";
    RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL = "response-property-sunset-date-too-small", Breaking, "deprecation & sunset", "A response property was deprecated with a sunset date too close or already past", "deprecated {0} with sunset date {1}, fewer than {2} days away";
}

#[cfg(test)]
mod tests {
    use super::parse_sunset;
    use crate::diff::change::Level;
    use crate::diff::schema::test_kit::{Doc, changes, object, request, response, ty};
    use crate::spec::model::{Api, Schema, SchemaId};
    use serde_json::{Value, json};

    fn doc(deprecated: bool, sunset: Option<Value>) -> (Api, SchemaId) {
        let mut d = Doc::default();
        let mut p = Schema {
            deprecated,
            ..ty("string")
        };
        if let Some(s) = sunset {
            p.ext_mut().extensions.insert("x-sunset".into(), s);
        }
        let p = d.add(p);
        let root = d.add(object(&[("target", p)], &[]));
        (d.api(), root)
    }

    fn one(
        base: (Api, SchemaId),
        rev: (Api, SchemaId),
        response_side: bool,
    ) -> (String, Level, String) {
        let kind = if response_side { response() } else { request() };
        let found = changes(&base.0, base.1, &rev.0, rev.1, kind);
        assert_eq!(found.len(), 1, "{found:?}");
        (
            found[0].id.clone(),
            found[0].level,
            found[0].message.clone(),
        )
    }

    #[test]
    fn deprecation_outcomes_follow_the_sunset_date() {
        let live = || doc(false, None);
        let (id, level, _) = one(live(), doc(true, None), false);
        assert_eq!(
            (id.as_str(), level),
            ("request-property-deprecated", Level::Info)
        );
        let (id, level, msg) = one(live(), doc(true, Some(json!("2099-12-31"))), true);
        assert_eq!(
            (id.as_str(), level),
            ("response-property-deprecated-with-sunset", Level::Info)
        );
        assert!(
            msg.contains("2099-12-31") && msg.contains("'target'"),
            "{msg}"
        );
        let (id, level, _) = one(live(), doc(true, Some(json!("2001-01-01"))), false);
        assert_eq!(
            (id.as_str(), level),
            ("request-property-sunset-date-too-small", Level::Breaking)
        );
        let (id, level, msg) = one(live(), doc(true, Some(json!("soon"))), true);
        assert_eq!(
            (id.as_str(), level),
            (
                "response-property-deprecated-sunset-invalid",
                Level::Breaking
            )
        );
        assert!(msg.contains("'soon'"), "{msg}");
        let (id, level, _) = one(doc(true, None), live(), true);
        assert_eq!(
            (id.as_str(), level),
            ("response-property-reactivated", Level::Info)
        );
    }

    #[test]
    fn sunset_accepts_dates_and_date_times_only() {
        assert!(parse_sunset(&json!("2030-01-31")).is_some());
        assert!(parse_sunset(&json!("2030-01-31T10:00:00Z")).is_some());
        assert!(parse_sunset(&json!("31/01/2030")).is_none());
        assert!(parse_sunset(&json!(20300131)).is_none());
    }
}
