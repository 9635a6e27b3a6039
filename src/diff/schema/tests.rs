//! Unit tests of the schema core on hand-built models (the loader is tested elsewhere).

use indexmap::IndexMap;
use serde_json::{Map, json};

use crate::diff::change::{Change, Level};
use crate::diff::context::{DiffCtx, Direction};
use crate::diff::schema::{SchemaSite, SiteKind, compare, equal};
use crate::spec::model::{Api, Flavor, Schema, SchemaId};

/// An API whose schema arena is `schemas` (everything else empty).
fn api(schemas: Vec<Schema>) -> Api {
    Api {
        flavor: Flavor::OpenApi30,
        spec_version: "3.0.0".into(),
        title: None,
        api_version: None,
        servers: Vec::new(),
        operations: IndexMap::new(),
        webhooks: IndexMap::new(),
        security_schemes: IndexMap::new(),
        security: None,
        tags: Vec::new(),
        components: IndexMap::new(),
        other_components: Vec::new(),
        extensions: Map::new(),
        schemas: schemas.into(),
    }
}

fn string() -> Schema {
    Schema {
        types: vec!["string".into()],
        ..Schema::default()
    }
}

fn object(props: &[(&str, SchemaId)], required: &[&str]) -> Schema {
    Schema {
        types: vec!["object".into()],
        properties: props.iter().map(|(n, id)| (n.to_string(), *id)).collect(),
        required: required.iter().map(|s| s.to_string()).collect(),
        ..Schema::default()
    }
}

fn body() -> SiteKind {
    SiteKind::RequestBody {
        media: "application/json".into(),
    }
}

fn response() -> SiteKind {
    SiteKind::ResponseBody {
        status: "200".into(),
        media: "application/json".into(),
    }
}

/// Compares root schema 0 of both APIs at one site.
fn diff(base: &Api, rev: &Api, kind: SiteKind, direction: Direction) -> Vec<Change> {
    let mut cx = DiffCtx::new(base, rev);
    let site = SchemaSite {
        operation: "POST /v1/prices",
        direction,
        kind,
        base_pointer: "/b",
        rev_pointer: "/r",
    };
    compare(&mut cx, &site, 0, 0);
    cx.into_changes()
}

