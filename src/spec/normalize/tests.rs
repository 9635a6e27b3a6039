//! Normalization tests: the same API in 2.0, 3.0 and 3.1 gives the same model;
//! `$ref` errors are clear; Stripe normalizes quickly.

use super::*;
use crate::spec::load::parse_tree;
use crate::spec::model::{Api, Schema, SchemaId};

fn api(yaml: &str) -> Api {
    let arena = crate::spec::dom::Arena::new();
    let doc = parse_tree(yaml.as_bytes(), &arena, "t.yaml", &LoadOptions::default()).unwrap();
    normalize(&doc, &LoadOptions::default()).unwrap()
}

fn err(yaml: &str) -> NormalizeError {
    let arena = crate::spec::dom::Arena::new();
    let doc = parse_tree(yaml.as_bytes(), &arena, "t.yaml", &LoadOptions::default()).unwrap();
    normalize(&doc, &LoadOptions::default()).unwrap_err()
}

const V2: &str = r##"
swagger: "2.0"
info: {title: Pets, version: "1"}
host: api.example.com
basePath: /v1
schemes: [https]
consumes: [application/json]
produces: [application/json]
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, type: string}
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, type: integer, format: int32, minimum: 1, maximum: 100, x-nullable: true}
        - {name: X-Trace, in: header, type: string, enum: [a, b]}
      responses:
        200:
          description: ok
          schema: {$ref: "#/definitions/Pet"}
          headers:
            X-Rate: {type: integer}
    put:
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
      responses:
        204: {description: done}
definitions:
  Pet:
    type: object
    required: [id]
    properties:
      id: {type: string}
      tag: {type: string, x-nullable: true}
      parent: {$ref: "#/definitions/Pet"}
"##;

const V30: &str = r##"
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, format: int32, minimum: 1, maximum: 100, nullable: true}}
        - {name: x-trace, in: header, schema: {type: string, enum: [a, b]}}
      responses:
        "200":
          description: ok
          headers:
            x-rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
    put:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "204": {description: done}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        tag: {type: string, nullable: true}
        parent: {$ref: "#/components/schemas/Pet"}
"##;

const V31: &str = r##"
openapi: 3.1.0
info: {title: Pets, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, schema: {type: [integer, "null"], format: int32, minimum: 1, maximum: 100}}
        - {$ref: "#/components/parameters/Trace"}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
    put:
      requestBody: {$ref: "#/components/requestBodies/PetBody"}
      responses:
        "204": {description: done}
components:
  parameters:
    Trace: {name: X-TRACE, in: header, schema: {type: string, enum: [a, b]}}
  requestBodies:
    PetBody:
      required: true
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Pet"}
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        tag: {oneOf: [{type: "null"}, {type: string}]}
        parent: {$ref: "#/components/schemas/Pet"}
"##;

/// A comparable summary of a schema (one level, children by type list).
fn shape(api: &Api, id: SchemaId) -> String {
    let s: &Schema = api.schema(id);
    let props: Vec<String> = s
        .properties
        .iter()
        .map(|(k, v)| format!("{k}:{:?}/{}", api.schema(*v).types, api.schema(*v).nullable))
        .collect();
    format!(
        "{:?} null={} fmt={:?} min={:?} max={:?} enum={:?} req={:?} props={props:?} ref={:?}",
        s.types, s.nullable, s.format, s.minimum, s.maximum, s.enum_values, s.required, s.ref_name
    )
}

fn summary(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for (key, op) in &api.operations {
        out.push(format!(
            "{} {} id={:?}",
            key.method, key.path, op.operation_id
        ));
        let mut params: Vec<String> = op
            .parameters
            .iter()
            .map(|p| {
                format!(
                    "  param {} {} req={} {}",
                    p.location.as_str(),
                    p.key,
                    p.required,
                    shape(api, p.schema.unwrap())
                )
            })
            .collect();
        params.sort();
        out.extend(params);
        if let Some(b) = &op.request_body {
            for (m, mt) in &b.content {
                out.push(format!(
                    "  body {m} req={} {}",
                    b.required,
                    shape(api, mt.schema.unwrap())
                ));
            }
        }
        for (code, r) in &op.responses {
            for (m, mt) in &r.content {
                out.push(format!(
                    "  resp {code} {m} {}",
                    shape(api, mt.schema.unwrap())
                ));
            }
            for (h, hd) in &r.headers {
                out.push(format!(
                    "  header {code} {h} {}",
                    shape(api, hd.schema.unwrap())
                ));
            }
        }
    }
    out
}

