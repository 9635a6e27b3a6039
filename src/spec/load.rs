//! Loading a spec document: JSON vs YAML detection by content, parsing with
//! depth/size/alias budgets, and OpenAPI / Swagger version detection.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;
use serde_json::de::StrRead;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, SnippetMode, UserMessageFormatter};

use crate::spec::dom::{Arena, Node};
use crate::spec::model::Flavor;

/// Limits and context for loading a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Maximum nesting depth of objects/arrays (YAML; JSON is fixed at serde_json's 128).
    pub max_depth: usize,
    /// Maximum document size in bytes; larger input is rejected before parsing.
    pub max_size: usize,
    /// Directory that relative file `$ref`s of a local spec may read from (never above it).
    /// `None` refuses external file references.
    pub base_dir: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_depth: 128,
            max_size: 50 * 1024 * 1024,
            base_dir: None,
        }
    }
}

/// What went wrong while loading a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// Syntax error in a JSON document.
    InvalidJson(String),
    /// Syntax error in a YAML document.
    InvalidYaml(String),
    /// Nesting deeper than the limit.
    TooDeep(usize),
    /// A YAML resource budget (aliases, nodes, events …) was exceeded, e.g. a billion-laughs bomb.
    Budget(String),
    /// Input larger than `LoadOptions::max_size`.
    TooLarge {
        /// Input size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The document parsed, but its root is not a mapping/object.
    NotAnObject(&'static str),
    /// The document is not an OpenAPI / Swagger description.
    NotOpenApi(String),
    /// An `openapi` / `swagger` version this tool does not handle.
    UnsupportedVersion(String),
}

impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadErrorKind::InvalidJson(r) => write!(f, "invalid JSON: {r}"),
            LoadErrorKind::InvalidYaml(r) => write!(f, "invalid YAML: {r}"),
            LoadErrorKind::TooDeep(limit) => write!(
                f,
                "nesting is deeper than {limit} levels; refusing to parse (a real spec is far shallower)"
            ),
            LoadErrorKind::Budget(r) => write!(
                f,
                "YAML exceeds a safety budget ({r}); alias/anchor bombs such as billion laughs are refused"
            ),
            LoadErrorKind::TooLarge { size, limit } => write!(
                f,
                "document is {size} bytes, more than the {limit}-byte limit (raise max_spec_size to allow it)"
            ),
            LoadErrorKind::NotAnObject(found) => write!(
                f,
                "the document is {found}, not an object; an OpenAPI document is a JSON/YAML object"
            ),
            LoadErrorKind::NotOpenApi(r) => write!(f, "not an OpenAPI document: {r}"),
            LoadErrorKind::UnsupportedVersion(r) => write!(f, "unsupported version: {r}"),
        }
    }
}

/// A document that could not be loaded: where (origin, line, column) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// File name, URL (without secrets) or watch name the bytes came from.
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// What went wrong.
    pub kind: LoadErrorKind,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

impl LoadError {
    /// An error without a position.
    pub fn new(origin: &str, kind: LoadErrorKind) -> Self {
        LoadError {
            origin: origin.to_string(),
            line: None,
            column: None,
            kind,
        }
    }

    fn at(origin: &str, line: u64, column: u64, kind: LoadErrorKind) -> Self {
        LoadError {
            origin: origin.to_string(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
            kind,
        }
    }
}

/// A parsed and recognized spec document.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document as a JSON value (YAML converted, keys as strings).
    pub doc: Value,
    /// Its dialect.
    pub flavor: Flavor,
    /// The `openapi` / `swagger` field as written.
    pub spec_version: String,
}

/// Parses and recognizes a spec document in one step.
pub fn load(bytes: &[u8], origin: &str, opts: &LoadOptions) -> Result<Loaded, LoadError> {
    let doc = parse_document_with(bytes, origin, opts)?;
    let (flavor, spec_version) = detect_in(&Node::from_value(&doc, &Arena::new()), origin)?;
    Ok(Loaded {
        doc,
        flavor,
        spec_version,
    })
}

/// Parses JSON or YAML (decided by content) into a JSON value with default limits.
pub fn parse_document(bytes: &[u8], origin: &str) -> Result<Value, LoadError> {
    parse_document_with(bytes, origin, &LoadOptions::default())
}

/// The input's syntax, decided from its first significant byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Yaml,
    Html,
    Empty,
}

