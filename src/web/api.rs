//! The JSON API under `/api/v1`: the same data the pages show, cursor-paginated,
//! errors as RFC 7807 problems. Every route is listed once in [`table`], from which the
//! router is built and against which a test checks the OpenAPI document.

use std::collections::BTreeMap;
use std::future::Future;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawPathParams, RawQuery, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::State;
use super::auth;
use super::problem::Problem;
use crate::query::{OpError, Query};
use crate::store::AlertQuery;

/// Items per page unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 100;
/// The most items one page may hold.
const MAX_LIMIT: usize = 1000;

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Every API route: method, path (OpenAPI syntax, relative to /api/v1), handler.
pub fn table() -> Vec<(Method, &'static str, MethodRouter<State>)> {
    vec![
        (Method::GET, "/openapi.json", get(openapi)),
        (Method::GET, "/watches", get(list_watches)),
        (Method::GET, "/watches/{name}", get(get_watch)),
        (Method::GET, "/watches/{name}/versions", get(list_versions)),
        (
            Method::GET,
            "/watches/{name}/versions/{number}",
            get(get_version),
        ),
        (
            Method::GET,
            "/watches/{name}/versions/{number}/raw",
            get(raw_version),
        ),
        (Method::GET, "/watches/{name}/diff", get(diff)),
        (
            Method::GET,
            "/watches/{name}/changes.md",
            get(super::explain_api::changes_md),
        ),
        (
            Method::GET,
            "/watches/{name}/versions/{number}/summary",
            get(super::explain_api::summary),
        ),
        (
            Method::GET,
            "/watches/{name}/versions/{number}/normalized",
            get(super::explain_api::normalized),
        ),
        (
            Method::GET,
            "/watches/{name}/versions/{number}/docs.md",
            get(super::explain_api::docs_md),
        ),
        (Method::GET, "/watches/{name}/polls", get(polls)),
        (Method::GET, "/watches/{name}/health", get(health)),
        (Method::POST, "/watches/{name}/poll", mutation(poll_now)),
        (Method::POST, "/watches/{name}/pause", mutation(pause)),
        (Method::POST, "/watches/{name}/resume", mutation(resume)),
        (Method::GET, "/alerts", get(list_alerts)),
        (
            Method::POST,
            "/alerts/{id}/redrive",
            mutation(redrive_alert),
        ),
        (Method::POST, "/alerts/{id}/cancel", mutation(cancel_alert)),
        (Method::POST, "/deliveries/redrive", mutation(redrive_all)),
        (Method::POST, "/sinks/{name}/test", mutation(test_sink)),
        (Method::GET, "/silences", get(list_silences)),
        (Method::POST, "/silences", mutation(add_silence)),
        (
            Method::POST,
            "/silences/{id}/expire",
            mutation(expire_silence),
        ),
        (Method::GET, "/system", get(system)),
    ]
}

/// The router of [`table`], with a problem+json 404 for unknown API paths.
pub fn routes() -> Router<State> {
    let mut r = Router::new();
    for (_, path, handler) in table() {
        r = r.route(path, handler);
    }
    r.fallback(|| async { Problem::not_found("no such API route; see /api/v1/openapi.json") })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "this route does not take that method; see /api/v1/openapi.json",
            )
        })
}

type ApiResult<T> = Result<Json<T>, Problem>;

/// Parses the query string into `T`, as a problem when it does not fit.
pub fn params<T: DeserializeOwned>(raw: Option<String>) -> Result<T, Problem> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("invalid query parameter: {e}")))
}

fn limit(l: Option<usize>) -> Result<usize, Problem> {
    match l.unwrap_or(DEFAULT_LIMIT) {
        0 => Err(Problem::bad_request("limit must be at least 1")),
        n => Ok(n.min(MAX_LIMIT)),
    }
}

/// An opaque cursor for `key`.
pub fn cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

