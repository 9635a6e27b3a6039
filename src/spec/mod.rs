//! Spec loading: JSON/YAML detection, parsing with budgets, OpenAPI/Swagger detection, semantic hash, normalized model.

pub mod model;
