//! Types, formats and nullability: a type/format change classified as generalized
//! (accepts more), specialized (accepts less), compatible or changed; lists of types
//! widened or narrowed (3.1 `type: [..]`); nullability; `contentMediaType`; and a
//! body wrapped in `oneOf`. Where oasdiff has no rule for a narrowing (or widening)
//! at a place, the symmetry helpers decide whether it is reported as a type change.

pub mod rules;

use rules::*;

use crate::diff::schema::cx::{SchemaCx, SiteRules};
use crate::diff::schema::subsume::within;
use crate::diff::schema::{SiteKind, narrowing_is_breaking, widening_is_breaking};
use crate::spec::model::Schema;

/// How a type/format changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shift {
    /// The new type/format accepts a superset of the old values.
    Widened,
    /// The new type/format accepts a subset of the old values.
    Narrowed,
    /// Incomparable, but harmless because the media type is not strongly typed.
    Compatible,
    /// Incomparable.
    Changed,
}

/// Format pairs (narrow, wide) where the wide one accepts every value of the narrow one.
const FORMAT_WIDENINGS: &[(&str, &str)] = &[("int32", "int64"), ("float", "double")];

/// Compares type, format, nullability and `contentMediaType`.
pub fn check(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if wrapped_in_one_of(cx, base, rev) {
        return;
    }
    types(cx, base, rev);
    if base.nullable != rev.nullable {
        let table = if rev.nullable {
            BECAME_NULLABLE
        } else {
            BECAME_NOT_NULLABLE
        };
        cx.emit_for(table, &[]);
    }
    if base.ext().content_media_type != rev.ext().content_media_type {
        let show = |m: &Option<String>| m.clone().unwrap_or_else(|| "none".to_string());
        cx.emit_for(
            CONTENT_MEDIA_TYPE_CHANGED,
            &[
                &show(&base.ext().content_media_type),
                &show(&rev.ext().content_media_type),
            ],
        );
    }
}

/// `T` → `oneOf: [T, …]` at a body's root.
fn wrapped_in_one_of(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) -> bool {
    if !base.one_of.is_empty() || rev.one_of.is_empty() || !rev.types.is_empty() {
        return false;
    }
    let (bapi, rapi, base_id) = (cx.base_api(), cx.rev_api(), cx.base_id);
    if !rev
        .one_of
        .iter()
        .any(|&branch| cx.equal(base_id, branch) || within(bapi, base_id, rapi, branch))
    {
        return false;
    }
    cx.emit_for(WRAPPED_IN_ONE_OF, &[]);
    true
}

/// "string", "integer/int64", "any", "string, integer".
fn describe(s: &Schema) -> String {
    let t = if s.types.is_empty() {
        "any".to_string()
    } else {
        s.types.join(", ")
    };
    match &s.format {
        Some(f) => format!("{t}/{f}"),
        None => t,
    }
}

/// Untyped because it is a composition: the composition family compares it.
fn composed(s: &Schema) -> bool {
    s.types.is_empty() && !(s.all_of.is_empty() && s.any_of.is_empty() && s.one_of.is_empty())
}

fn types(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    if composed(base) || composed(rev) {
        return;
    }
    let args = [describe(base), describe(rev)];
    let args = [args[0].as_str(), args[1].as_str()];
    if base.types.len() > 1 || rev.types.len() > 1 {
        if base.types == rev.types {
            return format_only(cx, base, rev, &args);
        }
        let wider = base.types.iter().all(|t| rev.types.contains(t));
        let narrower = rev.types.iter().all(|t| base.types.contains(t));
        match (wider, narrower) {
            (true, _) => emit_shift(cx, LIST_OF_TYPES_WIDENED, Shift::Widened, &args),
            (_, true) => emit_shift(cx, LIST_OF_TYPES_NARROWED, Shift::Narrowed, &args),
            _ => {
                cx.emit_for(TYPE_CHANGED, &args);
            }
        }
        return;
    }
    let shift = match (base.types.first(), rev.types.first()) {
        (b, r) if b == r => return format_only(cx, base, rev, &args),
        (Some(_), None) => Shift::Widened,
        (None, Some(_)) => Shift::Narrowed,
        (Some(b), Some(r)) => match (b.as_str(), r.as_str()) {
            ("integer", "number") => Shift::Widened,
            ("number", "integer") => Shift::Narrowed,
            ("string", "object") | ("object", "string") if !strongly_typed(cx) => Shift::Compatible,
            // A response header is text: an object or array under the `simple` style is
            // the same comma-separated string on the wire.
            ("string", "object" | "array") | ("object" | "array", "string")
                if matches!(cx.site.kind, SiteKind::ResponseHeader { .. }) =>
            {
                Shift::Compatible
            }
            _ => Shift::Changed,
        },
        (None, None) => return,
    };
    emit_type_shift(cx, shift, &args);
}

/// Same type(s); only the format may differ.
fn format_only(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema, args: &[&str; 2]) {
    let shift = match (base.format.as_deref(), rev.format.as_deref()) {
        (a, b) if a == b => return,
        (Some(_), None) => Shift::Widened,
        (None, Some(_)) => Shift::Narrowed,
        (Some(a), Some(b)) if FORMAT_WIDENINGS.contains(&(a, b)) => Shift::Widened,
        (Some(a), Some(b)) if FORMAT_WIDENINGS.contains(&(b, a)) => Shift::Narrowed,
        _ => Shift::Changed,
    };
    emit_type_shift(cx, shift, args);
}

fn emit_type_shift(cx: &mut SchemaCx<'_, '_>, shift: Shift, args: &[&str; 2]) {
    let table = match shift {
        Shift::Widened => TYPE_GENERALIZED,
        Shift::Narrowed => TYPE_SPECIALIZED,
        Shift::Compatible => TYPE_COMPATIBLE,
        Shift::Changed => TYPE_CHANGED,
    };
    emit_shift(cx, table, shift, args);
}

/// Emits `table`'s rule; where it has none for this place, a shift that breaks
/// clients in this direction is reported as a type change instead.
fn emit_shift(cx: &mut SchemaCx<'_, '_>, table: &SiteRules, shift: Shift, args: &[&str; 2]) {
    if cx.emit_for(table, args) {
        return;
    }
    let breaking = match shift {
        Shift::Widened => widening_is_breaking(cx.direction()),
        Shift::Narrowed => narrowing_is_breaking(cx.direction()),
        Shift::Compatible => false,
        Shift::Changed => true,
    };
    if breaking && shift != Shift::Changed {
        cx.emit_for(TYPE_CHANGED, args);
    }
}

/// JSON bodies and parameters are typed on the wire; XML, form and text bodies carry
/// strings and objects alike.
fn strongly_typed(cx: &SchemaCx<'_, '_>) -> bool {
    match &cx.site.kind {
        SiteKind::RequestBody { media } | SiteKind::ResponseBody { media, .. } => {
            media.contains("json")
        }
        SiteKind::Parameter { .. } | SiteKind::ResponseHeader { .. } => true,
    }
}
