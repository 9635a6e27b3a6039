//! Discriminator changes: added, removed, renamed property, and mapping entries.

use super::escape;
use super::rules::{
    DISCRIMINATOR_ADDED, DISCRIMINATOR_MAPPING_ADDED, DISCRIMINATOR_MAPPING_CHANGED,
    DISCRIMINATOR_MAPPING_DELETED, DISCRIMINATOR_PROPERTY_NAME_CHANGED, DISCRIMINATOR_REMOVED,
};
use crate::diff::schema::SchemaCx;
use crate::spec::model::Schema;

/// Discriminator added / removed / renamed, and its mapping entries.
pub(super) fn check_discriminator(cx: &mut SchemaCx<'_, '_>, base: &Schema, rev: &Schema) {
    let pointer = format!("{}/discriminator", cx.rev_pointer);
    match (&base.ext().discriminator, &rev.ext().discriminator) {
        (None, None) => {}
        (None, Some(r)) => {
            cx.emit_at(
                DISCRIMINATOR_ADDED,
                cx.place(),
                cx.path,
                &pointer,
                &[&r.property_name],
            );
        }
        (Some(b), None) => {
            let pointer = format!("{}/discriminator", cx.base_pointer);
            cx.emit_at(
                DISCRIMINATOR_REMOVED,
                cx.place(),
                cx.path,
                &pointer,
                &[&b.property_name],
            );
        }
        (Some(b), Some(r)) => {
            let (place, path) = (cx.place(), cx.path);
            if b.property_name != r.property_name {
                let args: [&str; 2] = [&b.property_name, &r.property_name];
                cx.emit_at(
                    DISCRIMINATOR_PROPERTY_NAME_CHANGED,
                    place,
                    path,
                    &pointer,
                    &args,
                );
            }
            for (key, target) in &r.mapping {
                match b.mapping.get(key) {
                    None => {
                        let p = format!("{pointer}/mapping/{}", escape(key));
                        cx.emit_at(DISCRIMINATOR_MAPPING_ADDED, place, path, &p, &[key, target]);
                    }
                    Some(old) if old != target => {
                        let p = format!("{pointer}/mapping/{}", escape(key));
                        let args: [&str; 3] = [key, old, target];
                        cx.emit_at(DISCRIMINATOR_MAPPING_CHANGED, place, path, &p, &args);
                    }
                    Some(_) => {}
                }
            }
            for (key, target) in &b.mapping {
                if !r.mapping.contains_key(key) {
                    let p = format!("{}/discriminator/mapping/{}", cx.base_pointer, escape(key));
                    cx.emit_at(
                        DISCRIMINATOR_MAPPING_DELETED,
                        place,
                        path,
                        &p,
                        &[key, target],
                    );
                }
            }
        }
    }
}
