//! Spec loading: JSON/YAML detection, parsing with budgets, OpenAPI/Swagger detection, semantic hash, normalized model.

pub mod canonical;
pub mod dom;
pub mod load;
pub mod model;
pub mod positions;

pub use canonical::semantic_hash;
pub use load::{
    LoadError, LoadErrorKind, LoadOptions, Loaded, detect, load, parse_document, parse_tree,
};
pub mod normalize;

pub use normalize::{NormalizeError, normalize};

/// Parses, recognizes and normalizes one document; errors are prefixed with `origin`.
pub fn load_api(bytes: &[u8], origin: &str, opts: &LoadOptions) -> Result<model::Api, String> {
    let arena = dom::Arena::new();
    let doc = parse_tree(bytes, &arena, origin, opts).map_err(|e| e.to_string())?;
    load::detect_in(&doc, origin).map_err(|e| e.to_string())?;
    normalize(&doc, opts).map_err(|e| format!("{origin}: {e}"))
}
