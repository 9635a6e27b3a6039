//! The OpenAPI 3.1 document of the JSON API, served at `/api/v1/openapi.json`. A test
//! checks that its paths and methods are exactly those of [`super::api::table`], and
//! `config.example.toml` watches it, so specwatch diffs its own API.

use serde_json::{Map, Value, json};

fn param(name: &str, place: &str, schema: Value, description: &str) -> Value {
    json!({
        "name": name, "in": place, "required": place == "path",
        "description": description, "schema": schema,
    })
}

fn name_param() -> Value {
    param("name", "path", json!({"type": "string"}), "Watch name.")
}

fn page_params() -> Vec<Value> {
    vec![
        param(
            "cursor",
            "query",
            json!({"type": "string"}),
            "`next_cursor` of the previous page.",
        ),
        param(
            "limit",
            "query",
            json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
            "Items per page.",
        ),
    ]
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

fn ok_json(schema: Value) -> Value {
    json!({"description": "OK", "content": {"application/json": {"schema": schema}}})
}

fn page_of(item: &str) -> Value {
    json!({
        "type": "object", "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
            "next_cursor": {"type": "string", "description": "Absent on the last page."}
        }
    })
}

fn op(id: &str, summary: &str, params: Vec<Value>, ok: Value, mutation: bool) -> Value {
    let mut responses = Map::new();
    responses.insert("200".into(), ok);
    responses.insert("400".into(), problem("Invalid parameter."));
    responses.insert("404".into(), problem("No such watch, version or alert."));
    responses.insert("401".into(), problem("Missing or wrong token."));
    let mut o = json!({
        "operationId": id, "summary": summary, "parameters": params,
        "responses": responses,
    });
    if mutation {
        o["security"] = json!([{"bearer": []}]);
        o["responses"]["403"] =
            problem("Mutations are disabled (no admin_token), or a form's CSRF token is wrong.");
    }
    o
}

fn obj() -> Value {
    json!({"type": "object"})
}

