#!/usr/bin/env python3
"""Writes tests/fixtures/diff/<rule-id>/{base,revision}.yaml + expect.toml for the
operation-level rule families of the diff engine (endpoints, parameters, request body,
responses, headers, security, deprecation, stability, tags, webhooks, versioning).

Each fixture is a small hand-written change; run from the repository root:
    python3 docs/generators/gen_engine_fixtures.py
"""
import copy
import os

import yaml

ROOT = os.path.join("tests", "fixtures", "diff")
OK = {"200": {"description": "ok"}}
FUTURE, FUTURE2, PAST = "2999-12-31", "2999-01-01", "2000-01-01"


def api(paths, components=None, security=None, openapi="3.0.3", version="1.0.0", extra=None, webhooks=None):
    d = {"openapi": openapi, "info": {"title": "Fixture", "version": version}}
    if extra:
        d.update(extra)
    if security is not None:
        d["security"] = security
    d["paths"] = paths
    if webhooks is not None:
        d["webhooks"] = webhooks
    if components:
        d["components"] = components
    return d


def op(params=None, body=None, responses=None, **kw):
    o = dict(kw)
    if params is not None:
        o["parameters"] = params
    if body is not None:
        o["requestBody"] = body
    o["responses"] = responses if responses is not None else copy.deepcopy(OK)
    return o


def param(name, loc="query", required=False, t="string", **kw):
    p = {"name": name, "in": loc}
    if required or loc == "path":
        p["required"] = True
    p["schema"] = {"type": t} if t != "array" else {"type": "array", "items": {"type": "string"}}
    p.update(kw)
    return p


def body(required=False, media=("application/json",), schema=True):
    b = {"content": {m: ({"schema": {"type": "object", "properties": {"name": {"type": "string"}}}} if schema else {}) for m in media}}
    if required:
        b["required"] = True
    return b


def items(get=None, post=None, **path_level):
    p = dict(path_level)
    if get is not None:
        p["get"] = get
    if post is not None:
        p["post"] = post
    return {"/items": p}


def resp(status=("200",), media=("application/json",), schema=True, headers=None):
    out = {}
    for s in status:
        r = {"description": "response"}
        if media:
            r["content"] = {m: ({"schema": {"type": "string"}} if schema else {}) for m in media}
        if headers:
            r["headers"] = headers
        out[s] = r
    return out


def header(required=False):
    h = {"schema": {"type": "integer"}}
    if required:
        h["required"] = True
    return h


def schemes(api_key_type="apiKey", auth_url="https://auth.example.com/authorize",
            token_url="https://auth.example.com/token", scopes=("read", "write"), extra=None):
    key = {"type": "apiKey", "in": "header", "name": "X-API-Key"} if api_key_type == "apiKey" \
        else {"type": "http", "scheme": "bearer"}
    s = {
        "api_key": key,
        "oauth": {"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": auth_url, "tokenUrl": token_url,
            "scopes": {sc: f"{sc} access" for sc in scopes}}}},
    }
    if extra:
        s.update(extra)
    return {"securitySchemes": s}


FIX = []


def fx(rule, note, base, rev, ids, reverse=None):
    FIX.append((rule, note, base, rev, ids, reverse))


# --- endpoints -------------------------------------------------------------
two = lambda post_kw=None: api(items(get=op(), post=op(**(post_kw or {}))))
fx("endpoint-added", "POST /items added", api(items(get=op())), two(), ["endpoint-added"], ["api-removed-without-deprecation"])
fx("api-removed-without-deprecation", "POST /items removed, GET /items stays", two(), api(items(get=op())),
   ["api-removed-without-deprecation"], ["endpoint-added"])
fx("api-removed-before-sunset", "deprecated POST /items removed before its sunset",
   two({"deprecated": True, "x-sunset": FUTURE}), api(items(get=op())), ["api-removed-before-sunset"], ["endpoint-added"])
fx("api-removed-with-deprecation", "deprecated POST /items removed (no sunset)",
   two({"deprecated": True}), api(items(get=op())), ["api-removed-with-deprecation"], ["endpoint-added"])


def with_other(other_op):
    d = api(items(get=op()))
    d["paths"]["/other"] = {"get": other_op}
    return d


fx("api-path-removed-without-deprecation", "path /other removed", with_other(op()), api(items(get=op())),
   ["api-path-removed-without-deprecation"], ["endpoint-added"])
fx("api-path-removed-before-sunset", "deprecated path /other removed before its sunset",
   with_other(op(deprecated=True, **{"x-sunset": FUTURE})), api(items(get=op())), ["api-path-removed-before-sunset"], ["endpoint-added"])
