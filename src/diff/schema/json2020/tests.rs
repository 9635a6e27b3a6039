//! JSON Schema 2020-12 family tests.

use crate::diff::change::Level;
use crate::diff::schema::test_kit::{Doc, changes, ids, object, request, response, ty};
use crate::spec::model::{BoolOrSchema, Schema, SchemaExt};

/// `{a, b, c}` object roots in two docs; `edit` shapes the revision's root.
fn pair(
    edit: impl Fn(&mut Doc, &mut Schema),
) -> (crate::spec::model::Api, u32, crate::spec::model::Api, u32) {
    let build = |d: &mut Doc| {
        let (a, b, c) = (
            d.add(ty("string")),
            d.add(ty("string")),
            d.add(ty("string")),
        );
        object(&[("a", a), ("b", b), ("c", c)], &[])
    };
    let mut bd = Doc::default();
    let broot = build(&mut bd);
    let broot = bd.add(broot);
    let mut rd = Doc::default();
    let mut rroot = build(&mut rd);
    edit(&mut rd, &mut rroot);
    let rroot = rd.add(rroot);
    (bd.api(), broot, rd.api(), rroot)
}

#[test]
fn added_keywords_break_requests_and_removed_ones_break_responses() {
    let (b, bi, r, ri) = pair(|d, s| {
        let cond = d.add(Schema {
            required: vec!["a".into()],
            ..Schema::default()
        });
        s.ext_mut().if_schema = Some(cond);
        s.ext_mut().unevaluated_properties = Some(BoolOrSchema::Bool(false));
        s.ext_mut()
            .dependent_required
            .insert("a".into(), vec!["b".into()]);
    });
    let added = changes(&b, bi, &r, ri, request());
    assert_eq!(added.len(), 3, "{added:?}");
    assert!(added.iter().all(|c| c.level == Level::Breaking));
    assert_eq!(
        ids(&b, bi, &r, ri, request()),
        [
            "request-body-dependent-required-added",
            "request-body-if-added",
            "request-body-unevaluated-properties-added"
        ]
    );
    let removed = changes(&r, ri, &b, bi, response());
    assert_eq!(removed.len(), 3);
    assert!(removed.iter().all(|c| c.level == Level::Breaking));
    assert!(
        changes(&b, bi, &r, ri, response())
            .iter()
            .all(|c| c.level == Level::Info)
    );
}

#[test]
fn a_true_boolean_constrains_nothing() {
    let (b, bi, r, ri) =
        pair(|_, s| s.ext_mut().unevaluated_properties = Some(BoolOrSchema::Bool(true)));
    assert_eq!(ids(&b, bi, &r, ri, request()), Vec::<String>::new());
}

#[test]
fn keyed_keywords_and_changed_lists_are_reported_per_key() {
    let (b, bi, r, ri) = pair(|d, s| {
        s.ext_mut()
            .dependent_required
            .insert("a".into(), vec!["b".into()]);
        let x = d.add(ty("string"));
        s.ext_mut().pattern_properties.insert("^x-".into(), x);
    });
    let (b2, bi2, r2, ri2) = pair(|d, s| {
        s.ext_mut()
            .dependent_required
            .insert("a".into(), vec!["b".into(), "c".into()]);
        let x = d.add(ty("string"));
        s.ext_mut().pattern_properties.insert("^y-".into(), x);
    });
    let _ = (b, bi);
    let _ = (b2, bi2);
    let found = changes(&r, ri, &r2, ri2, response());
    let mut got: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    got.sort();
    assert_eq!(
        got,
        [
            "response-body-dependent-required-changed",
            "response-body-pattern-property-added",
            "response-body-pattern-property-removed"
        ]
    );
    let changed = found
        .iter()
        .find(|c| c.id.ends_with("changed"))
        .map(|c| c.message.clone())
        .unwrap_or_default();
    assert!(changed.contains("from [b] to [b, c]"), "{changed}");
}

#[test]
fn prefix_items_and_nested_subschemas() {
    let mut bd = Doc::default();
    let item = bd.add(ty("string"));
    let first = bd.add(ty("string"));
    let broot = bd.add(Schema {
        ext: SchemaExt {
            prefix_items: vec![first],
            ..SchemaExt::default()
        }
        .boxed(),
        items: Some(item),
        ..ty("array")
    });
    let mut rd = Doc::default();
    let item = rd.add(ty("string"));
    let inner = rd.add(ty("string"));
    let first = rd.add(Schema {
        ext: SchemaExt {
            contains: Some(inner),
            ..SchemaExt::default()
        }
        .boxed(),
        ..ty("string")
    });
    let second = rd.add(ty("integer"));
    let rroot = rd.add(Schema {
        ext: SchemaExt {
            prefix_items: vec![first, second],
            ..SchemaExt::default()
        }
        .boxed(),
        items: Some(item),
        ..ty("array")
    });
    let (b, r) = (bd.api(), rd.api());
    let found = changes(&b, broot, &r, rroot, response());
    let mut got: Vec<(&str, Level)> = found.iter().map(|c| (c.id.as_str(), c.level)).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("response-body-prefix-items-added", Level::Breaking),
            ("response-property-contains-added", Level::Info)
        ]
    );
    let nested = found
        .iter()
        .find(|c| c.id.contains("contains"))
        .map(|c| c.message.clone());
    assert!(nested.unwrap_or_default().contains("'prefixItems/0'"));
}

#[test]
fn content_encoding_change_is_breaking_both_ways() {
    let mut bd = Doc::default();
    let b0 = bd.add(Schema {
        ext: SchemaExt {
            content_encoding: Some("base64".into()),
            ..SchemaExt::default()
        }
        .boxed(),
        ..ty("string")
    });
    let mut rd = Doc::default();
    let r0 = rd.add(Schema {
        ext: SchemaExt {
            content_encoding: Some("base32".into()),
            ..SchemaExt::default()
        }
        .boxed(),
        ..ty("string")
    });
    let (b, r) = (bd.api(), rd.api());
    for kind in [request(), response()] {
        let found = changes(&b, b0, &r, r0, kind);
        assert_eq!(found.len(), 1);
        assert!(found[0].id.ends_with("-body-content-encoding-changed"));
        assert_eq!(found[0].level, Level::Breaking);
        assert!(found[0].message.contains("from 'base64' to 'base32'"));
    }
}
