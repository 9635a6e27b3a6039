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

/// Steps of the timeline (multiples of [`STEP_SECS`]) at which something happens; the
/// spec and the sample endpoints below read these, and the demo prints [`TIMELINE`].
pub const ENDPOINT_ADDED: usize = 1;
/// An optional query parameter appears.
pub const PARAM_ADDED: usize = 2;
/// A response field goes (breaking).
pub const FIELD_REMOVED: usize = 3;
/// A field is deprecated and an operation gets a sunset.
pub const DEPRECATED: usize = 4;
/// `GET /v1/orders/{id}` starts answering 500 …
pub const ENDPOINT_FAILS: usize = 5;
/// … and recovers.
pub const ENDPOINT_RECOVERS: usize = 8;
/// The shipping spec is unavailable from this step …
pub const SHIPPING_DOWN: usize = 2;
/// … until this one.
pub const SHIPPING_BACK: usize = 4;

/// What happens when (shown when the demo starts).
pub const TIMELINE: [(usize, &str); 8] = [
    (
        0,
        "v1: orders API with GET /v1/orders and GET /v1/orders/{id}; its endpoints are probed",
    ),
    (ENDPOINT_ADDED, "an endpoint is added: POST /v1/orders"),
    (
        PARAM_ADDED,
        "an optional query parameter is added: GET /v1/orders?status=",
    ),
    (
        SHIPPING_DOWN,
        "the shipping spec starts failing (poll_failing) …",
    ),
    (
        FIELD_REMOVED,
        "a response field is removed: Order.legacy_code (breaking)",
    ),
    (
        DEPRECATED,
        "a field is deprecated and GET /v1/orders/{id} gets a sunset date; shipping is back",
    ),
    (
        ENDPOINT_FAILS,
        "GET /v1/orders/{id} starts answering 500 (endpoint_down after 3 probes) …",
    ),
    (ENDPOINT_RECOVERS, "… and recovers (endpoint_recovered)"),
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
        .route("/v1/orders", get(list_orders))
        .route("/v1/orders/{id}", get(get_order))
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
    if step >= FIELD_REMOVED
        && let Some(o) = order_props.as_object_mut()
    {
        o.remove("legacy_code");
        required.pop();
    }
    if step >= DEPRECATED {
        order_props["currency"]["deprecated"] = json!(true);
        order_props["currency"]["description"] = json!("Deprecated: use the account currency.");
    }
    let mut list_params =
        vec![json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})];
    if step >= PARAM_ADDED {
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
    if step >= ENDPOINT_ADDED {
        paths["/v1/orders"]["post"] = json!({"operationId": "createOrder",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
            "responses": ok(json!({"$ref": "#/components/schemas/Order"}))});
    }
    if step >= DEPRECATED {
        let sunset = (chrono::Utc::now() + chrono::Duration::days(20))
            .format("%Y-%m-%d")
            .to_string();
        paths["/v1/orders/{id}"]["get"]["deprecated"] = json!(true);
        paths["/v1/orders/{id}"]["get"]["x-sunset"] = json!(sunset);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Demo Orders API", "version": format!("1.{}.0", step.min(DEPRECATED))},
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

/// The shipping spec is unavailable for a while (the poll fails, then recovers).
async fn shipping(State(c): State<Clock>) -> Response {
    if (SHIPPING_DOWN..SHIPPING_BACK).contains(&c.step()) {
        return (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response();
    }
    json_response(&json!({
        "openapi": "3.1.0",
        "info": {"title": "Demo Shipping API", "version": "0.9.0"},
        "paths": {"/quotes": {"post": {"operationId": "quote", "responses": {"200": {"description": "A quote"}}}}}
    }))
}

/// A sample order, as the probed endpoints answer (after a few ms, like a real API).
async fn order(id: &str, base_ms: u64) -> Response {
    // A little jitter, and now and then a slow answer, so the latency chart has a shape.
    let ms = base_ms
        + fastrand::u64(0..base_ms)
        + if fastrand::u8(..20) == 0 {
            4 * base_ms
        } else {
            0
        };
    tokio::time::sleep(Duration::from_millis(ms)).await;
    json_response(&json!({"id": id, "amount": 4200, "currency": "eur", "status": "paid"}))
}

/// `GET /v1/orders`: always healthy.
async fn list_orders() -> Response {
    order("ord_1001", 20).await
}

/// `GET /v1/orders/{id}`: answers 500 for a while, then recovers.
async fn get_order(State(c): State<Clock>) -> Response {
    if (ENDPOINT_FAILS..ENDPOINT_RECOVERS).contains(&c.step()) {
        tokio::time::sleep(Duration::from_millis(3)).await;
        return (StatusCode::INTERNAL_SERVER_ERROR, "database unavailable").into_response();
    }
    order("ord_1001", 8).await
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
