//! Composition family tests: branch matching, discriminators, wraps and `allOf` merges.

use super::*;
use crate::diff::change::Level;
use crate::diff::schema::test_kit::{
    Doc, changes, ids, named, object, only_level, request, response, ty,
};
use crate::spec::model::{Discriminator, SchemaExt};

/// Cat / Dog / Bird components in `d`, each an object with a distinct property.
fn pets(d: &mut Doc) -> [SchemaId; 3] {
    ["meows", "barks", "wingspan"].map(|p| {
        let kind = d.add(ty("string"));
        let own = d.add(ty("boolean"));
        let name = match p {
            "meows" => "Cat",
            "barks" => "Dog",
            _ => "Bird",
        };
        d.add(named(name, object(&[("kind", kind), (p, own)], &["kind"])))
    })
}

fn one_of(d: &mut Doc, branches: Vec<SchemaId>) -> SchemaId {
    d.add(Schema {
        one_of: branches,
        ..Schema::default()
    })
}

#[test]
fn added_branch_is_info_in_requests_and_breaking_in_responses() {
    let mut b = Doc::default();
    let [cat, dog, _] = pets(&mut b);
    let broot = one_of(&mut b, vec![cat, dog]);
    let mut r = Doc::default();
    let [cat, dog, bird] = pets(&mut r);
    let rroot = one_of(&mut r, vec![dog, cat, bird]);
    let (b, r) = (b.api(), r.api());
    let req = changes(&b, broot, &r, rroot, request());
    assert_eq!(req[0].id, "request-body-one-of-added");
    assert_eq!(only_level(&req), Level::Info);
    assert!(req[0].message.contains("'Bird'"), "{}", req[0].message);
    assert_eq!(req[0].pointer, "/rev/oneOf/2");
    let resp = changes(&b, broot, &r, rroot, response());
    assert_eq!(resp[0].id, "response-body-one-of-added");
    assert_eq!(only_level(&resp), Level::Breaking);
    let back = changes(&r, rroot, &b, broot, request());
    assert_eq!(back[0].id, "request-body-one-of-removed");
    assert_eq!(only_level(&back), Level::Breaking);
}

#[test]
fn reordered_renamed_or_inlined_branches_are_no_change() {
    let mut b = Doc::default();
    let [cat, dog, _] = pets(&mut b);
    let broot = one_of(&mut b, vec![cat, dog]);
    let mut r = Doc::default();
    let [cat, dog, _] = pets(&mut r);
    // Dog inlined, Cat renamed to Feline, order swapped.
    r.schemas[dog as usize].ref_name = None;
    r.schemas[cat as usize].ref_name = Some("Feline".into());
    let rroot = one_of(&mut r, vec![dog, cat]);
    let (b, r) = (b.api(), r.api());
    assert_eq!(ids(&b, broot, &r, rroot, response()), Vec::<String>::new());
}

#[test]
fn matched_branch_is_compared_by_the_walker() {
    let mut b = Doc::default();
    let [cat, dog, _] = pets(&mut b);
    let broot = one_of(&mut b, vec![cat, dog]);
    let mut r = Doc::default();
    let [cat, dog, _] = pets(&mut r);
    // A property of Cat gains `contains`: Cat is no longer equal, its name matches.
    let item = r.add(ty("string"));
    let tags = r.add(Schema {
        types: vec!["array".into()],
        ext: SchemaExt {
            contains: Some(item),
            ..SchemaExt::default()
        }
        .boxed(),
        ..Schema::default()
    });
    r.schemas[cat as usize]
        .properties
        .insert("tags".into(), tags);
    let mut bb = b;
    let bitem = bb.add(ty("string"));
    let btags = bb.add(Schema {
        types: vec!["array".into()],
        items: Some(bitem),
        ..Schema::default()
    });
    bb.schemas[cat as usize]
        .properties
        .insert("tags".into(), btags);
    let rroot = one_of(&mut r, vec![cat, dog]);
    let (b, r) = (bb.api(), r.api());
    let found = changes(&b, broot, &r, rroot, request());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id, "request-property-contains-added");
    assert!(found[0].message.contains("'tags'"), "{}", found[0].message);
}

