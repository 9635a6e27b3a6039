//! The composition family's rule tables, by place.

use crate::diff::rules::rule_def::rule_table;
use crate::diff::schema::{SiteRules, Where};

/// A request value became a `oneOf` with several branches taking every old value (at a
/// body's root the types family reports `request-body-wrapped-in-one-of`).
pub const ONE_OF_AMBIGUOUS: &SiteRules = &[
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_AMBIGUOUS),
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_AMBIGUOUS),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_AMBIGUOUS,
    ),
];

/// A request value became an `anyOf` / `oneOf` that rejects some old values.
pub const COMPOSITION_NARROWED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_COMPOSITION_NARROWED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_COMPOSITION_NARROWED,
    ),
    (
        Where::RequestParameter,
        &REQUEST_PARAMETER_COMPOSITION_NARROWED,
    ),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_COMPOSITION_NARROWED,
    ),
];

/// A subschema was added to `oneOf`.
pub const ONE_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ONE_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ONE_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ONE_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ONE_OF_ADDED),
];

/// A subschema was removed from `oneOf`.
pub const ONE_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ONE_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ONE_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ONE_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ONE_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ONE_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ONE_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ONE_OF_REMOVED),
];

/// A subschema was added to `anyOf`.
pub const ANY_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ANY_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ANY_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ANY_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ANY_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ANY_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ANY_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ANY_OF_ADDED),
];

/// A subschema was removed from `anyOf`.
pub const ANY_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ANY_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ANY_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ANY_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ANY_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ANY_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ANY_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ANY_OF_REMOVED),
];

/// A subschema was added to `allOf`.
pub const ALL_OF_ADDED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ALL_OF_ADDED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ALL_OF_ADDED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ALL_OF_ADDED),
    (Where::RequestBody, &REQUEST_BODY_ALL_OF_ADDED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ALL_OF_ADDED),
    (Where::ResponseBody, &RESPONSE_BODY_ALL_OF_ADDED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ALL_OF_ADDED),
];

/// A subschema was removed from `allOf`.
pub const ALL_OF_REMOVED: &SiteRules = &[
    (Where::RequestParameter, &REQUEST_PARAMETER_ALL_OF_REMOVED),
    (
        Where::RequestParameterProperty,
        &REQUEST_PARAMETER_ALL_OF_REMOVED,
    ),
    (Where::ResponseHeader, &RESPONSE_HEADER_ALL_OF_REMOVED),
    (Where::RequestBody, &REQUEST_BODY_ALL_OF_REMOVED),
    (Where::RequestProperty, &REQUEST_PROPERTY_ALL_OF_REMOVED),
    (Where::ResponseBody, &RESPONSE_BODY_ALL_OF_REMOVED),
    (Where::ResponseProperty, &RESPONSE_PROPERTY_ALL_OF_REMOVED),
];

/// An annotation-only subschema was added to `allOf`.
pub const ALL_OF_ADDED_ANNOTATION_ONLY: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY,
    ),
];

/// An annotation-only subschema was removed from `allOf`.
pub const ALL_OF_REMOVED_ANNOTATION_ONLY: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY,
    ),
];

/// A discriminator was added.
pub const DISCRIMINATOR_ADDED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DISCRIMINATOR_ADDED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_ADDED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DISCRIMINATOR_ADDED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_ADDED,
    ),
];

/// A discriminator was removed.
pub const DISCRIMINATOR_REMOVED: &SiteRules = &[
    (Where::RequestBody, &REQUEST_BODY_DISCRIMINATOR_REMOVED),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_REMOVED,
    ),
    (Where::ResponseBody, &RESPONSE_BODY_DISCRIMINATOR_REMOVED),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED,
    ),
];

/// The discriminator property name changed.
pub const DISCRIMINATOR_PROPERTY_NAME_CHANGED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED,
    ),
];

/// A discriminator mapping entry was added.
pub const DISCRIMINATOR_MAPPING_ADDED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED,
    ),
];

/// A discriminator mapping entry was deleted.
pub const DISCRIMINATOR_MAPPING_DELETED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED,
    ),
];

/// A discriminator mapping entry points elsewhere.
pub const DISCRIMINATOR_MAPPING_CHANGED: &SiteRules = &[
    (
        Where::RequestBody,
        &REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::ResponseBody,
        &RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED,
    ),
];