/// The document.
pub fn document() -> Value {
    let version_param = param(
        "number",
        "path",
        json!({"type": "integer", "minimum": 1}),
        "Version number.",
    );
    let mut add_silence = op(
        "addSilence",
        "Silence matching alerts from now for a duration (kept across restarts).",
        vec![],
        ok_json(json!({"$ref": "#/components/schemas/Silence"})),
        true,
    );
    add_silence["requestBody"] = json!({"required": true, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/NewSilence"}},
        "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/NewSilence"}}}});
    let paths = json!({
        "/openapi.json": {"get": op("getOpenApi", "This document.", vec![], ok_json(obj()), false)},
        "/watches": {"get": op("listWatches", "Every configured watch with its state and latest version.",
            [vec![
                param("state", "query", json!({"type": "string", "enum": ["ok", "changed", "failing", "paused", "new"]}), "Only watches in this state."),
                param("label", "query", json!({"type": "string"}), "Only watches with this label (`key` or `key=value`)."),
            ], page_params()].concat(),
            ok_json(page_of("WatchSummary")), false)},
        "/watches/{name}": {"get": op("getWatch", "One watch.", vec![name_param()],
            ok_json(json!({"$ref": "#/components/schemas/WatchDetail"})), false)},
        "/watches/{name}/versions": {"get": op("listVersions", "Stored versions, newest first.",
            [vec![name_param()], page_params()].concat(), ok_json(page_of("Version")), false)},
        "/watches/{name}/versions/{number}": {"get": op("getVersion", "One version with its changes against the previous one.",
            vec![name_param(), version_param.clone()],
            ok_json(json!({"type": "object", "required": ["version"], "properties": {
                "version": {"$ref": "#/components/schemas/Version"},
                "changes": {"oneOf": [{"$ref": "#/components/schemas/Report"}, {"type": "null"}]}
            }})), false)},
        "/watches/{name}/versions/{number}/raw": {"get": op("getVersionRaw", "The version's bytes exactly as fetched.",
            vec![name_param(), version_param.clone()],
            json!({"description": "OK", "content": {"application/json": {"schema": {}}, "text/plain": {"schema": {"type": "string"}}}}), false)},
        "/watches/{name}/diff": {"get": op("diffVersions", "Changes between two versions, breaking first.",
            vec![name_param(),
                param("from", "query", json!({"type": "integer", "minimum": 1}), "Base version (default: the one before `to`)."),
                param("to", "query", json!({"type": "integer", "minimum": 1}), "Revision (default: the latest).")],
            ok_json(json!({"$ref": "#/components/schemas/Report"})), false)},
        "/watches/{name}/changes.md": {"get": op("getChangesMarkdown", "The changelog as compact markdown for coding agents: what breaks and what to change first.",
            vec![name_param(), param("since", "query", json!({"type": "string"}), "Only versions after this one (`7`) or fetched since this date (`2026-01-31`).")],
            json!({"description": "OK", "content": {"text/markdown": {"schema": {"type": "string"}}}}), false)},
        "/watches/{name}/versions/{number}/summary": {"get": op("getVersionSummary", "The version's change summary (deterministic, plus a labelled generated one when configured); null for the first version.",
            vec![name_param(), version_param.clone()], ok_json(json!({"oneOf": [{"type": "object", "required": ["headline", "items"]}, {"type": "null"}]})), false)},
        "/watches/{name}/versions/{number}/normalized": {"get": op("getVersionNormalized", "The version's normalized spec: canonical JSON, the form its semantic hash is computed on.",
            vec![name_param(), version_param.clone()], ok_json(obj()), false)},
        "/watches/{name}/versions/{number}/docs.md": {"get": op("getVersionDocsMarkdown", "The version's reference docs as markdown.",
            vec![name_param(), version_param],
            json!({"description": "OK", "content": {"text/markdown": {"schema": {"type": "string"}}}}), false)},
        "/watches/{name}/polls": {"get": op("listPolls", "Recent polls, newest first.",
            vec![name_param(), param("limit", "query", json!({"type": "integer", "minimum": 1, "maximum": 1000}), "How many.")],
            ok_json(page_of("Poll")), false)},
        "/watches/{name}/poll": {"post": op("pollNow", "Poll the watch now and return the committed outcome.",
            vec![name_param()], ok_json(obj()), true)},
        "/watches/{name}/pause": {"post": op("pauseWatch", "Stop polling the watch until it is resumed or its config entry changes.",
            vec![name_param()], ok_json(obj()), true)},
        "/watches/{name}/resume": {"post": op("resumeWatch", "Resume a paused watch; it polls within a second.",
            vec![name_param()], ok_json(obj()), true)},
        "/alerts": {"get": op("listAlerts", "Alert history, newest first, with every delivery and attempt.",
            [vec![
                param("watch", "query", json!({"type": "string"}), "Only this watch."),
                param("status", "query", json!({"type": "string", "enum": ["new", "pending", "sent", "failed", "silenced", "unrouted"]}), "Only alerts with this overall status."),
            ], page_params()].concat(),
            ok_json(page_of("Alert")), false)},
        "/alerts/{id}/redrive": {"post": op("redriveAlert", "Queue the failed deliveries of one alert again.",
            vec![param("id", "path", json!({"type": "integer", "minimum": 1}), "Alert id.")], ok_json(obj()), true)},
        "/alerts/{id}/cancel": {"post": op("cancelAlert", "Cancel the pending deliveries of one alert.",
            vec![param("id", "path", json!({"type": "integer", "minimum": 1}), "Alert id.")], ok_json(obj()), true)},
        "/deliveries/redrive": {"post": op("redriveAll", "Queue every failed delivery again.", vec![], ok_json(obj()), true)},
        "/sinks/{name}/test": {"post": op("testSink", "Send a test alert to a running sink now, outside the outbox, and report the receiver's answer.",
            vec![param("name", "path", json!({"type": "string"}), "Sink name.")],
            ok_json(json!({"$ref": "#/components/schemas/SinkTest"})), true)},
        "/silences": {
            "get": op("listSilences", "Silences of the config file and those added at run time (newest first).", vec![],
                ok_json(page_of("Silence")), false),
            "post": add_silence,
        },
        "/silences/{id}/expire": {"post": op("expireSilence", "End a silence added at run time now.",
            vec![param("id", "path", json!({"type": "integer", "minimum": 1}), "Silence id.")],
            ok_json(json!({"$ref": "#/components/schemas/Silence"})), true)},
        "/watches/{name}/health": {"get": op("getWatchHealth", "Endpoint health: state per endpoint, uptime and latency percentiles over 1 h / 24 h / 7 d / 30 d, certificates, and hourly points for charts.",
            vec![name_param(), param("hours", "query", json!({"type": "integer", "minimum": 1, "maximum": 720, "default": 24}), "Hours of hourly points (`series`).")],
            ok_json(json!({"$ref": "#/components/schemas/Health"})), false)},
        "/system": {"get": op("getSystem", "The daemon: last reload, store, plugins, sinks, build.", vec![],
            ok_json(json!({"$ref": "#/components/schemas/System"})), false)},
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "specwatch API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read the watches, versions, diffs and alerts of a specwatch daemon; poll, pause, resume and redrive with the admin token.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "`[server] admin_token`."}},
            "schemas": schemas(),
        }
    })
}

