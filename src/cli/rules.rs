//! `specwatch rules`: lists the rule registry; also generates docs/rules.md.

use std::fmt::Write;

use crate::diff::Level;
use crate::diff::output::markdown::escape;
use crate::diff::rules::all_rules;
use crate::diff::rules::rule_def::RuleDef;

/// Output format of `specwatch rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RulesFormat {
    /// One rule per line: id, level, family, description.
    #[default]
    Text,
    /// A JSON array of `{"id","level","family","description","template"}`.
    Json,
    /// The Markdown reference committed as docs/rules.md.
    Markdown,
}

/// Arguments of `specwatch rules`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// Prints the registry; returns the process exit code.
pub fn run_rules(args: &RulesArgs) -> i32 {
    print!("{}", render_rules(args.format));
    0
}

/// The registry in `format`.
pub fn render_rules(format: RulesFormat) -> String {
    match format {
        RulesFormat::Text => rules_text(),
        RulesFormat::Json => rules_json(),
        RulesFormat::Markdown => rules_markdown(),
    }
}

fn rules_text() -> String {
    let width = all_rules().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in all_rules() {
        let _ = writeln!(
            out,
            "{:<width$}  {:<8}  {:<24}  {}",
            r.id,
            r.level.as_str(),
            r.family,
            r.description
        );
    }
    out
}

fn rules_json() -> String {
    let rules: Vec<serde_json::Value> = all_rules()
        .map(|r| {
            serde_json::json!({
                "id": r.id, "level": r.level, "family": r.family,
                "description": r.description, "template": r.template,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// The Markdown rule reference (docs/rules.md), grouped by family in registry order.
pub fn rules_markdown() -> String {
    let rules: Vec<&RuleDef> = all_rules().collect();
    let count = |l: Level| rules.iter().filter(|r| r.level == l).count();
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule registry (src/diff/rules/). Do not edit by hand: run\n     `SPECWATCH_UPDATE_DOCS=1 cargo test --lib cli::rules` or `specwatch rules --format markdown > docs/rules.md`. -->\n\n",
    );
    let _ = writeln!(
        out,
        "specwatch has {} rules: {} breaking, {} warning, {} info. Ids match oasdiff's where the change is the same, so \
         severity overrides (`--severity FILE`) and ignore lists (`--ignore FILE`) carry over. How a verdict is \
         judged (whole schemas, instance semantics, root causes) and where a structural answer is kept: \
         [verdicts.md](verdicts.md).\n",
        rules.len(),
        count(Level::Breaking),
        count(Level::Warning),
        count(Level::Info)
    );
    let mut families: Vec<&str> = Vec::new();
    for r in &rules {
        if !families.contains(&r.family) {
            families.push(r.family);
        }
    }
    for family in families {
        let _ = writeln!(
            out,
            "## {}\n\n| id | level | description |\n|---|---|---|",
            escape(family)
        );
        for r in rules.iter().filter(|r| r.family == family) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                r.id,
                r.level.as_str(),
                escape(r.description)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_rules_md_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let want = rules_markdown();
        if std::env::var_os("SPECWATCH_UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale (the rule registry changed). Regenerate it with\n    \
             SPECWATCH_UPDATE_DOCS=1 cargo test --lib cli::rules\nand commit the result."
        );
    }

    #[test]
    fn json_lists_every_rule_with_its_fields() {
        let v: serde_json::Value = serde_json::from_str(&render_rules(RulesFormat::Json)).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), all_rules().count());
        for (item, rule) in arr.iter().zip(all_rules()) {
            assert_eq!(item["id"], rule.id);
            assert_eq!(item["level"], rule.level.as_str());
            assert_eq!(item["family"], rule.family);
        }
    }

    #[test]
    fn text_has_one_line_per_rule() {
        assert_eq!(
            render_rules(RulesFormat::Text).lines().count(),
            all_rules().count()
        );
        assert!(rules_markdown().starts_with("# Rules\n"));
    }
}