/// The key inside a cursor.
pub fn uncursor(c: &str) -> Result<String, Problem> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            Problem::bad_request("invalid cursor; pass next_cursor from the previous page as is")
        })
}

pub(crate) fn number(s: &str, what: &str) -> Result<u64, Problem> {
    s.parse()
        .map_err(|_| Problem::bad_request(format!("{what} must be a positive integer, not {s:?}")))
}

async fn openapi() -> Response {
    let mut r = Json(super::openapi::document()).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Filters of the watch list (and the overview page).
#[derive(Debug, Default, Deserialize)]
pub struct WatchFilter {
    /// ok, changed, failing, paused or new.
    pub state: Option<String>,
    /// `key=value` or `key`.
    pub label: Option<String>,
    /// Page cursor.
    pub cursor: Option<String>,
    /// Page size.
    pub limit: Option<usize>,
}

impl WatchFilter {
    /// Whether a watch passes the state and label filters.
    pub fn matches(&self, w: &crate::query::WatchSummary) -> bool {
        let state_ok = self
            .state
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == w.state);
        let label_ok = match self.label.as_deref().filter(|l| !l.is_empty()) {
            None => true,
            Some(l) => match l.split_once('=') {
                Some((k, v)) => w.labels.get(k).is_some_and(|x| x == v),
                None => w.labels.contains_key(l),
            },
        };
        state_ok && label_ok
    }
}

async fn list_watches(
    AxState(state): AxState<State>,
    RawQuery(q): RawQuery,
) -> ApiResult<Page<crate::query::WatchSummary>> {
    let f: WatchFilter = params(q)?;
    let limit = limit(f.limit)?;
    let after = f.cursor.as_deref().map(uncursor).transpose()?;
    let all = state.query.watches().await?;
    let mut items: Vec<_> = all
        .iter()
        .filter(|w| after.as_deref().is_none_or(|a| w.name.as_str() > a))
        .filter(|w| f.matches(w))
        .take(limit + 1)
        .cloned()
        .collect();
    let next_cursor = (items.len() > limit).then(|| {
        items.truncate(limit);
        cursor(&items[limit - 1].name)
    });
    Ok(Json(Page { items, next_cursor }))
}

async fn get_watch(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
) -> ApiResult<crate::query::WatchDetail> {
    Ok(Json(state.query.watch(&name).await?))
}

#[derive(Debug, Default, Deserialize)]
struct PageParams {
    cursor: Option<String>,
    limit: Option<usize>,
}

async fn list_versions(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Page<crate::query::VersionRow>> {
    let p: PageParams = params(q)?;
    let limit = limit(p.limit)?;
    let before = match p.cursor.as_deref() {
        Some(c) => Some(number(&uncursor(c)?, "cursor")?),
        None => None,
    };
    let all = state.query.versions(&name).await?;
    let mut items: Vec<_> = all
        .into_iter()
        .filter(|v| before.is_none_or(|b| v.meta.number < b))
        .take(limit + 1)
        .collect();
    let next_cursor = (items.len() > limit).then(|| {
        items.truncate(limit);
        cursor(&items[limit - 1].meta.number.to_string())
    });
    Ok(Json(Page { items, next_cursor }))
}

async fn get_version(
    AxState(state): AxState<State>,
    Path((name, n)): Path<(String, String)>,
) -> ApiResult<Value> {
    let n = number(&n, "version")?;
    let versions = state.query.versions(&name).await?;
    let row = versions
        .into_iter()
        .find(|v| v.meta.number == n)
        .ok_or_else(|| Problem::not_found(format!("watch {name:?} has no version {n}")))?;
    let changes = if n > 1 {
        Some(state.query.diff(&name, n - 1, n).await?)
    } else {
        None
    };
    Ok(Json(json!({ "version": row, "changes": changes })))
}

async fn raw_version(
    AxState(state): AxState<State>,
    Path((name, n)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let n = number(&n, "version")?;
    let (meta, bytes) = state.query.raw(&name, n).await?;
    let ct = meta
        .content_type
        .as_deref()
        .filter(|c| c.contains("json") || c.contains("yaml"))
        .unwrap_or(if bytes.first() == Some(&b'{') {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        });
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ct).unwrap_or(HeaderValue::from_static("text/plain")),
    );
    // Stored versions never change.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(r)
}

