//! The family's rule ids (as in oasdiff-rule-ids.tsv) and, per change kind, the rule
//! for each place.

use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SiteRules, Where};

/// A 'contains' subschema was added.
pub const CONTAINS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTAINS_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_CONTAINS_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_CONTAINS_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_CONTAINS_ADDED),
];

/// A 'contains' subschema was removed.
pub const CONTAINS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTAINS_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_CONTAINS_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_CONTAINS_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_CONTAINS_REMOVED),
];

/// A 'contentSchema' was added.
pub const CONTENT_SCHEMA_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_SCHEMA_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_SCHEMA_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_SCHEMA_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_SCHEMA_ADDED,
    ),
];

/// A 'contentSchema' was removed.
pub const CONTENT_SCHEMA_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_SCHEMA_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_SCHEMA_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_SCHEMA_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_SCHEMA_REMOVED,
    ),
];

/// A 'dependentSchemas' entry was added.
pub const DEPENDENT_SCHEMA_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_SCHEMA_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_SCHEMA_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_SCHEMA_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_SCHEMA_ADDED,
    ),
];

/// A 'dependentSchemas' entry was removed.
pub const DEPENDENT_SCHEMA_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_SCHEMA_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_SCHEMA_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_SCHEMA_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_SCHEMA_REMOVED,
    ),
];

/// An 'if' subschema was added.
pub const IF_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_IF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_IF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_IF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_IF_ADDED),
];

/// An 'if' subschema was removed.
pub const IF_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_IF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_IF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_IF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_IF_REMOVED),
];

/// A 'then' subschema was added.
pub const THEN_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_THEN_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_THEN_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_THEN_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_THEN_ADDED),
];

/// A 'then' subschema was removed.
pub const THEN_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_THEN_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_THEN_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_THEN_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_THEN_REMOVED),
];

/// An 'else' subschema was added.
pub const ELSE_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_ELSE_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ELSE_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ELSE_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ELSE_ADDED),
];

/// An 'else' subschema was removed.
pub const ELSE_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_ELSE_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ELSE_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ELSE_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ELSE_REMOVED),
];

/// A 'patternProperties' entry was added.
pub const PATTERN_PROPERTY_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PATTERN_PROPERTY_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PATTERN_PROPERTY_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PATTERN_PROPERTY_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PATTERN_PROPERTY_ADDED,
    ),
];

/// A 'patternProperties' entry was removed.
pub const PATTERN_PROPERTY_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PATTERN_PROPERTY_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PATTERN_PROPERTY_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PATTERN_PROPERTY_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PATTERN_PROPERTY_REMOVED,
    ),
];

/// A 'prefixItems' position was added.
pub const PREFIX_ITEMS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PREFIX_ITEMS_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_PREFIX_ITEMS_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_PREFIX_ITEMS_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PREFIX_ITEMS_ADDED,
    ),
];

/// A 'prefixItems' position was removed.
pub const PREFIX_ITEMS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PREFIX_ITEMS_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PREFIX_ITEMS_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PREFIX_ITEMS_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PREFIX_ITEMS_REMOVED,
    ),
];

/// A 'propertyNames' subschema was added.
pub const PROPERTY_NAMES_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PROPERTY_NAMES_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PROPERTY_NAMES_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PROPERTY_NAMES_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PROPERTY_NAMES_ADDED,
    ),
];

/// A 'propertyNames' subschema was removed.
pub const PROPERTY_NAMES_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_PROPERTY_NAMES_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_PROPERTY_NAMES_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_PROPERTY_NAMES_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_PROPERTY_NAMES_REMOVED,
    ),
];

/// An 'unevaluatedItems' constraint was added.
pub const UNEVALUATED_ITEMS_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_UNEVALUATED_ITEMS_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_ITEMS_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_UNEVALUATED_ITEMS_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_ITEMS_ADDED,
    ),
];

/// An 'unevaluatedItems' constraint was removed.
pub const UNEVALUATED_ITEMS_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_UNEVALUATED_ITEMS_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_ITEMS_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_ITEMS_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_ITEMS_REMOVED,
    ),
];

/// An 'unevaluatedProperties' constraint was added.
pub const UNEVALUATED_PROPERTIES_ADDED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_PROPERTIES_ADDED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_ADDED,
    ),
];

