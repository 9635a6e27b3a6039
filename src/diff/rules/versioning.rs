//! Versioning policy: `info.version` against the changes found (runs after every
//! other family). Versions compare as dotted numbers (`v1.2.3`, `2024-01-05` work too).
//!
//! "Changed but not bumped" is opt-in (`x-version-policy` at the top level of the
//! revision): many providers keep one version string forever (Stripe's is a date), and
//! reporting it on every diff would be noise.

use crate::diff::change::Level;
use crate::diff::context::DiffCtx;
use crate::diff::rules::rule_def::rule_table;

rule_table! {
    API_VERSION_NOT_BUMPED = "api-version-not-bumped", Info, "versioning policy",
        "The API changed but info.version did not (only for documents that declare `x-version-policy`).", "the API changed but its version '{0}' was not bumped";
    API_VERSION_DECREASED = "api-version-decreased", Info, "versioning policy",
        "info.version went down.", "the API version decreased from '{0}' to '{1}'";
    API_MAJOR_VERSION_NOT_BUMPED = "api-major-version-not-bumped", Info, "versioning policy",
        "Breaking changes were made without a new major version.",
        "breaking changes were made but the major version was not bumped ('{0}' to '{1}')";
}

/// Numeric parts of a version string: `v1.10.0-rc1` → [1, 10, 0, 1].
fn parts(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(u64::MAX))
        .collect()
}

/// Version policy checks over the changes found so far.
pub fn check(cx: &mut DiffCtx) {
    if cx.changes().is_empty() {
        return;
    }
    let (Some(b), Some(r)) = (cx.base.api_version.clone(), cx.rev.api_version.clone()) else {
        return;
    };
    let breaking = cx.changes().iter().any(|c| c.level == Level::Breaking);
    if b == r {
        if !cx.rev.extensions.contains_key("x-version-policy") {
            return;
        }
        cx.emit(&API_VERSION_NOT_BUMPED, None, "/info/version", &[&r]);
        return;
    }
    let (bp, rp) = (parts(&b), parts(&r));
    if bp.is_empty() || rp.is_empty() {
        return;
    }
    if rp < bp {
        cx.emit(&API_VERSION_DECREASED, None, "/info/version", &[&b, &r]);
    } else if breaking && rp[0] <= bp[0] {
        cx.emit(
            &API_MAJOR_VERSION_NOT_BUMPED,
            None,
            "/info/version",
            &[&b, &r],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn versions_compare_numerically() {
        assert!(parts("1.10.0") > parts("1.9.3"));
        assert!(parts("v2") > parts("1.99"));
        assert_eq!(parts("2024-01-05"), vec![2024, 1, 5]);
    }
}