fx("api-path-removed-with-deprecation", "deprecated path /other removed after its sunset",
   with_other(op(deprecated=True, **{"x-sunset": PAST})), api(items(get=op())), ["api-path-removed-with-deprecation"], ["endpoint-added"])
fx("api-path-sunset-parse", "deprecated path /other with an unparsable sunset removed",
   with_other(op(deprecated=True, **{"x-sunset": "someday"})), api(items(get=op())), ["api-path-sunset-parse"], ["endpoint-added"])

# --- parameters ------------------------------------------------------------
g = lambda *ps, **kw: api(items(get=op(params=list(ps), **kw)))
fx("request-parameter-removed", "query parameter limit removed", g(param("limit")), g(),
   ["request-parameter-removed"], ["new-optional-request-parameter"])
fx("new-optional-request-parameter", "optional query parameter limit added", g(), g(param("limit")),
   ["new-optional-request-parameter"], ["request-parameter-removed"])
fx("new-required-request-parameter", "required query parameter limit added", g(), g(param("limit", required=True)),
   ["new-required-request-parameter"], ["request-parameter-removed"])
fx("new-request-path-parameter", "path parameter id declared on an existing operation",
   api({"/items/{id}": {"get": op()}}), api({"/items/{id}": {"get": op(params=[param("id", "path")])}}),
   ["new-request-path-parameter"], ["request-parameter-removed"])
fx("new-required-request-default-parameter-to-existing-path", "required path-level header X-Tenant added",
   api(items(get=op())), api(items(get=op(), parameters=[param("X-Tenant", "header", required=True)])),
   ["new-required-request-default-parameter-to-existing-path"], ["request-parameter-removed"])
fx("new-optional-request-default-parameter-to-existing-path", "optional path-level query parameter added",
   api(items(get=op())), api(items(get=op(), parameters=[param("trace")])),
   ["new-optional-request-default-parameter-to-existing-path"], ["request-parameter-removed"])
fx("request-parameter-became-required", "limit became required", g(param("limit")), g(param("limit", required=True)),
   ["request-parameter-became-required"], ["request-parameter-became-optional"])
fx("request-parameter-became-optional", "limit became optional", g(param("limit", required=True)), g(param("limit")),
   ["request-parameter-became-optional"], ["request-parameter-became-required"])
fx("request-parameter-style-changed", "array parameter style form -> spaceDelimited",
   g(param("ids", t="array", style="form")), g(param("ids", t="array", style="spaceDelimited")),
   ["request-parameter-style-changed"], ["request-parameter-style-changed"])
fx("request-parameter-explode-changed", "array parameter explode true -> false",
   g(param("ids", t="array", explode=True)), g(param("ids", t="array", explode=False)),
   ["request-parameter-explode-changed"], ["request-parameter-explode-changed"])

# --- request body ----------------------------------------------------------
p = lambda b=None: api(items(post=op(body=b)))
fx("request-body-added-required", "required body added", p(), p(body(required=True)),
   ["request-body-added-required"], ["request-body-removed"])
fx("request-body-added-optional", "optional body added", p(), p(body()),
   ["request-body-added-optional"], ["request-body-removed"])
fx("request-body-removed", "body removed", p(body()), p(), ["request-body-removed"], ["request-body-added-optional"])
fx("request-body-became-required", "body became required", p(body()), p(body(required=True)),
   ["request-body-became-required"], ["request-body-became-optional"])
fx("request-body-became-optional", "body became optional", p(body(required=True)), p(body()),
   ["request-body-became-optional"], ["request-body-became-required"])
fx("request-body-media-type-added", "application/xml accepted too", p(body()), p(body(media=("application/json", "application/xml"))),
   ["request-body-media-type-added"], ["request-body-media-type-removed"])
fx("request-body-media-type-removed", "application/xml no longer accepted", p(body(media=("application/json", "application/xml"))), p(body()),
   ["request-body-media-type-removed"], ["request-body-media-type-added"])
fx("request-body-media-type-schema-added", "schema added to a schemaless media type",
   p(body(schema=False)), p(body()), ["request-body-media-type-schema-added"], ["request-body-media-type-schema-removed"])
fx("request-body-media-type-schema-removed", "schema removed from a media type",
   p(body()), p(body(schema=False)), ["request-body-media-type-schema-removed"], ["request-body-media-type-schema-added"])

# --- responses -------------------------------------------------------------
r = lambda **kw: api(items(get=op(responses=resp(**kw))))
fx("response-success-status-added", "201 added", r(), r(status=("200", "201")),
   ["response-success-status-added"], ["response-success-status-removed"])