#[test]
fn swagger2_openapi30_and_31_normalize_to_the_same_operations() {
    let (a, b, c) = (api(V2), api(V30), api(V31));
    assert_eq!(a.servers, vec!["https://api.example.com/v1".to_string()]);
    assert_eq!(a.servers, b.servers);
    let (sa, sb, sc) = (summary(&a), summary(&b), summary(&c));
    assert_eq!(sa, sb);
    assert_eq!(sb, sc);
    assert!(sa.iter().any(|l| l.contains("param path {0}")), "{sa:#?}");
    assert!(
        sa.iter().any(|l| l.contains("param header x-trace")),
        "{sa:#?}"
    );
    assert!(
        sa.iter()
            .any(|l| l.contains("param query limit") && l.contains("null=true")),
        "{sa:#?}"
    );
    // Recursive component: `parent` is the component's own node.
    for x in [&a, &b, &c] {
        let pet = x.components["Pet"];
        assert_eq!(x.schema(pet).properties["parent"], pet);
        assert!(x.schema(x.schema(pet).properties["tag"]).nullable);
    }
}

#[test]
fn operation_level_parameter_overrides_path_level() {
    let a = api(r##"
openapi: 3.0.0
paths:
  /a:
    parameters:
      - {name: q, in: query, schema: {type: string}}
      - {name: X-H, in: header, schema: {type: string}}
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: integer}}
        - {name: x-h, in: header, required: true, schema: {type: integer}}
      responses: {}
"##);
    let op = &a.operations[0];
    assert_eq!(op.parameters.len(), 2);
    assert!(op.parameters.iter().all(|p| p.required));
}

