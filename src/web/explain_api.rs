//! API routes of the per-version artifacts: the agent context (`changes.md`), a
//! version's summary, its normalized spec and its markdown docs. Registered in
//! [`super::api::table`] like every other API route.

use axum::Json;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::State;
use super::api::{number, params};
use super::problem::Problem;
use crate::explain::changelog::{self, Since};
use crate::query::explain::DocsFormat;

#[derive(Debug, Deserialize)]
struct SinceParam {
    since: Option<String>,
}

fn typed(body: impl IntoResponse, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// `GET /api/v1/watches/{name}/changes.md?since=VERSION|DATE`: the changelog as compact
/// markdown for coding agents (what breaks and what to change first).
pub async fn changes_md(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let p: SinceParam = params(raw)?;
    let since = match p.since.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Since::parse(s).map_err(Problem::bad_request)?,
        None => Since::All,
    };
    let log = state.query.changelog(&name, since).await?;
    Ok(typed(
        changelog::markdown(&log),
        "text/markdown; charset=utf-8",
    ))
}

/// `GET /api/v1/watches/{name}/versions/{number}/summary`: the version's summary
/// (deterministic, and the generated one when present), or null for the first version.
pub async fn summary(
    AxState(state): AxState<State>,
    Path((name, n)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let n = number(&n, "version")?;
    Ok(Json(state.query.version_summary(&name, n).await?).into_response())
}

/// `GET /api/v1/watches/{name}/versions/{number}/normalized`: the canonical JSON the
/// semantic hash is computed on, as a download.
pub async fn normalized(
    AxState(state): AxState<State>,
    Path((name, n)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let n = number(&n, "version")?;
    let bytes = state.query.normalized_spec(&name, n).await?;
    let mut r = typed(bytes, "application/json");
    let file = format!(
        "attachment; filename=\"{}-v{n}.normalized.json\"",
        name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            "_"
        )
    );
    if let Ok(v) = HeaderValue::from_str(&file) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// `GET /api/v1/watches/{name}/versions/{number}/docs.md`: markdown reference docs.
pub async fn docs_md(
    AxState(state): AxState<State>,
    Path((name, n)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let n = number(&n, "version")?;
    let text = state.query.docs(&name, n, DocsFormat::Markdown).await?;
    Ok(typed(text.to_string(), "text/markdown; charset=utf-8"))
}
