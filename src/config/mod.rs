//! Configuration: TOML parsing with spans, validation, ${ENV} interpolation.