/// Strips a UTF-8 byte order mark.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn sniff(bytes: &[u8]) -> Syntax {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Syntax::Empty,
        Some(b'{') | Some(b'[') => Syntax::Json,
        Some(b'<') => Syntax::Html,
        Some(_) => Syntax::Yaml,
    }
}

/// Parses JSON or YAML (decided by content, not by file name) into a JSON value.
pub fn parse_document_with(
    bytes: &[u8],
    origin: &str,
    opts: &LoadOptions,
) -> Result<Value, LoadError> {
    let doc = parse_either(bytes, origin, opts, parse_json, |yaml| yaml)?;
    if doc.is_object() {
        Ok(doc)
    } else {
        Err(not_an_object(
            &Node::from_value(&doc, &Arena::new()),
            origin,
        ))
    }
}

/// Parses JSON or YAML into the document tree the normalizer reads, in `arena`. JSON
/// strings borrow from `bytes`; YAML goes through `Value` (serde-saphyr's budgets apply
/// either way).
pub fn parse_tree<'a>(
    bytes: &'a [u8],
    arena: &'a Arena,
    origin: &str,
    opts: &LoadOptions,
) -> Result<Node<'a>, LoadError> {
    let doc = parse_either(
        bytes,
        origin,
        opts,
        |json, origin| parse_json_with(json, origin, |d| Node::parse(d, arena)),
        |yaml| Node::copy_of(&yaml, arena),
    )?;
    if doc.is_object() {
        Ok(doc)
    } else {
        Err(not_an_object(&doc, origin))
    }
}

/// JSON (read by `json`) or YAML (read into a `Value`, then `from_yaml`), decided by
/// the first significant byte, after the size and emptiness checks.
fn parse_either<'a, T>(
    bytes: &'a [u8],
    origin: &str,
    opts: &LoadOptions,
    json: impl FnOnce(&'a [u8], &str) -> Result<T, LoadError>,
    from_yaml: impl FnOnce(Value) -> T,
) -> Result<T, LoadError> {
    match precheck(bytes, origin, opts)? {
        (Syntax::Json, bytes) => match json(bytes, origin) {
            Err(e) if flow_style_yaml(&e) => {
                Ok(from_yaml(parse_yaml(bytes, origin, opts).map_err(|_| e)?))
            }
            parsed => parsed,
        },
        (_, bytes) => parse_yaml(bytes, origin, opts).map(from_yaml),
    }
}

/// True when JSON failed at an unquoted key: a document starting with `{` that is
/// YAML in flow style (`{openapi: 3.0.0, …}`, a referenced `{type: object}`), to be read
/// as YAML. Any other JSON error stands (and so does this one if YAML fails too), so a
/// malformed JSON file is reported as JSON.
fn flow_style_yaml(e: &LoadError) -> bool {
    matches!(&e.kind, LoadErrorKind::InvalidJson(reason) if reason == "key must be a string")
}

fn not_an_object(doc: &Node<'_>, origin: &str) -> LoadError {
    LoadError::new(origin, LoadErrorKind::NotAnObject(doc.kind_name()))
}

/// The size limit and the syntax: JSON or YAML, with the BOM stripped; empty input
/// and HTML pages are refused here.
fn precheck<'a>(
    bytes: &'a [u8],
    origin: &str,
    opts: &LoadOptions,
) -> Result<(Syntax, &'a [u8]), LoadError> {
    if bytes.len() > opts.max_size {
        return Err(LoadError::new(
            origin,
            LoadErrorKind::TooLarge {
                size: bytes.len(),
                limit: opts.max_size,
            },
        ));
    }
    let bytes = strip_bom(bytes);
    match sniff(bytes) {
        Syntax::Empty => Err(LoadError::new(
            origin,
            LoadErrorKind::NotOpenApi("the document is empty".into()),
        )),
        Syntax::Html => Err(LoadError::new(
            origin,
            LoadErrorKind::NotOpenApi(
                "looks like an HTML page, not an OpenAPI document (check the URL)".into(),
            ),
        )),
        syntax => Ok((syntax, bytes)),
    }
}

/// serde_json stops at 128 levels with a "recursion limit exceeded" error instead of
/// overflowing the stack; that limit is fixed (the `unbounded_depth` feature is off).
const JSON_DEPTH_LIMIT: usize = 128;

fn parse_json(bytes: &[u8], origin: &str) -> Result<Value, LoadError> {
    parse_json_with(bytes, origin, |d| Value::deserialize(d))
}

