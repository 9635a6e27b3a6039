//! The architecture, written down once: which top-level module of `src/` may use which.
//! Proves that every `crate::…` path in `src/` follows an allowed edge, that the allowed
//! edges form no cycle (so no module reaches back up the data flow), and that
//! `docs/architecture.md` shows this same table (`UPDATE_ARCHITECTURE=1` rewrites it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and the modules it may use, lowest layer first.
/// A module may only use modules listed before it, which keeps the graph acyclic.
const LAYERS: &[(&str, &str, &[&str])] = &[
    // Leaves: plain types and helpers every stage may use.
    ("units", "durations and sizes parsed totally", &[]),
    ("clock", "wall-clock milliseconds", &[]),
    ("redact", "the one secret and URL scrub", &[]),
    (
        "error_chain",
        "an error and its causes in one line; TLS detection",
        &[],
    ),
    ("schedule", "parsed schedules: intervals, cron, jitter", &[]),
    // Pure libraries: no I/O, no configuration.
    (
        "spec",
        "parsing and normalising OpenAPI / Swagger documents",
        &[],
    ),
    (
        "diff",
        "the rule engine: changes between two specs",
        &["spec"],
    ),
    (
        "notification",
        "the specwatch.alert.v1 document every sink receives",
        &["diff"],
    ),
    // The data flow: config → fetch → store → alerts → sinks/plugins.
    (
        "config",
        "the TOML file, parsed and checked",
        &["units", "schedule", "diff", "notification"],
    ),
    ("logging", "tracing setup from the config", &["config"]),
    (
        "fetch",
        "HTTP and file fetches with caps",
        &["error_chain", "redact", "config"],
    ),
    (
        "store",
        "redb: versions, polls, health, the outbox",
        &["clock", "fetch", "notification"],
    ),
    ("metrics", "Prometheus counters and gauges", &["store"]),
    (
        "explain",
        "per-version summaries, reference docs and the optional LLM summary",
        &[
            "clock",
            "config",
            "diff",
            "error_chain",
            "fetch",
            "notification",
            "redact",
            "spec",
            "store",
        ],
    ),
    (
        "sinks",
        "webhook and email delivery",
        &[
            "config",
            "diff",
            "error_chain",
            "fetch",
            "notification",
            "redact",
        ],
    ),
    (
        "plugin_host",
        "the WASM plugin host",
        &[
            "config",
            "diff",
            "error_chain",
            "fetch",
            "notification",
            "redact",
            "sinks",
        ],
    ),
    (
        "alerts",
        "events, routes and the durable outbox",
        &[
            "clock",
            "config",
            "diff",
            "explain",
            "metrics",
            "notification",
            "sinks",
            "store",
            "units",
        ],
    ),
    // Orchestration of one poll, of the schedule and of the endpoint probes.
    (
        "pipeline",
        "one poll: fetch, parse, diff, commit with its alerts",
        &[
            "alerts",
            "clock",
            "config",
            "diff",
            "explain",
            "fetch",
            "metrics",
            "notification",
            "spec",
            "store",
        ],
    ),
    (
        "scheduler",
        "runs each watch on its schedule under caps",
        &["config", "fetch", "pipeline", "schedule", "store"],
    ),
    (
        "health",
        "endpoint probes beside the polls",
        &[
            "alerts",
            "clock",
            "config",
            "fetch",
            "metrics",
            "notification",
            "schedule",
            "scheduler",
            "spec",
            "store",
        ],
    ),
    // Read model and the surfaces that read through it.
    (
        "query",
        "the read model the control socket and web read through",
        &[
            "alerts",
            "clock",
            "config",
            "diff",
            "explain",
            "fetch",
            "health",
            "pipeline",
            "plugin_host",
            "scheduler",
            "spec",
            "store",
        ],
    ),
    ("control", "the local control socket", &["query", "store"]),
    (
        "web",
        "status page, JSON API, /metrics",
        &[
            "clock",
            "config",
            "diff",
            "explain",
            "health",
            "metrics",
            "notification",
            "query",
            "store",
        ],
    ),
    // The process and its command line.
    (
        "daemon",
        "runs it all: reloads, signals, supervision",
        &[
            "alerts",
            "clock",
            "config",
            "control",
            "fetch",
            "health",
            "pipeline",
            "plugin_host",
            "query",
            "scheduler",
            "sinks",
            "store",
            "units",
            "web",
        ],
    ),
    (
        "cli",
        "the command line",
        &[
            "alerts",
            "clock",
            "config",
            "control",
            "daemon",
            "diff",
            "error_chain",
            "explain",
            "fetch",
            "health",
            "logging",
            "notification",
            "pipeline",
            "plugin_host",
            "query",
            "redact",
            "sinks",
            "spec",
            "store",
            "units",
        ],
    ),
];

