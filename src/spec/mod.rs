//! Spec loading: JSON/YAML detection, parsing with budgets, OpenAPI/Swagger detection, semantic hash, normalized model.

pub mod canonical;
pub mod load;
pub mod model;

pub use canonical::semantic_hash;
pub use load::{LoadError, LoadErrorKind, LoadOptions, Loaded, detect, load, parse_document};
pub mod normalize;

pub use normalize::{NormalizeError, normalize};
