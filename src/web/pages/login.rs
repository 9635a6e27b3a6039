//! `/login` and `/logout`: the admin token entered once, kept as an HTTP-only,
//! SameSite=Strict cookie holding a MAC of it (see [`crate::web::auth`]).

use axum::Form;
use axum::extract::{RawQuery, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::{Viewer, layout};
use crate::web::State;
use crate::web::api::params;
use crate::web::auth::{self, COOKIE};

#[derive(Debug, Default, Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    token: String,
    next: Option<String>,
}

fn form_page(state: &State, headers: &HeaderMap, next: &str, error: Option<&str>) -> Response {
    let viewer = Viewer::of(state, headers);
    let body = html! {
        div.login.panel {
            h1 { "Log in" }
            @if state.cfg.admin_token.is_none() {
                p.notice { "No admin token is configured, so there is nothing to log in to: set "
                    code { "[server] admin_token" } " to enable polling, pausing and redriving from here." }
            } @else {
                p.sub { "Enter the admin token (" code { "[server] admin_token" } ")." }
                @if let Some(e) = error { p.notice.err { (e) } }
                form method="post" action="/login" {
                    input type="hidden" name="next" value=(next);
                    label { "Token" input type="password" name="token" autocomplete="current-password" required autofocus; }
                    button.primary type="submit" { "Log in" }
                }
            }
        }
    };
    layout(&viewer, "Log in", "", body)
}

pub(super) async fn form(
    AxState(state): AxState<State>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let f: LoginForm = params(raw).unwrap_or_default();
    form_page(&state, &headers, &auth::safe_next(f.next.as_deref()), None)
}

pub(super) async fn submit(
    AxState(state): AxState<State>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = auth::safe_next(f.next.as_deref());
    let Some(token) = &state.cfg.admin_token else {
        return form_page(&state, &headers, &next, None);
    };
    if !auth::token_eq(&f.token, token) {
        let mut r = form_page(
            &state,
            &headers,
            &next,
            Some("That is not the admin token."),
        );
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return r;
    }
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000",
        auth::session_value(token)
    );
    with_cookie(Redirect::to(&next).into_response(), &cookie)
}

pub(super) async fn logout() -> Response {
    with_cookie(
        Redirect::to("/").into_response(),
        &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
