//! RFC 7807 `application/problem+json` errors for the API (pages render their own).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::query::OpError;

/// An API error.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem (relative to the API).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: &'static str,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time and what to do.
    pub detail: String,
    /// Send a `WWW-Authenticate: Bearer` challenge (401s).
    #[serde(skip)]
    pub challenge: bool,
}

impl Problem {
    /// A problem of `kind` (a slug, e.g. "not-found").
    pub fn new(
        status: StatusCode,
        kind: &str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Problem {
        Problem {
            kind: format!("/api/v1/problems/{kind}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            challenge: false,
        }
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    /// 400.
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    /// 401 with a `WWW-Authenticate` challenge.
    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        let mut p = Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        );
        p.challenge = true;
        p
    }

    /// 403.
    pub fn forbidden(kind: &str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, kind, "Forbidden", detail)
    }
}

impl From<OpError> for Problem {
    fn from(e: OpError) -> Problem {
        match e {
            OpError::NotFound(m) => Problem::not_found(m),
            OpError::Invalid(m) => Problem::bad_request(m),
            OpError::Store(e) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-error",
                "The store failed",
                e.to_string(),
            ),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut resp = (status, body).into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.challenge {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"specwatch\""),
            );
        }
        resp
    }
}
