#!/usr/bin/env python3
"""Writes tests/fixtures/diff/<rule-id>/ for the schema families (types, enums, defaults
& const, constraints, request/response properties).

Each scenario is one keyword change (base schema -> revision schema) and its mirror; it
is placed at every site where it has a rule (query parameter, a property of a query or
header parameter, request body, request property, response body, response property,
response header). The expected ids come from the per-place rule tables, with the same
symmetry the engine applies: a narrowing without its own rule is a breaking type change
in requests, a widening one in responses. Run from the crate root.
"""
import os, re, shutil, yaml

FAMILIES = ["constraints", "enums", "defaults", "types", "properties"]
const_id, tables = {}, {}
for fam in FAMILIES:
    text = open(f"src/diff/schema/{fam}/rules.rs").read()
    for name, rid in re.findall(r'^\s+([A-Z0-9_]+) = "([a-z0-9-]+)"', text, re.M):
        const_id[name] = rid
    for name, body in re.findall(r"pub const ([A-Z_]+): &SiteRules =\s*&\[(.*?)\];", text, re.S):
        tables[name] = dict(re.findall(r"\(\s*Where::(\w+),\s*&([A-Z0-9_]+),?\s*\)", body))

REQUEST = {"RequestParameter", "RequestParameterProperty", "RequestHeaderProperty", "RequestBody", "RequestProperty"}

def rule(table, place):
    t = tables.get(table, {})
    c = t.get(place) or (t.get("RequestParameterProperty") if place == "RequestHeaderProperty" else None)
    return const_id[c] if c else None

def types_fallback(table, place):
    r = rule(table, place)
    if r:
        return r
    widening = table in ("TYPE_GENERALIZED", "LIST_OF_TYPES_WIDENED")
    narrowing = table in ("TYPE_SPECIALIZED", "LIST_OF_TYPES_NARROWED")
    if (narrowing and place in REQUEST) or (widening and place not in REQUEST):
        return rule("TYPE_CHANGED", place)
    return None

def implicit(fallback):
    def f(table, place):
        return rule(table, place) or rule(fallback, place)
    return f

# --- sites -------------------------------------------------------------------
def doc(version, params=None, body=None, resp=None, headers=None, media="application/json"):
    op = {"operationId": "createItem"}
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"content": {media: {"schema": body}}}
    r = {"description": "ok"}
    if resp is not None:
        r["content"] = {media: {"schema": resp}}
    if headers is not None:
        r["headers"] = {"X-Rate": {"schema": headers}}
    op["responses"] = {"200": r}
    return {"openapi": version, "info": {"title": "Fixture", "version": "1.0.0"},
            "paths": {"/items": {"post": op}}}

def obj(s):
    return {"type": "object", "properties": {"field": s}}

SITES = {
    "RequestParameter": lambda s, v, m: doc(v, params=[{"name": "limit", "in": "query", "schema": s}]),
    "RequestParameterProperty": lambda s, v, m: doc(v, params=[{"name": "filter", "in": "query", "schema": obj(s)}]),
    "RequestHeaderProperty": lambda s, v, m: doc(v, params=[{"name": "X-Filter", "in": "header", "schema": obj(s)}]),
    "RequestBody": lambda s, v, m: doc(v, body=s, media=m),
    "RequestProperty": lambda s, v, m: doc(v, body=obj(s), media=m),
    "ResponseBody": lambda s, v, m: doc(v, resp=s, media=m),
    "ResponseProperty": lambda s, v, m: doc(v, resp=obj(s), media=m),
    "ResponseHeader": lambda s, v, m: doc(v, headers=s),
}
# Sites whose root is an object holding `field` (for property add/remove/required).
PARENTS = {
    "RequestHeaderProperty": lambda s, v, m: doc(v, params=[{"name": "X-Filter", "in": "header", "schema": s}]),
    "RequestProperty": lambda s, v, m: doc(v, body=s),
    "ResponseProperty": lambda s, v, m: doc(v, resp=s),
}

S = lambda **k: dict(k)
STR, INT, ARR = {"type": "string"}, {"type": "integer"}, {"type": "array", "items": {"type": "string"}}
V30, V31 = "3.0.3", "3.1.0"