/// Runs `parse` on a JSON deserializer over `bytes` and checks that nothing follows.
fn parse_json_with<'a, T>(
    bytes: &'a [u8],
    origin: &str,
    parse: impl FnOnce(&mut serde_json::Deserializer<StrRead<'a>>) -> serde_json::Result<T>,
) -> Result<T, LoadError> {
    // Checking the whole input once is ~10x cheaper than serde_json checking each string
    // (its ASCII fast path). Invalid UTF-8 fails either way; serde_json's checked path
    // finds where, for the message.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut d = serde_json::Deserializer::from_str(text);
            parse(&mut d).and_then(|v| d.end().map(|()| v))
        }
        Err(_) => Err(serde_json::from_slice::<Value>(bytes)
            .err()
            .unwrap_or_else(|| serde::de::Error::custom("the input is not valid UTF-8"))),
    };
    parsed.map_err(|e| {
        let text = e.to_string();
        // serde_json appends " at line L column C"; we print the position ourselves.
        let reason = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        let kind = if reason.contains("recursion limit exceeded") {
            LoadErrorKind::TooDeep(JSON_DEPTH_LIMIT)
        } else {
            LoadErrorKind::InvalidJson(reason)
        };
        LoadError::at(origin, e.line() as u64, e.column() as u64, kind)
    })
}

/// YAML options: last duplicate key wins (what most YAML tools do), YAML 1.2 booleans
/// only (`yes`/`no` stay strings as in js-yaml / Go yaml.v3), and budgets sized so a
/// `max_size` document (Stripe's 2.9 MB YAML has ~400k nodes) parses while alias bombs fail.
fn yaml_options(opts: &LoadOptions) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = opts.max_depth;
    // A node or event needs at least a couple of input bytes, so these never limit a real document.
    budget.max_events = opts.max_size.max(1_000_000);
    budget.max_nodes = (opts.max_size / 2).max(250_000);
    budget.max_total_scalar_bytes = opts.max_size.max(1024);
    budget.max_documents = 1;
    // Anchors are rare in API specs; these caps stop alias bombs after a fraction of a second.
    budget.max_recorded_anchor_events = 250_000;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 500_000;
    let mut o = Options::default();
    o.budget = Some(budget);
    o.duplicate_keys = DuplicateKeyPolicy::LastWins;
    o.strict_booleans = true;
    o.alias_limits = alias_limits;
    o
}

fn parse_yaml(bytes: &[u8], origin: &str, opts: &LoadOptions) -> Result<Value, LoadError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        let valid = std::str::from_utf8(bytes)
            .err()
            .map(|e| e.valid_up_to())
            .unwrap_or(0);
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(LoadError::at(
            origin,
            line,
            0,
            LoadErrorKind::InvalidYaml("the input is not valid UTF-8".into()),
        ));
    };
    // The YAML deserializer recurses once per nesting level with large frames (over 2 MiB
    // for 128 levels in a debug build), so it runs on its own thread whose stack is sized
    // from the depth limit: no caller's stack (tokio workers have 2 MiB) can overflow.
    let stack = YAML_STACK_BASE + opts.max_depth.saturating_mul(YAML_STACK_PER_LEVEL);
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("yaml-parse".into())
            .stack_size(stack)
            .spawn_scoped(scope, || {
                serde_saphyr::from_str_with_options::<Value>(text, yaml_options(opts))
                    .map_err(|e| yaml_error(&e, origin, opts))
            });
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(LoadError::new(
                    origin,
                    LoadErrorKind::InvalidYaml("the YAML parser failed unexpectedly".into()),
                ))
            }),
            Err(e) => Err(LoadError::new(
                origin,
                LoadErrorKind::Budget(format!("could not start the YAML parser thread: {e}")),
            )),
        }
    })
}

/// Stack for the YAML parser thread: a fixed part plus a generous allowance per level
/// (measured ~20 KiB per level unoptimized). Only touched pages cost memory.
const YAML_STACK_BASE: usize = 1024 * 1024;
const YAML_STACK_PER_LEVEL: usize = 48 * 1024;

