//! Builds the plugins workspace (`plugins/`) for wasm32-wasip2 once per test binary and
//! hands out the paths of the real `.wasm` files the tests load.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Directory holding every built plugin (`<crate name with _>.wasm`).
pub fn plugins_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins");
        let target = root.join("target");
        // Cargo's own lock serialises test binaries building at the same time.
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip2", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("running cargo to build the plugins");
        assert!(
            out.status.success(),
            "building plugins/ for wasm32-wasip2 failed (is the target installed? `rustup target add wasm32-wasip2`):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target.join("wasm32-wasip2").join("release")
    })
}

/// Path of one built plugin, by crate name (`slack`, `evil-loop`, …).
pub fn plugin(name: &str) -> PathBuf {
    let p = plugins_dir().join(format!("{}.wasm", name.replace('-', "_")));
    assert!(p.exists(), "{} was not built", p.display());
    p
}