fx("response-success-status-removed", "201 removed", r(status=("200", "201")), r(),
   ["response-success-status-removed"], ["response-success-status-added"])
fx("response-non-success-status-added", "404 added", r(), r(status=("200", "404")),
   ["response-non-success-status-added"], ["response-non-success-status-removed"])
fx("response-non-success-status-removed", "404 removed", r(status=("200", "404")), r(),
   ["response-non-success-status-removed"], ["response-non-success-status-added"])
fx("response-media-type-added", "application/xml returned too", r(), r(media=("application/json", "application/xml")),
   ["response-media-type-added"], ["response-media-type-removed"])
fx("response-media-type-removed", "application/xml no longer returned", r(media=("application/json", "application/xml")), r(),
   ["response-media-type-removed"], ["response-media-type-added"])
fx("response-body-media-type-schema-added", "schema added to a response media type", r(schema=False), r(),
   ["response-body-media-type-schema-added"], ["response-body-media-type-schema-removed"])
fx("response-body-media-type-schema-removed", "schema removed from a response media type", r(), r(schema=False),
   ["response-body-media-type-schema-removed"], ["response-body-media-type-schema-added"])

# --- headers ---------------------------------------------------------------
fx("required-response-header-removed", "required X-Rate header removed", r(headers={"X-Rate": header(True)}), r(),
   ["required-response-header-removed"], ["response-header-added"])
fx("optional-response-header-removed", "optional X-Rate header removed", r(headers={"X-Rate": header()}), r(),
   ["optional-response-header-removed"], ["response-header-added"])
fx("response-header-added", "X-Rate header added", r(), r(headers={"X-Rate": header()}),
   ["response-header-added"], ["optional-response-header-removed"])
fx("response-header-became-optional", "X-Rate header no longer required (name case differs too)",
   r(headers={"X-Rate": header(True)}), r(headers={"x-rate": header()}), ["response-header-became-optional"], [])

# --- security --------------------------------------------------------------
s = lambda security=None, op_security=None, **kw: api(
    items(get=op(**({"security": op_security} if op_security is not None else {}))),
    components=schemes(**kw), security=security)
fx("api-global-security-added", "document requires api_key", s(), s(security=[{"api_key": []}]),
   ["api-global-security-added"], ["api-global-security-removed"])
fx("api-global-security-removed", "document no longer requires api_key", s(security=[{"api_key": []}]), s(),
   ["api-global-security-removed"], ["api-global-security-added"])
fx("api-global-security-scope-added", "global oauth requirement gains scope write",
   s(security=[{"oauth": ["read"]}]), s(security=[{"oauth": ["read", "write"]}]),
   ["api-global-security-scope-added"], ["api-global-security-scope-removed"])
fx("api-global-security-scope-removed", "global oauth requirement loses scope write",
   s(security=[{"oauth": ["read", "write"]}]), s(security=[{"oauth": ["read"]}]),
   ["api-global-security-scope-removed"], ["api-global-security-scope-added"])
fx("api-security-added", "GET /items requires api_key", s(), s(op_security=[{"api_key": []}]),
   ["api-security-added"], ["api-security-removed"])
fx("api-security-removed", "GET /items no longer requires api_key", s(op_security=[{"api_key": []}]), s(),
   ["api-security-removed"], ["api-security-added"])
fx("api-security-scope-added", "GET /items oauth requirement gains scope write",
   s(op_security=[{"oauth": ["read"]}]), s(op_security=[{"oauth": ["read", "write"]}]),
   ["api-security-scope-added"], ["api-security-scope-removed"])
fx("api-security-scope-removed", "GET /items oauth requirement loses scope write",
   s(op_security=[{"oauth": ["read", "write"]}]), s(op_security=[{"oauth": ["read"]}]),
   ["api-security-scope-removed"], ["api-security-scope-added"])
BASIC = {"basic_auth": {"type": "http", "scheme": "basic"}}
fx("api-security-component-added", "security scheme basic_auth added", s(), s(extra=BASIC),
   ["api-security-component-added"], ["api-security-component-removed"])
fx("api-security-component-removed", "security scheme basic_auth removed", s(extra=BASIC), s(),
   ["api-security-component-removed"], ["api-security-component-added"])
fx("api-security-component-type-changed", "api_key becomes an http bearer scheme", s(), s(api_key_type="http"),
   ["api-security-component-type-changed"], ["api-security-component-type-changed"])
