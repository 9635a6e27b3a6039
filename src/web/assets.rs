//! The files of the top-level `assets/` directory, embedded in the binary with
//! rust-embed. Pages link them by content-hashed name (`app.1a2b3c4d5e6f.css`), served
//! as immutable for a year; a new build changes the name, so no cache ever goes stale.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use super::State;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Files;

/// Hex digits of the content hash in a file name.
const HASH_LEN: usize = 12;

/// name → hashed name, and hashed name → name.
struct Index {
    hashed: HashMap<String, String>,
    plain: HashMap<String, String>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut hashed = HashMap::new();
    let mut plain = HashMap::new();
    for name in Files::iter() {
        let Some(file) = Files::get(&name) else {
            continue;
        };
        let hash = hex::encode(file.metadata.sha256_hash());
        let h = with_hash(&name, &hash[..HASH_LEN]);
        hashed.insert(name.to_string(), h.clone());
        plain.insert(h, name.to_string());
    }
    Index { hashed, plain }
});

fn with_hash(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// The URL of an asset, by its name in `assets/` (content-hashed).
pub fn url(name: &str) -> String {
    match INDEX.hashed.get(name) {
        Some(h) => format!("/assets/{h}"),
        None => format!("/assets/{name}"),
    }
}

/// `/assets/{file}`.
pub fn routes() -> Router<State> {
    Router::new()
        .route("/assets/{file}", get(asset))
        .route("/favicon.ico", get(favicon))
}

async fn favicon() -> Response {
    serve("favicon.svg", false)
}

async fn asset(Path(file): Path<String>) -> Response {
    match INDEX.plain.get(&file) {
        Some(name) => serve(name, true),
        // An unhashed name works too (for hand-written links) but is revalidated.
        None => serve(&file, false),
    }
}

fn serve(name: &str, immutable: bool) -> Response {
    let Some(file) = Files::get(name) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let mime = match name.rsplit_once('.').map(|(_, e)| e) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut resp = file.data.into_owned().into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&format!(
        "\"{}\"",
        &hex::encode(file.metadata.sha256_hash())[..HASH_LEN]
    )) {
        h.insert(header::ETAG, etag);
    }
    resp
}

/// Total bytes of the embedded assets (the binary-size budget).
pub fn embedded_bytes() -> usize {
    Files::iter()
        .filter_map(|n| Files::get(&n))
        .map(|f| f.data.len())
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_asset_has_a_hashed_url_and_they_stay_small() {
        let css = super::url("app.css");
        assert!(css.starts_with("/assets/app.") && css.ends_with(".css"));
        assert_ne!(css, "/assets/app.css");
        assert!(super::embedded_bytes() <= 300 * 1024, "assets over budget");
    }
}
