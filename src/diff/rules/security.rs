//! Security: document-level requirements, operation-level requirements (only when an
//! operation declares its own; inherited ones are reported once, globally), and the
//! security scheme components (type, OAuth URLs and scopes).

use indexmap::IndexMap;

use crate::diff::context::DiffCtx;
use crate::diff::engine::OpPair;
use crate::diff::rules::rule_def::rule_table;
use crate::spec::model::SecurityRequirement;

rule_table! {
    API_GLOBAL_SECURITY_ADDED = "api-global-security-added", Info, "security",
        "A document-level security requirement was added.", "the security requirement '{0}' was added to the API";
    API_GLOBAL_SECURITY_REMOVED = "api-global-security-removed", Info, "security",
        "A document-level security requirement was removed.", "the security requirement '{0}' was removed from the API";
    API_GLOBAL_SECURITY_SCOPE_ADDED = "api-global-security-scope-added", Info, "security",
        "A scope was added to a document-level security requirement.", "the security scope '{1}' was added to the API security requirement '{0}'";
    API_GLOBAL_SECURITY_SCOPE_REMOVED = "api-global-security-scope-removed", Info, "security",
        "A scope was removed from a document-level security requirement.", "the security scope '{1}' was removed from the API security requirement '{0}'";
    API_SECURITY_ADDED = "api-security-added", Info, "security",
        "An operation-level security requirement was added.", "the endpoint security requirement '{0}' was added";
    API_SECURITY_REMOVED = "api-security-removed", Info, "security",
        "An operation-level security requirement was removed.", "the endpoint security requirement '{0}' was removed";
    API_SECURITY_SCOPE_ADDED = "api-security-scope-added", Info, "security",
        "A scope was added to an operation-level security requirement.", "the endpoint security scope '{1}' was added to the requirement '{0}'";
    API_SECURITY_SCOPE_REMOVED = "api-security-scope-removed", Info, "security",
        "A scope was removed from an operation-level security requirement.", "the endpoint security scope '{1}' was removed from the requirement '{0}'";
    API_SECURITY_COMPONENT_ADDED = "api-security-component-added", Info, "security",
        "A security scheme component was added.", "the security scheme '{0}' was added";
    API_SECURITY_COMPONENT_REMOVED = "api-security-component-removed", Info, "security",
        "A security scheme component was removed.", "the security scheme '{0}' was removed";
    API_SECURITY_COMPONENT_TYPE_CHANGED = "api-security-component-type-changed", Info, "security",
        "A security scheme's type changed.", "the type of the security scheme '{0}' changed from '{1}' to '{2}'";
    API_SECURITY_COMPONENT_OAUTH_URL_CHANGED = "api-security-component-oauth-url-changed", Info, "security",
        "An OAuth flow's authorization URL changed.", "the authorization URL of the '{1}' flow of the security scheme '{0}' changed from '{2}' to '{3}'";
    API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED = "api-security-component-oauth-token-url-changed", Info, "security",
        "An OAuth flow's token URL changed.", "the token URL of the '{1}' flow of the security scheme '{0}' changed from '{2}' to '{3}'";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED = "api-security-component-oauth-scope-added", Info, "security",
        "A scope was added to an OAuth flow.", "the scope '{2}' was added to the '{1}' flow of the security scheme '{0}'";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED = "api-security-component-oauth-scope-changed", Info, "security",
        "An OAuth scope's description changed.", "the description of the scope '{2}' of the '{1}' flow of the security scheme '{0}' changed from '{3}' to '{4}'";
    API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED = "api-security-component-oauth-scope-removed", Info, "security",
        "A scope was removed from an OAuth flow.", "the scope '{2}' was removed from the '{1}' flow of the security scheme '{0}'";
}

/// Identity of one requirement alternative: its scheme names, sorted, joined by " AND ".
fn requirement_name(req: &SecurityRequirement) -> String {
    let mut names: Vec<&str> = req.keys().map(String::as_str).collect();
    names.sort_unstable();
    names.join(" AND ")
}

fn by_name(list: Option<&Vec<SecurityRequirement>>) -> IndexMap<String, &SecurityRequirement> {
    list.map(|l| l.iter().map(|r| (requirement_name(r), r)).collect())
        .unwrap_or_default()
}

/// Rules to use for one requirement list comparison.
struct ListRules {
    added: &'static crate::diff::rules::rule_def::RuleDef,
    removed: &'static crate::diff::rules::rule_def::RuleDef,
    scope_added: &'static crate::diff::rules::rule_def::RuleDef,
    scope_removed: &'static crate::diff::rules::rule_def::RuleDef,
}

const GLOBAL: ListRules = ListRules {
    added: &API_GLOBAL_SECURITY_ADDED,
    removed: &API_GLOBAL_SECURITY_REMOVED,
    scope_added: &API_GLOBAL_SECURITY_SCOPE_ADDED,
    scope_removed: &API_GLOBAL_SECURITY_SCOPE_REMOVED,
};

