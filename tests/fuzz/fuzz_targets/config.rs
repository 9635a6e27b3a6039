//! Fuzzes the config reader with validation: any bytes → a config or a list of errors, never a
//! panic. `${VAR}` references resolve from a fixed fake environment, so interpolation and the
//! secret-hiding of error messages are exercised too.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fn env(name: &str) -> Option<String> {
    match name {
        "SECRET" => Some("s3cret-value-from-env".into()),
        "EMPTY" => Some(String::new()),
        "DURATION" => Some("99999999999999999999999s".into()),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/etc/specwatch/config.toml");
    if let Err(errors) = specwatch::config::parse(text, path, &env) {
        // Rendering every message is part of what a reload does.
        let shown = errors.to_string();
        // Unless the input spells the value out itself (literally or with escapes), it came
        // from the environment and must appear only as `${SECRET}`.
        let literal = text.contains("s3cret") || text.contains("\\u") || text.contains("\\U");
        assert!(literal || !shown.contains("s3cret-value-from-env"), "{shown}");
    }
});
