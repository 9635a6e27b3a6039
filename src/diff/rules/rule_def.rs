//! The rule registry's types: every rule has an id, a default level, a family
//! and a message template. Each family file declares its rules as a
//! `pub const RULES: &[RuleDef]`; `rules/mod.rs` registers the families in one place.

use crate::diff::change::Level;

/// Declares a family's rules, one per line:
/// `NAME = "rule-id", Level, "family", "description", "message template";`
/// and `pub const RULES` listing them all. The one macro every family (operation-level
/// and schema keyword) declares its rules with.
macro_rules! rule_table {
    ($($name:ident = $id:literal, $level:ident, $family:literal, $desc:literal, $tmpl:literal;)*) => {
        $(
            #[doc = $desc]
            pub const $name: $crate::diff::rules::rule_def::RuleDef =
                $crate::diff::rules::rule_def::RuleDef {
                    id: $id,
                    level: $crate::diff::change::Level::$level,
                    family: $family,
                    description: $desc,
                    template: $tmpl,
                };
        )*
        /// Every rule of this family.
        pub const RULES: &[$crate::diff::rules::rule_def::RuleDef] = &[$($name),*];
    };
}
pub(crate) use rule_table;

/// Definition of one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// Stable id, oasdiff-compatible where the same change is detected.
    pub id: &'static str,
    /// Default level (overridable with `--severity`).
    pub level: Level,
    /// Family, as in `../shared/reference/oasdiff-rule-ids.tsv`.
    pub family: &'static str,
    /// One-line description for `specwatch rules` and docs/rules.md.
    pub description: &'static str,
    /// Message template; `{0}`, `{1}` … are replaced by the change's arguments.
    pub template: &'static str,
}

/// Fills `{0}`, `{1}` … in `template` with `args`.
pub fn render(template: &str, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if after[..end].parse::<usize>().is_ok() => {
                let i: usize = after[..end].parse().unwrap_or(0);
                out.push_str(args.get(i).copied().unwrap_or(""));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn render_fills_placeholders_and_keeps_other_braces() {
        assert_eq!(
            render("removed '{0}' from {1} {x}", &["id", "query"]),
            "removed 'id' from query {x}"
        );
    }
}
