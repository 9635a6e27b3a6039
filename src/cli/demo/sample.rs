//! The demo's sample API on loopback: a spec that evolves on a scripted timeline, a
//! watch that fails for a while and recovers, and a webhook receiver that logs each
//! alert (the demo's "log sink").

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tracing::info;

/// Seconds between two steps of the timeline at speed 1.
pub const STEP_SECS: f64 = 15.0;

/// What changes at each step (shown when the demo starts).
pub const TIMELINE: [&str; 5] = [
    "v1: orders API with GET /v1/orders and GET /v1/orders/{id}",
    "an endpoint is added: POST /v1/orders",
    "an optional query parameter is added: GET /v1/orders?status=",
    "a response field is removed: Order.legacy_code (breaking)",
    "a field is deprecated and GET /v1/orders/{id} gets a sunset date",
];

#[derive(Clone)]
struct Clock {
    started: Instant,
    speed: f64,
}

impl Clock {
    fn step(&self) -> usize {
        (self.started.elapsed().as_secs_f64() * self.speed / STEP_SECS) as usize
    }
}

/// Starts the sample API on `127.0.0.1:0`; returns its address.
pub async fn start(speed: f64) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let clock = Clock {
        started: Instant::now(),
        speed,
    };
    let app = Router::new()
        .route("/orders/openapi.json", get(orders))
        .route("/inventory/swagger.json", get(inventory))
        .route("/shipping/openapi.json", get(shipping))
        .route("/hook", post(hook))
        .with_state(clock);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}

fn json_response(v: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec_pretty(v).unwrap_or_default(),
    )
        .into_response()
}

async fn orders(State(c): State<Clock>) -> Response {
    json_response(&orders_spec(c.step()))
}

/// The orders API at timeline step `step`.
pub fn orders_spec(step: usize) -> Value {
    let mut order_props = json!({
        "id": {"type": "string"},
        "amount": {"type": "integer", "description": "In the currency's minor unit."},
        "currency": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "paid", "shipped"]},
        "legacy_code": {"type": "string", "description": "Old order code."}
    });
    let mut required = vec!["id", "amount", "legacy_code"];
    if step >= 3
        && let Some(o) = order_props.as_object_mut()
    {
        o.remove("legacy_code");
        required.pop();
    }
    if step >= 4 {
        order_props["currency"]["deprecated"] = json!(true);
        order_props["currency"]["description"] = json!("Deprecated: use the account currency.");
    }
    let mut list_params =
        vec![json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})];
    if step >= 2 {
        list_params.push(json!({"name": "status", "in": "query", "required": false, "schema": {"type": "string"}}));
    }
    let ok = |schema: Value| json!({"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}});
    let mut paths = json!({
        "/v1/orders": {"get": {"operationId": "listOrders", "parameters": list_params,
            "responses": ok(json!({"type": "array", "items": {"$ref": "#/components/schemas/Order"}}))}},
        "/v1/orders/{id}": {"get": {"operationId": "getOrder",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": ok(json!({"$ref": "#/components/schemas/Order"}))}}
    });
    if step >= 1 {
        paths["/v1/orders"]["post"] = json!({"operationId": "createOrder",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
            "responses": ok(json!({"$ref": "#/components/schemas/Order"}))});
    }
    if step >= 4 {
        let sunset = (chrono::Utc::now() + chrono::Duration::days(20))
            .format("%Y-%m-%d")
            .to_string();
        paths["/v1/orders/{id}"]["get"]["deprecated"] = json!(true);
        paths["/v1/orders/{id}"]["get"]["x-sunset"] = json!(sunset);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Demo Orders API", "version": format!("1.{}.0", step.min(4))},
        "paths": paths,
        "components": {"schemas": {"Order": {"type": "object", "required": required, "properties": order_props}}}
    })
}

async fn inventory() -> Response {
    json_response(&json!({
        "swagger": "2.0",
        "info": {"title": "Demo Inventory API", "version": "2.3.1"},
        "basePath": "/v2",
        "paths": {"/items": {"get": {"operationId": "listItems", "produces": ["application/json"],
            "responses": {"200": {"description": "OK", "schema": {"type": "array", "items": {"type": "object",
                "properties": {"sku": {"type": "string"}, "stock": {"type": "integer"}}}}}}}}}
    }))
}

/// The shipping API is down between steps 2 and 4 (fails, then recovers).
async fn shipping(State(c): State<Clock>) -> Response {
    if (2..4).contains(&c.step()) {
        return (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response();
    }
    json_response(&json!({
        "openapi": "3.1.0",
        "info": {"title": "Demo Shipping API", "version": "0.9.0"},
        "paths": {"/quotes": {"post": {"operationId": "quote", "responses": {"200": {"description": "A quote"}}}}}
    }))
}

/// The demo's log sink: a webhook receiver that logs what it got.
async fn hook(body: Bytes) -> StatusCode {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    let summary = v["summary"].as_str().unwrap_or("(no summary)");
    let watch = v["watch"]["name"].as_str().unwrap_or("?");
    info!(target: "specwatch::demo", watch, "alert delivered to the demo log sink: {}", summary.lines().next().unwrap_or_default());
    // Each alert takes a moment to read; pretend the receiver is a real one.
    tokio::time::sleep(Duration::from_millis(5)).await;
    StatusCode::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_diffs_as_scripted() {
        let opts = crate::spec::load::LoadOptions::default();
        let spec = |n| serde_json::to_vec(&orders_spec(n)).unwrap();
        let levels: Vec<(usize, usize)> = (1..5)
            .map(|n| {
                let r = crate::diff::diff_bytes(&spec(n - 1), &spec(n), &opts).unwrap();
                (r.summary.breaking, r.changes.len())
            })
            .collect();
        assert!(
            levels.iter().all(|&(_, n)| n > 0),
            "every step changes: {levels:?}"
        );
        assert_eq!(levels[0].0, 0, "adding an endpoint is not breaking");
        assert_eq!(levels[1].0, 0, "an optional parameter is not breaking");
        assert!(levels[2].0 > 0, "removing a response field is breaking");
    }
}
