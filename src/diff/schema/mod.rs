//! Schema comparison core: walks a (base, revision) schema pair, runs every keyword
//! family on each differing pair, and maps each change to the rule id for its site
//! (request parameter / body / property, response body / property / header).
//!
//! Adding a keyword family: write `src/diff/schema/<family>.rs` with a
//! `pub fn check(cx: &mut SchemaCx, base: &Schema, rev: &Schema)` and its
//! `pub const RULES: &[RuleDef]`, then add one line to [`FAMILIES`] (and, for
//! families that reach into subschemas such as composition branches, one line to
//! [`CHILDREN`]).

pub mod composition;
pub mod constraints;
pub mod cx;
pub mod defaults;
pub mod enums;
pub mod equal;
pub mod json2020;
pub mod properties;
pub mod property_deprecation;
pub mod property_stability;
pub mod read_write;
pub mod subsume;
#[cfg(test)]
mod test_kit;
pub mod types;
pub mod walk;

pub use cx::{Child, SchemaCx, SiteRules, Where};
pub use walk::SchemaState;

use crate::diff::context::{DiffCtx, Direction};
use crate::spec::model::{ParamIn, Schema, SchemaId};

/// One place in an operation where a schema is compared.
#[derive(Debug, Clone)]
pub struct SchemaSite<'s> {
    /// The operation label, e.g. `"GET /pets"`.
    pub operation: &'s str,
    /// Whether the client sends (request) or receives (response) this data.
    pub direction: Direction,
    /// What kind of site this is (parameter, request body, response body, response header).
    pub kind: SiteKind,
    /// JSON pointer of the schema in the base document.
    pub base_pointer: &'s str,
    /// JSON pointer of the schema in the revision.
    pub rev_pointer: &'s str,
}

/// The kind of schema site; decides the rule id prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKind {
    /// A request parameter's schema.
    Parameter {
        /// Where the parameter lives.
        location: ParamIn,
        /// Its name.
        name: String,
    },
    /// A request body media type's schema.
    RequestBody {
        /// The media type, e.g. `application/json`.
        media: String,
    },
    /// A response media type's schema.
    ResponseBody {
        /// Status code as written (`"200"`, `"4XX"`, `"default"`).
        status: String,
        /// The media type.
        media: String,
    },
    /// A response header's schema.
    ResponseHeader {
        /// Status code as written.
        status: String,
        /// Header name.
        name: String,
    },
}

/// A keyword family's check, run once per differing (base, revision) schema pair.
pub type FamilyCheck = fn(&mut SchemaCx<'_, '_>, &Schema, &Schema);

/// A hook listing the subschema pairs the walker descends into next.
/// (`&mut` so hooks can use the diff-wide memoized [`SchemaCx::equal`].)
pub type ChildrenHook =
    for<'s> fn(&mut SchemaCx<'_, 's>, &'s Schema, &'s Schema, &mut Vec<Child<'s>>);

/// Every keyword family, run in this order on each differing pair.
pub const FAMILIES: &[FamilyCheck] = &[
    types::check,
    enums::check,
    defaults::check,
    constraints::check,
    properties::check,
    composition::check,
    read_write::check,
    json2020::check,
    property_deprecation::check,
    property_stability::check,
];

/// The families that run on a pair where one side wraps the other in `anyOf` / `oneOf`
/// (see [`composition::is_wrap`]).
pub const WRAP_FAMILIES: &[FamilyCheck] = &[types::check, composition::check];

/// Every children hook; the walker descends into all pairs they list.
pub const CHILDREN: &[ChildrenHook] = &[
    walk::structural_children,
    composition::children,
    json2020::children,
];

/// Narrowing what a client may send breaks clients (request); narrowing what a
/// server may return does not (response) — and the reverse for widening.
pub fn narrowing_is_breaking(direction: Direction) -> bool {
    match direction {
        Direction::Request => true,
        Direction::Response => false,
    }
}

/// Widening is breaking exactly where narrowing is not: a server that returns
/// more than before surprises its clients.
pub fn widening_is_breaking(direction: Direction) -> bool {
    !narrowing_is_breaking(direction)
}

/// Compares the schemas `base` (in `cx.base`) and `rev` (in `cx.rev`) at `site`, and
/// everything reachable from them, reporting each changed pair once per operation
/// and direction.
pub fn compare(cx: &mut DiffCtx, site: &SchemaSite, base: SchemaId, rev: SchemaId) {
    walk::walk(cx, site, base, rev);
}

#[cfg(test)]
mod tests;
