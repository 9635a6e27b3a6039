//! Server-rendered HTML pages (maud: templates compiled and type-checked with the
//! binary, escaped by default, no template files or build step). Each page is its own
//! module; this one holds the layout, shared bits and the route table. Pages read fine
//! without JavaScript; `assets/app.js` only enhances them.

mod alerts;
mod docs;
mod health;
mod login;
mod overview;
mod system;
mod watch;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::State;
use super::assets;
use super::auth;

/// The page routes.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/", get(overview::page))
        .route("/watches/{name}", get(watch::page))
        .route(
            "/watches/{name}/versions/{number}",
            get(watch::version_page),
        )
        .route(
            "/watches/{name}/versions/{number}/raw",
            get(watch::raw_page),
        )
        .route("/watches/{name}/versions/{number}/docs", get(docs::page))
        .route("/alerts", get(alerts::page))
        .route("/system", get(system::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
}

/// What every page needs to know about the viewer.
pub struct Viewer {
    /// Logged in with the admin token: mutation forms are shown.
    pub admin: bool,
    /// The CSRF value for those forms.
    pub csrf: Option<String>,
    /// A token is configured, so logging in is possible.
    pub can_login: bool,
}

impl Viewer {
    /// The viewer of this request.
    pub fn of(state: &State, headers: &HeaderMap) -> Viewer {
        let admin = auth::is_admin(state, headers);
        Viewer {
            admin,
            csrf: state
                .cfg
                .admin_token
                .as_ref()
                .filter(|_| admin)
                .map(auth::csrf_value),
            can_login: state.cfg.admin_token.is_some(),
        }
    }
}

/// Top-level navigation: (path, label).
const NAV: [(&str, &str); 3] = [
    ("/", "Watches"),
    ("/alerts", "Alerts"),
    ("/system", "System"),
];

/// The page frame: header, navigation, main content, footer.
pub fn layout(viewer: &Viewer, title: &str, here: &str, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · specwatch" }
                link rel="icon" href=(assets::url("favicon.svg")) type="image/svg+xml";
                link rel="stylesheet" href=(assets::url("app.css"));
                link rel="alternate" type="application/atom+xml" title="All changes" href="/feed.atom";
                script src=(assets::url("app.js")) {}
            }
            body {
                header.top { div.bar {
                    a.brand href="/" { img src=(assets::url("favicon.svg")) alt=""; "specwatch" }
                    nav {
                        @for (path, label) in NAV {
                            a href=(path) class=[(path == here).then_some("here")] { (label) }
                        }
                    }
                    div.who {
                        @if viewer.admin {
                            span { "admin" }
                            form.inline method="post" action="/logout" {
                                button type="submit" { "Log out" }
                            }
                        } @else if viewer.can_login {
                            a href={ "/login?next=" (here) } { "Log in" }
                        }
                    }
                } }
                main { (body) }
                footer {
                    "specwatch " (env!("CARGO_PKG_VERSION")) " · "
                    a href="/api/v1/openapi.json" { "API" } " · "
                    a href="/metrics" { "metrics" } " · "
                    a href="/feed.atom" { "Atom feed" }
                }
            }
        }
    };
    Html(page.into_string()).into_response()
}

/// A time: absolute (UTC) in the HTML, relative once the script ran.
pub fn time(ms: i64) -> Markup {
    let dt = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    html! {
        time datetime=(dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) data-ms=(ms) {
            (dt.format("%Y-%m-%d %H:%M UTC"))
        }
    }
}

/// An optional time, or a dash.
pub fn maybe_time(ms: Option<i64>) -> Markup {
    match ms {
        Some(ms) => time(ms),
        None => html! { span.muted { "—" } },
    }
}

/// A coloured pill; `class` is `s-<state>` or `l-<level>`.
pub fn pill(class: &str, text: &str) -> Markup {
    html! { span class={ "pill " (class) } { (text) } }
}

/// A POST form to an API mutation, for an admin viewer: CSRF value and the page to
/// come back to included.
pub fn action(
    viewer: &Viewer,
    url: &str,
    back: &str,
    label: &str,
    confirm: Option<&str>,
) -> Markup {
    html! {
        form.inline method="post" action=(url) data-confirm=[confirm] {
            input type="hidden" name="csrf" value=(viewer.csrf.as_deref().unwrap_or(""));
            input type="hidden" name="next" value=(back);
            button type="submit" { (label) }
        }
    }
}

/// Inline SVG made by [`super::svg`] (already escaped).
pub fn svg(s: String) -> Markup {
    PreEscaped(s)
}

/// A version number from the path, or the page that says it is not one.
pub fn version_number(viewer: &Viewer, number: &str) -> Result<u64, Box<Response>> {
    number.parse::<u64>().map_err(|_| {
        Box::new(error_page(
            viewer,
            StatusCode::BAD_REQUEST,
            "Bad version",
            "Versions are numbers.",
        ))
    })
}

/// A page-level error (unknown watch, bad parameter).
pub fn error_page(viewer: &Viewer, status: StatusCode, title: &str, detail: &str) -> Response {
    let mut r = layout(
        viewer,
        title,
        "",
        html! {
            h1 { (title) }
            p.notice { (detail) }
            p { a href="/" { "Back to the watches" } }
        },
    );
    *r.status_mut() = status;
    r
}

/// The fallback for unknown paths.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if uri.path().starts_with("/api/") {
        return super::problem::Problem::not_found("no such API route").into_response();
    }
    error_page(
        &Viewer::of(&state, &headers),
        StatusCode::NOT_FOUND,
        "Not found",
        &format!("There is no page at {}.", uri.path()),
    )
}
