//! Who may do what. Mutations need the admin token (`Authorization: Bearer`), or the
//! login cookie plus a CSRF token from a page form; with no token configured they are
//! disabled. Reading needs nothing unless `[server] read_auth = "token"`, then the
//! bearer token, the token as a basic-auth password, or the login cookie.
//!
//! The cookie holds HMAC(token, "session"), not the token, and the CSRF value is
//! HMAC(token, "csrf"): both are checked without server-side sessions, and rotating
//! the token logs everyone out. Every comparison is constant-time.

use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::State;
use super::problem::Problem;
use crate::config::{ReadAuth, Secret};

/// Name of the login cookie.
pub const COOKIE: &str = "specwatch_session";

/// True when `given` equals the secret, in time independent of where they differ
/// (both sides are hashed first, so the length does not leak either).
pub fn token_eq(given: &str, want: &Secret) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(want.expose().as_bytes());
    a.ct_eq(&b).into()
}

fn mac(token: &Secret, purpose: &str) -> String {
    // HMAC accepts keys of any length; the error branch cannot happen.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(token.expose().as_bytes()) else {
        return String::new();
    };
    m.update(purpose.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// The login cookie's value for `token`.
pub fn session_value(token: &Secret) -> String {
    mac(token, "specwatch session v1")
}

/// The CSRF form value for `token`.
pub fn csrf_value(token: &Secret) -> String {
    mac(token, "specwatch csrf v1")
}

fn ct_str_eq(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes())
        .ct_eq(&Sha256::digest(b.as_bytes()))
        .into()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .map(str::trim)
}

fn basic_password(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let b64 = v.strip_prefix("Basic ")?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.split_once(':').map(|(_, p)| p.to_string())
}

/// The login cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == COOKIE).then_some(v)
        })
}

/// How the request proved it knows the token, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer` or basic-auth password.
    Header,
    /// The login cookie (a mutation also needs the CSRF value).
    Cookie,
}

/// Checks the request's credential against the token.
pub fn credential(headers: &HeaderMap, token: &Secret) -> Option<Credential> {
    if let Some(b) = bearer(headers) {
        return token_eq(b, token).then_some(Credential::Header);
    }
    if let Some(p) = basic_password(headers) {
        return token_eq(&p, token).then_some(Credential::Header);
    }
    let c = session_cookie(headers)?;
    ct_str_eq(c, &session_value(token)).then_some(Credential::Cookie)
}

/// Whether this request may change state. `csrf` is the form's or the
/// `X-CSRF-Token` header's value, needed when the credential is the cookie.
pub fn require_admin(
    state: &State,
    headers: &HeaderMap,
    csrf: Option<&str>,
) -> Result<(), Problem> {
    let Some(token) = &state.cfg.admin_token else {
        return Err(Problem::forbidden(
            "mutations-disabled",
            "changes through the API are disabled: no [server] admin_token is configured; \
             set admin_token = \"${SPECWATCH_ADMIN_TOKEN}\" to enable them",
        ));
    };
    match credential(headers, token) {
        Some(Credential::Header) => Ok(()),
        Some(Credential::Cookie) => {
            let given = csrf.or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()));
            match given {
                Some(c) if ct_str_eq(c, &csrf_value(token)) => Ok(()),
                _ => Err(Problem::forbidden(
                    "csrf",
                    "the form's CSRF token is missing or stale; reload the page and try again",
                )),
            }
        }
        None if headers.contains_key(header::AUTHORIZATION) => {
            Err(Problem::unauthorized("the token is wrong"))
        }
        None => Err(Problem::unauthorized(
            "this needs `Authorization: Bearer <admin_token>`, or logging in on the status page",
        )),
    }
}

/// True when the request is logged in (or needs no login to read).
pub fn can_read(state: &State, headers: &HeaderMap) -> bool {
    match (&state.cfg.read_auth, &state.cfg.admin_token) {
        (ReadAuth::None, _) => true,
        (ReadAuth::Token, Some(token)) => credential(headers, token).is_some(),
        (ReadAuth::Token, None) => false,
    }
}

/// True when the request carries a valid credential (to show mutation forms).
pub fn is_admin(state: &State, headers: &HeaderMap) -> bool {
    state
        .cfg
        .admin_token
        .as_ref()
        .is_some_and(|t| credential(headers, t).is_some())
}

fn is_public(state: &State, path: &str) -> bool {
    const ALWAYS: [&str; 5] = [
        "/healthz",
        "/readyz",
        "/login",
        "/csp-report",
        "/favicon.ico",
    ];
    ALWAYS.contains(&path)
        || path.starts_with("/assets/")
        || (state.cfg.badges && path.starts_with("/badge/"))
        || (state.cfg.feeds && path.ends_with(".atom"))
        || (state.cfg.public_metrics && path == "/metrics")
}

/// Middleware: with `read_auth = "token"`, everything but the public routes needs a
/// credential; pages redirect to the login form, the API answers 401.
pub async fn read_guard(AxState(state): AxState<State>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if is_public(&state, path) || can_read(&state, req.headers()) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") || path == "/metrics" {
        Problem::unauthorized("reading needs the admin token ([server] read_auth = \"token\")")
            .into_response()
    } else {
        let back = url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
        Redirect::to(&format!("/login?next={back}")).into_response()
    }
}

/// A local path to return to after a form, or `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
        _ => "/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value_not_length() {
        let s = Secret("correct-horse-battery".into());
        assert!(token_eq("correct-horse-battery", &s));
        assert!(!token_eq("correct-horse-batter", &s));
        assert!(!token_eq("", &s));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/watch/a")), "/watch/a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn session_and_csrf_differ_and_hide_the_token() {
        let s = Secret("correct-horse-battery".into());
        assert_ne!(session_value(&s), csrf_value(&s));
        assert!(!session_value(&s).contains("correct"));
    }
}