fn ids(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn tightened_max_length_on_a_request_field_is_breaking_with_path_and_values() {
    let field = |n| Schema {
        max_length: Some(n),
        ..string()
    };
    let base = api(vec![object(&[("lookup_key", 1)], &[]), field(5000)]);
    let rev = api(vec![object(&[("lookup_key", 1)], &[]), field(200)]);
    let changes = diff(&base, &rev, body(), Direction::Request);
    assert_eq!(ids(&changes), ["request-property-max-length-decreased"]);
    assert_eq!(changes[0].level, Level::Breaking);
    assert_eq!(
        changes[0].message,
        "the request property 'lookup_key' max length was decreased from 5000 to 200"
    );
    // The same change in a response narrows what the server returns: nothing to report.
    assert!(diff(&base, &rev, response(), Direction::Response).is_empty());
    // Loosened in a response: breaking; in a request: info.
    let back = diff(&rev, &base, response(), Direction::Response);
    assert_eq!(ids(&back), ["response-property-max-length-increased"]);
    assert_eq!(back[0].level, Level::Breaking);
    let back = diff(&rev, &base, body(), Direction::Request);
    assert_eq!(back[0].level, Level::Info);
}

#[test]
fn response_enum_value_added_is_a_warning_and_reported_once_through_a_cycle() {
    // charge.invoice -> invoice, invoice.charge -> charge, both reach `status`.
    let status = |values: serde_json::Value| Schema {
        enum_values: Some(values.as_array().cloned().unwrap_or_default()),
        ..string()
    };
    let graph = |values| {
        api(vec![
            object(&[("invoice", 1), ("status", 2)], &[]),
            object(&[("charge", 0), ("status", 2)], &[]),
            status(values),
        ])
    };
    let base = graph(json!(["paid", "open"]));
    let rev = graph(json!(["paid", "open", "void"]));
    let changes = diff(&base, &rev, response(), Direction::Response);
    assert_eq!(ids(&changes), ["response-property-enum-value-added"]);
    assert_eq!(changes[0].level, Level::Warning);
    assert!(
        changes[0].message.contains("'status'"),
        "{}",
        changes[0].message
    );
    assert!(
        changes[0].message.contains("'void'"),
        "{}",
        changes[0].message
    );
}

#[test]
fn structurally_equal_cycles_are_equal_and_a_difference_deep_in_one_is_found() {
    let graph = |leaf_type: &str| {
        api(vec![
            object(&[("next", 1)], &[]),
            object(&[("back", 0), ("leaf", 2)], &[]),
            Schema {
                types: vec![leaf_type.into()],
                ..Schema::default()
            },
        ])
    };
    let (a, b, c) = (graph("string"), graph("string"), graph("integer"));
    let mut cx = DiffCtx::new(&a, &b);
    assert!(equal::equal(&mut cx, 0, 0));
    let mut cx = DiffCtx::new(&a, &c);
    assert!(!equal::equal(&mut cx, 0, 0));
    assert!(!equal::equal(&mut cx, 1, 1));
    assert!(equal::equal(&mut cx, 0, 0) == equal::equal(&mut cx, 0, 0));
    // Self-diff reports nothing.
    assert!(diff(&a, &b, response(), Direction::Response).is_empty());
}

#[test]
fn a_renamed_component_with_the_same_structure_is_no_change() {
    let mut named = string();
    named.ref_name = Some("account_controller".into());
    named.pointer = "/components/schemas/account_controller".into();
    let mut renamed = string();
    renamed.ref_name = Some("account_unification_account_controller".into());
    renamed.title = Some("New words".into());
    let base = api(vec![object(&[("controller", 1)], &[]), named]);
    let rev = api(vec![object(&[("controller", 1)], &[]), renamed]);
    assert!(diff(&base, &rev, response(), Direction::Response).is_empty());
}

#[test]
fn properties_added_removed_and_required_map_to_direction_specific_ids() {
    let base = api(vec![object(&[("a", 1), ("gone", 1)], &["a"]), string()]);
    let rev = api(vec![
        object(&[("a", 1), ("new_req", 1), ("new_opt", 1)], &["new_req"]),
        string(),
    ]);
    let mut req = ids(&diff(&base, &rev, body(), Direction::Request))
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    req.sort();
    assert_eq!(
        req,
        [
            "new-optional-request-property",
            "new-required-request-property",
            "request-property-became-optional",
            "request-property-removed",
        ]
    );
    let changes = diff(&base, &rev, response(), Direction::Response);
    let mut resp = ids(&changes);
    resp.sort();
    assert_eq!(
        resp,
        [
            "response-optional-property-added",
            "response-optional-property-removed",
            "response-property-became-optional",
            "response-required-property-added",
        ]
    );
    let added = changes
        .iter()
        .find(|c| c.id == "response-required-property-added")
        .map(|c| (c.level, c.pointer.as_str()));
    assert_eq!(added, Some((Level::Info, "/r/properties/new_req")));
}

#[test]
fn type_widening_breaks_responses_and_narrowing_breaks_requests() {
    let num = |t: &str| Schema {
        types: vec![t.into()],
        ..Schema::default()
    };
    let (int, number) = (api(vec![num("integer")]), api(vec![num("number")]));
    let widened_resp = diff(&int, &number, response(), Direction::Response);
    assert_eq!(ids(&widened_resp), ["response-body-type-generalized"]);
    assert_eq!(widened_resp[0].level, Level::Breaking);
    let widened_req = diff(&int, &number, body(), Direction::Request);
    assert_eq!(ids(&widened_req), ["request-body-type-generalized"]);
    assert_eq!(widened_req[0].level, Level::Info);
    // No oasdiff id for a specialized request body: reported as a type change.
    let narrowed_req = diff(&number, &int, body(), Direction::Request);
    assert_eq!(ids(&narrowed_req), ["request-body-type-changed"]);
    let narrowed_resp = diff(&number, &int, response(), Direction::Response);
    assert_eq!(ids(&narrowed_resp), ["response-body-type-specialized"]);
}

#[test]
fn parameter_subject_names_the_location_and_parameter() {
    let p = |max| Schema {
        maximum: Some(crate::spec::model::Bound {
            value: max,
            exclusive: false,
        }),
        types: vec!["integer".into()],
        ..Schema::default()
    };
    let (base, rev) = (api(vec![p(100.0)]), api(vec![p(50.0)]));
    let kind = SiteKind::Parameter {
        location: crate::spec::model::ParamIn::Query,
        name: "limit".into(),
    };
    let changes = diff(&base, &rev, kind, Direction::Request);
    assert_eq!(ids(&changes), ["request-parameter-max-decreased"]);
    assert_eq!(
        changes[0].message,
        "the query request parameter 'limit' maximum was decreased from 100 to 50"
    );
}

#[test]
fn items_of_an_array_parameter_are_the_parameter_itself() {
    let item = |n| Schema {
        max_length: Some(n),
        ..string()
    };
    let array = Schema {
        types: vec!["array".into()],
        items: Some(1),
        ..Schema::default()
    };
    let (base, rev) = (
        api(vec![array.clone(), item(5000)]),
        api(vec![array, item(100)]),
    );
    let kind = SiteKind::Parameter {
        location: crate::spec::model::ParamIn::Query,
        name: "expand".into(),
    };
    let changes = diff(&base, &rev, kind, Direction::Request);
    assert_eq!(ids(&changes), ["request-parameter-max-length-decreased"]);
    assert_eq!(
        changes[0].message,
        "the items of the query request parameter 'expand' max length was decreased from 5000 to 100"
    );
}

#[test]
fn a_nested_change_replayed_for_another_operation_equals_a_fresh_walk_at_each_site() {
    // meta.tag becomes required and changes type: a nested pair, reached from every
    // kind of site of two operations. The second operation's changes are replayed
    // from the first's records; they must be what a walk of its own finds.
    let tag = |t: &str| Schema {
        types: vec![t.into()],
        ..Schema::default()
    };
    let base = api(vec![
        object(&[("meta", 1)], &[]),
        object(&[("tag", 2)], &[]),
        tag("string"),
    ]);
    let rev = api(vec![
        object(&[("meta", 1)], &[]),
        object(&[("tag", 2)], &["tag"]),
        tag("integer"),
    ]);
    let param = |location, name: &str| SiteKind::Parameter {
        location,
        name: name.into(),
    };
    let kinds = [
        (
            param(crate::spec::model::ParamIn::Query, "filter"),
            Direction::Request,
        ),
        (
            param(crate::spec::model::ParamIn::Header, "x-filter"),
            Direction::Request,
        ),
        (body(), Direction::Request),
        (
            SiteKind::RequestBody {
                media: "text/plain".into(),
            },
            Direction::Request,
        ),
        (response(), Direction::Response),
        (
            SiteKind::ResponseHeader {
                status: "200".into(),
                name: "x-meta".into(),
            },
            Direction::Response,
        ),
    ];
    // One operation per site kind, so none is deduplicated against another site of
    // its own operation; the second round replays what the first recorded.
    let run = |cx: &mut DiffCtx, round: &str, kind: &SiteKind, direction: Direction| {
        let operation = format!("POST /{round}");
        let site = SchemaSite {
            operation: &operation,
            direction,
            kind: kind.clone(),
            base_pointer: "/b",
            rev_pointer: "/r",
        };
        compare(cx, &site, 0, 0);
    };
    let mut shared = DiffCtx::new(&base, &rev);
    for round in ["a", "b"] {
        for (i, (kind, direction)) in kinds.iter().enumerate() {
            run(&mut shared, &format!("{round}{i}"), kind, *direction);
        }
    }
    let all: Vec<Change> = shared.into_changes();
    for (i, (kind, direction)) in kinds.iter().enumerate() {
        let mut fresh = DiffCtx::new(&base, &rev);
        run(&mut fresh, &format!("b{i}"), kind, *direction);
        let of = |op: String| -> Vec<Change> {
            all.iter()
                .filter(|c| c.operation.as_deref() == Some(op.as_str()))
                .cloned()
                .collect()
        };
        let replayed = of(format!("POST /b{i}"));
        assert!(!replayed.is_empty(), "{kind:?}");
        assert_eq!(replayed, fresh.into_changes(), "{kind:?}");
        let messages = |cs: Vec<Change>| cs.into_iter().map(|c| c.message).collect::<Vec<_>>();
        assert_eq!(messages(of(format!("POST /a{i}"))), messages(replayed));
    }
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    for id in [
        "request-header-property-became-required",
        "request-property-became-required",
        "response-property-became-required",
        "request-parameter-property-type-changed",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:#?}");
    }
    assert!(
        all.iter().any(|c| c.message.contains("'x-filter'")),
        "the header parameter's name is in its subject: {all:#?}"
    );
}
