//! readOnly / writeOnly: a request property that becomes `readOnly` can no longer be
//! sent, a response property that becomes `writeOnly` is no longer returned. Checked
//! on the object that owns the property, since whether it is required matters.
//! Constraints tightened on a read-only request property are informational (clients
//! never send it), and write-only response properties coming or going are too.

use crate::diff::rules::rule_def::rule_table;

use crate::diff::context::Direction;
use crate::diff::schema::composition::escape;
use crate::diff::schema::cx::rule_for;
use crate::diff::schema::{SchemaCx, SiteRules, Where};
use crate::spec::model::Schema;

/// One access flag and its rules, indexed `[optional, required]`.
struct Flag {
    get: fn(&Schema) -> bool,
    became: [&'static SiteRules; 2],
    stopped: [&'static SiteRules; 2],
}

const FLAGS: &[Flag] = &[
    Flag {
        get: |s| s.read_only,
        became: [
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY,
                ),
            ],
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY,
                ),
            ],
        ],
        stopped: [
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY,
                ),
            ],
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY,
                ),
            ],
        ],
    },
    Flag {
        get: |s| s.write_only,
        became: [
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY,
                ),
            ],
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY,
                ),
            ],
        ],
        stopped: [
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY,
                ),
            ],
            &[
                (
                    Where::RequestProperty,
                    &REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY,
                ),
                (
                    Where::ResponseProperty,
                    &RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY,
                ),
            ],
        ],
    },
];

/// Write-only response properties added / removed, indexed `[optional, required]`.
const WRITE_ONLY_ADDED: [&SiteRules; 2] = [
    &[(
        Where::ResponseProperty,
        &RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED,
    )],
    &[(
        Where::ResponseProperty,
        &RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED,
    )],
];
const WRITE_ONLY_REMOVED: [&SiteRules; 2] = [
    &[(
        Where::ResponseProperty,
        &RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED,
    )],
    &[(
        Where::ResponseProperty,
        &RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED,
    )],
];
/// A write-only response property became `[optional, required]`.
const WRITE_ONLY_BECAME: [&SiteRules; 2] = [
    &[(
        Where::ResponseProperty,
        &RESPONSE_WRITE_ONLY_PROPERTY_BECAME_OPTIONAL,
    )],
    &[(
        Where::ResponseProperty,
        &RESPONSE_WRITE_ONLY_PROPERTY_BECAME_REQUIRED,
    )],
];

/// True for a response property the server never sends: the constraint and
/// presence rules of the response-properties families do not apply to it.
pub fn hidden_in_response(s: &Schema) -> bool {
    s.write_only
}

/// True for a request property clients never send: tightening its constraints
/// breaks no client (reported by this family as `request-read-only-property-…`).
pub fn hidden_in_request(s: &Schema) -> bool {
    s.read_only
}

/// Reports access-flag changes of the properties of one object pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if rev.properties.is_empty() && base.properties.is_empty() {
        return;
    }
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    let response = cx.direction() == Direction::Response;
    // Pointers are built only for the (rare) properties that change.
    let at = |parent: &str, name: &str| format!("{parent}/properties/{}", escape(name));
    for (name, &r_id) in &rev.properties {
        let rs = rapi.schema(r_id);
        let Some(&b_id) = base.properties.get(name) else {
            if response && rs.write_only {
                let required = usize::from(rev.required.contains(name));
                let pointer = at(cx.rev_pointer, name);
                cx.emit_for_property(WRITE_ONLY_ADDED[required], name, &pointer, &[]);
            }
            continue;
        };
        let bs = bapi.schema(b_id);
        let flipped = bs.read_only != rs.read_only || bs.write_only != rs.write_only;
        let write_only_kept = response && bs.write_only && rs.write_only;
        if !flipped && !write_only_kept {
            continue;
        }
        let required = usize::from(rev.required.contains(name));
        let pointer = at(cx.rev_pointer, name);
        for flag in FLAGS {
            match ((flag.get)(bs), (flag.get)(rs)) {
                (false, true) => {
                    cx.emit_for_property(flag.became[required], name, &pointer, &[]);
                }
                (true, false) => {
                    cx.emit_for_property(flag.stopped[required], name, &pointer, &[]);
                }
                _ => {}
            }
        }
        if write_only_kept && base.required.contains(name) != (required == 1) {
            cx.emit_for_property(WRITE_ONLY_BECAME[required], name, &pointer, &[]);
        }
    }
    if response {
        for (name, &b_id) in &base.properties {
            if !rev.properties.contains_key(name) && bapi.schema(b_id).write_only {
                let required = usize::from(base.required.contains(name));
                let pointer = at(cx.base_pointer, name);
                cx.emit_for_property(WRITE_ONLY_REMOVED[required], name, &pointer, &[]);
            }
        }
    }
}