const OPERATION: ListRules = ListRules {
    added: &API_SECURITY_ADDED,
    removed: &API_SECURITY_REMOVED,
    scope_added: &API_SECURITY_SCOPE_ADDED,
    scope_removed: &API_SECURITY_SCOPE_REMOVED,
};

#[allow(clippy::too_many_arguments)]
fn compare_lists(
    cx: &mut DiffCtx,
    rules: &ListRules,
    op: Option<&str>,
    base_ptr: &str,
    rev_ptr: &str,
    base: Option<&Vec<SecurityRequirement>>,
    rev: Option<&Vec<SecurityRequirement>>,
) {
    let (b, r) = (by_name(base), by_name(rev));
    for name in b.keys() {
        if !r.contains_key(name) {
            cx.emit(rules.removed, op, base_ptr, &[name]);
        }
    }
    for (name, rreq) in &r {
        let Some(breq) = b.get(name) else {
            cx.emit(rules.added, op, rev_ptr, &[name]);
            continue;
        };
        for (scheme, rscopes) in rreq.iter() {
            let bscopes = breq.get(scheme).map(Vec::as_slice).unwrap_or(&[]);
            for s in rscopes.iter().filter(|s| !bscopes.contains(s)) {
                cx.emit(rules.scope_added, op, rev_ptr, &[name, s]);
            }
            for s in bscopes.iter().filter(|s| !rscopes.contains(s)) {
                cx.emit(rules.scope_removed, op, rev_ptr, &[name, s]);
            }
        }
    }
}

/// Document-level requirements and security scheme components.
pub fn check_document(cx: &mut DiffCtx) {
    let (base, rev) = (cx.base, cx.rev);
    compare_lists(
        cx,
        &GLOBAL,
        None,
        "/security",
        "/security",
        base.security.as_ref(),
        rev.security.as_ref(),
    );
    for (name, s) in &base.security_schemes {
        if !rev.security_schemes.contains_key(name) {
            cx.emit(&API_SECURITY_COMPONENT_REMOVED, None, &s.pointer, &[name]);
        }
    }
    for (name, r) in &rev.security_schemes {
        let Some(b) = base.security_schemes.get(name) else {
            cx.emit(&API_SECURITY_COMPONENT_ADDED, None, &r.pointer, &[name]);
            continue;
        };
        let ptr = r.pointer.as_str();
        if b.kind != r.kind {
            cx.emit(
                &API_SECURITY_COMPONENT_TYPE_CHANGED,
                None,
                ptr,
                &[name, &b.kind, &r.kind],
            );
        }
        for (flow, rf) in &r.flows {
            let Some(bf) = b.flows.get(flow) else {
                continue;
            };
            let url = |u: &Option<String>| u.clone().unwrap_or_default();
            if bf.authorization_url != rf.authorization_url {
                let (bu, ru) = (url(&bf.authorization_url), url(&rf.authorization_url));
                cx.emit(
                    &API_SECURITY_COMPONENT_OAUTH_URL_CHANGED,
                    None,
                    ptr,
                    &[name, flow, &bu, &ru],
                );
            }
            if bf.token_url != rf.token_url {
                let (bu, ru) = (url(&bf.token_url), url(&rf.token_url));
                cx.emit(
                    &API_SECURITY_COMPONENT_OAUTH_TOKEN_URL_CHANGED,
                    None,
                    ptr,
                    &[name, flow, &bu, &ru],
                );
            }
            for s in rf.scopes.iter().filter(|s| !bf.scopes.contains(s)) {
                cx.emit(
                    &API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
                    None,
                    ptr,
                    &[name, flow, s],
                );
            }
            let description = |f: &crate::spec::model::OAuthFlow, scope: &str| {
                let at = f.scopes.iter().position(|s| s == scope)?;
                f.scope_descriptions.get(at).cloned()
            };
            for s in rf.scopes.iter().filter(|s| bf.scopes.contains(s)) {
                if let (Some(old), Some(new)) = (description(bf, s), description(rf, s))
                    && old != new
                {
                    cx.emit(
                        &API_SECURITY_COMPONENT_OAUTH_SCOPE_CHANGED,
                        None,
                        ptr,
                        &[name, flow, s, &old, &new],
                    );
                }
            }
            for s in bf.scopes.iter().filter(|s| !rf.scopes.contains(s)) {
                cx.emit(
                    &API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
                    None,
                    ptr,
                    &[name, flow, s],
                );
            }
        }
    }
}

/// Operation-level requirements, when either version declares its own.
pub fn check_operation(cx: &mut DiffCtx, pair: &OpPair) {
    let (b, r) = (pair.base, pair.rev);
    if !b.security_explicit && !r.security_explicit {
        return;
    }
    let (bp, rp) = (
        format!("{}/security", b.pointer),
        format!("{}/security", r.pointer),
    );
    compare_lists(
        cx,
        &OPERATION,
        Some(&pair.label),
        &bp,
        &rp,
        b.security.as_ref(),
        r.security.as_ref(),
    );
}