#[test]
fn swagger2_form_data_becomes_an_object_body() {
    let a = api(r##"
swagger: "2.0"
consumes: [multipart/form-data]
paths:
  /upload:
    post:
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
      responses: {200: {description: ok}}
"##);
    let body = a.operations[0].request_body.as_ref().unwrap();
    assert!(body.required);
    let mt = &body.content["multipart/form-data"];
    let s = a.schema(mt.schema.unwrap());
    assert_eq!(s.types, vec!["object"]);
    assert_eq!(s.required, vec!["file"]);
    let file = a.schema(s.properties["file"]);
    assert_eq!(
        (file.types.clone(), file.format.clone()),
        (vec!["string".to_string()], Some("binary".to_string()))
    );
}

#[test]
fn exclusive_bounds_30_and_31_are_the_same_bound() {
    let a = api(
        "openapi: 3.0.0\ncomponents:\n  schemas:\n    N: {type: number, minimum: 5, exclusiveMinimum: true, maximum: 9}\n",
    );
    let b = api(
        "openapi: 3.1.0\ncomponents:\n  schemas:\n    N: {type: number, exclusiveMinimum: 5, maximum: 9}\n",
    );
    let (x, y) = (a.schema(a.components["N"]), b.schema(b.components["N"]));
    assert_eq!(x.minimum, y.minimum);
    assert!(x.minimum.unwrap().exclusive);
    assert_eq!(x.maximum, y.maximum);
}

#[test]
fn pointer_escapes_and_percent_encoding_resolve() {
    let a = api(r##"
openapi: 3.0.0
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/a~1b%20c"}
components:
  schemas:
    "a/b c": {type: string}
"##);
    let mt = &a.operations[0].responses["200"].content["application/json"];
    assert_eq!(mt.schema, Some(a.components["a/b c"]));
}

#[test]
fn unresolvable_ref_names_the_ref_and_its_location() {
    let e = err(r##"
openapi: 3.0.0
paths:
  /a:
    get:
      parameters: [{$ref: "#/components/parameters/Missing"}]
      responses: {}
"##);
    let text = e.to_string();
    assert!(text.contains("#/components/parameters/Missing"), "{text}");
    assert!(text.contains("/paths/~1a/get/parameters/0"), "{text}");
}

#[test]
fn cyclic_ref_chain_is_an_error_not_a_hang() {
    let e = err(r##"
openapi: 3.0.0
paths: {}
components:
  schemas:
    A: {$ref: "#/components/schemas/B"}
    B: {$ref: "#/components/schemas/A"}
"##);
    assert!(matches!(e, NormalizeError::CyclicRef { .. }), "{e}");
    let e = err(r##"
openapi: 3.0.0
paths:
  /a:
    get:
      parameters: [{$ref: "#/components/parameters/P"}]
      responses: {}
components:
  parameters:
    P: {$ref: "#/components/parameters/P"}
"##);
    assert!(e.to_string().contains("cyclic $ref"), "{e}");
}

#[test]
fn remote_refs_are_refused_with_a_reason() {
    let e = err(r##"
openapi: 3.0.0
paths: {}
components:
  schemas:
    A: {$ref: "https://169.254.169.254/latest/meta-data#/x"}
"##);
    assert!(matches!(e, NormalizeError::RefusedRef { .. }), "{e}");
    assert!(
        e.to_string().contains("remote references are not followed"),
        "{e}"
    );
}

#[test]
fn relative_file_refs_load_from_the_spec_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(
        dir.path().join("schemas/pet.yaml"),
        "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'owner.yaml#/Owner'}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("schemas/owner.yaml"),
        "Owner: {type: string}\n",
    )
    .unwrap();
    let spec = r##"
openapi: 3.0.0
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/pet.yaml#/Pet"}
"##;
    let arena = crate::spec::dom::Arena::new();
    let doc = parse_tree(
        spec.as_bytes(),
        &arena,
        "spec.yaml",
        &LoadOptions::default(),
    )
    .unwrap();
    let opts = LoadOptions {
        base_dir: Some(dir.path().to_path_buf()),
        ..LoadOptions::default()
    };
    let a = normalize(&doc, &opts).unwrap();
    let pet = a.schema(
        a.operations[0].responses["200"].content["application/json"]
            .schema
            .unwrap(),
    );
    assert_eq!(pet.pointer, "schemas/pet.yaml#/Pet");
    assert_eq!(a.schema(pet.properties["owner"]).types, vec!["string"]);

    // Without a base directory the same spec is refused, not silently incomplete.
    let e = normalize(&doc, &LoadOptions::default()).unwrap_err();
    assert!(matches!(e, NormalizeError::RefusedRef { .. }), "{e}");

    // `..` above the spec directory is refused.
    let escape = parse_tree(
        b"openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: '../etc/passwd#/x'}\n",
        &arena,
        "s.yaml",
        &LoadOptions::default(),
    )
    .unwrap();
    let e = normalize(&escape, &opts).unwrap_err();
    assert!(e.to_string().contains("leaves the spec's directory"), "{e}");
}

#[test]
fn webhooks_are_operations_keyed_by_name() {
    let a = api(r##"
openapi: 3.1.0
webhooks:
  newPet:
    post:
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses: {"200": {description: ok}}
"##);
    let key = OpKey {
        method: "POST".into(),
        path: "newPet".into(),
    };
    assert!(a.webhooks.contains_key(&key));
}

#[test]
fn path_keys_erase_parameter_names() {
    assert_eq!(normalize_path("/a/{x}/b/{y}.json"), "/a/{}/b/{}.json");
}

#[test]
fn stripe_normalizes_with_all_operations() {
    let bytes = crate::spec::load::tests::gunzip(
        "tests/fixtures/stripe/0000-2021-09-24-8442a0207e.json.gz",
    );
    let arena = crate::spec::dom::Arena::new();
    let doc = parse_tree(&bytes, &arena, "stripe.json", &LoadOptions::default()).unwrap();
    let a = normalize(&doc, &LoadOptions::default()).unwrap();
    assert!(a.operations.len() >= 380, "{}", a.operations.len());
    assert!(a.components.len() >= 470, "{}", a.components.len());
    let charge = a.schema(a.components["charge"]);
    assert!(charge.properties.contains_key("invoice"));
    let op = &a.operations[&OpKey {
        method: "GET".into(),
        path: "/v1/balance/history".into(),
    }];
    assert!(op.parameters.iter().any(|p| p.name == "available_on"));
}
