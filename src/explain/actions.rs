//! What a client must do about one root cause: a table from rule id patterns to
//! imperative sentences. `{name}` is the first quoted name of the group's message
//! (dotted), `{msg}` the message itself; the first matching row wins.

use crate::diff::{ChangeGroup, Level};

use super::summary::{dotted, subject};

/// (rule id pattern with at most one `*`, sentence).
const ACTIONS: &[(&str, &str)] = &[
    (
        "api-path-removed-without-deprecation",
        "stop calling the endpoint: it was removed without deprecation",
    ),
    (
        "api-removed-without-deprecation",
        "stop calling the endpoint: it was removed without deprecation",
    ),
    (
        "api-path-removed-with-deprecation",
        "stop calling the endpoint: it was deprecated and is now removed",
    ),
    (
        "api-removed-with-deprecation",
        "stop calling the endpoint: it was deprecated and is now removed",
    ),
    (
        "api-*removed-before-sunset",
        "stop calling the endpoint: it was removed before its sunset date",
    ),
    ("endpoint-added", "new endpoint available"),
    (
        "endpoint-deprecated*",
        "plan to move off the endpoint: it is deprecated",
    ),
    (
        "request-parameter-removed-with-deprecation",
        "stop sending `{name}`: it was deprecated and is now removed",
    ),
    (
        "request-parameter-removed-before-sunset",
        "stop sending `{name}`: it was removed before its sunset date",
    ),
    (
        "request-parameter-removed",
        "stop sending `{name}`: it was removed",
    ),
    (
        "request-property-removed",
        "stop sending `{name}`: it was removed",
    ),
    (
        "new-required-request-*",
        "send `{name}`: it is now required",
    ),
    (
        "request-*-became-required",
        "always send `{name}`: it became required",
    ),
    (
        "request-body-became-required",
        "always send a request body: it became required",
    ),
    (
        "request-*-enum-value-removed",
        "stop sending the removed value of `{name}`: {msg}",
    ),
    (
        "request-*-max-length-decreased",
        "keep `{name}` within the new maximum length: {msg}",
    ),
    (
        "request-*-max-*decreased",
        "keep `{name}` within the new maximum: {msg}",
    ),
    (
        "request-*-min-*increased",
        "keep `{name}` above the new minimum: {msg}",
    ),
    (
        "request-*-type-changed",
        "send `{name}` with its new type: {msg}",
    ),
    (
        "request-*-pattern-*",
        "check that values of `{name}` match the new pattern: {msg}",
    ),
    (
        "request-*-one-of-ambiguous",
        "check values of `{name}`: {msg}",
    ),
    ("response-*-became-nullable", "handle `null` in `{name}`"),
    (
        "response-*-became-optional",
        "handle `{name}` being absent: it became optional",
    ),
    (
        "response-required-property-removed",
        "stop reading `{name}`: it was removed",
    ),
    (
        "response-optional-property-removed",
        "stop reading `{name}`: it was removed",
    ),
    (
        "response-*-enum-value-added",
        "handle new values of `{name}`: {msg}",
    ),
    (
        "response-*-type-changed",
        "read `{name}` with its new type: {msg}",
    ),
    (
        "response-*-max-*increased",
        "accept longer or larger values of `{name}`: {msg}",
    ),
    (
        "response-*-any-of-added",
        "handle the new form of `{name}`: {msg}",
    ),
    (
        "response-*-one-of-added",
        "handle the new form of `{name}`: {msg}",
    ),
    (
        "response-success-status-removed",
        "stop expecting the removed success status: {msg}",
    ),
    (
        "response-media-type-removed",
        "stop expecting the removed media type: {msg}",
    ),
    ("*-security-removed", "check authentication: {msg}"),
    ("*-security-added", "send the new credentials: {msg}"),
    ("*-deprecated*", "plan for the removal of `{name}`: {msg}"),
];

/// The sentence for one group, without its operations.
pub fn action(g: &ChangeGroup) -> String {
    let name = subject(&g.message).map(dotted);
    for (pattern, text) in ACTIONS {
        if !matches(pattern, &g.id) || (text.contains("{name}") && name.is_none()) {
            continue;
        }
        return text
            .replace("{name}", name.as_deref().unwrap_or(""))
            .replace("{msg}", &g.message);
    }
    match g.level {
        Level::Breaking => format!("adapt to the change: {}", g.message),
        Level::Warning => format!("check: {}", g.message),
        Level::Info => g.message.clone(),
    }
}

/// `prefix*suffix` (or an exact id) against `id`.
fn matches(pattern: &str, id: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == id,
        Some((pre, post)) => {
            id.len() >= pre.len() + post.len() && id.starts_with(pre) && id.ends_with(post)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str, message: &str) -> ChangeGroup {
        ChangeGroup {
            id: id.into(),
            level: Level::Breaking,
            pointer: String::new(),
            message: message.into(),
            operations: vec![],
            operation_count: 0,
        }
    }

    #[test]
    fn actions_name_what_a_client_must_do() {
        let g = group(
            "response-property-became-nullable",
            "the response property 'customer/subscriptions' for status 200 became nullable",
        );
        assert_eq!(action(&g), "handle `null` in `customer.subscriptions`");
        let g = group(
            "request-property-max-length-decreased",
            "the request property 'lookup_key' max length decreased from 5000 to 200",
        );
        assert!(action(&g).starts_with("keep `lookup_key` within the new maximum length"));
        // A row needing a name is skipped when the message names none.
        let g = group(
            "request-body-became-required",
            "the request body became required",
        );
        assert_eq!(action(&g), "always send a request body: it became required");
        let g = group("something-new", "x changed");
        assert_eq!(action(&g), "adapt to the change: x changed");
        assert!(matches(
            "request-*-became-required",
            "request-parameter-became-required"
        ));
        assert!(!matches("request-*-x", "request-x"));
    }
}