fx("api-security-component-oauth-url-changed", "authorizationUrl changed", s(), s(auth_url="https://login.example.com/authorize"),
   ["api-security-component-oauth-url-changed"], ["api-security-component-oauth-url-changed"])
fx("api-security-component-oauth-token-url-changed", "tokenUrl changed", s(), s(token_url="https://login.example.com/token"),
   ["api-security-component-oauth-token-url-changed"], ["api-security-component-oauth-token-url-changed"])
fx("api-security-component-oauth-scope-added", "scope admin added to the flow", s(), s(scopes=("read", "write", "admin")),
   ["api-security-component-oauth-scope-added"], ["api-security-component-oauth-scope-removed"])
fx("api-security-component-oauth-scope-removed", "scope write removed from the flow", s(), s(scopes=("read",)),
   ["api-security-component-oauth-scope-removed"], ["api-security-component-oauth-scope-added"])

# --- deprecation & sunset (operations) -------------------------------------
d = lambda **kw: api(items(get=op(**kw)))
STABLE = {"x-stability-level": "stable"}
fx("endpoint-deprecated", "GET /items deprecated", d(), d(deprecated=True), ["endpoint-deprecated"], ["endpoint-reactivated"])
fx("endpoint-deprecated-with-sunset", "GET /items deprecated with a sunset date", d(), d(deprecated=True, **{"x-sunset": FUTURE}),
   ["endpoint-deprecated-with-sunset"], ["endpoint-reactivated"])
fx("endpoint-reactivated", "GET /items no longer deprecated", d(deprecated=True), d(), ["endpoint-reactivated"], ["endpoint-deprecated"])
fx("api-deprecated-sunset-missing", "stable GET /items deprecated without a sunset", d(**STABLE), d(deprecated=True, **STABLE),
   ["api-deprecated-sunset-missing"], ["endpoint-reactivated"])
fx("api-deprecated-sunset-parse", "GET /items deprecated with an unparsable sunset", d(), d(deprecated=True, **{"x-sunset": "soon"}),
   ["api-deprecated-sunset-parse"], ["endpoint-reactivated"])
fx("api-sunset-date-too-small", "stable GET /items deprecated with a sunset in the past",
   d(**STABLE), d(deprecated=True, **STABLE, **{"x-sunset": PAST}), ["api-sunset-date-too-small"], ["endpoint-reactivated"])
fx("api-sunset-date-changed-too-small", "sunset of deprecated GET /items moved earlier",
   d(deprecated=True, **{"x-sunset": FUTURE}), d(deprecated=True, **{"x-sunset": FUTURE2}), ["api-sunset-date-changed-too-small"], [])
fx("sunset-deleted", "sunset of deprecated GET /items removed",
   d(deprecated=True, **{"x-sunset": FUTURE}), d(deprecated=True), ["sunset-deleted"], [])

# --- deprecation & sunset (parameters) -------------------------------------
lp = lambda op_kw=None, **kw: api(items(get=op(params=[param("limit", **kw)], **(op_kw or {}))))
fx("request-parameter-deprecated", "limit deprecated", lp(), lp(deprecated=True),
   ["request-parameter-deprecated"], ["request-parameter-reactivated"])
fx("request-parameter-reactivated", "limit no longer deprecated", lp(deprecated=True), lp(),
   ["request-parameter-reactivated"], ["request-parameter-deprecated"])
fx("request-parameter-deprecated-sunset-missing", "limit of a stable operation deprecated without a sunset",
   lp(STABLE), lp(STABLE, deprecated=True), ["request-parameter-deprecated-sunset-missing"], ["request-parameter-reactivated"])
fx("request-parameter-sunset-parse", "limit deprecated with an unparsable sunset",
   lp(), lp(deprecated=True, **{"x-sunset": "soon"}), ["request-parameter-sunset-parse"], ["request-parameter-reactivated"])
fx("request-parameter-sunset-date-too-small", "limit of a stable operation deprecated with a past sunset",
   lp(STABLE), lp(STABLE, deprecated=True, **{"x-sunset": PAST}), ["request-parameter-sunset-date-too-small"], ["request-parameter-reactivated"])
fx("request-parameter-sunset-date-changed-too-small", "sunset of deprecated limit moved earlier",
   lp(deprecated=True, **{"x-sunset": FUTURE}), lp(deprecated=True, **{"x-sunset": FUTURE2}),
   ["request-parameter-sunset-date-changed-too-small"], [])
fx("request-parameter-sunset-deleted", "sunset of deprecated limit removed",
   lp(deprecated=True, **{"x-sunset": FUTURE}), lp(deprecated=True), ["request-parameter-sunset-deleted"], [])