# (note, forward table, mirror table, base, revision, version, lookup, sites, media)
SCENARIOS = [
    ("maximum lowered", "MAX_DECREASED", "MAX_INCREASED", S(type="integer", maximum=20), S(type="integer", maximum=10), V30, rule),
    ("minimum raised", "MIN_INCREASED", "MIN_DECREASED", S(type="integer", minimum=1), S(type="integer", minimum=5), V30, rule),
    ("exclusive maximum lowered", "EXCLUSIVE_MAX_DECREASED", "EXCLUSIVE_MAX_INCREASED", S(type="integer", exclusiveMaximum=20), S(type="integer", exclusiveMaximum=10), V31, rule),
    ("exclusive minimum raised", "EXCLUSIVE_MIN_INCREASED", "EXCLUSIVE_MIN_DECREASED", S(type="integer", exclusiveMinimum=1), S(type="integer", exclusiveMinimum=5), V31, rule),
    ("maxLength lowered", "MAX_LENGTH_DECREASED", "MAX_LENGTH_INCREASED", S(type="string", maxLength=10), S(type="string", maxLength=5), V30, rule),
    ("minLength raised", "MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED", S(type="string", minLength=1), S(type="string", minLength=3), V30, rule),
    ("maxItems lowered", "MAX_ITEMS_DECREASED", "MAX_ITEMS_INCREASED", dict(ARR, maxItems=10), dict(ARR, maxItems=5), V30, rule),
    ("minItems raised", "MIN_ITEMS_INCREASED", "MIN_ITEMS_DECREASED", dict(ARR, minItems=1), dict(ARR, minItems=3), V30, rule),
    ("maxContains lowered", "MAX_CONTAINS_DECREASED", "MAX_CONTAINS_INCREASED", dict(ARR, contains=STR, maxContains=5), dict(ARR, contains=STR, maxContains=3), V31, rule),
    ("minContains raised", "MIN_CONTAINS_INCREASED", "MIN_CONTAINS_DECREASED", dict(ARR, contains=STR, minContains=2), dict(ARR, contains=STR, minContains=3), V31, rule),
    ("maximum set", "MAX_SET", None, INT, S(type="integer", maximum=10), V30, rule),
    ("minimum set", "MIN_SET", None, INT, S(type="integer", minimum=1), V30, rule),
    ("exclusive maximum set", "EXCLUSIVE_MAX_SET", None, INT, S(type="integer", exclusiveMaximum=10), V31, rule),
    ("exclusive minimum set", "EXCLUSIVE_MIN_SET", None, INT, S(type="integer", exclusiveMinimum=1), V31, rule),
    ("maxLength set", "MAX_LENGTH_SET", "MAX_LENGTH_UNSET", STR, S(type="string", maxLength=10), V30, rule),
    ("minItems set (absent means 0)", "MIN_ITEMS_SET", "MIN_ITEMS_UNSET", ARR, dict(ARR, minItems=2), V30, None),
    ("pattern added", "PATTERN_ADDED", "PATTERN_REMOVED", STR, S(type="string", pattern="^[a-z]+$"), V30, rule),
    ("pattern changed", "PATTERN_CHANGED", "PATTERN_CHANGED", S(type="string", pattern="^[a-z]+$"), S(type="string", pattern="^[a-z0-9]+$"), V30, rule),
    ("pattern generalized to match anything", "PATTERN_GENERALIZED", "PATTERN_CHANGED", S(type="string", pattern="^[a-z]+$"), S(type="string", pattern=".*"), V30, rule),
    ("became an enum", "BECAME_ENUM", None, STR, S(type="string", enum=["a", "b"]), V30, rule),
    ("enum value removed", "ENUM_VALUE_REMOVED", "ENUM_VALUE_ADDED", S(type="string", enum=["a", "b", "c"]), S(type="string", enum=["a", "b"]), V30, rule),
    ("x-extensible-enum value removed", "X_EXTENSIBLE_ENUM_VALUE_REMOVED", None, S(type="string", **{"x-extensible-enum": ["a", "b", "c"]}), S(type="string", **{"x-extensible-enum": ["a", "b"]}), V30, rule),
    ("default added", "DEFAULT_VALUE_ADDED", "DEFAULT_VALUE_REMOVED", STR, S(type="string", default="x"), V30, rule),
    ("default changed", "DEFAULT_VALUE_CHANGED", "DEFAULT_VALUE_CHANGED", S(type="string", default="x"), S(type="string", default="y"), V30, rule),
    ("const added", "CONST_ADDED", "CONST_REMOVED", STR, S(type="string", const="x"), V31, rule),
    ("const changed", "CONST_CHANGED", "CONST_CHANGED", S(type="string", const="x"), S(type="string", const="y"), V31, rule),
    ("type changed", "TYPE_CHANGED", "TYPE_CHANGED", STR, S(type="boolean"), V30, rule),
    ("integer generalized to number", "TYPE_GENERALIZED", "TYPE_SPECIALIZED", INT, S(type="number"), V30, types_fallback),
    ("format int32 generalized to int64", "TYPE_GENERALIZED", "TYPE_SPECIALIZED", S(type="integer", format="int32"), S(type="integer", format="int64"), V30, types_fallback),
    ("list of types widened", "LIST_OF_TYPES_WIDENED", "LIST_OF_TYPES_NARROWED", S(type=["string", "integer"]), S(type=["string", "integer", "boolean"]), V31, types_fallback),
    ("became nullable", "BECAME_NULLABLE", "BECAME_NOT_NULLABLE", STR, S(type="string", nullable=True), V30, rule),
    ("contentMediaType changed", "CONTENT_MEDIA_TYPE_CHANGED", "CONTENT_MEDIA_TYPE_CHANGED", S(type="string", contentMediaType="image/png"), S(type="string", contentMediaType="image/jpeg"), V31, rule),
]