rule_table! {
    REQUEST_BODY_COMPOSITION_NARROWED = "request-body-composition-narrowed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request body became an anyOf/oneOf that rejects some values it accepted before (specwatch)", "{0} became a {1} that no longer takes every value it accepted before: no subschema (nor the subschemas together) covers the old schema";
    REQUEST_PROPERTY_COMPOSITION_NARROWED = "request-property-composition-narrowed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request property became an anyOf/oneOf that rejects some values it accepted before (specwatch)", "{0} became a {1} that no longer takes every value it accepted before: no subschema (nor the subschemas together) covers the old schema";
    REQUEST_PARAMETER_COMPOSITION_NARROWED = "request-parameter-composition-narrowed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request parameter became an anyOf/oneOf that rejects some values it accepted before (specwatch)", "{0} became a {1} that no longer takes every value it accepted before: no subschema (nor the subschemas together) covers the old schema";
    REQUEST_PARAMETER_ONE_OF_ADDED = "request-parameter-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request parameter (specwatch)", "added the oneOf subschema {1} to {0}";
    REQUEST_PARAMETER_ONE_OF_REMOVED = "request-parameter-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request parameter (specwatch)", "removed the oneOf subschema {1} from {0}";
    RESPONSE_HEADER_ONE_OF_ADDED = "response-header-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response header (specwatch)", "added the oneOf subschema {1} to {0}";
    RESPONSE_HEADER_ONE_OF_REMOVED = "response-header-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response header (specwatch)", "removed the oneOf subschema {1} from {0}";
    REQUEST_PARAMETER_ANY_OF_ADDED = "request-parameter-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request parameter (specwatch)", "added the anyOf subschema {1} to {0}";
    REQUEST_PARAMETER_ANY_OF_REMOVED = "request-parameter-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request parameter (specwatch)", "removed the anyOf subschema {1} from {0}";
    RESPONSE_HEADER_ANY_OF_ADDED = "response-header-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response header (specwatch)", "added the anyOf subschema {1} to {0}";
    RESPONSE_HEADER_ANY_OF_REMOVED = "response-header-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response header (specwatch)", "removed the anyOf subschema {1} from {0}";
    REQUEST_PARAMETER_ALL_OF_ADDED = "request-parameter-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request parameter (specwatch)", "added the allOf subschema {1} to {0}";
    REQUEST_PARAMETER_ALL_OF_REMOVED = "request-parameter-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request parameter (specwatch)", "removed the allOf subschema {1} from {0}";
    RESPONSE_HEADER_ALL_OF_ADDED = "response-header-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response header (specwatch)", "added the allOf subschema {1} to {0}";
    RESPONSE_HEADER_ALL_OF_REMOVED = "response-header-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response header (specwatch)", "removed the allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ONE_OF_AMBIGUOUS = "request-property-one-of-ambiguous", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request property became a oneOf whose branches both accept old values, so oneOf rejects them (specwatch)", "{0} became a oneOf whose subschemas {1} accept old values; oneOf rejects a value matching more than one";
    REQUEST_PARAMETER_ONE_OF_AMBIGUOUS = "request-parameter-one-of-ambiguous", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A request parameter became a oneOf whose branches both accept old values, so oneOf rejects them (specwatch)", "{0} became a oneOf whose subschemas {1} accept old values; oneOf rejects a value matching more than one";
    REQUEST_BODY_ONE_OF_ADDED = "request-body-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request body", "added the oneOf subschema {1} to {0}";
    REQUEST_PROPERTY_ONE_OF_ADDED = "request-property-one-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a request property", "added the oneOf subschema {1} to {0}";
    RESPONSE_BODY_ONE_OF_ADDED = "response-body-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response body", "added the oneOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ONE_OF_ADDED = "response-property-one-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was added to a response property", "added the oneOf subschema {1} to {0}";
    REQUEST_BODY_ONE_OF_REMOVED = "request-body-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request body", "removed the oneOf subschema {1} from {0}";
    REQUEST_PROPERTY_ONE_OF_REMOVED = "request-property-one-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a request property", "removed the oneOf subschema {1} from {0}";
    RESPONSE_BODY_ONE_OF_REMOVED = "response-body-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response body", "removed the oneOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ONE_OF_REMOVED = "response-property-one-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A oneOf subschema was removed from a response property", "removed the oneOf subschema {1} from {0}";
    REQUEST_BODY_ANY_OF_ADDED = "request-body-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request body", "added the anyOf subschema {1} to {0}";
    REQUEST_PROPERTY_ANY_OF_ADDED = "request-property-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a request property", "added the anyOf subschema {1} to {0}";
    RESPONSE_BODY_ANY_OF_ADDED = "response-body-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response body", "added the anyOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ANY_OF_ADDED = "response-property-any-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was added to a response property", "added the anyOf subschema {1} to {0}";
    REQUEST_BODY_ANY_OF_REMOVED = "request-body-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request body", "removed the anyOf subschema {1} from {0}";
    REQUEST_PROPERTY_ANY_OF_REMOVED = "request-property-any-of-removed", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a request property", "removed the anyOf subschema {1} from {0}";
    RESPONSE_BODY_ANY_OF_REMOVED = "response-body-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response body", "removed the anyOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ANY_OF_REMOVED = "response-property-any-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A anyOf subschema was removed from a response property", "removed the anyOf subschema {1} from {0}";
    REQUEST_BODY_ALL_OF_ADDED = "request-body-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request body", "added the allOf subschema {1} to {0}";
    REQUEST_PROPERTY_ALL_OF_ADDED = "request-property-all-of-added", Breaking, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a request property", "added the allOf subschema {1} to {0}";
    RESPONSE_BODY_ALL_OF_ADDED = "response-body-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response body", "added the allOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ALL_OF_ADDED = "response-property-all-of-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was added to a response property", "added the allOf subschema {1} to {0}";
    REQUEST_BODY_ALL_OF_REMOVED = "request-body-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request body", "removed the allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ALL_OF_REMOVED = "request-property-all-of-removed", Warning, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a request property", "removed the allOf subschema {1} from {0}";
    RESPONSE_BODY_ALL_OF_REMOVED = "response-body-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response body", "removed the allOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ALL_OF_REMOVED = "response-property-all-of-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A allOf subschema was removed from a response property", "removed the allOf subschema {1} from {0}";
    REQUEST_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-body-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a request body", "added the annotation-only allOf subschema {1} to {0}";
    REQUEST_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "request-property-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a request property", "added the annotation-only allOf subschema {1} to {0}";
    RESPONSE_BODY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-body-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a response body", "added the annotation-only allOf subschema {1} to {0}";
    RESPONSE_PROPERTY_ALL_OF_ADDED_ANNOTATION_ONLY = "response-property-all-of-added-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was added to a response property", "added the annotation-only allOf subschema {1} to {0}";
    REQUEST_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-body-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a request body", "removed the annotation-only allOf subschema {1} from {0}";
    REQUEST_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "request-property-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a request property", "removed the annotation-only allOf subschema {1} from {0}";
    RESPONSE_BODY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-body-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a response body", "removed the annotation-only allOf subschema {1} from {0}";
    RESPONSE_PROPERTY_ALL_OF_REMOVED_ANNOTATION_ONLY = "response-property-all-of-removed-annotation-only", Info, "composition: allOf/anyOf/oneOf/discriminator", "An allOf subschema holding only annotations was removed from a response property", "removed the annotation-only allOf subschema {1} from {0}";
    REQUEST_BODY_DISCRIMINATOR_ADDED = "request-body-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a request body", "added a discriminator on property '{1}' to {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_ADDED = "request-property-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a request property", "added a discriminator on property '{1}' to {0}";
    RESPONSE_BODY_DISCRIMINATOR_ADDED = "response-body-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a response body", "added a discriminator on property '{1}' to {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_ADDED = "response-property-discriminator-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator was added to a response property", "added a discriminator on property '{1}' to {0}";
    REQUEST_BODY_DISCRIMINATOR_REMOVED = "request-body-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a request body", "removed the discriminator on property '{1}' from {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_REMOVED = "request-property-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a request property", "removed the discriminator on property '{1}' from {0}";
    RESPONSE_BODY_DISCRIMINATOR_REMOVED = "response-body-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a response body", "removed the discriminator on property '{1}' from {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_REMOVED = "response-property-discriminator-removed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator was removed from a response property", "removed the discriminator on property '{1}' from {0}";
    REQUEST_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-body-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a request body changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    REQUEST_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "request-property-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a request property changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    RESPONSE_BODY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-body-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a response body changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    RESPONSE_PROPERTY_DISCRIMINATOR_PROPERTY_NAME_CHANGED = "response-property-discriminator-property-name-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "The discriminator property name of a response property changed", "changed the discriminator property of {0} from '{1}' to '{2}'";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_ADDED = "request-body-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a request body", "added the discriminator mapping '{1}' to '{2}' in {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "request-property-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a request property", "added the discriminator mapping '{1}' to '{2}' in {0}";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_ADDED = "response-body-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a response body", "added the discriminator mapping '{1}' to '{2}' in {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_ADDED = "response-property-discriminator-mapping-added", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was added to a response property", "added the discriminator mapping '{1}' to '{2}' in {0}";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_DELETED = "request-body-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a request body", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "request-property-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a request property", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_DELETED = "response-body-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a response body", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_DELETED = "response-property-discriminator-mapping-deleted", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry was deleted from a response property", "deleted the discriminator mapping '{1}' (to '{2}') from {0}";
    REQUEST_BODY_DISCRIMINATOR_MAPPING_CHANGED = "request-body-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a request body points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    REQUEST_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "request-property-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a request property points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    RESPONSE_BODY_DISCRIMINATOR_MAPPING_CHANGED = "response-body-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a response body points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
    RESPONSE_PROPERTY_DISCRIMINATOR_MAPPING_CHANGED = "response-property-discriminator-mapping-changed", Info, "composition: allOf/anyOf/oneOf/discriminator", "A discriminator mapping entry of a response property points at another schema", "changed the discriminator mapping '{1}' of {0} from '{2}' to '{3}'";
}