#[test]
fn annotation_only_all_of_branch_is_info() {
    let mut b = Doc::default();
    let name = b.add(ty("string"));
    let named_ = b.add(named("Named", object(&[("name", name)], &[])));
    let broot = b.add(Schema {
        all_of: vec![named_],
        ..Schema::default()
    });
    let mut r = Doc::default();
    let name = r.add(ty("string"));
    let named_ = r.add(named("Named", object(&[("name", name)], &[])));
    let note = r.add(Schema {
        title: Some("A named thing".into()),
        ..Schema::default()
    });
    let strict = r.add(Schema {
        required: vec!["name".into()],
        ..Schema::default()
    });
    let rroot = r.add(Schema {
        all_of: vec![named_, note, strict],
        ..Schema::default()
    });
    let (b, r) = (b.api(), r.api());
    assert_eq!(
        ids(&b, broot, &r, rroot, request()),
        [
            "request-body-all-of-added",
            "request-body-all-of-added-annotation-only"
        ]
    );
    assert_eq!(
        ids(&r, rroot, &b, broot, response()),
        [
            "response-body-all-of-removed",
            "response-body-all-of-removed-annotation-only"
        ]
    );
}

#[test]
fn annotation_only_all_of_part_alone_is_still_reported() {
    let mut b = Doc::default();
    let name = b.add(ty("string"));
    let part = b.add(named("Named", object(&[("name", name)], &[])));
    let broot = b.add(Schema {
        all_of: vec![part],
        ..Schema::default()
    });
    let mut r = Doc::default();
    let name = r.add(ty("string"));
    let part = r.add(named("Named", object(&[("name", name)], &[])));
    let note = r.add(Schema {
        title: Some("Note".into()),
        ..Schema::default()
    });
    let rroot = r.add(Schema {
        all_of: vec![part, note],
        ..Schema::default()
    });
    let (b, r) = (b.api(), r.api());
    assert_eq!(
        ids(&b, broot, &r, rroot, response()),
        ["response-body-all-of-added-annotation-only"]
    );
}

