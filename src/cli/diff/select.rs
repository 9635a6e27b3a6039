//! Selecting what is compared: `--match-path` / `--unmatch-path`, the base-path
//! rewrites (`--strip-prefix-*`, `--prefix-*`) and `--filter-extension`, applied to each
//! side's operations before the diff.

use regex::Regex;

use crate::spec::model::{Api, OpKey, Operation};
use crate::spec::normalize::normalize_path;

/// Which side of the diff an API is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// BASE.
    Base,
    /// REVISION.
    Revision,
}

/// `--filter-extension EXPR`: `x-name` leaves out operations whose `x-name` is present
/// and neither `false` nor `null`; `x-name=value` those whose `x-name` equals `value`
/// (compared as written: `x-audience=internal`, `x-internal=true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionFilter {
    name: String,
    value: Option<String>,
}

impl ExtensionFilter {
    /// Parses `x-name` or `x-name=value`.
    pub fn parse(expr: &str) -> Result<Self, String> {
        let (name, value) = match expr.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().to_string())),
            None => (expr.trim(), None),
        };
        if !name.starts_with("x-") || name.len() < 3 || name.contains(char::is_whitespace) {
            return Err(format!(
                "--filter-extension {expr:?}: expected `x-name` or `x-name=value`, e.g. `x-internal` or `x-audience=internal`"
            ));
        }
        Ok(ExtensionFilter {
            name: name.to_string(),
            value,
        })
    }

    /// True when `op` carries the extension (with the value, if one was given).
    pub fn matches(&self, op: &Operation) -> bool {
        let Some(v) = op.extensions.get(&self.name) else {
            return false;
        };
        match &self.value {
            None => !matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false)),
            Some(want) => match v {
                serde_json::Value::String(s) => s == want,
                other => serde_json::from_str::<serde_json::Value>(want).is_ok_and(|w| w == *other),
            },
        }
    }
}

/// Everything that narrows or rewrites the operations compared.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Keep only paths matching this.
    pub match_path: Option<Regex>,
    /// Leave out paths matching this.
    pub unmatch_path: Option<Regex>,
    /// Removed from the start of each base path.
    pub strip_prefix_base: Option<String>,
    /// Removed from the start of each revision path.
    pub strip_prefix_revision: Option<String>,
    /// Added to the start of each base path (after stripping).
    pub prefix_base: Option<String>,
    /// Added to the start of each revision path (after stripping).
    pub prefix_revision: Option<String>,
    /// Leave out operations with this extension.
    pub filter_extension: Option<ExtensionFilter>,
}

/// Compiles a `--match-path` style regex, naming the flag in errors.
pub fn regex(flag: &str, pattern: &str) -> Result<Regex, String> {
    compile(pattern).map_err(|e| format!("{flag} {pattern:?}: {e}"))
}

/// Compiles a regex; the error is one line (regex's own spans several, with a caret).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| {
        let text = e.to_string();
        let reason = text.lines().last().unwrap_or_default();
        format!(
            "invalid regular expression: {}",
            reason.trim_start_matches("error: ")
        )
    })
}

impl Selection {
    /// True when nothing is selected or rewritten.
    pub fn is_empty(&self) -> bool {
        self.match_path.is_none()
            && self.unmatch_path.is_none()
            && self.strip_prefix_base.is_none()
            && self.strip_prefix_revision.is_none()
            && self.prefix_base.is_none()
            && self.prefix_revision.is_none()
            && self.filter_extension.is_none()
    }

    /// Rewrites and filters `api`'s operations for `side`. Paths are matched after the
    /// prefix rewrite, so one regex serves both sides; webhooks are filtered only by
    /// extension. Pointers still name the document as written (for annotations).
    pub fn apply(&self, api: &mut Api, side: Side) {
        if self.is_empty() {
            return;
        }
        let (strip, prefix) = match side {
            Side::Base => (&self.strip_prefix_base, &self.prefix_base),
            Side::Revision => (&self.strip_prefix_revision, &self.prefix_revision),
        };
        let ops = std::mem::take(&mut api.operations);
        for (_, mut op) in ops {
            let mut path = op.path.as_str();
            if let Some(s) = strip {
                path = path.strip_prefix(s.as_str()).unwrap_or(path);
            }
            let path = format!("{}{path}", prefix.as_deref().unwrap_or(""));
            if !self.keeps(&path, &op) {
                continue;
            }
            let key = OpKey {
                method: op.method.clone(),
                path: normalize_path(&path),
            };
            op.path = path;
            api.operations.entry(key).or_insert(op);
        }
        if let Some(f) = &self.filter_extension {
            api.webhooks.retain(|_, op| !f.matches(op));
        }
    }

    fn keeps(&self, path: &str, op: &Operation) -> bool {
        self.match_path.as_ref().is_none_or(|r| r.is_match(path))
            && !self.unmatch_path.as_ref().is_some_and(|r| r.is_match(path))
            && !self
                .filter_extension
                .as_ref()
                .is_some_and(|f| f.matches(op))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::LoadOptions;

    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /api/v1/pets/{id}:
    get: {responses: {'200': {description: ok}}}
    delete: {x-internal: true, responses: {'204': {description: ok}}}
  /api/v1/admin:
    post: {x-audience: internal, responses: {'200': {description: ok}}}
";

    fn api() -> Api {
        crate::spec::load_api(SPEC.as_bytes(), "t.yaml", &LoadOptions::default()).unwrap()
    }

    fn labels(api: &Api) -> Vec<String> {
        api.operations.values().map(Operation::label).collect()
    }

    #[test]
    fn match_unmatch_and_prefixes() {
        let mut a = api();
        let sel = Selection {
            match_path: Some(regex("--match-path", "^/v1/").unwrap()),
            unmatch_path: Some(regex("--unmatch-path", "admin").unwrap()),
            strip_prefix_revision: Some("/api".into()),
            ..Selection::default()
        };
        sel.apply(&mut a, Side::Revision);
        assert_eq!(labels(&a), ["GET /v1/pets/{id}", "DELETE /v1/pets/{id}"]);
        let key = OpKey {
            method: "GET".into(),
            path: "/v1/pets/{}".into(),
        };
        assert_eq!(
            a.operations[&key].pointer,
            "/paths/~1api~1v1~1pets~1{id}/get"
        );
        // The base side is not stripped, so nothing of it matches `^/v1/`.
        let mut b = api();
        sel.apply(&mut b, Side::Base);
        assert!(b.operations.is_empty());
        let mut c = api();
        Selection {
            prefix_base: Some("/gw".into()),
            ..Selection::default()
        }
        .apply(&mut c, Side::Base);
        assert_eq!(labels(&c)[0], "GET /gw/api/v1/pets/{id}");
    }

    #[test]
    fn extension_filter_with_and_without_value() {
        let only = |expr: &str| {
            let mut a = api();
            Selection {
                filter_extension: Some(ExtensionFilter::parse(expr).unwrap()),
                ..Selection::default()
            }
            .apply(&mut a, Side::Base);
            labels(&a)
        };
        assert_eq!(
            only("x-internal"),
            ["GET /api/v1/pets/{id}", "POST /api/v1/admin"]
        );
        assert_eq!(
            only("x-audience=internal"),
            ["GET /api/v1/pets/{id}", "DELETE /api/v1/pets/{id}"]
        );
        assert_eq!(only("x-internal=false").len(), 3);
        assert!(ExtensionFilter::parse("internal").is_err());
        assert!(
            regex("--match-path", "(")
                .unwrap_err()
                .contains("--match-path")
        );
    }
}
