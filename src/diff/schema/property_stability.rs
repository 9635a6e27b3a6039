//! Property stability (`x-stability-level`: draft < alpha < beta < stable): a request
//! or response property whose level went down is breaking (clients relying on its
//! stability lose that promise), one whose level went up is informational. Only
//! levels written on both sides are compared; unknown words are left alone (the
//! operation-level `api-invalid-stability-level` rule reports those).

use crate::diff::rules::rule_def::rule_table;

use crate::diff::schema::composition::escape;
use crate::diff::schema::{SchemaCx, SiteRules, Where};
use crate::spec::model::Schema;

/// The stability extension, as for operations.
const STABILITY: &str = "x-stability-level";

/// Known levels, least stable first.
const LEVELS: &[&str] = &["draft", "alpha", "beta", "stable"];

const DECREASED: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_STABILITY_DECREASED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_STABILITY_DECREASED,
    ),
];
const INCREASED: &SiteRules = &[
    (
        Where::RequestProperty,
        &REQUEST_PROPERTY_STABILITY_INCREASED,
    ),
    (
        Where::ResponseProperty,
        &RESPONSE_PROPERTY_STABILITY_INCREASED,
    ),
];

/// The written level of `s` and its rank, when it is a known level.
fn level(s: &Schema) -> Option<(&str, usize)> {
    let word = s.ext().extensions.get(STABILITY)?.as_str()?;
    let rank = LEVELS
        .iter()
        .position(|l| l.eq_ignore_ascii_case(word.trim()))?;
    Some((word, rank))
}

/// Reports stability changes of the properties of one object pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if !cx.child_place().is_property() {
        return;
    }
    let (bapi, rapi) = (cx.base_api(), cx.rev_api());
    for (name, &r_id) in &rev.properties {
        let Some(&b_id) = base.properties.get(name) else {
            continue;
        };
        let (Some((from, b)), Some((to, r))) = (level(bapi.schema(b_id)), level(rapi.schema(r_id)))
        else {
            continue;
        };
        if b != r {
            let table = if r < b { DECREASED } else { INCREASED };
            let pointer = format!("{}/properties/{}", cx.rev_pointer, escape(name));
            cx.emit_for_property(table, name, &pointer, &[from, to]);
        }
    }
}

rule_table! {
    REQUEST_PROPERTY_STABILITY_DECREASED = "request-property-stability-decreased", Breaking, "stability levels", "The x-stability-level of a request property went down", "the stability level of {0} decreased from '{1}' to '{2}'";
    RESPONSE_PROPERTY_STABILITY_DECREASED = "response-property-stability-decreased", Breaking, "stability levels", "The x-stability-level of a response property went down", "the stability level of {0} decreased from '{1}' to '{2}'";
    REQUEST_PROPERTY_STABILITY_INCREASED = "request-property-stability-increased", Info, "stability levels", "The x-stability-level of a request property went up", "the stability level of {0} increased from '{1}' to '{2}'";
    RESPONSE_PROPERTY_STABILITY_INCREASED = "response-property-stability-increased", Info, "stability levels", "The x-stability-level of a response property went up", "the stability level of {0} increased from '{1}' to '{2}'";
}

#[cfg(test)]
mod tests {
    use crate::diff::change::Level;
    use crate::diff::schema::test_kit::{Doc, changes, object, request, response, ty};
    use crate::spec::model::{Api, Schema, SchemaId};
    use serde_json::json;

    fn doc(level: Option<&str>) -> (Api, SchemaId) {
        let mut d = Doc::default();
        let mut p: Schema = ty("string");
        if let Some(l) = level {
            p.ext_mut()
                .extensions
                .insert("x-stability-level".into(), json!(l));
        }
        let p = d.add(p);
        let root = d.add(object(&[("target", p)], &[]));
        (d.api(), root)
    }

    #[test]
    fn lower_level_breaks_and_higher_level_informs() {
        let ((b, bi), (r, ri)) = (doc(Some("stable")), doc(Some("beta")));
        let found = changes(&b, bi, &r, ri, request());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "request-property-stability-decreased");
        assert_eq!(found[0].level, Level::Breaking);
        assert!(found[0].message.contains("from 'stable' to 'beta'"));
        let found = changes(&r, ri, &b, bi, response());
        assert_eq!(found[0].id, "response-property-stability-increased");
        assert_eq!(found[0].level, Level::Info);
        // Absent or unknown levels are not compared.
        let (n, ni) = doc(None);
        assert!(changes(&n, ni, &r, ri, request()).is_empty());
        let (x, xi) = doc(Some("experimental"));
        assert!(changes(&x, xi, &r, ri, request()).is_empty());
    }
}
