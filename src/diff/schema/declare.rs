//! `family_rules!`: declares a family's rules one per line
//! (`NAME = "rule-id", Level, "family", "description", "message template";`) and its
//! `pub const RULES`, so the per-site tables (one id per keyword × site) stay readable.

/// Declares each rule as a `pub const` and `pub const RULES` listing them all; the
/// calling module must have `RuleDef` and `Level` in scope.
macro_rules! family_rules {
    ($($name:ident = $id:literal, $level:ident, $family:literal, $desc:literal, $tmpl:literal;)*) => {
        $(
            #[doc = $desc]
            pub const $name: RuleDef = RuleDef {
                id: $id,
                level: Level::$level,
                family: $family,
                description: $desc,
                template: $tmpl,
            };
        )*
        /// Every rule of this family.
        pub const RULES: &[RuleDef] = &[$($name),*];
    };
}

pub(crate) use family_rules;