fx("request-parameter-removed-with-deprecation", "deprecated limit removed", lp(deprecated=True), g(),
   ["request-parameter-removed-with-deprecation"], ["new-optional-request-parameter"])
fx("request-parameter-removed-before-sunset", "deprecated limit removed before its sunset",
   lp(deprecated=True, **{"x-sunset": FUTURE}), g(), ["request-parameter-removed-before-sunset"], ["new-optional-request-parameter"])

# --- stability levels ------------------------------------------------------
st = lambda level: d(**{"x-stability-level": level})
fx("api-stability-decreased", "stable -> beta", st("stable"), st("beta"), ["api-stability-decreased"], ["api-stability-increased"])
fx("api-stability-increased", "beta -> stable", st("beta"), st("stable"), ["api-stability-increased"], ["api-stability-decreased"])
fx("api-invalid-stability-level", "beta -> experimental (not a level)", st("beta"), st("experimental"), ["api-invalid-stability-level"], [])

# --- tags, operationId & components ----------------------------------------
fx("api-tag-added", "tag admin added", d(tags=["items"]), d(tags=["items", "admin"]), ["api-tag-added"], ["api-tag-removed"])
fx("api-tag-removed", "tag admin removed", d(tags=["items", "admin"]), d(tags=["items"]), ["api-tag-removed"], ["api-tag-added"])
fx("api-operation-id-added", "operationId added", d(), d(operationId="listItems"), ["api-operation-id-added"], ["api-operation-id-removed"])
fx("api-operation-id-removed", "operationId removed", d(operationId="listItems"), d(), ["api-operation-id-removed"], ["api-operation-id-added"])
fx("api-operation-id-changed", "operationId renamed", d(operationId="listItems"), d(operationId="getItems"),
   ["api-operation-id-changed"], ["api-operation-id-changed"])
SCH = lambda *names: {"schemas": {n: {"type": "object"} for n in names}}
fx("api-schema-removed", "unused component schema Old removed", api(items(get=op()), components=SCH("Item", "Old")),
   api(items(get=op()), components=SCH("Item")), ["api-schema-removed"], [])

# --- webhooks --------------------------------------------------------------
HOOK = {"newItem": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                             "responses": {"200": {"description": "ok"}}}}}
w = lambda hooks: api(items(get=op()), openapi="3.1.0", webhooks=hooks)
fx("webhook-added", "webhook newItem added", w({}), w(HOOK), ["webhook-added"], ["webhook-removed"])
fx("webhook-removed", "webhook newItem removed", w(HOOK), w({}), ["webhook-removed"], ["webhook-added"])

# --- versioning policy -----------------------------------------------------
v = lambda version, *ps, policy=False: api(items(get=op(params=list(ps))), version=version,
                                           extra={"x-version-policy": "semver"} if policy else None)
fx("api-version-not-bumped", "parameter added, version unchanged, document declares x-version-policy",
   v("1.0.0", policy=True), v("1.0.0", param("limit"), policy=True),
   ["new-optional-request-parameter", "api-version-not-bumped"], ["request-parameter-removed", "api-version-not-bumped"])
fx("api-version-decreased", "version went down from 1.1.0 to 1.0.0", v("1.1.0"), v("1.0.0", param("limit")),
   ["new-optional-request-parameter", "api-version-decreased"], ["request-parameter-removed"])
fx("api-major-version-not-bumped", "breaking change with a minor version bump", v("1.0.0"), v("1.1.0", param("limit", required=True)),
   ["new-required-request-parameter", "api-major-version-not-bumped"], ["request-parameter-removed", "api-version-decreased"])


class Dumper(yaml.SafeDumper):
    pass


def main():
    for rule, note, base, rev, ids, reverse in FIX:
        out = os.path.join(ROOT, rule)
        os.makedirs(out, exist_ok=True)
        for name, doc in (("base.yaml", base), ("revision.yaml", rev)):
            with open(os.path.join(out, name), "w") as f:
                f.write(f"# {rule}: {note}\n")
                yaml.dump(doc, f, Dumper=Dumper, sort_keys=False, default_flow_style=False)
        with open(os.path.join(out, "expect.toml"), "w") as f:
            f.write("ids = [" + ", ".join(f'"{i}"' for i in sorted(ids)) + "]\n")
            if reverse is not None:
                f.write("reverse = [" + ", ".join(f'"{i}"' for i in sorted(reverse)) + "]\n")
    print(f"wrote {len(FIX)} fixture pairs under {ROOT}")


if __name__ == "__main__":
    main()
