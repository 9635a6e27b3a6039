//! Request and response properties: added, removed, became required or optional.
//! Read-only properties in requests and write-only properties in responses are left
//! to the readOnly/writeOnly family, which has its own rules for them.

pub mod rules;

use rules::*;

use crate::diff::context::Direction;
use crate::diff::schema::cx::{SchemaCx, SiteRules};
use crate::spec::model::Schema;

/// Compares the property sets and `required` lists of an object pair.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    let request = cx.direction() == Direction::Request;
    // Properties that do not travel in this direction.
    let hidden = |s: &Schema| if request { s.read_only } else { s.write_only };
    for (name, &rid) in &rev.properties {
        let prop = cx.rev_schema(rid);
        if hidden(prop) {
            continue;
        }
        let now_required = rev.required.contains(name);
        let table: &SiteRules = match base.properties.get(name) {
            // Moved out of an allOf part of the base: not new.
            None if crate::diff::schema::composition::in_all_of(cx.base_api(), base, name) => {
                continue;
            }
            None if !now_required => OPTIONAL_ADDED,
            None if request && prop.default.is_some() => REQUIRED_ADDED_WITH_DEFAULT,
            None => REQUIRED_ADDED,
            Some(_) if base.required.contains(name) == now_required => continue,
            Some(_) if !now_required => BECAME_OPTIONAL,
            Some(_) if request && prop.default.is_some() => BECAME_REQUIRED_WITH_DEFAULT,
            Some(_) => BECAME_REQUIRED,
        };
        let pointer = property_pointer(cx.rev_pointer, name);
        cx.emit_for_property(table, name, &pointer, &[]);
    }
    // A name required without being declared (nor in the base): every value must now carry
    // it, like a new required property of any type.
    for name in &rev.required {
        let declared = |s: &Schema, api| {
            s.properties.contains_key(name)
                || crate::diff::schema::composition::in_all_of(api, s, name)
        };
        if base.required.contains(name)
            || declared(rev, cx.rev_api())
            || declared(base, cx.base_api())
            || !rev.types.iter().all(|t| t == "object")
        {
            continue;
        }
        let pointer = format!("{}/required", cx.rev_pointer);
        cx.emit_for_property(REQUIRED_ADDED, name, &pointer, &[]);
    }
    for (name, &bid) in &base.properties {
        // A property that moved into an allOf part is still there (composition::in_all_of).
        if rev.properties.contains_key(name)
            || hidden(cx.base_schema(bid))
            || crate::diff::schema::composition::in_all_of(cx.rev_api(), rev, name)
        {
            continue;
        }
        let table = match (request, base.required.contains(name)) {
            (true, _) => REMOVED,
            (false, true) => REQUIRED_REMOVED,
            (false, false) => OPTIONAL_REMOVED,
        };
        let pointer = property_pointer(cx.base_pointer, name);
        cx.emit_for_property(table, name, &pointer, &[]);
    }
}

/// `parent/properties/name`, with `~` and `/` escaped as JSON pointers require.
pub fn property_pointer(parent: &str, name: &str) -> String {
    format!(
        "{parent}/properties/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}