def min_items_set(fwd, place):
    if fwd:
        return rule("MIN_ITEMS_SET", place) or rule("MIN_ITEMS_INCREASED", place)
    return rule("MIN_ITEMS_UNSET", place) or rule("MIN_ITEMS_DECREASED", place)

OUT = "tests/fixtures/diff"
written = {}

def dump(path, note, d):
    with open(path, "w") as f:
        f.write(f"# {note}\n")
        yaml.safe_dump(d, f, sort_keys=False)

def write(name, note, base, rev, ids, reverse):
    if name in written:
        return
    written[name] = True
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    dump(f"{d}/base.yaml", note, base)
    dump(f"{d}/revision.yaml", note, rev)
    q = lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"
    with open(f"{d}/expect.toml", "w") as f:
        f.write(f"ids = {q(ids)}\n")
        if reverse is not None:
            f.write(f"reverse = {q(reverse)}\n")

def place_pair(note, fwd, back, base, rev, version, build, media="application/json"):
    if fwd:
        write(fwd, note, build(base, version, media), build(rev, version, media), [fwd], [back] if back else [])
    elif back:
        write(back, note + " (mirror)", build(rev, version, media), build(base, version, media), [back], [])

for sc in SCENARIOS:
    note, ft, mt, base, rev, version, look = sc
    for place, build in SITES.items():
        if look is None:
            fwd, back = min_items_set(True, place), min_items_set(False, place)
        else:
            fwd = look(ft, place)
            back = look(mt, place) if mt else None
        place_pair(f"{note} at {place}", fwd, back, base, rev, version, build)

# type swap string <-> object in an XML body: compatible (not strongly typed).
for place in ["RequestBody", "RequestProperty", "ResponseBody", "ResponseProperty"]:
    rid = rule("TYPE_COMPATIBLE", place)
    if rid:
        place_pair(f"string became object in an XML body at {place}", rid, rid, STR,
                   S(type="object"), V30, SITES[place], media="application/xml")

# readOnly request / writeOnly response enum changes.
RO = lambda vals: S(type="string", readOnly=True, enum=vals)
WO = lambda vals: S(type="string", writeOnly=True, enum=vals)
place_pair("enum value removed from a read-only request property",
           rule("READ_ONLY_ENUM_VALUE_REMOVED", "RequestProperty"), rule("ENUM_VALUE_ADDED", "RequestProperty"),
           RO(["a", "b", "c"]), RO(["a", "b"]), V30, SITES["RequestProperty"])
place_pair("enum value added to a write-only response property",
           rule("WRITE_ONLY_ENUM_VALUE_ADDED", "ResponseProperty"), rule("ENUM_VALUE_REMOVED", "ResponseProperty"),
           WO(["a", "b"]), WO(["a", "b", "c"]), V30, SITES["ResponseProperty"])

# wrapped in oneOf at a body root
for place in ["RequestBody", "ResponseBody"]:
    rid = rule("WRAPPED_IN_ONE_OF", place)
    place_pair(f"body wrapped in oneOf at {place}", rid, None, STR,
               {"oneOf": [STR, INT]}, V30, SITES[place])

# property-level changes on an object root
def parent(props, required=()):
    o = {"type": "object", "properties": props}
    if required:
        o["required"] = list(required)
    return o

KEEP = {"id": STR}
PROPS = [
    ("property added as required", "REQUIRED_ADDED", "REQUIRED_REMOVED", "REMOVED",
     parent(KEEP), parent(dict(KEEP, field=STR), ["field"])),
    ("property added as optional", "OPTIONAL_ADDED", "OPTIONAL_REMOVED", "REMOVED",
     parent(KEEP), parent(dict(KEEP, field=STR))),
    ("property added as required with a default", "REQUIRED_ADDED_WITH_DEFAULT", "REQUIRED_REMOVED", "REMOVED",
     parent(KEEP), parent(dict(KEEP, field=S(type="string", default="x")), ["field"])),
    ("property became required", "BECAME_REQUIRED", "BECAME_OPTIONAL", None,
     parent(dict(KEEP, field=STR)), parent(dict(KEEP, field=STR), ["field"])),
    ("property with a default became required", "BECAME_REQUIRED_WITH_DEFAULT", "BECAME_OPTIONAL", None,
     parent(dict(KEEP, field=S(type="string", default="x"))), parent(dict(KEEP, field=S(type="string", default="x")), ["field"])),
]
for note, ft, mt, mt_request, base, rev in PROPS:
    for place, build in PARENTS.items():
        fwd = rule(ft, place)
        if place == "RequestProperty" and ft == "REQUIRED_ADDED" and False:
            pass
        back = rule(mt_request if (mt_request and place in REQUEST) else mt, place)
        if ft == "REQUIRED_ADDED_WITH_DEFAULT" and place != "RequestProperty":
            continue
        if ft == "BECAME_REQUIRED_WITH_DEFAULT" and place != "RequestProperty":
            continue
        place_pair(f"{note} at {place}", fwd, back, base, rev, V30, build)

print(len(written), "fixture dirs")