fn yaml_error(e: &serde_saphyr::Error, origin: &str, opts: &LoadOptions) -> LoadError {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let mut inner = e;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    let kind = match inner {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => LoadErrorKind::TooDeep(opts.max_depth),
            other => LoadErrorKind::Budget(format!("{other:?}")),
        },
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => {
            LoadErrorKind::Budget(plain_yaml_message(inner))
        }
        other => {
            let msg = plain_yaml_message(other);
            if msg.contains("recursion limit exceeded") {
                LoadErrorKind::TooDeep(opts.max_depth)
            } else {
                LoadErrorKind::InvalidYaml(msg)
            }
        }
    };
    LoadError::at(origin, line, column, kind)
}

/// The error text without source snippets (they could echo secrets) and without the
/// trailing position, which `LoadError` prints itself.
fn plain_yaml_message(e: &serde_saphyr::Error) -> String {
    let opts = serde_saphyr::render_options! {
        formatter: &UserMessageFormatter,
        snippets: SnippetMode::Off,
    };
    let text = e.render_with_options(opts);
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Recognizes the dialect: `openapi: 3.0.x | 3.1.x` or `swagger: "2.0"`, plus at least
/// one of `paths`, `webhooks`, `components`. Errors carry an empty origin; `load` fills it.
pub fn detect(doc: &Node<'_>) -> Result<(Flavor, String), LoadError> {
    let err = |kind| Err(LoadError::new("", kind));
    let Node::Object(map) = doc else {
        return err(LoadErrorKind::NotAnObject(doc.kind_name()));
    };
    let (flavor, version) = if let Some(v) = map.get("openapi") {
        let Some(s) = v.as_str() else {
            return err(LoadErrorKind::UnsupportedVersion(format!(
                "`openapi` must be a string like \"3.0.3\", found {}",
                short(v)
            )));
        };
        let flavor = if s == "3.0" || s.starts_with("3.0.") {
            Flavor::OpenApi30
        } else if s == "3.1" || s.starts_with("3.1.") {
            Flavor::OpenApi31
        } else {
            return err(LoadErrorKind::UnsupportedVersion(format!(
                "openapi {s:?}; specwatch reads OpenAPI 3.0.x, 3.1.x and Swagger 2.0"
            )));
        };
        (flavor, s.to_string())
    } else if let Some(v) = map.get("swagger") {
        // `swagger: 2.0` unquoted in YAML is a number.
        let s = match v {
            Node::String(s) => s.to_string(),
            Node::Number(n) => n.to_string(),
            other => short(other),
        };
        if s != "2.0" && s != "2" {
            return err(LoadErrorKind::UnsupportedVersion(format!(
                "swagger {s:?}; specwatch reads Swagger 2.0 and OpenAPI 3.0.x/3.1.x"
            )));
        }
        (Flavor::Swagger2, "2.0".to_string())
    } else {
        let keys: Vec<&str> = map.keys().take(8).collect();
        return err(LoadErrorKind::NotOpenApi(format!(
            "no `openapi` or `swagger` field at the top level (found keys: {})",
            if keys.is_empty() {
                "none".to_string()
            } else {
                keys.join(", ")
            }
        )));
    };
    let has = |k: &str| map.get(k).is_some_and(Node::is_object);
    let ok = match flavor {
        Flavor::Swagger2 => has("paths"),
        _ => has("paths") || has("webhooks") || has("components"),
    };
    if !ok {
        let need = if flavor == Flavor::Swagger2 {
            "a `paths` object"
        } else {
            "a `paths`, `webhooks` or `components` object"
        };
        return err(LoadErrorKind::NotOpenApi(format!(
            "{version} document without {need}"
        )));
    }
    Ok((flavor, version))
}

/// `detect` with `origin` in its errors.
pub fn detect_in(doc: &Node<'_>, origin: &str) -> Result<(Flavor, String), LoadError> {
    detect(doc).map_err(|mut e| {
        e.origin = origin.to_string();
        e
    })
}

/// A short rendering of a value for messages.
fn short(v: &Node<'_>) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Read;

    fn kind(r: Result<Value, LoadError>) -> LoadErrorKind {
        r.expect_err("expected an error").kind
    }

    pub(crate) fn gunzip(path: &str) -> Vec<u8> {
        let f = std::fs::File::open(path).expect(path);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(f)
            .read_to_end(&mut out)
            .expect(path);
        out
    }

    /// Runs `f` on a thread with a small stack, so unbounded recursion would crash the test.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .expect("thread panicked (stack overflow would abort instead)")
    }

    #[test]
    fn detects_json_and_yaml_by_content() {
        let j = parse_document(b"\xEF\xBB\xBF  \n{\"a\": [1, 2]}", "spec.yaml").unwrap();
        assert_eq!(j["a"][1], 2);
        let y = parse_document(b"a:\n  - 1\n  - 2\n", "spec.json").unwrap();
        assert_eq!(j, y);
    }

    #[test]
    fn yaml_integer_keys_become_strings_and_duplicates_last_win() {
        let v = parse_document(
            b"responses:\n  200:\n    description: ok\n  4XX: {description: err}\nk: 1\nk: 2\nflag: yes\nb: true\n",
            "s.yaml",
        )
        .unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["4XX"]["description"], "err");
        assert_eq!(v["k"], 2);
        // YAML 1.2 booleans only: `yes` is a string, as in js-yaml and Go yaml.v3.
        assert_eq!(v["flag"], "yes");
        assert_eq!(v["b"], true);
    }

    #[test]
    fn yaml_syntax_error_has_origin_line_and_column() {
        let e = parse_document(b"openapi: 3.0.0\npaths:\n  /a: [unclosed\n", "spec.yaml")
            .expect_err("invalid YAML must fail");
        assert!(matches!(e.kind, LoadErrorKind::InvalidYaml(_)), "{e}");
        assert!(e.line.is_some(), "{e:?}");
        let text = e.to_string();
        assert!(text.starts_with("spec.yaml:"), "{text}");
        assert!(text.contains("invalid YAML: "), "{text}");
    }

    #[test]
    fn yaml_in_flow_style_is_read_as_yaml_and_malformed_json_stays_json() {
        let flow = b"{openapi: 3.0.0, info: {title: t, version: '1'}, paths: {}}";
        let v = parse_document(flow, "spec.yaml").unwrap();
        assert_eq!(v["info"]["version"], "1");
        let arena = Arena::new();
        let tree = parse_tree(flow, &arena, "spec.yaml", &LoadOptions::default()).unwrap();
        assert_eq!(tree.to_value(), v);
        // Valid YAML (an empty value is null) but malformed JSON: still a JSON error.
        let e = parse_document(b"{\"info\": , \"paths\": {}}", "spec.json").unwrap_err();
        assert!(matches!(e.kind, LoadErrorKind::InvalidJson(_)), "{e}");
        // Unquoted keys that are not valid YAML either: the JSON error, with its position.
        let e = parse_document(b"{\n  a: [1,\n}", "spec.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("spec.json:2:3: invalid JSON: key must be a string"),
            "{e}"
        );
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let e = parse_document(b"{\n  \"a\": 1,\n  \"b\": }\n", "spec.json").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(8)));
        assert!(
            e.to_string().starts_with("spec.json:3:8: invalid JSON: "),
            "{e}"
        );
        assert!(!e.to_string().contains(" at line "), "{e}");
    }

    #[test]
    fn invalid_utf8_in_a_json_string_has_line_and_column() {
        let bytes = b"{\n  \"openapi\": \"3.0.0\",\n  \"x\": \"a\xff\"\n}\n";
        for e in [
            parse_document(bytes, "spec.json").unwrap_err(),
            parse_tree(bytes, &Arena::new(), "spec.json", &LoadOptions::default()).unwrap_err(),
        ] {
            assert_eq!(e.line, Some(3), "{e}");
            assert!(e.to_string().starts_with("spec.json:3:"), "{e}");
            assert!(e.to_string().contains("invalid JSON"), "{e}");
        }
    }

    #[test]
    fn ten_thousand_deep_json_is_an_error_not_a_stack_overflow() {
        let k = on_small_stack(|| {
            let mut s = "[".repeat(10_000);
            s.push_str(&"]".repeat(10_000));
            kind(parse_document(s.as_bytes(), "deep.json"))
        });
        assert_eq!(k, LoadErrorKind::TooDeep(128));
        let k = on_small_stack(|| {
            let mut s = "{\"a\":".repeat(10_000);
            s.push('1');
            s.push_str(&"}".repeat(10_000));
            kind(parse_document(s.as_bytes(), "deep.json"))
        });
        assert_eq!(k, LoadErrorKind::TooDeep(128));
    }

    #[test]
    fn ten_thousand_deep_yaml_is_an_error_not_a_stack_overflow() {
        let k = on_small_stack(|| {
            let mut s = String::new();
            for i in 0..10_000 {
                s.push_str(&" ".repeat(i));
                s.push_str("a:\n");
            }
            kind(parse_document(s.as_bytes(), "deep.yaml"))
        });
        assert_eq!(k, LoadErrorKind::TooDeep(128));
        let k = on_small_stack(|| {
            let s = format!("a: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
            kind(parse_document(s.as_bytes(), "deep.yaml"))
        });
        assert_eq!(k, LoadErrorKind::TooDeep(128));
    }

    #[test]
    fn billion_laughs_is_refused_by_budget() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (prev, cur) = (w[0], w[1]);
            s.push_str(&format!(
                "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let e = parse_document(s.as_bytes(), "bomb.yaml").unwrap_err();
        assert!(matches!(e.kind, LoadErrorKind::Budget(_)), "{e}");
        assert!(e.to_string().starts_with("bomb.yaml:"), "{e}");
        // Sanity bound only (performance is measured in benches): a bomb must not run for long.
        assert!(started.elapsed().as_secs() < 30);
    }

    #[test]
    fn html_page_and_scalars_are_not_openapi() {
        let e = parse_document(b"  <!DOCTYPE html><html>", "https://x/spec").unwrap_err();
        assert!(e.to_string().contains("looks like an HTML page"), "{e}");
        assert_eq!(
            kind(parse_document(b"just some text\n", "s")),
            LoadErrorKind::NotAnObject("a plain string")
        );
        assert_eq!(
            kind(parse_document(b"[1,2]", "s")),
            LoadErrorKind::NotAnObject("an array")
        );
        assert!(matches!(
            kind(parse_document(b"  \n", "s")),
            LoadErrorKind::NotOpenApi(_)
        ));
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let opts = LoadOptions {
            max_size: 10,
            ..LoadOptions::default()
        };
        let e = parse_document_with(b"{\"openapi\": \"3.0.0\"}", "big.json", &opts).unwrap_err();
        assert_eq!(
            e.kind,
            LoadErrorKind::TooLarge {
                size: 20,
                limit: 10
            }
        );
    }

    #[test]
    fn detect_recognizes_versions_and_rejects_others() {
        let d = |s: &str| {
            detect(&parse_tree(s.as_bytes(), &Arena::new(), "t", &LoadOptions::default()).unwrap())
        };
        assert_eq!(
            d("openapi: 3.0.3\npaths: {}\n").unwrap(),
            (Flavor::OpenApi30, "3.0.3".into())
        );
        assert_eq!(
            d("openapi: 3.1.0\nwebhooks: {}\n").unwrap(),
            (Flavor::OpenApi31, "3.1.0".into())
        );
        assert_eq!(
            d("swagger: '2.0'\npaths: {}\n").unwrap(),
            (Flavor::Swagger2, "2.0".into())
        );
        assert_eq!(d("swagger: 2.0\npaths: {}\n").unwrap().0, Flavor::Swagger2);
        assert!(matches!(
            d("openapi: 4.0.0\npaths: {}\n").unwrap_err().kind,
            LoadErrorKind::UnsupportedVersion(_)
        ));
        assert!(matches!(
            d("openapi: 3.0.0\ninfo: {}\n").unwrap_err().kind,
            LoadErrorKind::NotOpenApi(_)
        ));
        let e = d("name: app\nversion: 2\n").unwrap_err();
        assert!(e.to_string().contains("found keys: name, version"), "{e}");
    }

    #[test]
    fn load_fills_origin_in_detection_errors() {
        let e = load(b"{\"a\": 1}", "cfg.json", &LoadOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cfg.json: not an OpenAPI document"),
            "{e}"
        );
    }

    #[test]
    fn stripe_yaml_parses_and_equals_its_json_twin() {
        let yaml = gunzip("tests/fixtures/stripe/0001-2021-12-23-d70de34538.yaml.gz");
        let json = gunzip("tests/fixtures/stripe/0007-2021-12-23-d70de34538.json.gz");
        let y = load(&yaml, "spec3.yaml", &LoadOptions::default()).unwrap();
        let j = load(&json, "spec3.json", &LoadOptions::default()).unwrap();
        assert_eq!(y.flavor, Flavor::OpenApi30);
        assert!(y.doc["paths"]["/v1/charges"]["get"]["responses"]["200"].is_object());
        assert_eq!(
            crate::spec::canonical::semantic_hash(&y.doc),
            crate::spec::canonical::semantic_hash(&j.doc)
        );
    }
}