/// The constraints family's tightened-bound rules and what they become on a
/// read-only request property (clients never send it, so tightening breaks nobody).
const READ_ONLY_VARIANTS: &[(&str, &SiteRules)] = &[
    (
        "request-property-max-decreased",
        &[(
            Where::RequestProperty,
            &REQUEST_READ_ONLY_PROPERTY_MAX_DECREASED,
        )],
    ),
    (
        "request-property-exclusive-max-decreased",
        &[(
            Where::RequestProperty,
            &REQUEST_READ_ONLY_PROPERTY_EXCLUSIVE_MAX_DECREASED,
        )],
    ),
    (
        "request-property-min-increased",
        &[(
            Where::RequestProperty,
            &REQUEST_READ_ONLY_PROPERTY_MIN_INCREASED,
        )],
    ),
    (
        "request-property-exclusive-min-increased",
        &[(
            Where::RequestProperty,
            &REQUEST_READ_ONLY_PROPERTY_EXCLUSIVE_MIN_INCREASED,
        )],
    ),
    (
        "request-property-max-length-decreased",
        &[(
            Where::RequestProperty,
            &REQUEST_READ_ONLY_PROPERTY_MAX_LENGTH_DECREASED,
        )],
    ),
];

/// The table a constraint change of the current node is emitted from: for a property
/// that is read-only in the revision of a request, a tightened bound maps to its
/// informational `request-read-only-property-…` rule; everything else keeps `table`.
pub fn for_access(cx: &SchemaCx<'_, '_>, table: &'static SiteRules) -> &'static SiteRules {
    let place = cx.place();
    if place != Where::RequestProperty || !hidden_in_request(cx.rev_schema(cx.rev_id)) {
        return table;
    }
    let Some(rule) = rule_for(table, place) else {
        return table;
    };
    READ_ONLY_VARIANTS
        .iter()
        .find(|(id, _)| *id == rule.id)
        .map_or(table, |(_, t)| *t)
}

rule_table! {
    REQUEST_OPTIONAL_PROPERTY_BECAME_READ_ONLY = "request-optional-property-became-read-only", Info, "readOnly / writeOnly", "A optional request property became readOnly", "{0} (optional) became read-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY = "request-optional-property-became-not-read-only", Info, "readOnly / writeOnly", "A optional request property stopped being readOnly", "{0} (optional) stopped being read-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY = "request-optional-property-became-write-only", Info, "readOnly / writeOnly", "A optional request property became writeOnly", "{0} (optional) became write-only";
    REQUEST_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY = "request-optional-property-became-not-write-only", Info, "readOnly / writeOnly", "A optional request property stopped being writeOnly", "{0} (optional) stopped being write-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_READ_ONLY = "request-required-property-became-read-only", Info, "readOnly / writeOnly", "A required request property became readOnly", "{0} (required) became read-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY = "request-required-property-became-not-read-only", Info, "readOnly / writeOnly", "A required request property stopped being readOnly", "{0} (required) stopped being read-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_WRITE_ONLY = "request-required-property-became-write-only", Info, "readOnly / writeOnly", "A required request property became writeOnly", "{0} (required) became write-only";
    REQUEST_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY = "request-required-property-became-not-write-only", Info, "readOnly / writeOnly", "A required request property stopped being writeOnly", "{0} (required) stopped being write-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_READ_ONLY = "response-optional-property-became-read-only", Info, "readOnly / writeOnly", "A optional response property became readOnly", "{0} (optional) became read-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_READ_ONLY = "response-optional-property-became-not-read-only", Info, "readOnly / writeOnly", "A optional response property stopped being readOnly", "{0} (optional) stopped being read-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY = "response-optional-property-became-write-only", Info, "readOnly / writeOnly", "A optional response property became writeOnly", "{0} (optional) became write-only";
    RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY = "response-optional-property-became-not-write-only", Info, "readOnly / writeOnly", "A optional response property stopped being writeOnly", "{0} (optional) stopped being write-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_READ_ONLY = "response-required-property-became-read-only", Info, "readOnly / writeOnly", "A required response property became readOnly", "{0} (required) became read-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_READ_ONLY = "response-required-property-became-not-read-only", Info, "readOnly / writeOnly", "A required response property stopped being readOnly", "{0} (required) stopped being read-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY = "response-required-property-became-write-only", Info, "readOnly / writeOnly", "A required response property became writeOnly", "{0} (required) became write-only";
    RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY = "response-required-property-became-not-write-only", Warning, "readOnly / writeOnly", "A required response property stopped being writeOnly", "{0} (required) stopped being write-only";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_ADDED = "response-optional-write-only-property-added", Info, "readOnly / writeOnly", "A optional write-only response property was added", "added {0}, which is optional and write-only";
    RESPONSE_OPTIONAL_WRITE_ONLY_PROPERTY_REMOVED = "response-optional-write-only-property-removed", Info, "readOnly / writeOnly", "A optional write-only response property was removed", "removed {0}, which is optional and write-only";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_ADDED = "response-required-write-only-property-added", Info, "readOnly / writeOnly", "A required write-only response property was added", "added {0}, which is required and write-only";
    RESPONSE_REQUIRED_WRITE_ONLY_PROPERTY_REMOVED = "response-required-write-only-property-removed", Info, "readOnly / writeOnly", "A required write-only response property was removed", "removed {0}, which is required and write-only";
    RESPONSE_WRITE_ONLY_PROPERTY_BECAME_OPTIONAL = "response-write-only-property-became-optional", Info, "readOnly / writeOnly", "A write-only response property became optional", "{0} (write-only) became optional";
    RESPONSE_WRITE_ONLY_PROPERTY_BECAME_REQUIRED = "response-write-only-property-became-required", Info, "readOnly / writeOnly", "A write-only response property became required", "{0} (write-only) became required";
    REQUEST_READ_ONLY_PROPERTY_MAX_DECREASED = "request-read-only-property-max-decreased", Info, "readOnly / writeOnly", "The maximum of a read-only request property decreased; clients do not send it", "decreased the maximum of {0} (read-only) from {1} to {2}";
    REQUEST_READ_ONLY_PROPERTY_MIN_INCREASED = "request-read-only-property-min-increased", Info, "readOnly / writeOnly", "The minimum of a read-only request property increased; clients do not send it", "increased the minimum of {0} (read-only) from {1} to {2}";
    REQUEST_READ_ONLY_PROPERTY_EXCLUSIVE_MAX_DECREASED = "request-read-only-property-exclusive-max-decreased", Info, "readOnly / writeOnly", "The exclusive maximum of a read-only request property decreased; clients do not send it", "decreased the exclusive maximum of {0} (read-only) from {1} to {2}";
    REQUEST_READ_ONLY_PROPERTY_EXCLUSIVE_MIN_INCREASED = "request-read-only-property-exclusive-min-increased", Info, "readOnly / writeOnly", "The exclusive minimum of a read-only request property increased; clients do not send it", "increased the exclusive minimum of {0} (read-only) from {1} to {2}";
    REQUEST_READ_ONLY_PROPERTY_MAX_LENGTH_DECREASED = "request-read-only-property-max-length-decreased", Info, "readOnly / writeOnly", "The maxLength of a read-only request property decreased; clients do not send it", "decreased the maxLength of {0} (read-only) from {1} to {2}";
}

#[cfg(test)]
mod tests {
    use crate::diff::change::Level;
    use crate::diff::schema::test_kit::{Doc, changes, ids, object, request, response, ty};
    use crate::spec::model::{Api, Bound, Schema, SchemaId};

    /// Roots `{name, target}` with `target` built by `prop` and optionally required.
    fn doc(prop: Option<Schema>, required: bool) -> (Api, SchemaId) {
        let mut d = Doc::default();
        let name = d.add(ty("string"));
        let mut props = vec![("name", name)];
        if let Some(p) = prop {
            props.push(("target", d.add(p)));
        }
        let req: &[&str] = if required { &["target"] } else { &[] };
        let root = d.add(object(&props, req));
        (d.api(), root)
    }

    fn flagged(read_only: bool, write_only: bool) -> Schema {
        Schema {
            read_only,
            write_only,
            ..ty("string")
        }
    }

    #[test]
    fn flag_flips_use_the_revision_required_state() {
        let (b, bi) = doc(Some(flagged(false, false)), false);
        let (r, ri) = doc(Some(flagged(true, false)), false);
        assert_eq!(
            ids(&b, bi, &r, ri, request()),
            ["request-optional-property-became-read-only"]
        );
        let (b, bi) = doc(Some(flagged(false, true)), true);
        let (r, ri) = doc(Some(flagged(false, false)), true);
        let found = changes(&b, bi, &r, ri, response());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].id,
            "response-required-property-became-not-write-only"
        );
        assert_eq!(found[0].level, Level::Warning);
        assert_eq!(found[0].pointer, "/rev/properties/target");
    }

    #[test]
    fn write_only_response_properties_coming_and_going() {
        let (b, bi) = doc(None, false);
        let (r, ri) = doc(Some(flagged(false, true)), true);
        assert_eq!(
            ids(&b, bi, &r, ri, response()),
            ["response-required-write-only-property-added"]
        );
        assert_eq!(
            ids(&r, ri, &b, bi, response()),
            ["response-required-write-only-property-removed"]
        );
        // In requests a write-only property is an ordinary one: not this family's business.
        assert_eq!(
            ids(&b, bi, &r, ri, request()),
            ["new-required-request-property"]
        );
        let (o, oi) = doc(Some(flagged(false, true)), false);
        assert_eq!(
            ids(&o, oi, &r, ri, response()),
            ["response-write-only-property-became-required"]
        );
        assert_eq!(
            ids(&r, ri, &o, oi, response()),
            ["response-write-only-property-became-optional"]
        );
    }

    #[test]
    fn tightened_bounds_of_a_read_only_request_property_are_info() {
        let bounded = |max: f64, len: u64| Schema {
            read_only: true,
            maximum: Some(Bound {
                value: max,
                exclusive: false,
            }),
            max_length: Some(len),
            // Both keywords apply (a bound of a type the value cannot have is no change).
            types: vec!["integer".into(), "string".into()],
            ..ty("string")
        };
        let (b, bi) = doc(Some(bounded(100.0, 10)), false);
        let (r, ri) = doc(Some(bounded(50.0, 5)), false);
        let found = changes(&b, bi, &r, ri, request());
        let mut got: Vec<(&str, Level)> = found.iter().map(|c| (c.id.as_str(), c.level)).collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("request-read-only-property-max-decreased", Level::Info),
                (
                    "request-read-only-property-max-length-decreased",
                    Level::Info
                )
            ]
        );
        assert!(found.iter().any(|c| c.message.contains("from 100 to 50")));
        // Loosening keeps the constraints family's rules; a response is not this rule's.
        assert_eq!(
            ids(&r, ri, &b, bi, request()),
            [
                "request-property-max-increased",
                "request-property-max-length-increased"
            ]
        );
        let resp = ids(&b, bi, &r, ri, response());
        assert!(resp.iter().all(|id| !id.contains("read-only")), "{resp:?}");
    }
}