#[derive(Debug, Deserialize)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
}

async fn diff(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<crate::diff::Report> {
    let p: DiffParams = params(q)?;
    let latest = state.query.watch(&name).await?.summary.latest_version;
    let to = match p.to.as_deref() {
        Some(t) => number(t, "to")?,
        None => latest,
    };
    let from = match p.from.as_deref() {
        Some(f) => number(f, "from")?,
        None => to.saturating_sub(1),
    };
    if from == 0 || to == 0 {
        return Err(Problem::bad_request(
            "the watch needs two versions to diff; pass from and to (version numbers)",
        ));
    }
    Ok(Json(state.query.diff(&name, from, to).await?))
}

#[derive(Debug, Default, Deserialize)]
struct PollParams {
    limit: Option<usize>,
}

async fn polls(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Page<crate::store::PollRecord>> {
    let p: PollParams = params(q)?;
    state.query.watch(&name).await?;
    let items = state.query.polls(&name, limit(p.limit)?).await?;
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

#[derive(Debug, Default, Deserialize)]
struct HealthParams {
    hours: Option<i64>,
}

async fn health(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<crate::query::HealthView> {
    let p: HealthParams = params(q)?;
    let hours = p.hours.unwrap_or(24);
    if !(1..=720).contains(&hours) {
        return Err(Problem::bad_request("hours must be between 1 and 720"));
    }
    Ok(Json(state.query.health(&name, hours, false).await?))
}

#[derive(Debug, Default, Deserialize)]
struct AlertParams {
    watch: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
    limit: Option<usize>,
}

async fn list_alerts(
    AxState(state): AxState<State>,
    RawQuery(q): RawQuery,
) -> ApiResult<Page<crate::store::AlertHistory>> {
    let p: AlertParams = params(q)?;
    let limit = limit(p.limit)?;
    let before = match p.cursor.as_deref() {
        Some(c) => Some(number(&uncursor(c)?, "cursor")?),
        None => None,
    };
    let mut items = state
        .query
        .alerts(AlertQuery {
            watch: p.watch.filter(|w| !w.is_empty()),
            status: p.status.filter(|s| !s.is_empty()),
            since: None,
            limit: limit + 1,
            before,
        })
        .await?;
    let next_cursor = (items.len() > limit).then(|| {
        items.truncate(limit);
        cursor(&items[limit - 1].alert.id.to_string())
    });
    Ok(Json(Page { items, next_cursor }))
}

async fn system(AxState(state): AxState<State>) -> ApiResult<crate::query::SystemView> {
    Ok(Json(state.query.system()))
}

/// What a mutation gets: the path parameters and the request's fields (a JSON object
/// body, or the fields of a page form).
pub struct Input {
    params: Vec<(String, String)>,
    /// The body's fields (`{}` when there is none).
    pub body: Value,
}

impl Input {
    /// Path parameter `name` (the route table guarantees it is there).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Path parameter `name` as a number.
    pub fn number(&self, name: &str, what: &str) -> Result<u64, OpError> {
        let s = self.param(name);
        s.parse()
            .map_err(|_| OpError::Invalid(format!("{what} must be a positive integer, not {s:?}")))
    }

    /// The body's fields as `T`.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, OpError> {
        T::deserialize(&self.body)
            .map_err(|e| OpError::Invalid(format!("invalid request body: {e}")))
    }
}

/// A mutation route: checks the caller (bearer token, or login cookie plus CSRF value),
/// then runs `op`. A page form (urlencoded body) is answered with a redirect to its
/// `next` page, an API call with `op`'s JSON; failures are problems either way.
fn mutation<F, Fut>(op: F) -> MethodRouter<State>
where
    F: Fn(Query, Input) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, OpError>> + Send + 'static,
{
    post(
        move |AxState(state): AxState<State>,
              raw: RawPathParams,
              headers: HeaderMap,
              body: Bytes| {
            let op = op.clone();
            async move {
                let params: Vec<(String, String)> = raw
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                run_mutation(&state, params, &headers, &body, op).await
            }
        },
    )
}

async fn run_mutation<F, Fut>(
    state: &State,
    params: Vec<(String, String)>,
    headers: &HeaderMap,
    body: &Bytes,
    op: F,
) -> Response
where
    F: Fn(Query, Input) -> Fut,
    Fut: Future<Output = Result<Value, OpError>>,
{
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let fields: Result<Value, String> = if is_form {
        serde_urlencoded::from_bytes::<BTreeMap<String, String>>(body)
            .map(|m| json!(m))
            .map_err(|e| e.to_string())
    } else if body.iter().all(u8::is_ascii_whitespace) {
        Ok(json!({}))
    } else {
        serde_json::from_slice::<Value>(body).map_err(|e| e.to_string())
    };
    let csrf = fields
        .as_ref()
        .ok()
        .and_then(|f| f["csrf"].as_str())
        .map(str::to_string);
    if let Err(p) = auth::require_admin(state, headers, csrf.as_deref()) {
        return p.into_response();
    }
    let body = match fields {
        Ok(v) if v.is_object() => v,
        Ok(_) => {
            return Problem::bad_request("the request body must be a JSON object").into_response();
        }
        Err(e) => {
            return Problem::bad_request(format!("the request body does not parse: {e}"))
                .into_response();
        }
    };
    let next = body["next"].as_str().map(str::to_string);
    match op(state.query.clone(), Input { params, body }).await {
        Ok(_) if is_form => Redirect::to(&auth::safe_next(next.as_deref())).into_response(),
        Ok(v) => Json(v).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

async fn poll_now(q: Query, i: Input) -> Result<Value, OpError> {
    let name = i.param("name");
    let outcome = q.poll_now(name).await?;
    Ok(json!({ "watch": name, "outcome": outcome }))
}

async fn pause(q: Query, i: Input) -> Result<Value, OpError> {
    let name = i.param("name");
    Ok(json!({ "watch": name, "paused": q.pause(name).await? }))
}

async fn resume(q: Query, i: Input) -> Result<Value, OpError> {
    let name = i.param("name");
    q.watch(name).await?;
    Ok(json!({ "watch": name, "resumed": q.resume(name).await? }))
}

async fn redrive_alert(q: Query, i: Input) -> Result<Value, OpError> {
    let id = i.number("id", "alert id")?;
    Ok(json!({ "redriven": q.redrive(Some(id)).await? }))
}

async fn redrive_all(q: Query, _: Input) -> Result<Value, OpError> {
    Ok(json!({ "redriven": q.redrive(None).await? }))
}

async fn cancel_alert(q: Query, i: Input) -> Result<Value, OpError> {
    let id = i.number("id", "alert id")?;
    Ok(json!({ "cancelled": q.cancel(id).await? }))
}

async fn test_sink(q: Query, i: Input) -> Result<Value, OpError> {
    Ok(json!(q.test_sink(i.param("name")).await?))
}

async fn add_silence(q: Query, i: Input) -> Result<Value, OpError> {
    Ok(json!(q.add_silence(i.body()?).await?))
}

async fn expire_silence(q: Query, i: Input) -> Result<Value, OpError> {
    Ok(json!(
        q.expire_silence(i.number("id", "silence id")?).await?
    ))
}

async fn list_silences(
    AxState(state): AxState<State>,
) -> ApiResult<Page<crate::query::SilenceView>> {
    Ok(Json(Page {
        items: state.query.silences().await?,
        next_cursor: None,
    }))
}