/// The back edges the restructuring removed; the table must never allow them again.
const FORBIDDEN: &[(&str, &str)] = &[
    ("control", "daemon"),
    ("alerts", "pipeline"),
    ("sinks", "alerts"),
    ("store", "alerts"),
    ("fetch", "store"),
    ("config", "scheduler"),
    ("config", "alerts"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (doc links may name any module).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Top-level modules named by `crate::x` and `crate::{x, y::z}` paths in `code`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::` in macros, `specwatch_crate::`, …
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        used.insert(ident(group[start..j].trim()).to_string());
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.insert(ident(group[start..j].trim()).to_string());
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            used.insert(ident(rest).to_string());
        }
    }
    used.remove("");
    used
}

fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn allowed() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    LAYERS
        .iter()
        .map(|(m, _, deps)| (*m, deps.iter().copied().collect()))
        .collect()
}

#[test]
fn every_crate_path_in_src_follows_an_allowed_edge() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let allowed = allowed();
    let mut violations = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let from = top_module(&src, file);
        if from == "lib" || from == "main" {
            continue;
        }
        modules.insert(from.clone());
        let Some(deps) = allowed.get(from.as_str()) else {
            violations.push(format!(
                "{from}: not in the table of tests/it/architecture.rs"
            ));
            continue;
        };
        let code = strip_comments(&std::fs::read_to_string(file).unwrap());
        for to in used_modules(&code) {
            if to != from && !deps.contains(to.as_str()) {
                let rel = file.strip_prefix(root()).unwrap().display();
                violations.push(format!("{rel}: {from} -> {to} is not an allowed edge"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the architecture (fix the import, or change the table and \
         docs/architecture.md on purpose):\n{}",
        violations.join("\n")
    );
    let listed: BTreeSet<String> = allowed.keys().map(|m| m.to_string()).collect();
    assert_eq!(
        listed, modules,
        "the table lists exactly the modules of src/"
    );
}

#[test]
fn the_table_only_points_down_and_never_back_up() {
    let mut seen = BTreeSet::new();
    for (module, _, deps) in LAYERS {
        for dep in *deps {
            assert!(
                seen.contains(dep),
                "{module} -> {dep}: a module may only use modules listed before it"
            );
        }
        seen.insert(*module);
    }
    let allowed = allowed();
    for (from, to) in FORBIDDEN {
        assert!(
            !allowed[from].contains(to),
            "{from} -> {to} runs back up the data flow"
        );
    }
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let code = "use crate::{config, daemon::x, logging};\nfn f() { crate::pipeline::now(); }\n\
                // crate::web in a comment\nmacro_rules! m { () => { $crate::x } }";
    let used = used_modules(&strip_comments(code));
    let want: BTreeSet<String> = ["config", "daemon", "logging", "pipeline"]
        .map(String::from)
        .into();
    assert_eq!(used, want);
}

fn render() -> String {
    let mut out = String::from(
        "# Architecture\n\n\
         <!-- Generated from the table in tests/it/architecture.rs, which also checks every \
         `crate::` path in src/ against it. Regenerate: \
         UPDATE_ARCHITECTURE=1 cargo test --test it architecture -->\n\n\
         The modules of `src/` follow the data flow \
         (config → scheduler → fetch → spec → diff → store → alerts → sinks/plugins → web). \
         Imports only point down this table: a module may use the modules above it, never \
         one below it. Plain types shared by several stages (the clock, schedules, the \
         notification document) are leaves that everyone may use; `spec` and `diff` are pure \
         libraries with no I/O or configuration, so the config may name their types.\n\n\
         | module | owns | may use |\n|---|---|---|\n",
    );
    for (module, owns, deps) in LAYERS {
        let deps = if deps.is_empty() {
            "—".to_string()
        } else {
            deps.iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("| `{module}` | {owns} | {deps} |\n"));
    }
    out.push_str(
        "\n`lib.rs` declares the modules; `main.rs` is the binary's edge and uses the crate \
         from outside.\n",
    );
    out
}

#[test]
fn docs_architecture_md_shows_the_table() {
    let path = root().join("docs/architecture.md");
    let want = render();
    if std::env::var_os("UPDATE_ARCHITECTURE").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/architecture.md is stale: UPDATE_ARCHITECTURE=1 cargo test --test it architecture"
    );
}
