//! Rule families, registered in one place.
//!
//! Each family file declares `pub const RULES: &[RuleDef]`; register it here with one
//! `pub mod` line and one line in `FAMILIES` (one line each, so merges stay trivial).

pub mod deprecation;
pub mod endpoints;
pub mod headers;
pub mod parameters;
pub mod request_body;
pub mod responses;
pub mod rule_def;
pub mod security;
pub mod stability;
pub mod tags;
pub mod versioning;
pub mod webhooks;

use rule_def::RuleDef;

/// Every family's rule table, in documentation order.
// One entry per line (`family::RULES,`) so concurrent registrations merge cleanly.
#[rustfmt::skip]
pub const FAMILIES: &[&[RuleDef]] = &[
    crate::diff::schema::properties::rules::RULES,
    crate::diff::schema::types::rules::RULES,
    crate::diff::schema::enums::rules::RULES,
    crate::diff::schema::defaults::rules::RULES,
    crate::diff::schema::constraints::rules::RULES,
    crate::diff::schema::composition::rules::RULES,
    crate::diff::schema::read_write::RULES,
    crate::diff::schema::json2020::RULES,
    crate::diff::schema::property_deprecation::RULES,
    crate::diff::schema::property_stability::RULES,
    endpoints::RULES,
    parameters::RULES,
    request_body::RULES,
    responses::RULES,
    headers::RULES,
    security::RULES,
    deprecation::RULES,
    stability::RULES,
    tags::RULES,
    webhooks::RULES,
    versioning::RULES,
];

/// Every registered rule, family by family.
pub fn all_rules() -> impl Iterator<Item = &'static RuleDef> {
    FAMILIES.iter().flat_map(|family| family.iter())
}

/// The rule with this id, if registered.
pub fn find(id: &str) -> Option<&'static RuleDef> {
    all_rules().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Level;
    use std::collections::{HashMap, HashSet};

    /// Ids specwatch adds that oasdiff lacks (each must be absent from the oasdiff table).
    const SPECWATCH_ONLY: &[&str] = &[
        "response-body-enum-value-added",
        "request-body-enum-value-added",
        "request-parameter-style-changed",
        "request-parameter-explode-changed",
        "api-operation-id-changed",
        "response-property-max-unset",
        "response-body-max-unset",
        "response-property-min-unset",
        "response-body-min-unset",
        "request-property-max-items-decreased",
        "request-body-max-items-decreased",
        "response-property-max-items-increased",
        "response-body-max-items-increased",
        "response-property-max-items-unset",
        "response-body-max-items-unset",
        "request-property-max-items-set",
        "response-property-enum-removed",
        "response-body-enum-removed",
        "request-property-enum-removed",
        "request-parameter-enum-removed",
        "request-property-one-of-ambiguous",
        "request-parameter-one-of-ambiguous",
        "request-body-composition-narrowed",
        "request-property-composition-narrowed",
        "request-parameter-composition-narrowed",
        "request-parameter-one-of-added",
        "response-header-one-of-added",
        "request-parameter-one-of-removed",
        "response-header-one-of-removed",
        "request-parameter-any-of-added",
        "response-header-any-of-added",
        "request-parameter-any-of-removed",
        "response-header-any-of-removed",
        "request-parameter-all-of-added",
        "response-header-all-of-added",
        "request-parameter-all-of-removed",
        "response-header-all-of-removed",
    ];

    const OASDIFF_TSV: &str = include_str!("../../../tests/fixtures/oasdiff-rule-ids.tsv");

    /// id → (level, family) from oasdiff's rule table.
    fn oasdiff_table() -> HashMap<&'static str, (Level, &'static str)> {
        OASDIFF_TSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                assert_eq!(cols.len(), 3, "bad TSV line {line:?}");
                let level =
                    Level::parse(cols[1]).unwrap_or_else(|| panic!("bad level in {line:?}"));
                (cols[0], (level, cols[2]))
            })
            .collect()
    }

    #[test]
    fn oasdiff_table_is_complete() {
        assert_eq!(oasdiff_table().len(), 509);
    }

    #[test]
    fn rule_ids_are_unique() {
        let mut seen = HashSet::new();
        let dups: Vec<&str> = all_rules()
            .map(|r| r.id)
            .filter(|id| !seen.insert(*id))
            .collect();
        assert!(dups.is_empty(), "duplicate rule ids: {dups:?}");
    }

    #[test]
    fn rules_match_oasdiff_level_and_family_or_are_listed_as_specwatch_only() {
        let table = oasdiff_table();
        let mut problems = Vec::new();
        for rule in all_rules() {
            match table.get(rule.id) {
                Some(&(level, family)) if rule.level != level || rule.family != family => {
                    problems.push(format!(
                        "{}: registry has {:?}/{:?}, oasdiff has {:?}/{:?}",
                        rule.id, rule.level, rule.family, level, family
                    ));
                }
                Some(_) => {}
                None if !SPECWATCH_ONLY.contains(&rule.id) => problems.push(format!(
                    "{}: not an oasdiff id; add it to SPECWATCH_ONLY in src/diff/rules/mod.rs if it is a deliberate addition",
                    rule.id
                )),
                None => {}
            }
        }
        for id in SPECWATCH_ONLY {
            if table.contains_key(id) {
                problems.push(format!("{id}: listed as specwatch-only but oasdiff has it"));
            }
            if find(id).is_none() {
                problems.push(format!("{id}: listed as specwatch-only but not registered"));
            }
        }
        assert!(
            problems.is_empty(),
            "rule registry problems:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn every_rule_has_description_and_template() {
        for rule in all_rules() {
            assert!(
                !rule.description.trim().is_empty(),
                "{} has no description",
                rule.id
            );
            assert!(
                !rule.template.trim().is_empty(),
                "{} has no message template",
                rule.id
            );
        }
    }

    /// Every rule renders: its placeholders are `{0}`..`{n}` without gaps (an argument
    /// no placeholder shows, or one the template skips, would render as nothing), nothing
    /// else in braces, and the rendered message shows every argument and no `{`.
    #[test]
    fn every_rule_renders_with_all_its_placeholders_filled() {
        let mut problems = Vec::new();
        for rule in all_rules() {
            let mut used = Vec::new();
            let mut rest = rule.template;
            while let Some(start) = rest.find('{') {
                let after = &rest[start + 1..];
                let Some(end) = after.find('}') else {
                    problems.push(format!("{}: unclosed brace", rule.id));
                    break;
                };
                match after[..end].parse::<usize>() {
                    Ok(i) => used.push(i),
                    Err(_) => problems.push(format!(
                        "{}: placeholder {{{}}} is not an argument index",
                        rule.id,
                        &after[..end]
                    )),
                }
                rest = &after[end + 1..];
            }
            let count = used.iter().max().map_or(0, |m| m + 1);
            if let Some(gap) = (0..count).find(|i| !used.contains(i)) {
                problems.push(format!("{}: placeholder {{{gap}}} is never used", rule.id));
            }
            let args: Vec<String> = (0..count).map(|i| format!("<arg{i}>")).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = rule_def::render(rule.template, &refs);
            if text.trim().is_empty() || text.contains('{') {
                problems.push(format!("{}: renders as {text:?}", rule.id));
            }
            for a in &args {
                if !text.contains(a.as_str()) {
                    problems.push(format!("{}: {a} is not shown in {text:?}", rule.id));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn find_returns_registered_rules_only() {
        for rule in all_rules() {
            assert_eq!(find(rule.id).map(|r| r.id), Some(rule.id));
        }
        assert!(find("no-such-rule").is_none());
    }
}
