//! The echo plugin, built as version 0.2.0 so hot-reload tests can tell versions apart.

include!("../../echo/src/plugin.rs");