/// An 'unevaluatedProperties' constraint was removed.
pub const UNEVALUATED_PROPERTIES_REMOVED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED,
    ),
];

/// A 'dependentRequired' entry was added.
pub const DEPENDENT_REQUIRED_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DEPENDENT_REQUIRED_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_ADDED,
    ),
];

/// A 'dependentRequired' entry was removed.
pub const DEPENDENT_REQUIRED_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_REMOVED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DEPENDENT_REQUIRED_REMOVED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_REMOVED,
    ),
];

/// A 'dependentRequired' entry changed.
pub const DEPENDENT_REQUIRED_CHANGED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DEPENDENT_REQUIRED_CHANGED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DEPENDENT_REQUIRED_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DEPENDENT_REQUIRED_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DEPENDENT_REQUIRED_CHANGED,
    ),
];

/// The 'contentEncoding' changed.
pub const CONTENT_ENCODING_CHANGED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_CONTENT_ENCODING_CHANGED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_CONTENT_ENCODING_CHANGED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_CONTENT_ENCODING_CHANGED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_CONTENT_ENCODING_CHANGED,
    ),
];

rule_table! {
    REQUEST_BODY_CONTAINS_ADDED = "request-body-contains-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a request body", "added a 'contains' subschema{1} to {0}";
    REQUEST_PROPERTY_CONTAINS_ADDED = "request-property-contains-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a request property", "added a 'contains' subschema{1} to {0}";
    RESPONSE_BODY_CONTAINS_ADDED = "response-body-contains-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a response body", "added a 'contains' subschema{1} to {0}";
    RESPONSE_PROPERTY_CONTAINS_ADDED = "response-property-contains-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was added to a response property", "added a 'contains' subschema{1} to {0}";
    REQUEST_BODY_CONTAINS_REMOVED = "request-body-contains-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a request body", "removed a 'contains' subschema{1} from {0}";
    REQUEST_PROPERTY_CONTAINS_REMOVED = "request-property-contains-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a request property", "removed a 'contains' subschema{1} from {0}";
    RESPONSE_BODY_CONTAINS_REMOVED = "response-body-contains-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a response body", "removed a 'contains' subschema{1} from {0}";
    RESPONSE_PROPERTY_CONTAINS_REMOVED = "response-property-contains-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contains' subschema was removed from a response property", "removed a 'contains' subschema{1} from {0}";
    REQUEST_BODY_CONTENT_SCHEMA_ADDED = "request-body-content-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a request body", "added a 'contentSchema'{1} to {0}";
    REQUEST_PROPERTY_CONTENT_SCHEMA_ADDED = "request-property-content-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a request property", "added a 'contentSchema'{1} to {0}";
    RESPONSE_BODY_CONTENT_SCHEMA_ADDED = "response-body-content-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a response body", "added a 'contentSchema'{1} to {0}";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_ADDED = "response-property-content-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was added to a response property", "added a 'contentSchema'{1} to {0}";
    REQUEST_BODY_CONTENT_SCHEMA_REMOVED = "request-body-content-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a request body", "removed a 'contentSchema'{1} from {0}";
    REQUEST_PROPERTY_CONTENT_SCHEMA_REMOVED = "request-property-content-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a request property", "removed a 'contentSchema'{1} from {0}";
    RESPONSE_BODY_CONTENT_SCHEMA_REMOVED = "response-body-content-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a response body", "removed a 'contentSchema'{1} from {0}";
    RESPONSE_PROPERTY_CONTENT_SCHEMA_REMOVED = "response-property-content-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'contentSchema' was removed from a response property", "removed a 'contentSchema'{1} from {0}";
    REQUEST_BODY_DEPENDENT_SCHEMA_ADDED = "request-body-dependent-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a request body", "added a 'dependentSchemas' entry{1} to {0}";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_ADDED = "request-property-dependent-schema-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a request property", "added a 'dependentSchemas' entry{1} to {0}";
    RESPONSE_BODY_DEPENDENT_SCHEMA_ADDED = "response-body-dependent-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a response body", "added a 'dependentSchemas' entry{1} to {0}";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_ADDED = "response-property-dependent-schema-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was added to a response property", "added a 'dependentSchemas' entry{1} to {0}";
    REQUEST_BODY_DEPENDENT_SCHEMA_REMOVED = "request-body-dependent-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a request body", "removed a 'dependentSchemas' entry{1} from {0}";
    REQUEST_PROPERTY_DEPENDENT_SCHEMA_REMOVED = "request-property-dependent-schema-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a request property", "removed a 'dependentSchemas' entry{1} from {0}";
    RESPONSE_BODY_DEPENDENT_SCHEMA_REMOVED = "response-body-dependent-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a response body", "removed a 'dependentSchemas' entry{1} from {0}";
    RESPONSE_PROPERTY_DEPENDENT_SCHEMA_REMOVED = "response-property-dependent-schema-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentSchemas' entry was removed from a response property", "removed a 'dependentSchemas' entry{1} from {0}";
    REQUEST_BODY_IF_ADDED = "request-body-if-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a request body", "added an 'if' subschema{1} to {0}";
    REQUEST_PROPERTY_IF_ADDED = "request-property-if-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a request property", "added an 'if' subschema{1} to {0}";
    RESPONSE_BODY_IF_ADDED = "response-body-if-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a response body", "added an 'if' subschema{1} to {0}";
    RESPONSE_PROPERTY_IF_ADDED = "response-property-if-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was added to a response property", "added an 'if' subschema{1} to {0}";
    REQUEST_BODY_IF_REMOVED = "request-body-if-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a request body", "removed an 'if' subschema{1} from {0}";
    REQUEST_PROPERTY_IF_REMOVED = "request-property-if-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a request property", "removed an 'if' subschema{1} from {0}";
    RESPONSE_BODY_IF_REMOVED = "response-body-if-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a response body", "removed an 'if' subschema{1} from {0}";
    RESPONSE_PROPERTY_IF_REMOVED = "response-property-if-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'if' subschema was removed from a response property", "removed an 'if' subschema{1} from {0}";
    REQUEST_BODY_THEN_ADDED = "request-body-then-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a request body", "added a 'then' subschema{1} to {0}";
    REQUEST_PROPERTY_THEN_ADDED = "request-property-then-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a request property", "added a 'then' subschema{1} to {0}";
    RESPONSE_BODY_THEN_ADDED = "response-body-then-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a response body", "added a 'then' subschema{1} to {0}";
    RESPONSE_PROPERTY_THEN_ADDED = "response-property-then-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was added to a response property", "added a 'then' subschema{1} to {0}";
    REQUEST_BODY_THEN_REMOVED = "request-body-then-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a request body", "removed a 'then' subschema{1} from {0}";
    REQUEST_PROPERTY_THEN_REMOVED = "request-property-then-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a request property", "removed a 'then' subschema{1} from {0}";
    RESPONSE_BODY_THEN_REMOVED = "response-body-then-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a response body", "removed a 'then' subschema{1} from {0}";
    RESPONSE_PROPERTY_THEN_REMOVED = "response-property-then-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'then' subschema was removed from a response property", "removed a 'then' subschema{1} from {0}";
    REQUEST_BODY_ELSE_ADDED = "request-body-else-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a request body", "added an 'else' subschema{1} to {0}";
    REQUEST_PROPERTY_ELSE_ADDED = "request-property-else-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a request property", "added an 'else' subschema{1} to {0}";
    RESPONSE_BODY_ELSE_ADDED = "response-body-else-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a response body", "added an 'else' subschema{1} to {0}";
    RESPONSE_PROPERTY_ELSE_ADDED = "response-property-else-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was added to a response property", "added an 'else' subschema{1} to {0}";
    REQUEST_BODY_ELSE_REMOVED = "request-body-else-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a request body", "removed an 'else' subschema{1} from {0}";
    REQUEST_PROPERTY_ELSE_REMOVED = "request-property-else-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a request property", "removed an 'else' subschema{1} from {0}";
    RESPONSE_BODY_ELSE_REMOVED = "response-body-else-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a response body", "removed an 'else' subschema{1} from {0}";
    RESPONSE_PROPERTY_ELSE_REMOVED = "response-property-else-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'else' subschema was removed from a response property", "removed an 'else' subschema{1} from {0}";
    REQUEST_BODY_PATTERN_PROPERTY_ADDED = "request-body-pattern-property-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a request body", "added a 'patternProperties' entry{1} to {0}";
    REQUEST_PROPERTY_PATTERN_PROPERTY_ADDED = "request-property-pattern-property-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a request property", "added a 'patternProperties' entry{1} to {0}";
    RESPONSE_BODY_PATTERN_PROPERTY_ADDED = "response-body-pattern-property-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a response body", "added a 'patternProperties' entry{1} to {0}";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_ADDED = "response-property-pattern-property-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was added to a response property", "added a 'patternProperties' entry{1} to {0}";
    REQUEST_BODY_PATTERN_PROPERTY_REMOVED = "request-body-pattern-property-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a request body", "removed a 'patternProperties' entry{1} from {0}";
    REQUEST_PROPERTY_PATTERN_PROPERTY_REMOVED = "request-property-pattern-property-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a request property", "removed a 'patternProperties' entry{1} from {0}";
    RESPONSE_BODY_PATTERN_PROPERTY_REMOVED = "response-body-pattern-property-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a response body", "removed a 'patternProperties' entry{1} from {0}";
    RESPONSE_PROPERTY_PATTERN_PROPERTY_REMOVED = "response-property-pattern-property-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'patternProperties' entry was removed from a response property", "removed a 'patternProperties' entry{1} from {0}";
    REQUEST_BODY_PREFIX_ITEMS_ADDED = "request-body-prefix-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a request body", "added a 'prefixItems' position{1} to {0}";
    REQUEST_PROPERTY_PREFIX_ITEMS_ADDED = "request-property-prefix-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a request property", "added a 'prefixItems' position{1} to {0}";
    RESPONSE_BODY_PREFIX_ITEMS_ADDED = "response-body-prefix-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a response body", "added a 'prefixItems' position{1} to {0}";
    RESPONSE_PROPERTY_PREFIX_ITEMS_ADDED = "response-property-prefix-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was added to a response property", "added a 'prefixItems' position{1} to {0}";
    REQUEST_BODY_PREFIX_ITEMS_REMOVED = "request-body-prefix-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a request body", "removed a 'prefixItems' position{1} from {0}";
    REQUEST_PROPERTY_PREFIX_ITEMS_REMOVED = "request-property-prefix-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a request property", "removed a 'prefixItems' position{1} from {0}";
    RESPONSE_BODY_PREFIX_ITEMS_REMOVED = "response-body-prefix-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a response body", "removed a 'prefixItems' position{1} from {0}";
    RESPONSE_PROPERTY_PREFIX_ITEMS_REMOVED = "response-property-prefix-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'prefixItems' position was removed from a response property", "removed a 'prefixItems' position{1} from {0}";
    REQUEST_BODY_PROPERTY_NAMES_ADDED = "request-body-property-names-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a request body", "added a 'propertyNames' subschema{1} to {0}";
    REQUEST_PROPERTY_PROPERTY_NAMES_ADDED = "request-property-property-names-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a request property", "added a 'propertyNames' subschema{1} to {0}";
    RESPONSE_BODY_PROPERTY_NAMES_ADDED = "response-body-property-names-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a response body", "added a 'propertyNames' subschema{1} to {0}";
    RESPONSE_PROPERTY_PROPERTY_NAMES_ADDED = "response-property-property-names-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was added to a response property", "added a 'propertyNames' subschema{1} to {0}";
    REQUEST_BODY_PROPERTY_NAMES_REMOVED = "request-body-property-names-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a request body", "removed a 'propertyNames' subschema{1} from {0}";
    REQUEST_PROPERTY_PROPERTY_NAMES_REMOVED = "request-property-property-names-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a request property", "removed a 'propertyNames' subschema{1} from {0}";
    RESPONSE_BODY_PROPERTY_NAMES_REMOVED = "response-body-property-names-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a response body", "removed a 'propertyNames' subschema{1} from {0}";
    RESPONSE_PROPERTY_PROPERTY_NAMES_REMOVED = "response-property-property-names-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'propertyNames' subschema was removed from a response property", "removed a 'propertyNames' subschema{1} from {0}";
    REQUEST_BODY_UNEVALUATED_ITEMS_ADDED = "request-body-unevaluated-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a request body", "added an 'unevaluatedItems' constraint{1} to {0}";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_ADDED = "request-property-unevaluated-items-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a request property", "added an 'unevaluatedItems' constraint{1} to {0}";
    RESPONSE_BODY_UNEVALUATED_ITEMS_ADDED = "response-body-unevaluated-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a response body", "added an 'unevaluatedItems' constraint{1} to {0}";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_ADDED = "response-property-unevaluated-items-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was added to a response property", "added an 'unevaluatedItems' constraint{1} to {0}";
    REQUEST_BODY_UNEVALUATED_ITEMS_REMOVED = "request-body-unevaluated-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a request body", "removed an 'unevaluatedItems' constraint{1} from {0}";
    REQUEST_PROPERTY_UNEVALUATED_ITEMS_REMOVED = "request-property-unevaluated-items-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a request property", "removed an 'unevaluatedItems' constraint{1} from {0}";
    RESPONSE_BODY_UNEVALUATED_ITEMS_REMOVED = "response-body-unevaluated-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a response body", "removed an 'unevaluatedItems' constraint{1} from {0}";
    RESPONSE_PROPERTY_UNEVALUATED_ITEMS_REMOVED = "response-property-unevaluated-items-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedItems' constraint was removed from a response property", "removed an 'unevaluatedItems' constraint{1} from {0}";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_ADDED = "request-body-unevaluated-properties-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a request body", "added an 'unevaluatedProperties' constraint{1} to {0}";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_ADDED = "request-property-unevaluated-properties-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a request property", "added an 'unevaluatedProperties' constraint{1} to {0}";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_ADDED = "response-body-unevaluated-properties-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a response body", "added an 'unevaluatedProperties' constraint{1} to {0}";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_ADDED = "response-property-unevaluated-properties-added", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was added to a response property", "added an 'unevaluatedProperties' constraint{1} to {0}";
    REQUEST_BODY_UNEVALUATED_PROPERTIES_REMOVED = "request-body-unevaluated-properties-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a request body", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    REQUEST_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED = "request-property-unevaluated-properties-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a request property", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    RESPONSE_BODY_UNEVALUATED_PROPERTIES_REMOVED = "response-body-unevaluated-properties-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a response body", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    RESPONSE_PROPERTY_UNEVALUATED_PROPERTIES_REMOVED = "response-property-unevaluated-properties-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "An 'unevaluatedProperties' constraint was removed from a response property", "removed an 'unevaluatedProperties' constraint{1} from {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_ADDED = "request-body-dependent-required-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a request body", "added a 'dependentRequired' entry{1} to {0}";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_ADDED = "request-property-dependent-required-added", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a request property", "added a 'dependentRequired' entry{1} to {0}";
    RESPONSE_BODY_DEPENDENT_REQUIRED_ADDED = "response-body-dependent-required-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a response body", "added a 'dependentRequired' entry{1} to {0}";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_ADDED = "response-property-dependent-required-added", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was added to a response property", "added a 'dependentRequired' entry{1} to {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_REMOVED = "request-body-dependent-required-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a request body", "removed a 'dependentRequired' entry{1} from {0}";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_REMOVED = "request-property-dependent-required-removed", Info, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a request property", "removed a 'dependentRequired' entry{1} from {0}";
    RESPONSE_BODY_DEPENDENT_REQUIRED_REMOVED = "response-body-dependent-required-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a response body", "removed a 'dependentRequired' entry{1} from {0}";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_REMOVED = "response-property-dependent-required-removed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry was removed from a response property", "removed a 'dependentRequired' entry{1} from {0}";
    REQUEST_BODY_DEPENDENT_REQUIRED_CHANGED = "request-body-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a request body changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    REQUEST_PROPERTY_DEPENDENT_REQUIRED_CHANGED = "request-property-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a request property changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    RESPONSE_BODY_DEPENDENT_REQUIRED_CHANGED = "response-body-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a response body changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    RESPONSE_PROPERTY_DEPENDENT_REQUIRED_CHANGED = "response-property-dependent-required-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "A 'dependentRequired' entry of a response property changed", "changed the 'dependentRequired' entry{1} of {0} from [{2}] to [{3}]";
    REQUEST_BODY_CONTENT_ENCODING_CHANGED = "request-body-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a request body changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    REQUEST_PROPERTY_CONTENT_ENCODING_CHANGED = "request-property-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a request property changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    RESPONSE_BODY_CONTENT_ENCODING_CHANGED = "response-body-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a response body changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
    RESPONSE_PROPERTY_CONTENT_ENCODING_CHANGED = "response-property-content-encoding-changed", Breaking, "JSON Schema 2020-12 keywords (3.1)", "The 'contentEncoding' of a response property changed", "changed the 'contentEncoding' of {0} from '{1}' to '{2}'";
}
