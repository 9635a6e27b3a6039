//! Public bits, each switchable in `[server]`: shields-style SVG badges per watch and
//! Atom feeds of changes (overall and per watch, `?level=breaking` to narrow).

use axum::Router;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::State;
use super::api::params;
use super::problem::Problem;
use super::svg::{badge, escape};
use crate::diff::Level;
use crate::notification::rfc3339;
use crate::query::{VersionRow, headline};

/// Entries per feed.
const FEED_LEN: usize = 50;

/// The routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/badge/{name}/{kind}", get(badge_svg))
        .route("/feed.atom", get(feed_all))
        .route("/watches/{name}/feed.atom", get(feed_watch))
}

fn off(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("{what} are switched off ([server] {what} = false)\n"),
    )
        .into_response()
}

async fn badge_svg(
    AxState(state): AxState<State>,
    Path((name, kind)): Path<(String, String)>,
) -> Response {
    if !state.cfg.badges {
        return off("badges");
    }
    let w = match state.query.watch(&name).await {
        Ok(w) => w.summary,
        Err(_) => return (StatusCode::NOT_FOUND, "no such watch\n").into_response(),
    };
    let svg = match kind.as_str() {
        "level.svg" => {
            let (value, color) = match (w.last_level, w.latest_version) {
                (_, 0) => ("no versions", "#9f9f9f"),
                (Some("breaking"), _) => ("breaking", "#e05d44"),
                (Some("warning"), _) => ("warning", "#dfb317"),
                (Some(_), _) => ("info", "#007ec6"),
                (None, _) => ("no change", "#4c1"),
            };
            badge("last change", value, color)
        }
        "versions.svg" => badge("versions", &w.latest_version.to_string(), "#007ec6"),
        _ => {
            return (StatusCode::NOT_FOUND, "badges: level.svg or versions.svg\n").into_response();
        }
    };
    let mut r = svg.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    // Revalidated every time: a badge on the watch page must not contradict the page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

#[derive(Debug, Default, Deserialize)]
struct FeedParams {
    level: Option<String>,
}

fn min_level(raw: Option<String>) -> Result<Option<Level>, Problem> {
    let p: FeedParams = params(raw)?;
    match p.level.as_deref().filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) => Level::parse(l)
            .map(Some)
            .ok_or_else(|| Problem::bad_request("level: breaking, warning or info")),
    }
}

fn level_of(v: &VersionRow) -> Option<Level> {
    let c = v.meta.change_counts?;
    if c.breaking > 0 {
        Some(Level::Breaking)
    } else if c.warning > 0 {
        Some(Level::Warning)
    } else if c.info > 0 {
        Some(Level::Info)
    } else {
        None
    }
}

async fn feed_all(AxState(state): AxState<State>, RawQuery(raw): RawQuery) -> Response {
    if !state.cfg.feeds {
        return off("feeds");
    }
    let min = match min_level(raw) {
        Ok(m) => m,
        Err(p) => return p.into_response(),
    };
    let watches = match state.query.watches().await {
        Ok(w) => w,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let mut entries = Vec::new();
    for w in watches.iter() {
        if let Ok(vs) = state.query.versions(&w.name).await {
            entries.extend(vs.into_iter().take(FEED_LEN).map(|v| (w.name.clone(), v)));
        }
    }
    render(
        &state,
        "specwatch: all changes",
        "/feed.atom",
        entries,
        min,
        &Default::default(),
    )
}

async fn feed_watch(
    AxState(state): AxState<State>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    if !state.cfg.feeds {
        return off("feeds");
    }
    let min = match min_level(raw) {
        Ok(m) => m,
        Err(p) => return p.into_response(),
    };
    match state.query.versions(&name).await {
        Ok(vs) => {
            let entries = vs.into_iter().map(|v| (name.clone(), v)).collect();
            // Each version's summary: headline, then what a client must do.
            let summaries = state
                .query
                .stored_summaries(&name)
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|(n, s)| {
                    let mut text = s.summary.headline;
                    for i in &s.summary.items {
                        text.push_str(&format!("\n- {}: {}", i.level.as_str(), i.text));
                    }
                    (n, text)
                })
                .collect();
            render(
                &state,
                &format!("specwatch: {name}"),
                &format!("/watches/{name}/feed.atom"),
                entries,
                min,
                &summaries,
            )
        }
        Err(e) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    }
}

fn render(
    _state: &State,
    title: &str,
    self_path: &str,
    mut entries: Vec<(String, VersionRow)>,
    min: Option<Level>,
    summaries: &std::collections::HashMap<u64, String>,
) -> Response {
    entries.retain(|(_, v)| min.is_none_or(|m| level_of(v).is_some_and(|l| l >= m)));
    entries.sort_by_key(|(_, v)| std::cmp::Reverse(v.meta.fetched_at));
    entries.truncate(FEED_LEN);
    let updated = entries.first().map_or(0, |(_, v)| v.meta.fetched_at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!(
        "<title>{}</title>\n<id>urn:specwatch:{}</id>\n<updated>{}</updated>\n<link rel=\"self\" href=\"{}\"/>\n",
        escape(title),
        escape(self_path),
        rfc3339(updated),
        escape(self_path)
    ));
    for (name, v) in &entries {
        let n = v.meta.number;
        out.push_str(&format!(
            "<entry><title>{} v{}: {}</title><id>urn:specwatch:{}:{}:{}</id><updated>{}</updated>\
<link href=\"/watches/{}/versions/{}\"/><summary>{}</summary></entry>\n",
            escape(name),
            n,
            escape(&headline(&v.meta)),
            escape(name),
            n,
            v.meta.raw_sha256,
            rfc3339(v.meta.fetched_at),
            escape(name),
            n,
            escape(summaries.get(&n).map_or(&headline(&v.meta), |s| s)),
        ));
    }
    out.push_str("</feed>\n");
    let mut r = out.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    r
}