#[test]
fn discriminator_changes_are_reported_per_mapping_entry() {
    let disc = |name: &str, mapping: &[(&str, &str)]| Discriminator {
        property_name: name.into(),
        mapping: mapping
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    let mut b = Doc::default();
    let broot = b.add(Schema {
        ext: SchemaExt {
            discriminator: Some(disc("kind", &[("cat", "#/c/Cat"), ("dog", "#/c/Dog")])),
            ..SchemaExt::default()
        }
        .boxed(),
        ..Schema::default()
    });
    let mut r = Doc::default();
    let rroot = r.add(Schema {
        ext: SchemaExt {
            discriminator: Some(disc(
                "petType",
                &[("cat", "#/c/Lion"), ("bird", "#/c/Bird")],
            )),
            ..SchemaExt::default()
        }
        .boxed(),
        ..Schema::default()
    });
    let (b, r) = (b.api(), r.api());
    assert_eq!(
        ids(&b, broot, &r, rroot, response()),
        [
            "response-body-discriminator-mapping-added",
            "response-body-discriminator-mapping-changed",
            "response-body-discriminator-mapping-deleted",
            "response-body-discriminator-property-name-changed",
        ]
    );
    let mut n = Doc::default();
    let nroot = n.add(Schema::default());
    let n = n.api();
    assert_eq!(
        ids(&n, nroot, &r, rroot, request()),
        ["request-body-discriminator-added"]
    );
    assert_eq!(
        ids(&r, rroot, &n, nroot, request()),
        ["request-body-discriminator-removed"]
    );
}

#[test]
fn one_branch_under_any_keyword_is_the_same_schema() {
    let mut b = Doc::default();
    let [cat, _, _] = pets(&mut b);
    let broot = b.add(Schema {
        all_of: vec![cat],
        nullable: true,
        ..Schema::default()
    });
    let mut r = Doc::default();
    let [cat, _, _] = pets(&mut r);
    let extra = r.add(ty("string"));
    r.schemas[cat as usize]
        .properties
        .insert("tags".into(), extra);
    let rroot = r.add(Schema {
        one_of: vec![cat],
        nullable: true,
        ..Schema::default()
    });
    let (b, r) = (b.api(), r.api());
    // allOf: [Cat] → oneOf: [Cat]: no composition change, and Cat is compared.
    assert_eq!(
        ids(&b, broot, &r, rroot, request()),
        ["new-optional-request-property"]
    );
}

#[test]
fn moving_properties_into_an_all_of_base_is_no_composition_change() {
    let mut b = Doc::default();
    let (id, name) = (b.add(ty("string")), b.add(ty("string")));
    let broot = b.add(object(&[("id", id), ("name", name)], &["id"]));
    let mut r = Doc::default();
    let id = r.add(ty("integer"));
    let name = r.add(ty("string"));
    let base_part = r.add(named("Resource", object(&[("id", id)], &["id"])));
    let rroot = r.add(Schema {
        all_of: vec![base_part],
        ..object(&[("name", name)], &[])
    });
    let (b, r) = (b.api(), r.api());
    let found = ids(&b, broot, &r, rroot, response());
    // `id` changed type inside the new allOf part: compared at its own path;
    // the allOf part itself is not reported as added.
    assert!(found.iter().all(|id| !id.contains("all-of")), "{found:?}");
    assert!(
        found
            .iter()
            .any(|id| id == "response-property-type-changed"),
        "{found:?}"
    );
}

#[test]
fn wrapping_a_property_in_one_of_reports_only_the_new_alternative() {
    let plain = |d: &mut Doc| d.add(ty("string"));
    let mut b = Doc::default();
    let target = plain(&mut b);
    let broot = b.add(object(&[("target", target)], &[]));
    let mut r = Doc::default();
    let s = plain(&mut r);
    let n = r.add(ty("integer"));
    let target = one_of(&mut r, vec![s, n]);
    let rroot = r.add(object(&[("target", target)], &[]));
    let (b, r) = (b.api(), r.api());
    let found = changes(&b, broot, &r, rroot, response());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id, "response-property-one-of-added");
    assert!(found[0].message.contains("#1"), "{}", found[0].message);
    assert_eq!(
        ids(&r, rroot, &b, broot, request()),
        ["request-property-one-of-removed"]
    );
}

#[test]
fn wrapping_an_object_property_in_any_of_reports_no_removed_properties() {
    // Stripe 2021-12: `options: $ref T` became `anyOf: [$ref T, $ref U]`; T's own
    // properties are still there (in the kept branch), not removed.
    let t = |d: &mut Doc| {
        let s = d.add(ty("string"));
        d.add(object(&[("kept", s)], &["kept"]))
    };
    let mut b = Doc::default();
    let target = t(&mut b);
    let broot = b.add(object(&[("options", target)], &[]));
    let mut r = Doc::default();
    let kept = t(&mut r);
    let n = r.add(ty("integer"));
    let other = r.add(object(&[("other", n)], &[]));
    let options = r.add(Schema {
        any_of: vec![kept, other],
        ..Schema::default()
    });
    let rroot = r.add(object(&[("options", options)], &[]));
    let (b, r) = (b.api(), r.api());
    assert_eq!(
        ids(&b, broot, &r, rroot, response()),
        ["response-property-any-of-added"]
    );
    assert_eq!(
        ids(&r, rroot, &b, broot, request()),
        ["request-property-any-of-removed"]
    );
}

#[test]
fn inline_branches_pair_by_shape_when_nothing_else_matches() {
    let mut b = Doc::default();
    let s1 = b.add(Schema {
        max_length: Some(10),
        ..ty("string")
    });
    let n1 = b.add(ty("integer"));
    let mut r = Doc::default();
    let s2 = r.add(Schema {
        max_length: Some(20),
        ..ty("string")
    });
    let n2 = r.add(ty("integer"));
    let o2 = r.add(ty("boolean"));
    let (b, r) = (b.api(), r.api());
    let m = match_branches(&b, &[s1, n1], &r, &[n2, o2, s2], |_, _| false);
    assert_eq!(m.pairs, [(0, 2), (1, 0)]);
    assert_eq!(m.added, [1]);
    assert!(m.removed.is_empty());
}