fn schemas() -> Value {
    let ts = json!({"type": "integer", "description": "Milliseconds since the Unix epoch."});
    let opt_ts =
        json!({"type": ["integer", "null"], "description": "Milliseconds since the Unix epoch."});
    let opt_str = json!({"type": ["string", "null"]});
    let counts = json!({"type": "object", "properties": {
        "breaking": {"type": "integer"}, "warning": {"type": "integer"}, "info": {"type": "integer"}}});
    json!({
        "Problem": {"type": "object", "description": "RFC 7807 problem details.", "required": ["type", "title", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "instance": {"type": "string"}}},
        "WatchSummary": {"type": "object", "required": ["name", "state", "latest_version"], "properties": {
            "name": {"type": "string"}, "provider": opt_str, "product": opt_str,
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "state": {"type": "string", "enum": ["ok", "changed", "failing", "paused", "new"]},
            "latest_version": {"type": "integer"}, "latest_at": opt_ts,
            "last_level": {"type": ["string", "null"], "enum": ["breaking", "warning", "info", null]},
            "last_counts": {"oneOf": [counts, {"type": "null"}]},
            "last_poll_at": opt_ts, "problem": opt_str,
            "version_times": {"type": "array", "items": ts}}},
        "WatchDetail": {"allOf": [{"$ref": "#/components/schemas/WatchSummary"}, {"type": "object", "properties": {
            "schedule": opt_str, "source": opt_str, "configured": {"type": "boolean"},
            "sunsets": {"type": "array", "items": {"type": "object"}}}}]},
        "Version": {"type": "object", "required": ["number", "fetched_at", "raw_sha256", "headline"], "properties": {
            "number": {"type": "integer"}, "fetched_at": ts, "raw_size": {"type": "integer"},
            "stored_size": {"type": "integer"}, "raw_sha256": {"type": "string"}, "semantic_hash": {"type": "string"},
            "source": {"type": "string"}, "spec_version": opt_str, "content_type": opt_str,
            "change_counts": {"oneOf": [counts, {"type": "null"}]}, "headline": {"type": "string"}}},
        "Change": {"type": "object", "required": ["id", "level", "pointer", "message"], "properties": {
            "id": {"type": "string", "description": "Rule id (oasdiff-compatible)."},
            "level": {"type": "string", "enum": ["breaking", "warning", "info"]},
            "operation": opt_str, "pointer": {"type": "string"}, "message": {"type": "string"},
            "fingerprint": {"type": "string"}}},
        "Report": {"type": "object", "required": ["changes"], "properties": {
            "summary": {"type": "object"},
            "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}},
            "groups": {"type": "array", "description": "One entry per root cause, breaking first.",
                "items": {"$ref": "#/components/schemas/ChangeGroup"}}}},
        "ChangeGroup": {"type": "object", "required": ["id", "level", "pointer", "message", "operations", "operation_count"], "properties": {
            "id": {"type": "string"}, "level": {"type": "string", "enum": ["breaking", "warning", "info"]},
            "pointer": {"type": "string"}, "message": {"type": "string"},
            "operations": {"type": "array", "items": {"type": "string"}}, "operation_count": {"type": "integer"}}},
        "SinkTest": {"type": "object", "required": ["sink", "ok", "result"], "properties": {
            "sink": {"type": "string"}, "ok": {"type": "boolean"}, "status": {"type": ["integer", "null"]},
            "result": {"type": "string", "enum": ["delivered", "transient", "permanent", "invalid_config", "unavailable", "timeout"]},
            "detail": {"type": "string"}, "latency_ms": {"type": "integer"}}},
        "NewSilence": {"type": "object", "required": ["duration", "comment"], "properties": {
            "watch": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string", "description": "Comma-separated."}], "description": "Watch name globs (`*`)."},
            "event": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}], "description": "Event kinds."},
            "level": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}], "description": "breaking, warning, info."},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "duration": {"type": "string", "description": "From now, e.g. \"2h\" (at most 90d)."},
            "comment": {"type": "string"}}},
        "Silence": {"type": "object", "required": ["source", "comment", "active"], "properties": {
            "id": {"type": ["integer", "null"], "description": "Absent for `[[silence]]` entries of the config."},
            "source": {"type": "string", "enum": ["config", "api"]},
            "watch": {"type": "array", "items": {"type": "string"}}, "event": {"type": "array", "items": {"type": "string"}},
            "level": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "starts": opt_ts, "ends": opt_ts, "comment": {"type": "string"}, "active": {"type": "boolean"}}},
        "Health": {"type": "object", "required": ["watch", "counts", "endpoints"], "properties": {
            "watch": {"type": "string"},
            "counts": {"type": "object", "properties": {"up": {"type": "integer"}, "degraded": {"type": "integer"}, "down": {"type": "integer"}, "unknown": {"type": "integer"}}},
            "windows": {"type": "object", "description": "`1h`, `24h`, `7d`, `30d`: probes, uptime %, p50/p95/p99 ms."},
            "percentile_error": {"type": "number", "description": "Relative error bound of every percentile."},
            "endpoints": {"type": "array", "items": {"type": "object"}},
            "certificates": {"type": "array", "items": {"type": "object"}},
            "series": {"type": "array", "description": "Hourly points of the whole watch, oldest first.", "items": {"type": "object"}}}},
        "Poll": {"type": "object", "required": ["at", "outcome"], "properties": {
            "at": ts, "duration_ms": {"type": "integer"}, "http_status": {"type": ["integer", "null"]},
            "outcome": {"type": "string", "enum": ["unchanged", "reformatted", "new_version", "error"]},
            "number": {"type": "integer"}, "kind": {"type": "string"}, "message": {"type": "string"}}},
        "Alert": {"type": "object", "required": ["alert", "status", "deliveries"], "properties": {
            "alert": {"type": "object"}, "status": {"type": "string"},
            "deliveries": {"type": "array", "items": {"type": "object"}}}},
        "System": {"type": "object", "properties": {
            "status": {"type": "object"}, "store_path": {"type": "string"}, "store_size": {"type": "integer"},
            "plugins": {"type": "array", "items": {"type": "object"}},
            "sinks": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "kind": {"type": "string"}}}},
            "build": {"type": "object"}}},
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn document_lists_exactly_the_routes() {
        let doc = super::document();
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
        let routed: BTreeSet<(String, String)> = super::super::api::table()
            .into_iter()
            .map(|(m, p, _)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(documented, routed);
    }

    #[test]
    fn every_ref_resolves() {
        let doc = super::document();
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "dangling $ref to {name}"
            );
        }
    }
}
